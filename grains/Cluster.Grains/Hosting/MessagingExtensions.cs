using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Policies;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Hosting;

public static class MessagingExtensions
{
    /// <summary>Binds the organisation's messaging rules from the "Messaging" section, validated at start-up.</summary>
    public static IServiceCollection AddMessagingRules(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton<MessagingRules>();
        return services;
    }
}

/// <summary>Refuses rules that cannot work, one sentence per problem naming the setting.</summary>
public sealed class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    public ValidateOptionsResult Validate(string? name, MessagingOptions options)
    {
        var problems = new List<string>();
        Positive(options.MaxBodyCharacters, "MaxBodyCharacters", problems);
        Positive(options.MaxSubjectCharacters, "MaxSubjectCharacters", problems);
        Positive(options.PatientMessagesPerHour, "PatientMessagesPerHour", problems);
        Positive(options.PatientMessagesPerDay, "PatientMessagesPerDay", problems);
        Positive(options.PatientConversationsPerDay, "PatientConversationsPerDay", problems);
        Positive(options.CareTeamMessagesPerMinute, "CareTeamMessagesPerMinute", problems);
        Positive(options.MaxActiveProxyGrants, "MaxActiveProxyGrants", problems);
        if (string.IsNullOrWhiteSpace(options.Terms.Version) || string.IsNullOrWhiteSpace(options.Terms.Text))
        {
            problems.Add("Messaging:Terms needs a Version and a Text.");
        }

        if (options.UnreadAlertAfter <= TimeSpan.Zero || options.InactivityClose <= TimeSpan.Zero)
        {
            problems.Add("Messaging:UnreadAlertAfter and Messaging:InactivityClose must be positive durations.");
        }

        if (options.RedFlags.Any(f => string.IsNullOrWhiteSpace(f.Phrase) || string.IsNullOrWhiteSpace(f.Category)))
        {
            problems.Add("Every Messaging:RedFlags entry needs a Phrase and a Category.");
        }

        RedFlags(options, problems);

        foreach (var topic in Enum.GetValues<Topic>().Where(t => string.IsNullOrWhiteSpace(options.Routing.GetValueOrDefault(t))))
        {
            problems.Add($"Messaging:Routing:{topic} names no care team.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void RedFlags(MessagingOptions options, List<string> problems)
    {
        foreach (var language in options.RedFlagLanguages.Where(l =>
            !RedFlagLists.ByName.ContainsKey(l.Trim()) && !l.Trim().Equals(MessagingRules.NoBuiltInRedFlags, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"Messaging:RedFlagLanguages names '{language}', which is no built-in list; use {string.Join(", ", RedFlagLists.ByName.Keys)} or {MessagingRules.NoBuiltInRedFlags}.");
        }

        foreach (var flag in options.RedFlags.Where(f => !string.IsNullOrWhiteSpace(f.Phrase) && !string.IsNullOrWhiteSpace(f.Category)))
        {
            try
            {
                RedFlagRule.Parse(new RedFlag(flag.Phrase, flag.Category));
            }
            catch (ArgumentException ex)
            {
                problems.Add($"Messaging:RedFlags: {ex.Message}");
            }
        }
    }

    private static void Positive(int value, string setting, List<string> problems)
    {
        if (value <= 0)
        {
            problems.Add($"Messaging:{setting} must be a positive number; it is {value}.");
        }
    }
}
