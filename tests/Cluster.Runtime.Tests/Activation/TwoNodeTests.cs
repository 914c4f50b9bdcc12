using Cluster.Runtime.Backplane;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Activation;

/// <summary>Two runtimes in one process sharing one PostgreSQL, as two nodes would.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoNodeTests(PostgresServer postgres)
{
    [Fact]
    public async Task TwoNodesIncrementingOneCounterConcurrentlyLoseNoIncrement()
    {
        var database = await postgres.CreateDatabaseAsync();
        // Separate backplanes: no invalidations reach the other node, so every interleaving goes through the ETag check.
        await using var a = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, new InProcessBackplane());
        await using var b = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, new InProcessBackplane());
        var key = Guid.NewGuid().ToString("N");

        var increments = Enumerable.Range(0, 500).SelectMany(_ => new[]
        {
            a.Grains.GetGrain<ICounterGrain>(key).IncrementAsync(),
            b.Grains.GetGrain<ICounterGrain>(key).IncrementAsync(),
        }).ToList();
        var results = await Task.WhenAll(increments).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(Enumerable.Range(1, 1000), results.Order());
        await using var fresh = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database);
        Assert.Equal(1000, await fresh.Grains.GetGrain<ICounterGrain>(key).GetAsync());
    }

    [Fact]
    public async Task AnInvalidationMakesTheOtherNodeReadTheNewState()
    {
        var database = await postgres.CreateDatabaseAsync();
        var backplane = new InProcessBackplane();
        await using var a = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane);
        await using var b = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane);
        var key = Guid.NewGuid().ToString("N");
        Assert.Equal(0, await b.Grains.GetGrain<ICounterGrain>(key).GetAsync());

        await a.Grains.GetGrain<ICounterGrain>(key).IncrementAsync();

        await Eventually.AssertAsync(async () => await b.Grains.GetGrain<ICounterGrain>(key).GetAsync() == 1, "node b sees node a's write");
    }

    [Fact]
    public async Task AnEventCommittedOnOneNodeReachesASubscriberOnTheOther()
    {
        var database = await postgres.CreateDatabaseAsync();
        var backplane = new InProcessBackplane();
        await using var a = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane);
        await using var b = await RuntimeNode.StartAsync(StorageProvider.PostgreSql, database, backplane);
        var user = "reader-" + Guid.NewGuid().ToString("N");
        var received = 0;
        await using var subscription = await b.Feed.SubscribeAsync(user, _ =>
        {
            Interlocked.Increment(ref received);
            return ValueTask.CompletedTask;
        });

        await a.Grains.GetGrain<IJournalGrain>(Guid.NewGuid().ToString("N")).WriteAsync("hello", [user]);

        await Eventually.AssertAsync(() => Volatile.Read(ref received) == 1, "the subscriber on node b receives the event");
        Assert.Equal(1, (await b.Feed.ReadAsync(user, 0, 10)).Events.Single().Cursor);
    }
}
