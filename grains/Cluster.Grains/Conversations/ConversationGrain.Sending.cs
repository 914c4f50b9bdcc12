using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;

namespace Cluster.Grains.Conversations;

public sealed partial class ConversationGrain
{
    private const string DeadlineReminder = "response-deadline";
    private const string UnreadReminder = "unread-alert";
    private const string InactivityReminder = "inactivity";

    private async Task<Outcome<MessageSent>> SendFromPatientSideAsync(SendMessageRequest request, CareTeamInfo info)
    {
        var admission = await Patient(State.PatientId).AdmitAsync(
            new AdmissionRequest(request.Actor, GrainKey, request.ClientMessageId, StartsConversation: false, State.Private, Turn.Now, State.CareTeamId));
        if (!admission.Allowed)
        {
            AuditTrail.Record(Turn, request.Actor, AuditActions.Send, GrainKey, admission.Problem!.Code);
            return admission.Problem!;
        }

        var sent = await AppendPatientMessageAsync(request.Actor, request.Body, request.ClientMessageId, admission.Readers, info);
        AuditTrail.Record(Turn, request.Actor, AuditActions.Send, GrainKey);
        return Outcome.Ok(sent);
    }

    /// <summary>Stores a patient-side message and everything it sets off: urgency, the reply deadline, routing, automatic replies.</summary>
    private async Task<MessageSent> AppendPatientMessageAsync(Actor actor, string body, string clientMessageId, IReadOnlyList<string> readers, CareTeamInfo info)
    {
        var categories = rules.Urgency.Detect(body);
        var flags = (actor.Role == UserRole.Proxy ? MessageFlags.Proxy : MessageFlags.None) | (categories.Count > 0 ? MessageFlags.Urgent : MessageFlags.None);
        var message = Append(actor.UserId, actor.Role, actor.Role == UserRole.Proxy ? State.PatientId : null, body, clientMessageId, flags);
        MarkOwnMessageRead(actor, message);
        State.PatientReadUpTo = Math.Max(State.PatientReadUpTo, message.Sequence);
        State.Status = ConversationStatus.AwaitingCareTeam;
        if (State.ResponseDeadline is null)
        {
            State.ResponseDeadline = await CareTeam(State.CareTeamId).ComputeDeadlineAsync(Turn.Now);
            Turn.SetReminder(DeadlineReminder, State.ResponseDeadline.Value);
        }

        var automatic = new List<MessageView>();
        if (categories.Count > 0)
        {
            State.Urgent = true;
            automatic.Add(AppendAutomatic(SystemActor, rules.Options.EmergencyGuidance, "emergency", message.Sequence));
        }

        await ReplyIfAwayAsync(automatic, message.Sequence);
        await RouteAsync();
        Touch();
        var audience = Audience(readers, info, actor.UserId);
        foreach (var created in automatic.Prepend(message))
        {
            Emit(new MessageCreated(GrainKey, created), audience);
        }

        if (categories.Count > 0)
        {
            Emit(new UrgentMessage(GrainKey, State.PatientId, message.Sequence, categories, Turn.Now), CareSide(info).Concat(info.Members).Distinct());
        }

        return new MessageSent(message, automatic, Duplicate: false);
    }

    private async Task<Outcome<MessageSent>> SendFromCareTeamAsync(Actor actor, string body, string clientMessageId, MessageFlags flags, CareTeamInfo info)
    {
        if (await Clinician(actor.UserId).AdmitAsync(GrainKey, clientMessageId, Turn.Now) is { } problem)
        {
            AuditTrail.Record(Turn, actor, AuditActions.Send, GrainKey, problem.Code);
            return problem;
        }

        var message = Append(actor.UserId, actor.Role, null, body, clientMessageId, flags);
        MarkOwnMessageRead(actor, message);
        if (State.Status != ConversationStatus.Closed)
        {
            State.Status = ConversationStatus.AwaitingPatient;
        }

        ClearDeadline();
        await RouteAsync();
        State.UnreadAlerts.Add(new PendingUnreadAlert(message.Sequence, actor.UserId, Turn.Now, Turn.Now + rules.Options.UnreadAlertAfter));
        ScheduleUnreadAlert();
        Touch();
        AuditTrail.Record(Turn, actor, AuditActions.Send, GrainKey);
        Emit(new MessageCreated(GrainKey, message), await AudienceAsync(info, actor.UserId));
        return Outcome.Ok(new MessageSent(message, [], Duplicate: false));
    }

    /// <summary>An out-of-office clinician's reply goes out once per conversation, and the conversation goes to their pool.</summary>
    private async Task ReplyIfAwayAsync(List<MessageView> automatic, long trigger)
    {
        if (State.AssignedClinicianId is not { } assigned || (await Clinician(assigned).GetPresenceAsync(Turn.Now)).AwayNow is not { } away)
        {
            return;
        }

        if (!State.OutOfOfficeReplied)
        {
            State.OutOfOfficeReplied = true;
            automatic.Add(AppendAutomatic(new Actor(assigned, UserRole.Clinician), away.AutoReply, "away", trigger));
        }

        await UnassignAsync();
    }

    /// <summary>Puts the conversation where its reply is owed: the assigned clinician's inbox, or the pool's queue.</summary>
    private async Task RouteAsync()
    {
        var awaiting = State.Status == ConversationStatus.AwaitingCareTeam;
        if (State.AssignedClinicianId is { } assigned)
        {
            await Clinician(assigned).TrackAsync(GrainKey, awaiting);
            await CareTeam(State.CareTeamId).DequeueAsync(GrainKey);
        }
        else if (awaiting)
        {
            await CareTeam(State.CareTeamId).EnqueueAsync(new QueueEntry(GrainKey, State.PatientId, Priority(), State.ResponseDeadline, Turn.Now));
        }
        else
        {
            await CareTeam(State.CareTeamId).DequeueAsync(GrainKey);
        }
    }

    private QueuePriority Priority() => WorkOrder.PriorityOf(State.Urgent, State.Escalated);

    private MessageView Append(string senderId, UserRole role, string? onBehalfOf, string body, string clientMessageId, MessageFlags flags)
    {
        var message = new MessageView(GrainKey, ++State.LastSequence, senderId, role, onBehalfOf, body.Trim(), clientMessageId, Turn.Now, flags);
        Turn.Append(Messages, GrainKey, message.Sequence, message, MessageKey(senderId, clientMessageId));
        return message;
    }

    /// <summary>A writer has read everything up to their own message.</summary>
    private void MarkOwnMessageRead(Actor actor, MessageView message) =>
        State.ReadPositions[actor.UserId] = new ReadPosition(actor.UserId, message.Sequence, Turn.Now);

    private MessageView AppendAutomatic(Actor sender, string body, string kind, long trigger) =>
        Append(sender.UserId, sender.Role, null, body, $"auto:{kind}:{trigger}", MessageFlags.Automatic);

    private void ClearDeadline()
    {
        State.ResponseDeadline = null;
        State.Escalated = false;
        Turn.ClearReminder(DeadlineReminder);
    }

    private void ScheduleUnreadAlert()
    {
        if (State.UnreadAlerts.Count > 0)
        {
            Turn.SetReminder(UnreadReminder, State.UnreadAlerts.Min(a => a.DueAt));
        }
        else
        {
            Turn.ClearReminder(UnreadReminder);
        }
    }

    private void Touch()
    {
        State.LastActivityAt = Turn.Now;
        Turn.SetReminder(InactivityReminder, Turn.Now + rules.Options.InactivityClose);
    }
}
