using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Grains.Auditing;

/// <summary>One audit row: who did what to which object, when, and how it ended. Never holds message text.</summary>
public sealed record AuditEntry(string ActorId, UserRole ActorRole, string Action, string Subject, DateTimeOffset At, string Outcome, string? Detail = null);

/// <summary>The audited actions, named once.</summary>
public static class AuditActions
{
    public const string Register = "register";
    public const string AcceptTerms = "accept_terms";
    public const string Start = "start";
    public const string Send = "send";
    public const string Read = "read";
    public const string Close = "close";
    public const string Reopen = "reopen";
    public const string Claim = "claim";
    public const string Release = "release";
    public const string Transfer = "transfer";
    public const string Grant = "grant";
    public const string Revoke = "revoke";
    public const string Escalate = "escalate";
    public const string SetPrivate = "set_private";
    public const string OutOfOffice = "out_of_office";
    public const string Configure = "configure";
}

/// <summary>Appends audit rows in the turn that did the action, so the record and the action commit together.</summary>
public static class AuditTrail
{
    public const string Collection = "audit";
    public const string Ok = "ok";

    public static void Record(ITurnContext turn, Actor actor, string action, string subject, string outcome = Ok, string? detail = null) =>
        turn.Append(Collection, subject, null, new AuditEntry(actor.UserId, actor.Role, action, subject, turn.Now, outcome, detail));
}
