using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;
using Cluster.Grains.Policies;

namespace Cluster.Grains.Conversations;

public sealed partial class ConversationGrain
{
    public async Task<Outcome<ConversationView>> CloseAsync(CloseRequest request)
    {
        var access = await AuthorizeCareTeamAsync(request.Actor, "Only your care team can close a conversation.");
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        if (State.Status == ConversationStatus.Closed)
        {
            return await RepeatedCloseAsync(request);
        }

        if (!string.IsNullOrWhiteSpace(request.ClosingMessage))
        {
            if (TextLimitPolicy.CheckBody(request.ClosingMessage, rules.Options.MaxBodyCharacters) is { } violation)
            {
                return violation.ToProblem();
            }

            var closingId = string.IsNullOrWhiteSpace(request.ClientMessageId) ? $"close:{State.LastSequence}" : request.ClientMessageId;
            var sent = await FindMessageAsync(request.Actor.UserId, closingId) is { } earlier
                ? Resend(request.Actor, earlier, request.ClosingMessage)
                : await SendFromCareTeamAsync(request.Actor, request.ClosingMessage, closingId, MessageFlags.Closing, access.Info);
            if (!sent.IsOk)
            {
                return sent.Problem!;
            }
        }

        await CloseNowAsync(request.Actor, ConversationChange.Closed, access.Info);
        return Outcome.Ok(View());
    }

