using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Grains.Abstractions.Conversations;

/// <summary>A message was stored. Sent to everyone who may read the conversation.</summary>
public sealed record MessageCreated(string ConversationId, MessageView Message);

/// <summary>A participant read up to a sequence: how the care team learns the patient received their answer.</summary>
public sealed record ReadConfirmation(string ConversationId, string ReaderId, UserRole ReaderRole, long UpToSequence, DateTimeOffset At);

/// <summary>What happened to a conversation, for lists and inboxes.</summary>
public enum ConversationChange
{
    Started,
    Closed,
    AutoClosed,
    Reopened,
    Claimed,
    Released,
    Transferred,
    Urgent,
    Escalated,
    PrivacyChanged,
}

/// <summary>
/// A conversation's status, assignment or flags changed. <see cref="Previous"/> is where it was before a Claimed or
/// Transferred change (null for other changes): delivery checks use it to tell those who lost the conversation, and only them.
/// </summary>
public sealed record ConversationChanged(string ConversationId, ConversationChange Change, string? ActorId, ConversationView Conversation, CareAssignment? Previous = null);

/// <summary>Who on the care side had a conversation: its care team, and the clinician or staff member it was assigned to.</summary>
public sealed record CareAssignment(string CareTeamId, string? AssignedClinicianId);

/// <summary>A patient message matched the red-flag list. Sent to the care team at once.</summary>
public sealed record UrgentMessage(string ConversationId, string PatientId, long Sequence, IReadOnlyList<string> Categories, DateTimeOffset At);

/// <summary>A care-team message has not been read by the patient in time: the sender cannot otherwise know.</summary>
public sealed record UnreadAlert(string ConversationId, string PatientId, long Sequence, DateTimeOffset SentAt);

/// <summary>A care team's queue or a clinician's inbox changed; clients refresh the list.</summary>
public sealed record InboxChanged(string OwnerId, string ConversationId, string Reason);
