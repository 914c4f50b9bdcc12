using Cluster.Grains.Abstractions.Feed;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Feed;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Outbox;
using Cluster.Storage;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Runtime.Tests.Grains;
using Cluster.Testing.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Runtime.Tests.Outbox;

/// <summary>The outbox while the backplane is down: sends still commit, memory stays bounded, and what was left unpublished goes out soon after.</summary>
public sealed class OutboxDegradedTests : IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task EventsThisNodeFailedToPublishAreRelayedAsSoonAsTheBackplaneIsBackWithoutWaitingForTheGrace()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var backplane = new SwitchableBackplane();
        var reader = "reader-" + Guid.NewGuid().ToString("N");
        await using var node = await RuntimeNode.StartAsync(StorageProvider.Sqlite, TestNode.SqliteConnectionString(_directory.Path), backplane, clock);

        backplane.Unplug();
        // The write commits although nothing can be published.
        Assert.Equal(1, await node.Grains.GetGrain<IJournalGrain>("j-" + reader).WriteAsync("while down", [reader]));
        await Eventually.AssertAsync(() => node.Services.GetRequiredService<OutboxPublisher>().LastFailureAt is not null, "the publisher gave up", Within);
        Assert.Equal(0, await node.Relay.RelayOnceAsync(default));

        backplane.PlugIn();

        // The clock does not move: the event is younger than the 10 s grace, and is relayed all the same.
        await Eventually.AssertAsync(async () => await node.Relay.RelayOnceAsync(default) == 1, "the relay publishes the event", Within);
        Assert.Contains("cluster:feed:" + reader, backplane.Published);
        Assert.Equal(0, await node.Relay.RelayOnceAsync(default));
    }

    [Fact]
    public async Task AFailedPublishLeavesTheRestOfItsBatchToTheRelayInsteadOfTryingEachEntry()
    {
        var backplane = new SwitchableBackplane();
        var clock = new ManualClock();
        var publisher = await PublisherAsync(backplane, clock);
        backplane.Stall();

        var published = await publisher.PublishAsync([Entry("a"), Entry("b"), Entry("c")], default);

        Assert.Equal(0, published);
        Assert.Equal(1, backplane.PublishCalls);
        Assert.Equal(clock.GetUtcNow(), publisher.LastFailureAt);
    }

    [Fact]
    public async Task WhileTheBackplaneIsKnownDownThePublisherDoesNotTryAndLeavesTheBatchToTheRelay()
    {
        var backplane = new SwitchableBackplane();
        var clock = new ManualClock();
        var publisher = await PublisherAsync(backplane, clock);
        backplane.Unplug();

        var published = await publisher.PublishAsync([Entry("a"), Entry("b")], default);

        Assert.Equal(0, published);
        Assert.Equal(0, backplane.PublishCalls);
        Assert.Equal(clock.GetUtcNow(), publisher.LastFailureAt);
    }

    [Fact]
    public async Task APublisherWhoseQueueIsFullLeavesFurtherCommitsToTheRelayInsteadOfGrowing()
    {
        var clock = new ManualClock();
        var publisher = await PublisherAsync(new SwitchableBackplane(), clock);

        // Nothing drains the queue (RunAsync is not running), as when the backplane stalls.
        for (var i = 0; i < OutboxPublisher.QueueCapacity; i++)
        {
            publisher.Enqueue([Entry("u" + i)]);
        }

        Assert.Null(publisher.LastFailureAt);
        publisher.Enqueue([Entry("one-too-many")]);
        Assert.Equal(clock.GetUtcNow(), publisher.LastFailureAt);
    }

    [Fact]
    public async Task ATransientNoticeWhileTheBackplaneIsDownIsDroppedWithoutFailingTheCaller()
    {
        var backplane = new SwitchableBackplane();
        backplane.Unplug();
        await using var store = new SqlRuntimeStore(new SqliteDialect(), TestNode.SqliteConnectionString(_directory.Path), 10);
        using var feed = new UserEventFeed(store, backplane, new BackplaneChannels("cluster:"), NullLogger<UserEventFeed>.Instance);

        await feed.PublishTransientAsync(["someone"], "Typing", "{}").WaitAsync(Within);

        Assert.Empty(backplane.Published);
    }

    public void Dispose() => _directory.Dispose();

    private async Task<OutboxPublisher> PublisherAsync(IBackplane backplane, TimeProvider clock)
    {
        var store = new SqlRuntimeStore(new SqliteDialect(), TestNode.SqliteConnectionString(_directory.Path), 10);
        await store.MigrateAsync(default);
        return new OutboxPublisher(store, backplane, new BackplaneChannels("cluster:"), clock, NullLogger<OutboxPublisher>.Instance);
    }

    private static FeedEvent Entry(string user) => new(user, 1, Guid.NewGuid(), "JournalWritten", "{}", DateTimeOffset.UtcNow);
}
