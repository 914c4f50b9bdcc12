using System.Text.Json.Serialization;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Realtime;

public sealed record SendMessageArgs(string ConversationId, [property: JsonConverter(typeof(FreeTextConverter))] string Body, string ClientMessageId)
    : IHubArguments<SendMessageArgs>
{
    [JsonIgnore]
    public string? Unreadable { get; private init; }

    public static SendMessageArgs Refused(string reason) => new("", "", "") { Unreadable = reason };
}

public sealed record MarkReadArgs(string ConversationId, long UpToSequence) : IHubArguments<MarkReadArgs>
{
    [JsonIgnore]
    public string? Unreadable { get; private init; }

    public static MarkReadArgs Refused(string reason) => new("", 0) { Unreadable = reason };
}

public sealed record TypingArgs(string ConversationId) : IHubArguments<TypingArgs>
{
    [JsonIgnore]
    public string? Unreadable { get; private init; }

    public static TypingArgs Refused(string reason) => new("") { Unreadable = reason };
}

public sealed record SyncArgs(long After, int? Limit) : IHubArguments<SyncArgs>
{
    [JsonIgnore]
    public string? Unreadable { get; private init; }

    public static SyncArgs Refused(string reason) => new(0, null) { Unreadable = reason };
}

/// <summary>A typing notice's data.</summary>
public sealed record TypingNotice(string ConversationId, string UserId);

/// <summary>Why a hub call was refused; the same codes and sentences as the REST API.</summary>
public sealed record HubError(string Code, string Message, int? RetryAfterSeconds)
{
    public static HubError From(Problem problem) =>
        new(problem.Code, problem.Message, problem.RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null);
}

/// <summary>The result of every hub call: a value, or an error. Refusals are results, not exceptions.</summary>
public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error)
{
    public static HubResult<T> Success(T value) => new(true, value, null);

    public static HubResult<T> Failure(HubError error) => new(false, default, error);

    public static HubResult<T> From(Outcome<T> outcome) =>
        outcome.IsOk ? Success(outcome.Value!) : Failure(HubError.From(outcome.Problem!));
}

/// <summary>A refusal made before the hub method ran (rate limit, unavailable): on the wire the same as a failed <see cref="HubResult{T}"/>.</summary>
public sealed record HubRefusal(bool Ok, object? Value, HubError Error)
{
    public HubRefusal(HubError error) : this(false, null, error)
    {
    }
}

/// <summary>A page of the caller's feed.</summary>
public sealed record SyncPage(IReadOnlyList<ClientEvent> Events, long NextCursor, bool HasMore);