    /// <summary>
    /// A close of a closed conversation: a retry (no closing message, or the one already sent under this id) answers the
    /// conversation as it is; a closing message that was not sent is refused, so it is never silently dropped.
    /// </summary>
    private async Task<Outcome<ConversationView>> RepeatedCloseAsync(CloseRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.ClosingMessage))
        {
            return Outcome.Ok(View());
        }

        if (string.IsNullOrWhiteSpace(request.ClientMessageId))
        {
            // Without an id only the same text as this user's closing message is known to be a retry.
            if (await OwnClosingMessageAsync(request.Actor.UserId) is { } closing && IdempotencyPolicy.SameText(closing.Body, request.ClosingMessage))
            {
                return Outcome.Ok(View());
            }
        }
        else if (await FindMessageAsync(request.Actor.UserId, request.ClientMessageId) is { } original)
        {
            var resent = Resend(request.Actor, original, request.ClosingMessage);
            return resent.IsOk ? Outcome.Ok(View()) : resent.Problem!;
        }

        var problem = new Problem(ErrorCodes.ConversationClosed,
            "This conversation is already closed, so your closing message was not sent. Reopen it if you want to write to the patient.");
        AuditTrail.Record(Turn, request.Actor, AuditActions.Close, GrainKey, problem.Code);
        return problem;
    }

    /// <summary>The closing message this user sent without a client message id, if it is the conversation's last message.</summary>
    private async Task<MessageView?> OwnClosingMessageAsync(string userId)
    {
        var last = (await Rows.ReadBeforeAsync<MessageView>(Messages, GrainKey, State.LastSequence + 1, 1)).SingleOrDefault()?.Data;
        return last is not null && last.SenderId == userId && last.Flags.HasFlag(MessageFlags.Closing)
            && last.ClientMessageId == $"close:{last.Sequence - 1}" ? last : null;
    }

    public async Task<Outcome<ConversationView>> ReopenAsync(Actor actor)
    {
        var access = await AuthorizeCareTeamAsync(actor, "Only your care team can reopen a conversation.");
        if (access.Problem is not null || State.Status != ConversationStatus.Closed)
        {
            return access.Problem ?? Outcome.Ok(View());
        }

        State.Status = ConversationStatus.Open;
        Touch();
        AuditTrail.Record(Turn, actor, AuditActions.Reopen, GrainKey);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Reopened, actor.UserId, View()), await AudienceAsync(access.Info, actor.UserId));
        return Outcome.Ok(View());
    }

    public async Task<Outcome<ConversationView>> ClaimAsync(Actor actor)
    {
        var access = await AuthorizeCareTeamAsync(actor, "Only members of the care team can claim a conversation.");
        if (access.Problem is not null || State.AssignedClinicianId == actor.UserId)
        {
            return access.Problem ?? Outcome.Ok(View());
        }

        if (State.AssignedClinicianId is not null)
        {
            return new Problem(ErrorCodes.AlreadyClaimed, "Another member of the care team already has this conversation.");
        }

        if (await CareTeam(State.CareTeamId).ClaimAsync(GrainKey, actor.UserId, Turn.Now) is { } problem)
        {
            return problem;
        }

        var before = CareSide(access.Info).ToList();
        var previous = Assignment();
        State.AssignedClinicianId = actor.UserId;
        await RouteAsync();
        AuditTrail.Record(Turn, actor, AuditActions.Claim, GrainKey);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Claimed, actor.UserId, View(), previous), (await AudienceAsync(access.Info)).Union(before));
        return Outcome.Ok(View());
    }

    public async Task<Outcome<ConversationView>> ReleaseAsync(Actor actor)
    {
        var access = await AuthorizeCareTeamAsync(actor, "Only the clinician who has this conversation can release it.");
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        if (State.AssignedClinicianId != actor.UserId)
        {
            return new Problem(ErrorCodes.NotAssigned, "This conversation is not assigned to you, so there is nothing to release.");
        }

        await UnassignAsync();
        await RouteAsync();
        AuditTrail.Record(Turn, actor, AuditActions.Release, GrainKey);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Released, actor.UserId, View()), await AudienceAsync(access.Info, actor.UserId));
        return Outcome.Ok(View());
    }

    public async Task<Outcome<ConversationView>> TransferAsync(TransferRequest request)
    {
        var access = await AuthorizeCareTeamAsync(request.Actor, "Only your care team can transfer a conversation.");
        if (access.Problem is not null)
        {
            return access.Problem;
        }

        if (string.IsNullOrWhiteSpace(request.CareTeamId) == string.IsNullOrWhiteSpace(request.ClinicianId))
        {
            return Problem.Invalid("Transfer to exactly one target: a care team or a clinician.");
        }

        var before = await AudienceAsync(access.Info);
        var previous = Assignment();
        var problem = request.CareTeamId is { Length: > 0 } team ? await MoveToCareTeamAsync(team) : await MoveToClinicianAsync(request.ClinicianId!);
        if (problem is not null)
        {
            return problem;
        }

        var info = await CareTeam(State.CareTeamId).GetInfoAsync();
        AuditTrail.Record(Turn, request.Actor, AuditActions.Transfer, GrainKey, detail: request.CareTeamId ?? request.ClinicianId);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Transferred, request.Actor.UserId, View(), previous), before.Union(await AudienceAsync(info, request.Actor.UserId)));
        return Outcome.Ok(View());
    }

    private async Task<Problem?> MoveToCareTeamAsync(string careTeamId)
    {
        if (!(await CareTeam(careTeamId).GetInfoAsync()).Configured)
        {
            return Problem.NotFound("care team");
        }

        await UnassignAsync();
        await CareTeam(State.CareTeamId).RemoveAsync(GrainKey);
        State.CareTeamId = careTeamId;
        await RouteAsync();
        return null;
    }

    private async Task<Problem?> MoveToClinicianAsync(string clinicianId)
    {
        if (!(await Clinician(clinicianId).GetPresenceAsync(Turn.Now)).Registered)
        {
            return Problem.NotFound("clinician");
        }

        await UnassignAsync();
        await CareTeam(State.CareTeamId).RemoveAsync(GrainKey);
        State.AssignedClinicianId = clinicianId;
        await RouteAsync();
        return null;
    }

    /// <summary>Drops the assignment: out of the clinician's inbox and out of the pool's claims.</summary>
    private async Task UnassignAsync()
    {
        if (State.AssignedClinicianId is { } previous)
        {
            await Clinician(previous).TrackAsync(GrainKey, awaitingReply: false);
            await CareTeam(State.CareTeamId).RemoveAsync(GrainKey);
            State.AssignedClinicianId = null;
        }
    }

    private async Task CloseNowAsync(Actor actor, ConversationChange change, CareTeamInfo info)
    {
        var audience = await AudienceAsync(info, actor.UserId);
        State.Status = ConversationStatus.Closed;
        ClearDeadline();
        Turn.ClearReminder(InactivityReminder);
        await RouteAsync();
        await CareTeam(State.CareTeamId).RemoveAsync(GrainKey);
        AuditTrail.Record(Turn, actor, AuditActions.Close, GrainKey, detail: change == ConversationChange.AutoClosed ? "inactivity" : null);
        Emit(new ConversationChanged(GrainKey, change, actor.UserId, View()), audience);
    }

    private CareAssignment Assignment() => new(State.CareTeamId, State.AssignedClinicianId);

    /// <summary>Care-team operations: patients and proxies who may see the conversation get a clear refusal, others not_found.</summary>
    private async Task<Access> AuthorizeCareTeamAsync(Actor actor, string refusal)
    {
        var access = await AuthorizeAsync(actor, AccessKind.Read);
        return access.Problem is null && !actor.IsCareTeam ? access with { Problem = Problem.Forbidden(refusal) } : access;
    }
}
