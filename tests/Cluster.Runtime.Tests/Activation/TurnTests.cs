using Cluster.Grains.Abstractions;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Activation;

/// <summary>Turn semantics on one node over SQLite.</summary>
public sealed class TurnTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private TestNode? _node;

    private TestNode Node => _node!;

    public async Task InitializeAsync() =>
        _node = await RuntimeNode.StartAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path));

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task TurnsOnOneActivationNeverOverlap()
    {
        var probe = Node.Grains.GetGrain<IProbeGrain>(Key());

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => probe.EnterAsync(i))));

        var report = await probe.ReportAsync();
        Assert.Equal(1, report.MaxConcurrent);
        Assert.Equal(50, report.Order.Count);
    }

    [Fact]
    public async Task CallsCompleteInArrivalOrder()
    {
        var probe = Node.Grains.GetGrain<IProbeGrain>(Key());

        var calls = Enumerable.Range(0, 100).Select(probe.EnterAsync).ToList();
        await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(0, 100), (await probe.ReportAsync()).Order);
    }

    [Fact]
    public async Task AGrainNeverWrittenStartsFromDefaultState()
    {
        Assert.Equal(0, await Node.Grains.GetGrain<ICounterGrain>(Key()).GetAsync());
    }

    [Fact]
    public async Task ATurnThatThrowsLeavesNoStateRowsOrEventsBehind()
    {
        var key = Key();
        var journal = Node.Grains.GetGrain<IJournalGrain>(key);
        await journal.WriteAsync("kept", ["reader-" + key]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => journal.WriteThenFailAsync("dropped", ["reader-" + key]));

        Assert.Equal(1, await journal.GetLastAsync());
        Assert.Equal(["kept"], await journal.ReadAfterAsync(0, 10));
        Assert.Single((await Node.Feed.ReadAsync("reader-" + key, 0, 10)).Events);
        Assert.Equal(2, await journal.WriteAsync("next", []));
    }

    [Fact]
    public async Task AFailedCommitRollsTheStateBackToTheLastCommit()
    {
        var journal = Node.Grains.GetGrain<IJournalGrain>(Key());
        await journal.WriteAtAsync(1, "first");

        await Assert.ThrowsAsync<DuplicateRowException>(() => journal.WriteAtAsync(1, "clash"));

        Assert.Equal(1, await journal.GetLastAsync());
        Assert.Equal(["first"], await journal.ReadAfterAsync(0, 10));
    }

    [Fact]
    public async Task ACallThatOutlivesItsTimeoutFailsWithATimeoutError()
    {
        await using var impatient = await RuntimeNode.StartAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path),
            settings: new Dictionary<string, string?> { ["Cluster:Runtime:CallTimeout"] = "00:00:00.300" });

        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => impatient.Grains.GetGrain<IProbeGrain>(Key()).HangAsync());

        Assert.True(error.IsRetryable);
        Assert.Contains("HangAsync", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIdleActivationIsDeactivatedAndTheNextCallReloadsItsState()
    {
        var key = Key();
        var journal = Node.Grains.GetGrain<IJournalGrain>(key);
        await journal.WriteAsync("one", []);
        await journal.WriteAsync("two", []);
        await using var idleNode = await RuntimeNode.StartAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path),
            clock: new ManualClock(), settings: new Dictionary<string, string?> { ["Cluster:Runtime:IdleTimeout"] = "00:01:00" });
        var clock = (ManualClock)idleNode.Catalog.Clock;
        var viaIdleNode = idleNode.Grains.GetGrain<IJournalGrain>(key);
        Assert.Equal(2, await viaIdleNode.GetLastAsync());
        var activations = JournalGrain.Activations[key];

        Assert.Equal(0, idleNode.Catalog.CollectIdle());
        clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.AssertAsync(() => idleNode.Catalog.CollectIdle() == 1, "the idle activation is collected");
        Assert.Equal(0, idleNode.Catalog.ActivationCount);

        Assert.Equal(3, await viaIdleNode.WriteAsync("three", []));
        Assert.Equal(activations + 1, JournalGrain.Activations[key]);
        Assert.Equal(["one", "two", "three"], await viaIdleNode.ReadAfterAsync(0, 10));
    }

    [Fact]
    public async Task EventsReachLiveSubscribersAndTheDurableFeedWithTheSameCursor()
    {
        var key = Key();
        var user = "reader-" + key;
        var received = new List<Cluster.Grains.Abstractions.Feed.FeedEvent>();
        await using var subscription = await Node.Feed.SubscribeAsync(user, e =>
        {
            lock (received)
            {
                received.Add(e);
            }

            return ValueTask.CompletedTask;
        });

        var journal = Node.Grains.GetGrain<IJournalGrain>(key);
        await journal.WriteAsync("a", [user]);
        await journal.WriteAsync("b", [user]);

        await Eventually.AssertAsync(() => { lock (received) { return received.Count == 2; } }, "both events arrive live");
        var durable = await Node.Feed.ReadAsync(user, 0, 10);
        Assert.Equal(durable.Events.Select(e => (e.Cursor, e.EventId)), received.Select(e => (e.Cursor, e.EventId)));
        Assert.Equal(["JournalWritten", "JournalWritten"], durable.Events.Select(e => e.Type));
        Assert.Contains("\"sequence\":2", durable.Events[1].Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoppingNodeLetsATurnInFlightCommitBeforeItCloses()
    {
        var key = Key();
        var node = await RuntimeNode.StartAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path));
        var call = node.Grains.GetGrain<IProbeGrain>(key).HoldAsync(key, 7);
        await Eventually.AssertAsync(() => ProbeGrain.Gates.ContainsKey(key), "the turn is running");

        var stopping = node.DisposeAsync().AsTask();
        Assert.False(stopping.IsCompleted);
        ProbeGrain.Gates[key].SetResult();
        await call.WaitAsync(TimeSpan.FromSeconds(20));
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal([7], (await Node.Grains.GetGrain<IProbeGrain>(key).ReportAsync()).Order);
    }

    private static string Key() => Guid.NewGuid().ToString("N");
}
