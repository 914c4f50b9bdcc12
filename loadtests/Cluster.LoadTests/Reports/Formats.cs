using System.Globalization;

namespace Cluster.LoadTests.Reports;

/// <summary>How numbers read in every report (console, Markdown, HTML): invariant culture, a sensible precision.</summary>
internal static class Formats
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private static readonly string[] ByteUnits = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary>A latency in milliseconds: two decimals below 10 ms, one below 100 ms, none above.</summary>
    public static string Ms(double value) =>
        value.ToString(value < 10 ? "0.00" : value < 100 ? "0.0" : "#,0", Invariant);

    public static string Count(long value) => value.ToString("#,0", Invariant);

    public static string Rate(double value) => value.ToString("#,0.0", Invariant);

    public static string Percent(double value) => value.ToString("0.0", Invariant) + "%";

    /// <summary>A general number: up to two decimals, thousands separated; "n/a" when not finite.</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString(Math.Abs(value) >= 1000 ? "#,0" : "0.##", Invariant) : "n/a";

    public static string Bytes(long value)
    {
        double scaled = value;
        var unit = 0;
        while (Math.Abs(scaled) >= 1024 && unit < ByteUnits.Length - 1)
        {
            scaled /= 1024;
            unit++;
        }

        return unit == 0 ? $"{value.ToString(Invariant)} B" : $"{scaled.ToString("0.0", Invariant)} {ByteUnits[unit]}";
    }

    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0", Invariant) + " s";

    public static string Clock(TimeSpan value) =>
        value.TotalHours >= 1
            ? ((int)value.TotalHours).ToString(Invariant) + value.ToString(@"\:mm\:ss", Invariant)
            : value.ToString(@"mm\:ss", Invariant);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC";

    /// <summary>A ratio's quotient and target, such as <c>×2.4</c> and <c>≥ ×2</c>.</summary>
    public static string Factor(double value) => double.IsFinite(value) ? "×" + value.ToString("0.##", Invariant) : "n/a";

    public static string Target(Ratio ratio) =>
        ratio.Target is { } target ? (ratio.Higher ? "≥ " : "≤ ") + Factor(target) : "none";

    public static string Met(Ratio ratio) => ratio.Met switch
    {
        true => "met",
        false => "not met",
        null => "n/a",
    };
}
