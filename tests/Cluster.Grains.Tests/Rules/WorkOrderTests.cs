using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Every queue is worked in one order: urgent conversations first, then escalated ones, then the rest, each by the
/// earliest reply deadline. Its own portal: the test moves the clock.
/// </summary>
public sealed class WorkOrderTests(Portal portal) : IClassFixture<Portal>
{
    private const string ChestPain = "my chest hurts and it is getting worse";

    private readonly Dictionary<string, Actor> _patients = [];
    private readonly Dictionary<string, DateTimeOffset> _deadlines = [];

    [Fact]
    public async Task ABusyPoolQueueListsUrgentThenEscalatedThenNormalEachByDeadline()
    {
        var overdue = await StartManyAsync(12);
        await portal.AdvanceAsync(_deadlines[overdue[^1]] - portal.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        var recent = await StartManyAsync(12);
        var urgentRecent = recent[^1];
        var urgentOverdue = overdue[5];
        await portal.SendAsync(urgentRecent, _patients[urgentRecent], ChestPain);
        await portal.SendAsync(urgentOverdue, _patients[urgentOverdue], ChestPain);

        var queue = (await portal.CareTeam(Portal.Clinical).GetQueueAsync(Portal.Doctor)).Unwrap();
        var mine = queue.Where(e => overdue.Contains(e.ConversationId) || recent.Contains(e.ConversationId)).Select(e => e.ConversationId).ToList();

        Assert.Equal(24, mine.Count);
        Assert.Equal([urgentOverdue, urgentRecent], mine.Take(2));
        Assert.Equal(overdue.Where(id => id != urgentOverdue), mine.Skip(2).Take(11));
        Assert.Equal(recent.Where(id => id != urgentRecent), mine.Skip(13));
        Assert.Equal(queue.Select(e => e.Priority).OrderByDescending(p => p), queue.Select(e => e.Priority));
    }

    private async Task<List<string>> StartManyAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var patient = await portal.NewPatientAsync();
            var (id, started) = await portal.StartAsync(patient);
            _patients[id] = patient;
            _deadlines[id] = started.ExpectedReplyBy!.Value;
            ids.Add(id);
            portal.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        return ids;
    }
}
