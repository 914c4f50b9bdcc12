namespace Cluster.Grains.Policies;

/// <summary>
/// The limits on one kind of action, with the code and words used when they refuse it:
/// "You have {Verb} 5 {limit description}, the most allowed. You can {NextAction} in 23 minutes. {Advice}".
/// </summary>
public sealed record RateLimitSet(string Code, string Verb, string NextAction, IReadOnlyList<RateLimit> Limits, string? Advice = null)
{
    // Said to patients only: a refused message must not stop someone reaching help.
    private const string EmergencyAdvice = "If this is urgent, call your care team; in an emergency call 911.";

    /// <summary>Patients: 5 messages an hour and 20 a day.</summary>
    public static RateLimitSet PatientMessages { get; } = new(
        PolicyCodes.RateLimited, "sent", "send your next message",
        [
            new(5, TimeSpan.FromHours(1), "messages in the last hour"),
            new(20, TimeSpan.FromDays(1), "messages in the last 24 hours"),
        ],
        EmergencyAdvice);

    /// <summary>Patients: 3 new conversations a day.</summary>
    public static RateLimitSet PatientConversationStarts { get; } = new(
        PolicyCodes.ConversationLimit, "started", "start a new conversation",
        [new(3, TimeSpan.FromDays(1), "new conversations in the last 24 hours")],
        EmergencyAdvice);

    /// <summary>Clinicians and staff: 60 messages a minute, a guard against scripts and stuck clients rather than people.</summary>
    public static RateLimitSet StaffMessages { get; } = new(
        PolicyCodes.RateLimited, "sent", "send your next message",
        [new(60, TimeSpan.FromMinutes(1), "messages in the last minute")]);

    /// <summary>How far back history matters to these limits; older timestamps can be dropped.</summary>
    public TimeSpan LongestWindow => Limits.Count == 0 ? TimeSpan.Zero : Limits.Max(limit => limit.Window);
}
