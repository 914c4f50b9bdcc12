using Microsoft.Extensions.Options;

namespace Cluster.Api.Hosting;

/// <summary>Refuses API settings that cannot work, one sentence each, naming the setting.</summary>
public sealed class ApiOptionsValidator(IOptions<MessageCaps> caps) : IValidateOptions<ApiOptions>, IValidateOptions<AuthOptions>
{
    public const int MinimumKeyLength = 32;

    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var problems = new List<string>();
        Positive(options.MaxConnectionsPerUser, "Api:MaxConnectionsPerUser", problems);
        Positive(options.HubCallsPerSecond, "Api:HubCallsPerSecond", problems);
        Positive(options.HubCallBurst, "Api:HubCallBurst", problems);
        AtLeast(options.MaxHubMessageBytes, MessageSizes.HubFrameBytes(caps.Value), "Api:MaxHubMessageBytes", problems);
        AtLeast(options.MaxRequestBodyBytes, MessageSizes.RequestBodyBytes(caps.Value), "Api:MaxRequestBodyBytes", problems);
        foreach (var host in options.AllowedHosts.Where(h => string.IsNullOrWhiteSpace(h) || h.Contains("://", StringComparison.Ordinal) || h.Contains('/')))
        {
            problems.Add($"Api:AllowedHosts has '{host}', which is not a host name such as portal.example.org, *.example.org or *.");
        }
        Positive(options.MaxSyncPage, "Api:MaxSyncPage", problems);
        if (options.TypingInterval < TimeSpan.Zero)
        {
            problems.Add("Api:TypingInterval cannot be negative.");
        }

        foreach (var origin in options.AllowedOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out _)))
        {
            problems.Add($"Api:AllowedOrigins has '{origin}', which is not an absolute origin such as https://portal.example.org.");
        }

        return Result(problems);
    }

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Issuer) || string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add("Auth:Issuer and Auth:Audience must be set.");
        }

        if (options.SigningKey.Length < MinimumKeyLength && !(options.DevTokens && options.SigningKey.Length == 0))
        {
            problems.Add($"Auth:SigningKey must be at least {MinimumKeyLength} characters (it is {options.SigningKey.Length}).");
        }

        if (options.TokenLifetime <= TimeSpan.Zero)
        {
            problems.Add("Auth:TokenLifetime must be a positive duration.");
        }

        return Result(problems);
    }

    // A frame or body limit below what a full-length message can take would refuse valid messages; leave it unset to size it.
    private static void AtLeast(int? value, int minimum, string setting, List<string> problems)
    {
        if (value < minimum)
        {
            problems.Add($"{setting} is {value} bytes, too small for a message at the character caps (Messaging:MaxBodyCharacters, "
                + $"Messaging:MaxSubjectCharacters), which can take {minimum} bytes of JSON; set at least {minimum}, or leave it unset.");
        }
    }

    private static void Positive(int value, string setting, List<string> problems)
    {
        if (value <= 0)
        {
            problems.Add($"{setting} must be a positive number; it is {value}.");
        }
    }

    private static ValidateOptionsResult Result(List<string> problems) =>
        problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
}
