using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Outbox;

[Collection(PostgresCollection.Name)]
public sealed class OutboxRelayTests(PostgresServer postgres)
{
    private static readonly Dictionary<string, string?> ShortGrace = new() { ["Cluster:Runtime:RelayGrace"] = "00:00:05" };

    [Fact]
    public async Task EventsANodeCommittedButNeverPublishedArePublishedOnceByTheRelayAfterRestart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var key = Guid.NewGuid().ToString("N");
        var readers = new[] { "reader-a-" + key, "reader-b-" + key };
        await using (var crashed = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, new SilentBackplane(), clock, ShortGrace))
        {
            await crashed.Grains.GetGrain<IJournalGrain>(key).WriteAsync("committed", readers);
        }

        var backplane = new RecordingBackplane();
        await using var restarted = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane, clock, ShortGrace);
        Assert.Equal(0, await restarted.Relay.RelayOnceAsync(default));
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await restarted.Relay.RelayOnceAsync(default));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await restarted.Relay.RelayOnceAsync(default));
        Assert.Equal(0, await restarted.Relay.RelayOnceAsync(default));

        var feedPublishes = backplane.Published.Where(c => c.Contains(":feed:", StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(readers.Select(r => "cluster:feed:" + r).Order(), feedPublishes);
    }

    [Fact]
    public async Task TwoRelaysRacingOverTheSameEventsPublishEachOnce()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var user = "reader-" + Guid.NewGuid().ToString("N");
        await using (var crashed = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, new SilentBackplane(), clock, ShortGrace))
        {
            await Task.WhenAll(Enumerable.Range(0, 40).Select(i => crashed.Grains.GetGrain<IJournalGrain>($"j{i}-{user}").WriteAsync("x", [user])));
        }

        var backplane = new RecordingBackplane();
        await using var a = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane, clock, ShortGrace);
        await using var b = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane, clock, ShortGrace);
        clock.Advance(TimeSpan.FromSeconds(6));

        var relayed = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).Relay.RelayOnceAsync(default))));

        Assert.Equal(40, relayed.Sum());
        Assert.Equal(40, backplane.Published.Count(c => c.EndsWith(user, StringComparison.Ordinal)));
    }
}
