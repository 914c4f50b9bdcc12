using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Clinicians;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;
using Cluster.Grains.Hosting;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Conversations;

/// <summary>
/// One conversation. Operations check their actor first; a conversation the actor may not see answers not_found,
/// exactly as a missing one does. Messages are rows; the grain state holds only what decisions need.
/// </summary>
public sealed partial class ConversationGrain(MessagingRules rules) : Grain<ConversationState>, IConversationGrain, IRemindable
{
    public const string Messages = "messages";
    private const int MaxClientMessageId = 100;
    private const int MaxPageSize = 200;
    private static readonly Actor SystemActor = new("system", UserRole.System);

    public async Task<Outcome<ConversationStarted>> StartAsync(StartConversationRequest request)
    {
        if (State.Started)
        {
            return await RepeatedStartAsync(request);
        }

        var problem = CheckStart(request);
        var careTeamId = rules.CareTeamFor(request.Topic);
        if (problem is null && careTeamId is null)
        {
            problem = new Problem(ErrorCodes.UnknownTopic, "Messages about this topic cannot be sent here. Please call your clinic.");
        }

        if (problem is not null)
        {
            return problem;
        }

        var info = await CareTeam(careTeamId!).GetInfoAsync();
        if (!info.Configured)
        {
            return new Problem(ErrorCodes.Unavailable, "Messaging for this topic is not set up yet. Please call your clinic.");
        }

        var admission = await Patient(request.PatientId).AdmitAsync(
            new AdmissionRequest(request.Actor, GrainKey, request.ClientMessageId, StartsConversation: true, request.Private, Turn.Now, careTeamId));
        if (!admission.Allowed)
        {
            return admission.Problem!;
        }

        Begin(request, careTeamId!);
        await AssignPrimaryClinicianAsync(request.Topic, admission.PrimaryClinicianId);
        var sent = await AppendPatientMessageAsync(request.Actor, request.Body, request.ClientMessageId, admission.Readers, info);
        AuditTrail.Record(Turn, request.Actor, AuditActions.Start, GrainKey);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Started, request.Actor.UserId, View()), Audience(admission.Readers, info));
        return Outcome.Ok(new ConversationStarted(View(), sent.Message, rules.Options.Notice, State.ResponseDeadline, sent.AutomaticReplies, Duplicate: false));
    }

    public async Task<Outcome<MessageSent>> SendAsync(SendMessageRequest request)
    {
        var access = await AuthorizeAsync(request.Actor, AccessKind.Send);
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        if (InvalidClientMessageId(request.ClientMessageId) is { } invalid)
        {
            return invalid;
        }

        if (await FindMessageAsync(request.Actor.UserId, request.ClientMessageId) is { } original)
        {
            return Resend(request.Actor, original, request.Body);
        }

        var problem = TextLimitPolicy.CheckBody(request.Body, rules.Options.MaxBodyCharacters)?.ToProblem() ?? ClosedProblem(request.Actor);
        if (problem is not null)
        {
            AuditTrail.Record(Turn, request.Actor, AuditActions.Send, GrainKey, problem.Code);
            return problem;
        }

        return request.Actor.IsPatientSide
            ? await SendFromPatientSideAsync(request, access.Info)
            : await SendFromCareTeamAsync(request.Actor, request.Body, request.ClientMessageId, MessageFlags.None, access.Info);
    }

    public async Task<Outcome<ConversationView>> GetAsync(Actor actor)
    {
        var access = await AuthorizeAsync(actor, AccessKind.Read);
        return access.Problem ?? Outcome.Ok(View());
    }

    public async Task<Outcome<IReadOnlyCollection<string>>> GetParticipantsAsync(Actor actor)
    {
        var access = await AuthorizeAsync(actor, AccessKind.Read);
        return access.Problem ?? Outcome.Ok(await AudienceAsync(access.Info));
    }

    public async Task<Outcome<MessagePage>> GetMessagesAsync(Actor actor, long? after, long? before, int limit)
    {
        var access = await AuthorizeAsync(actor, AccessKind.Read);
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        var size = Math.Clamp(limit, 1, MaxPageSize);
        var rows = before is { } b
            ? await Rows.ReadBeforeAsync<MessageView>(Messages, GrainKey, b, size + 1)
            : await Rows.ReadAfterAsync<MessageView>(Messages, GrainKey, after ?? 0, size + 1);
        var messages = rows.Select(r => r.Data).ToList();
        var hasMore = messages.Count > size;
        if (hasMore)
        {
            messages.RemoveAt(before is null ? messages.Count - 1 : 0);
        }

        return Outcome.Ok(new MessagePage(messages, hasMore));
    }

    public async Task<Outcome<ReadPosition>> MarkReadAsync(MarkReadRequest request)
    {
        var access = await AuthorizeAsync(request.Actor, AccessKind.Read);
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        var reader = request.Actor.UserId;
        var upTo = Math.Clamp(request.UpToSequence, 0, State.LastSequence);
        var current = State.ReadPositions.GetValueOrDefault(reader);
        if (current is not null && upTo <= current.Sequence || upTo == 0)
        {
            return Outcome.Ok(current ?? new ReadPosition(reader, 0, Turn.Now));
        }

        var position = new ReadPosition(reader, upTo, Turn.Now);
        State.ReadPositions[reader] = position;
        if (request.Actor.IsPatientSide)
        {
            State.PatientReadUpTo = Math.Max(State.PatientReadUpTo, upTo);
            State.UnreadAlerts.RemoveAll(a => a.Sequence <= upTo);
            ScheduleUnreadAlert();
        }

        AuditTrail.Record(Turn, request.Actor, AuditActions.Read, GrainKey, detail: upTo.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Emit(new ReadConfirmation(GrainKey, reader, request.Actor.Role, upTo, Turn.Now), await AudienceAsync(access.Info));
        return Outcome.Ok(position);
    }

    public async Task<Outcome<ConversationView>> SetPrivateAsync(Actor actor, bool isPrivate)
    {
        var access = await AuthorizeAsync(actor, AccessKind.Read);
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        if (actor.Role != UserRole.Patient)
        {
            return Problem.Forbidden("Only the patient can change who may read this conversation.");
        }

        if (State.Private != isPrivate)
        {
            var before = await AudienceAsync(access.Info);
            State.Private = isPrivate;
            AuditTrail.Record(Turn, actor, AuditActions.SetPrivate, GrainKey, detail: isPrivate ? "private" : "shared");
            Emit(new ConversationChanged(GrainKey, ConversationChange.PrivacyChanged, actor.UserId, View()), before.Union(await AudienceAsync(access.Info)));
        }

        return Outcome.Ok(View());
    }

    private async Task<Outcome<ConversationStarted>> RepeatedStartAsync(StartConversationRequest request)
    {
        // Someone who may not see the conversation (now: a proxy whose access ended, even the one who started it)
        // learns nothing about it, not even that it exists.
        if ((await AuthorizeAsync(request.Actor, AccessKind.Read)).Problem is { } problem)
        {
            return problem;
        }

        if (State.StartedBy != request.Actor.UserId || State.FirstClientMessageId != request.ClientMessageId)
        {
            return new Problem(ErrorCodes.ConversationExists, "This conversation already exists. Send a message in it instead.");
        }

        var first = (await Rows.ReadAfterAsync<MessageView>(Messages, GrainKey, 0, 1)).Single().Data;
        var conflict = IdempotencyPolicy.CheckRestart(
            new StartContent(State.PatientId, State.Topic, State.Subject, first.Body, State.StartedPrivate ?? State.Private),
            new StartContent(request.PatientId, request.Topic, request.Subject, request.Body, request.Private));
        return conflict is not null
            ? conflict.ToProblem()
            : Outcome.Ok(new ConversationStarted(View(), first, rules.Options.Notice, State.ResponseDeadline, [], Duplicate: true));
    }

    /// <summary>A client message id the sender used before: a retry gets the original; a different message is refused, and neither is stored, counted or pushed.</summary>
    private Outcome<MessageSent> Resend(Actor actor, MessageView original, string? body)
    {
        if (IdempotencyPolicy.CheckResend(original.Body, body) is { } conflict)
        {
            AuditTrail.Record(Turn, actor, AuditActions.Send, GrainKey, conflict.Code);
            return conflict.ToProblem();
        }

        return Outcome.Ok(new MessageSent(original, [], Duplicate: true));
    }

    private Problem? CheckStart(StartConversationRequest request)
    {
        if (!request.Actor.IsPatientSide || string.IsNullOrWhiteSpace(request.PatientId)
            || (request.Actor.Role == UserRole.Patient && request.Actor.UserId != request.PatientId))
        {
            return Problem.Forbidden("Conversations are started by a patient or by someone acting for them.");
        }

        return InvalidClientMessageId(request.ClientMessageId)
            ?? TextLimitPolicy.CheckSubject(request.Subject, rules.Options.MaxSubjectCharacters)?.ToProblem()
            ?? TextLimitPolicy.CheckBody(request.Body, rules.Options.MaxBodyCharacters)?.ToProblem();
    }

    private void Begin(StartConversationRequest request, string careTeamId)
    {
        State.Started = true;
        State.PatientId = request.PatientId;
        State.Topic = request.Topic;
        State.Subject = request.Subject.Trim();
        State.Private = request.Private;
        State.StartedPrivate = request.Private;
        State.CareTeamId = careTeamId;
        State.Status = ConversationStatus.Open;
        State.CreatedAt = Turn.Now;
        State.StartedBy = request.Actor.UserId;
        State.FirstClientMessageId = request.ClientMessageId;
    }

    private async Task AssignPrimaryClinicianAsync(Topic topic, string? primaryClinicianId)
    {
        if (topic == Topic.MedicalQuestion && primaryClinicianId is not null
            && (await Clinician(primaryClinicianId).GetPresenceAsync(Turn.Now)).Registered)
        {
            State.AssignedClinicianId = primaryClinicianId;
        }
    }

    private Problem? ClosedProblem(Actor actor) => State.Status != ConversationStatus.Closed
        ? null
        : new Problem(ErrorCodes.ConversationClosed, actor.IsPatientSide
            ? "Your care team closed this conversation, so it takes no more replies. If you have a new question, please start a new conversation."
            : "This conversation is closed. Reopen it before replying.");

    private static Problem? InvalidClientMessageId(string? clientMessageId) =>
        string.IsNullOrWhiteSpace(clientMessageId) || clientMessageId.Length > MaxClientMessageId
            ? Problem.Invalid($"Every message needs a client message id of 1 to {MaxClientMessageId} characters, so a retried send is not stored twice.")
            : null;

    private async Task<MessageView?> FindMessageAsync(string senderId, string clientMessageId) =>
        (await Rows.FindAsync<MessageView>(Messages, GrainKey, MessageKey(senderId, clientMessageId)))?.Data;

    private static string MessageKey(string senderId, string clientMessageId) => senderId + "/" + clientMessageId;

    private ConversationView View() => new(
        GrainKey, State.PatientId, State.Topic, State.Subject, State.Status, State.Urgent, State.Escalated, State.Private,
        State.CareTeamId, State.AssignedClinicianId, State.LastSequence, State.ReadPositions.Values.OrderBy(p => p.UserId, StringComparer.Ordinal).ToList(),
        State.ResponseDeadline, State.CreatedAt, State.LastActivityAt);

    private IPatientGrain Patient(string patientId) => GrainFactory.GetGrain<IPatientGrain>(patientId);

    private IClinicianGrain Clinician(string clinicianId) => GrainFactory.GetGrain<IClinicianGrain>(clinicianId);

    private ICareTeamGrain CareTeam(string careTeamId) => GrainFactory.GetGrain<ICareTeamGrain>(careTeamId);

    private void Emit<TEvent>(TEvent @event, IEnumerable<string> audience) where TEvent : notnull => Turn.Emit(@event, audience);
}
