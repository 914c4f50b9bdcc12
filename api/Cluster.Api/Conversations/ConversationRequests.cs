using System.Text.Json.Serialization;
using Cluster.Api.Input;
using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Api.Conversations;

/// <summary>POST /api/v1/conversations. PatientId defaults to the caller (patients); proxies name the patient.</summary>
public sealed record StartConversationBody(
    string? PatientId,
    Topic Topic,
    [property: JsonConverter(typeof(FreeTextConverter))] string Subject,
    [property: JsonConverter(typeof(FreeTextConverter))] string Body,
    string ClientMessageId,
    bool Private = false);

public sealed record SendMessageBody([property: JsonConverter(typeof(FreeTextConverter))] string Body, string ClientMessageId);

public sealed record MarkReadBody(long UpToSequence);

public sealed record CloseBody([property: JsonConverter(typeof(FreeTextConverter))] string? ClosingMessage, string? ClientMessageId);

public sealed record TransferBody(string? CareTeamId, string? ClinicianId);

public sealed record PrivacyBody(bool Private);

/// <summary>A started conversation: its id, and what the grain answered.</summary>
public sealed record StartedConversation(string ConversationId, ConversationStarted Started);
