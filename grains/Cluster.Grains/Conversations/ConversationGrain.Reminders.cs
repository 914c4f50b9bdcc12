using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Auditing;

namespace Cluster.Grains.Conversations;

public sealed partial class ConversationGrain
{
    public async Task ReceiveReminderAsync(string name, DateTimeOffset dueAt)
    {
        switch (name)
        {
            case DeadlineReminder:
                await EscalateIfOverdueAsync();
                break;
            case UnreadReminder:
                AlertUnread();
                break;
            case InactivityReminder:
                await CloseIfInactiveAsync();
                break;
        }
    }

    /// <summary>No care-team reply by the deadline: the conversation moves up its pool's queue and the pool hears of it.</summary>
    private async Task EscalateIfOverdueAsync()
    {
        if (State.Status != ConversationStatus.AwaitingCareTeam || State.ResponseDeadline is not { } deadline || deadline > Turn.Now || State.Escalated)
        {
            return;
        }

        State.Escalated = true;
        await RouteAsync();
        var info = await CareTeam(State.CareTeamId).GetInfoAsync();
        AuditTrail.Record(Turn, SystemActor, AuditActions.Escalate, GrainKey);
        Emit(new ConversationChanged(GrainKey, ConversationChange.Escalated, null, View()), CareSide(info).Concat(info.Members).Distinct());
    }

    /// <summary>Tells each sender whose message the patient still has not read after the alert delay.</summary>
    private void AlertUnread()
    {
        var due = State.UnreadAlerts.Where(a => a.DueAt <= Turn.Now).ToList();
        foreach (var alert in due.Where(a => a.Sequence > State.PatientReadUpTo))
        {
            Emit(new UnreadAlert(GrainKey, State.PatientId, alert.Sequence, alert.SentAt), [alert.SenderId]);
        }

        State.UnreadAlerts.RemoveAll(due.Contains);
        ScheduleUnreadAlert();
    }

    private async Task CloseIfInactiveAsync()
    {
        if (State.Status == ConversationStatus.Closed || State.LastActivityAt + rules.Options.InactivityClose > Turn.Now)
        {
            return;
        }

        await CloseNowAsync(SystemActor, ConversationChange.AutoClosed, await CareTeam(State.CareTeamId).GetInfoAsync());
    }
}
