using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Auditing;
using Cluster.Grains.Policies;

namespace Cluster.Grains.CareTeams;

/// <summary>A pool of clinicians or staff and the queue of conversations it owes a reply.</summary>
public sealed class CareTeamGrain : Grain<CareTeamState>, ICareTeamGrain
{
    private const string Subject = "care team";
    // Built from the state it was made for: a reload (another node's write) brings new settings and a new calendar.
    private (CareTeamSettings Settings, BusinessCalendar Calendar)? _calendar;

    public Task<Outcome<CareTeamView>> ConfigureAsync(Actor actor, CareTeamSettings settings)
    {
        if (actor.Role != UserRole.Admin)
        {
            return Outcome.Refused<CareTeamView>(Problem.Forbidden("Only an administrator can configure care teams."));
        }

        if (string.IsNullOrWhiteSpace(settings.Name) || settings.ResponseBusinessDays is < 1 or > 30)
        {
            return Outcome.Refused<CareTeamView>(Problem.Invalid("A care team needs a name and an expected response time of 1 to 30 business days."));
        }

        if (settings.Members.FirstOrDefault(m => !UserIds.IsValid(m)) is { } member)
        {
            return Outcome.Refused<CareTeamView>(UserIds.Check(member, "Every one of members")!);
        }

        try
        {
            CalendarOf(settings);
        }
        catch (ArgumentException ex)
        {
            return Outcome.Refused<CareTeamView>(Problem.Invalid(ex.Message));
        }

        State.Settings = settings with { Members = settings.Members.Distinct().ToList() };
        AuditTrail.Record(Turn, actor, AuditActions.Configure, GrainKey);
        return Outcome.Completed(View());
    }

    public Task<Outcome<CareTeamView>> GetAsync(Actor actor) =>
        MayView(actor) ? Outcome.Completed(View()) : Outcome.Refused<CareTeamView>(Problem.NotFound(Subject));

    public Task<Outcome<IReadOnlyList<QueueEntry>>> GetQueueAsync(Actor actor) =>
        MayView(actor) ? Outcome.Completed<IReadOnlyList<QueueEntry>>(Ordered()) : Outcome.Refused<IReadOnlyList<QueueEntry>>(Problem.NotFound(Subject));

    public Task<CareTeamInfo> GetInfoAsync() =>
        Task.FromResult(State.Settings is { } settings ? new CareTeamInfo(true, settings.Members) : new CareTeamInfo(false, []));

    public Task<DateTimeOffset> ComputeDeadlineAsync(DateTimeOffset receivedAt)
    {
        var settings = State.Settings ?? throw new InvalidOperationException($"Care team {GrainKey} is not configured.");
        if (_calendar is not { } cached || !ReferenceEquals(cached.Settings, settings))
        {
            _calendar = cached = (settings, CalendarOf(settings));
        }

        return Task.FromResult(cached.Calendar.Deadline(receivedAt, settings.ResponseBusinessDays));
    }

    public Task EnqueueAsync(QueueEntry entry)
    {
        var existing = State.Queue.FindIndex(e => e.ConversationId == entry.ConversationId);
        var updated = existing < 0 ? entry : entry with { EnqueuedAt = State.Queue[existing].EnqueuedAt };
        if (existing >= 0 && State.Queue[existing] == updated)
        {
            return Task.CompletedTask;
        }

        if (existing >= 0)
        {
            State.Queue[existing] = updated;
        }
        else
        {
            State.Queue.Add(updated);
        }

        State.Claims.RemoveAll(c => c.ConversationId == entry.ConversationId);
        Changed(entry.ConversationId, existing < 0 ? "queued" : "reprioritized");
        return Task.CompletedTask;
    }

    public Task DequeueAsync(string conversationId)
    {
        if (State.Queue.RemoveAll(e => e.ConversationId == conversationId) > 0)
        {
            Changed(conversationId, "dequeued");
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string conversationId)
    {
        var removed = State.Queue.RemoveAll(e => e.ConversationId == conversationId) + State.Claims.RemoveAll(c => c.ConversationId == conversationId);
        if (removed > 0)
        {
            Changed(conversationId, "removed");
        }

        return Task.CompletedTask;
    }

    public Task<Problem?> ClaimAsync(string conversationId, string clinicianId, DateTimeOffset at)
    {
        if (State.Settings is null || !State.Settings.Members.Contains(clinicianId))
        {
            return Task.FromResult<Problem?>(new Problem(ErrorCodes.NotPoolMember, "Only members of this care team can claim its conversations."));
        }

        if (State.Claims.Find(c => c.ConversationId == conversationId) is { } claim && claim.ClinicianId != clinicianId)
        {
            return Task.FromResult<Problem?>(new Problem(ErrorCodes.AlreadyClaimed, "Another member of the care team already has this conversation."));
        }

        State.Queue.RemoveAll(e => e.ConversationId == conversationId);
        State.Claims.RemoveAll(c => c.ConversationId == conversationId);
        State.Claims.Add(new ClaimRecord(conversationId, clinicianId, at));
        Changed(conversationId, "claimed");
        return Task.FromResult<Problem?>(null);
    }

    private IReadOnlyList<QueueEntry> Ordered() => WorkOrder.Sort(State.Queue);

    private void Changed(string conversationId, string reason)
    {
        if (State.Settings is { } settings)
        {
            Turn.Emit(new InboxChanged(GrainKey, conversationId, reason), settings.Members);
        }
    }

    private bool MayView(Actor actor) =>
        State.Settings is { } settings && (actor.Role == UserRole.Admin || (actor.IsCareTeam && settings.Members.Contains(actor.UserId)));

    private CareTeamView View() => new(GrainKey, State.Settings!, Ordered(), State.Claims.ToList());

    private static BusinessCalendar CalendarOf(CareTeamSettings settings) =>
        BusinessCalendar.Create(new BusinessHoursSettings
        {
            TimeZoneId = settings.Hours.TimeZoneId,
            Days = settings.Hours.Days,
            Holidays = settings.Holidays,
        });
}
