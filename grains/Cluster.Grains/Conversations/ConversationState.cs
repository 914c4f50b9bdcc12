using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Conversations;

public sealed class ConversationState
{
    public bool Started { get; set; }

    public string PatientId { get; set; } = "";

    public Topic Topic { get; set; }

    public string Subject { get; set; } = "";

    public ConversationStatus Status { get; set; }

    public bool Urgent { get; set; }

    public bool Escalated { get; set; }

    public bool Private { get; set; }

    public string CareTeamId { get; set; } = "";

    public string? AssignedClinicianId { get; set; }

    public long LastSequence { get; set; }

    public Dictionary<string, ReadPosition> ReadPositions { get; set; } = [];

    public DateTimeOffset? ResponseDeadline { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>Who started it and with which client message id, so a retried start returns the original.</summary>
    public string StartedBy { get; set; } = "";

    public string FirstClientMessageId { get; set; } = "";

    /// <summary>Whether the start asked for a private conversation; <see cref="Private"/> may change since. Null in records from before it was kept.</summary>
    public bool? StartedPrivate { get; set; }

    /// <summary>The out-of-office reply goes out once per conversation.</summary>
    public bool OutOfOfficeReplied { get; set; }

    /// <summary>Care-team messages the patient has not read yet, with when their sender should hear of it.</summary>
    public List<PendingUnreadAlert> UnreadAlerts { get; set; } = [];

    /// <summary>The furthest the patient or any of their proxies has read.</summary>
    public long PatientReadUpTo { get; set; }
}

public sealed record PendingUnreadAlert(long Sequence, string SenderId, DateTimeOffset SentAt, DateTimeOffset DueAt);
