using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Grains.Abstractions.Conversations;

/// <summary>Starts a conversation with its first message. <see cref="ClientMessageId"/> makes a retried start return the original.</summary>
public sealed record StartConversationRequest(
    Actor Actor,
    string PatientId,
    Topic Topic,
    string Subject,
    string Body,
    string ClientMessageId,
    bool Private = false);

/// <summary>What a started conversation tells the writer: the rules notice and when to expect a reply.</summary>
public sealed record ConversationStarted(
    ConversationView Conversation,
    MessageView Message,
    string Notice,
    DateTimeOffset? ExpectedReplyBy,
    IReadOnlyList<MessageView> AutomaticReplies,
    bool Duplicate);

public sealed record SendMessageRequest(Actor Actor, string Body, string ClientMessageId);

/// <summary>The stored message (the original one when <see cref="Duplicate"/>) and any automatic replies it caused.</summary>
public sealed record MessageSent(MessageView Message, IReadOnlyList<MessageView> AutomaticReplies, bool Duplicate);

public sealed record MarkReadRequest(Actor Actor, long UpToSequence);

public sealed record CloseRequest(Actor Actor, string? ClosingMessage, string? ClientMessageId);

/// <summary>Where a conversation goes: a care team (back to its queue) or one clinician.</summary>
public sealed record TransferRequest(Actor Actor, string? CareTeamId, string? ClinicianId);
