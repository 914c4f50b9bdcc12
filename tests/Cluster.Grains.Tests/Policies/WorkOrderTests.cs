using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Grains.Tests.Policies;

public sealed class WorkOrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 15, 0, 0, TimeSpan.Zero);

    [Fact]
    public void QueueEntriesGoUrgentThenEscalatedThenNormalEachByDeadlineThenArrival()
    {
        QueueEntry[] entries =
        [
            Entry("normal-late", QueuePriority.Normal, deadlineInHours: 48, arrivedMinutesAgo: 50),
            Entry("escalated", QueuePriority.Escalated, deadlineInHours: -1, arrivedMinutesAgo: 40),
            Entry("normal-early", QueuePriority.Normal, deadlineInHours: 2, arrivedMinutesAgo: 30),
            Entry("urgent-late", QueuePriority.Urgent, deadlineInHours: 47, arrivedMinutesAgo: 1),
            Entry("normal-no-deadline", QueuePriority.Normal, deadlineInHours: null, arrivedMinutesAgo: 90),
            Entry("urgent-early", QueuePriority.Urgent, deadlineInHours: 3, arrivedMinutesAgo: 20),
            Entry("normal-early-newer", QueuePriority.Normal, deadlineInHours: 2, arrivedMinutesAgo: 10),
        ];

        var order = WorkOrder.Sort(entries).Select(e => e.ConversationId);

        Assert.Equal(["urgent-early", "urgent-late", "escalated", "normal-early", "normal-early-newer", "normal-late", "normal-no-deadline"], order);
    }

    [Fact]
    public void ConversationsFollowTheSameOrderAsQueueEntries()
    {
        ConversationView[] inbox =
        [
            View("normal", urgent: false, escalated: false, deadlineInHours: 1),
            View("escalated", urgent: false, escalated: true, deadlineInHours: -5),
            View("urgent-and-escalated", urgent: true, escalated: true, deadlineInHours: -1),
            View("urgent", urgent: true, escalated: false, deadlineInHours: 40),
        ];

        var order = WorkOrder.Sort(inbox).Select(c => c.Id);

        Assert.Equal(["urgent-and-escalated", "urgent", "escalated", "normal"], order);
    }

    [Theory]
    [InlineData(true, true, QueuePriority.Urgent)]
    [InlineData(true, false, QueuePriority.Urgent)]
    [InlineData(false, true, QueuePriority.Escalated)]
    [InlineData(false, false, QueuePriority.Normal)]
    public void UrgentOutranksEscalated(bool urgent, bool escalated, QueuePriority expected)
    {
        Assert.Equal(expected, WorkOrder.PriorityOf(urgent, escalated));
    }

    private static QueueEntry Entry(string id, QueuePriority priority, int? deadlineInHours, int arrivedMinutesAgo) =>
        new(id, "patient", priority, deadlineInHours is { } hours ? Now.AddHours(hours) : null, Now.AddMinutes(-arrivedMinutesAgo));

    private static ConversationView View(string id, bool urgent, bool escalated, int deadlineInHours) =>
        new(id, "patient", Topic.MedicalQuestion, "A question", ConversationStatus.AwaitingCareTeam, urgent, escalated, false, "clinical", "dr",
            1, [], Now.AddHours(deadlineInHours), Now.AddDays(-3), Now.AddMinutes(-1));
}
