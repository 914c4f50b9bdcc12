using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Grains.Abstractions.Conversations;

/// <summary>What a patient writes about; decides which care team answers.</summary>
public enum Topic
{
    MedicalQuestion,
    PrescriptionRenewal,
    Appointment,
    Billing,
    TestResultQuestion,
    Other,
}

public enum ConversationStatus
{
    /// <summary>Started by the care team, or reopened; nobody is waiting.</summary>
    Open,

    /// <summary>The patient wrote last; the care team owes a reply (a response deadline runs).</summary>
    AwaitingCareTeam,

    /// <summary>The care team wrote last.</summary>
    AwaitingPatient,

    /// <summary>Takes no further patient replies until a clinician reopens it.</summary>
    Closed,
}

/// <summary>How a message came to be; shown to readers so a proxy's or an automatic message is never mistaken for the patient's.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,

    /// <summary>Matched the red-flag list when sent.</summary>
    Urgent = 1,

    /// <summary>Written by the system on someone's behalf (emergency guidance, out-of-office reply).</summary>
    Automatic = 2,

    /// <summary>Written by a proxy on behalf of the patient.</summary>
    Proxy = 4,

    /// <summary>Sent while closing the conversation.</summary>
    Closing = 8,
}

/// <summary>One stored message.</summary>
public sealed record MessageView(
    string ConversationId,
    long Sequence,
    string SenderId,
    UserRole SenderRole,
    string? OnBehalfOf,
    string Body,
    string ClientMessageId,
    DateTimeOffset CreatedAt,
    MessageFlags Flags);

/// <summary>A participant's read position: everything up to <see cref="Sequence"/> was read.</summary>
public sealed record ReadPosition(string UserId, long Sequence, DateTimeOffset At);

/// <summary>A snapshot of a conversation, as its participants see it.</summary>
public sealed record ConversationView(
    string Id,
    string PatientId,
    Topic Topic,
    string Subject,
    ConversationStatus Status,
    bool Urgent,
    bool Escalated,
    bool Private,
    string CareTeamId,
    string? AssignedClinicianId,
    long LastSequence,
    IReadOnlyList<ReadPosition> ReadPositions,
    DateTimeOffset? ResponseDeadline,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastActivityAt);

/// <summary>A page of messages, oldest first.</summary>
public sealed record MessagePage(IReadOnlyList<MessageView> Messages, bool HasMore);
