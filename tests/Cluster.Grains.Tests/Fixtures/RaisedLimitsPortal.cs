namespace Cluster.Grains.Tests.Fixtures;

/// <summary>
/// A <see cref="Portal"/> whose rate limits are far above anything a test sends, for tests about something else
/// (ordering under load) that need many messages from patients and the care team in a short time.
/// </summary>
public sealed class RaisedLimitsPortal : Portal
{
    public const int Limit = 100_000;

    public RaisedLimitsPortal()
    {
        var limit = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Messaging:PatientMessagesPerHour"] = limit;
        Settings["Messaging:PatientMessagesPerDay"] = limit;
        Settings["Messaging:PatientConversationsPerDay"] = limit;
        Settings["Messaging:CareTeamMessagesPerMinute"] = limit;
    }
}
