using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Tests.Fixtures;
using Cluster.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Cluster.Testing.Nodes;

namespace Cluster.Runtime.Tests.Backplane;

[Collection(RedisCollection.Name)]
public sealed class RedisBackplaneTests(RedisServer redis) : BackplaneConformanceTests
{
    private static readonly TimeSpan OutageTimeout = TimeSpan.FromSeconds(30);

    private readonly RecordingLogger _log = new();

    [Fact]
    public async Task ASubscriberThatThrowsIsLoggedAndCountedWhileTheOthersStillReceive()
    {
        using var failures = new CounterProbe("cluster.backplane.handler_failures");
        var channel = NewChannel();
        var inbox = new Inbox();
        await Backplane.SubscribeAsync(channel, _ => throw new InvalidOperationException("subscriber bug")).WaitAsync(Timeout);
        await SubscribeAsync(channel, inbox);

        await PublishAsync(channel, "first");
        await PublishAsync(channel, "second");

        Assert.Equal("first", await inbox.NextAsync());
        Assert.Equal("second", await inbox.NextAsync());
        Assert.Equal(2, _log.Count(eventId: 3005));
        Assert.True(failures.Total >= 2, $"handler failures counted: {failures.Total}");
    }

    [Fact]
    public async Task PublishingWhileRedisIsStoppedFailsFastAndTheBackplaneReportsDisconnected()
    {
        try
        {
            await redis.StopAsync().WaitAsync(Timeout);

            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<InvalidOperationException>(() => PublishAsync(NewChannel(), "lost"));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"publishing failed only after {clock.Elapsed}");
            await Eventually.AssertAsync(() => !Backplane.IsConnected, "the backplane reports Redis as gone", Timeout);
        }
        finally
        {
            await redis.StartAsync().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ASubscriptionMadeBeforeAnOutageReceivesAgainAfterRedisRestarts()
    {
        var channel = NewChannel();
        var inbox = new Inbox();
        await SubscribeAsync(channel, inbox);

        await RestartRedisAsync(whileDown: () => Task.CompletedTask);

        await AssertReceivesOnceReconnectedAsync(channel, inbox);
    }

    [Fact]
    public async Task ASubscriptionMadeWhileRedisIsDownReceivesOnceRedisIsBack()
    {
        var channel = NewChannel();
        var inbox = new Inbox();

        await RestartRedisAsync(whileDown: () => SubscribeAsync(channel, inbox));

        await AssertReceivesOnceReconnectedAsync(channel, inbox);
    }

    [Fact]
    public async Task AfterRedisReturnsPublishingWaitsTheSettleTimeSoThatOtherNodesHaveResubscribed()
    {
        var settle = TimeSpan.FromSeconds(3);
        var backplane = new RedisBackplane(redis.ConnectionString, NullLogger<RedisBackplane>.Instance, settle);
        try
        {
            await backplane.StartAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.True(backplane.IsConnected, "the first connection needs no settling");
            await RestartRedisAsync(whileDown: () => Eventually.AssertAsync(() => !backplane.IsConnected, "the second backplane notices", Timeout));
            var restarted = Stopwatch.StartNew();

            await Eventually.AssertAsync(() => backplane.IsConnected, "the backplane reconnects and settles", OutageTimeout);

            // Redis answered a moment before StartAsync returned, and the client may have reconnected in that moment.
            Assert.True(restarted.Elapsed >= settle - TimeSpan.FromMilliseconds(500), $"publishing was allowed again {restarted.Elapsed} after Redis returned");
            await backplane.PublishAsync(NewChannel(), "after-settling"u8.ToArray()).WaitAsync(Timeout);
        }
        finally
        {
            await backplane.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task ANodeStartsWhileRedisIsUnreachableAndRefusesToPublish()
    {
        var unreachable = new RedisBackplane($"127.0.0.1:{FreePort.Next()},connectTimeout=500", NullLogger<RedisBackplane>.Instance);
        try
        {
            await unreachable.StartAsync(CancellationToken.None).WaitAsync(Timeout);

            Assert.False(unreachable.IsConnected);
            await Assert.ThrowsAsync<InvalidOperationException>(
                () => unreachable.PublishAsync(NewChannel(), "lost"u8.ToArray()).WaitAsync(Timeout));
        }
        finally
        {
            await unreachable.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
    }

    protected override IBackplane CreateBackplane() => new RedisBackplane(redis.ConnectionString, _log);

    private async Task RestartRedisAsync(Func<Task> whileDown)
    {
        try
        {
            await redis.StopAsync().WaitAsync(Timeout);
            await Eventually.AssertAsync(() => !Backplane.IsConnected, "the backplane notices Redis is gone", Timeout);
            await whileDown().WaitAsync(Timeout);
        }
        finally
        {
            await redis.StartAsync().WaitAsync(Timeout);
        }
    }

    // Publishing fails until the client reconnects, and delivery waits for its re-subscription: poll both under one deadline.
    private async Task AssertReceivesOnceReconnectedAsync(string channel, Inbox inbox)
    {
        var deadline = DateTime.UtcNow + OutageTimeout;
        while (true)
        {
            try
            {
                await PublishAsync(channel, "after-restart");
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
            }

            try
            {
                Assert.Equal("after-restart", await inbox.NextAsync(TimeSpan.FromMilliseconds(250)));
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    /// <summary>Sums one counter of the "Cluster.Runtime" meter while it lives.</summary>
    private sealed class CounterProbe : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public CounterProbe(string name)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Cluster.Runtime" && instrument.Name == name)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Remembers the event ids logged, so tests can prove a failure was reported.</summary>
    private sealed class RecordingLogger : ILogger<RedisBackplane>
    {
        private readonly ConcurrentQueue<int> _eventIds = new();

        public int Count(int eventId) => _eventIds.Count(id => id == eventId);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _eventIds.Enqueue(eventId.Id);
    }
}
