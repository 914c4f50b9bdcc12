using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Policies;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Hosting;

/// <summary>The organisation's options turned into ready policies, built once and shared by every grain.</summary>
public sealed class MessagingRules
{
    /// <summary>The <see cref="MessagingOptions.RedFlagLanguages"/> entry that turns the built-in lists off.</summary>
    public const string NoBuiltInRedFlags = "none";

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
        Urgency = new UrgencyPolicy(RedFlagsOf(Options));
    }

    public MessagingOptions Options { get; }

    public RateLimitSet PatientMessages { get; }

    public RateLimitSet ConversationStarts { get; }

    public RateLimitSet CareTeamMessages { get; }

    public UrgencyPolicy Urgency { get; }

    /// <summary>The chosen built-in lists (all when none are named; none for "none"), then the organisation's own flags.</summary>
    public static IReadOnlyList<RedFlag> RedFlagsOf(MessagingOptions options)
    {
        var languages = options.RedFlagLanguages.Count == 0 ? RedFlagLists.ByName.Keys : options.RedFlagLanguages.Select(l => l.Trim());
        return languages
            .Where(language => !language.Equals(NoBuiltInRedFlags, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .SelectMany(language => RedFlagLists.ByName[language])
            .Concat(options.RedFlags.Select(f => new RedFlag(f.Phrase, f.Category)))
            .ToList();
    }

    /// <summary>The care team a topic routes to.</summary>
    public string? CareTeamFor(Topic topic) => Options.Routing.GetValueOrDefault(topic);
}
