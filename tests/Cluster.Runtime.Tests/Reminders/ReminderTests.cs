using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Reminders;

[Collection(PostgresCollection.Name)]
public sealed class ReminderTests(PostgresServer postgres)
{
    [Fact]
    public async Task ADueReminderFiresOnceWithTwoNodesPolling()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock();
        await using var a = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, clock: clock);
        await using var b = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, clock: clock);
        var keys = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var key in keys)
        {
            await a.Grains.GetGrain<IAlarmGrain>(key).SetAsync(clock.GetUtcNow().AddMinutes(5));
        }

        Assert.Equal(0, await a.Reminders.PollOnceAsync(default));
        clock.Advance(TimeSpan.FromMinutes(6));
        var fired = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Reminders.PollOnceAsync(default))));
        clock.Advance(TimeSpan.FromHours(1));
        fired = [.. fired, await a.Reminders.PollOnceAsync(default), await b.Reminders.PollOnceAsync(default)];

        Assert.Equal(keys.Count, fired.Sum());
        foreach (var key in keys)
        {
            Assert.Equal(1, await b.Grains.GetGrain<IAlarmGrain>(key).GetFiredAsync());
        }
    }

    [Fact]
    public async Task AReminderIsNotDeliveredBeforeItIsDue()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock();
        await using var node = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, clock: clock);
        var alarm = node.Grains.GetGrain<IAlarmGrain>(Guid.NewGuid().ToString("N"));
        await alarm.SetAsync(clock.GetUtcNow().AddMinutes(5));

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(0, await node.Reminders.PollOnceAsync(default));
        Assert.Equal(0, await alarm.GetFiredAsync());
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await node.Reminders.PollOnceAsync(default));
        Assert.Equal(1, await alarm.GetFiredAsync());
    }
}
