using System.Globalization;

namespace Cluster.Grains.Policies;

/// <summary>Counts written for people: "1 character", "2,150 characters".</summary>
internal static class Quantity
{
    // Invariant culture so a sentence reads the same whichever culture the silo runs under.
    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Of(int value, string singular, string plural) =>
        $"{Number(value)} {(value == 1 ? singular : plural)}";
}
