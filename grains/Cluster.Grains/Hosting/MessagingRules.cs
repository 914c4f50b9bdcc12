using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Policies;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Hosting;

/// <summary>The organisation's options turned into ready policies, built once and shared by every grain.</summary>
public sealed class MessagingRules
{
    public MessagingRules(IOptions<MessagingOptions> options)
    {
        Options = options.Value;
        PatientMessages = RateLimitSet.PatientMessages with
        {
            Limits =
            [
                new(Options.PatientMessagesPerHour, TimeSpan.FromHours(1), "messages in the last hour"),
                new(Options.PatientMessagesPerDay, TimeSpan.FromDays(1), "messages in the last 24 hours"),
            ],
        };
        ConversationStarts = RateLimitSet.PatientConversationStarts with
        {
            Limits = [new(Options.PatientConversationsPerDay, TimeSpan.FromDays(1), "new conversations in the last 24 hours")],
        };
        CareTeamMessages = RateLimitSet.StaffMessages with
        {
            Limits = [new(Options.CareTeamMessagesPerMinute, TimeSpan.FromMinutes(1), "messages in the last minute")],
        };
        Urgency = new UrgencyPolicy(Options.RedFlags.Count == 0
            ? UrgencyPolicy.DefaultRedFlags
            : Options.RedFlags.Select(f => new RedFlag(f.Phrase, f.Category)).ToList());
    }

    public MessagingOptions Options { get; }

    public RateLimitSet PatientMessages { get; }

    public RateLimitSet ConversationStarts { get; }

    public RateLimitSet CareTeamMessages { get; }

    public UrgencyPolicy Urgency { get; }

    /// <summary>The care team a topic routes to.</summary>
    public string? CareTeamFor(Topic topic) => Options.Routing.GetValueOrDefault(topic);
}
