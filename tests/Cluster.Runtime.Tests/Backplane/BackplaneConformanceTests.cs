using System.Text;
using System.Threading.Channels;
using Cluster.Runtime.Backplane;

namespace Cluster.Runtime.Tests.Backplane;

/// <summary>The behaviour every <see cref="IBackplane"/> promises, run against each implementation.</summary>
public abstract class BackplaneConformanceTests : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private IBackplane? _backplane;

    protected IBackplane Backplane => _backplane ?? throw new InvalidOperationException("The backplane is not started.");

    public async Task InitializeAsync()
    {
        _backplane = CreateBackplane();
        await _backplane.StartAsync(CancellationToken.None).WaitAsync(Timeout);
    }

    public async Task DisposeAsync()
    {
        if (_backplane is not null)
        {
            await _backplane.DisposeAsync().AsTask().WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task APublishedMessageReachesEverySubscriberOfItsChannelAndNoOther()
    {
        var channel = NewChannel();
        var other = NewChannel();
        var first = new Inbox();
        var second = new Inbox();
        var bystander = new Inbox();
        await SubscribeAsync(channel, first);
        await SubscribeAsync(channel, second);
        await SubscribeAsync(other, bystander);

        await PublishAsync(channel, "for-channel");
        await PublishAsync(other, "for-other");

        Assert.Equal("for-channel", await first.NextAsync());
        Assert.Equal("for-channel", await second.NextAsync());
        // Delivery keeps order, so a leak of the first message would have arrived before this one.
        Assert.Equal("for-other", await bystander.NextAsync());
    }

    [Fact]
    public async Task TwoSubscribersOfOneChannelBothReceive()
    {
        var channel = NewChannel();
        var first = new Inbox();
        var second = new Inbox();
        await SubscribeAsync(channel, first);
        await SubscribeAsync(channel, second);

        await PublishAsync(channel, "hello");

        Assert.Equal("hello", await first.NextAsync());
        Assert.Equal("hello", await second.NextAsync());
    }

    [Fact]
    public async Task DisposingTheLastSubscriptionStopsDelivery()
    {
        var channel = NewChannel();
        var barrier = NewChannel();
        var gone = new Inbox();
        var witness = new Inbox();
        var subscription = await SubscribeAsync(channel, gone);
        await SubscribeAsync(barrier, witness);

        await subscription.DisposeAsync().AsTask().WaitAsync(Timeout);
        await PublishAsync(channel, "after-dispose");
        await PublishAsync(barrier, "barrier");

        Assert.Equal("barrier", await witness.NextAsync());
        Assert.Equal(0, gone.Count);
    }

    [Fact]
    public async Task DisposingOneOfTwoSubscriptionsKeepsTheOtherReceiving()
    {
        var channel = NewChannel();
        var leaving = new Inbox();
        var staying = new Inbox();
        var subscription = await SubscribeAsync(channel, leaving);
        await SubscribeAsync(channel, staying);

        await subscription.DisposeAsync().AsTask().WaitAsync(Timeout);
        await PublishAsync(channel, "still-here");

        Assert.Equal("still-here", await staying.NextAsync());
        Assert.Equal(0, leaving.Count);
    }

    [Fact]
    public async Task MessagesPublishedInOrderByOnePublisherArriveInOrder()
    {
        var channel = NewChannel();
        var inbox = new Inbox();
        await SubscribeAsync(channel, inbox);
        var sent = Enumerable.Range(1, 200).Select(i => "message-" + i).ToArray();

        foreach (var message in sent)
        {
            await PublishAsync(channel, message);
        }

        var received = new List<string>();
        for (var i = 0; i < sent.Length; i++)
        {
            received.Add(await inbox.NextAsync());
        }

        Assert.Equal(sent, received);
    }

    [Fact]
    public async Task AChannelNameWithAWildcardIsMatchedLiterally()
    {
        var prefix = NewChannel();
        var wildcard = new Inbox();
        await SubscribeAsync(prefix + ":*", wildcard);

        await PublishAsync(prefix + ":one", "not-for-the-wildcard");
        await PublishAsync(prefix + ":*", "for-the-wildcard");

        Assert.Equal("for-the-wildcard", await wildcard.NextAsync());
    }

    protected abstract IBackplane CreateBackplane();

    protected static string NewChannel() => "test:" + Guid.NewGuid().ToString("N");

    protected Task PublishAsync(string channel, string message) =>
        Backplane.PublishAsync(channel, Encoding.UTF8.GetBytes(message)).WaitAsync(Timeout);

    protected Task<IAsyncDisposable> SubscribeAsync(string channel, Inbox inbox) =>
        Backplane.SubscribeAsync(channel, inbox.Receive).WaitAsync(Timeout);

    /// <summary>Collects what a subscriber receives, so a test can await the next message with a deadline.</summary>
    protected sealed class Inbox
    {
        private readonly Channel<string> _messages = Channel.CreateUnbounded<string>();

        public int Count => _messages.Reader.Count;

        public void Receive(ReadOnlyMemory<byte> message) => _messages.Writer.TryWrite(Encoding.UTF8.GetString(message.Span));

        public Task<string> NextAsync() => NextAsync(Timeout);

        public async Task<string> NextAsync(TimeSpan within)
        {
            // Cancelled rather than abandoned on timeout: an abandoned read would swallow the next message.
            using var deadline = new CancellationTokenSource(within);
            try
            {
                return await _messages.Reader.ReadAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No message arrived within {within}.");
            }
        }
    }
}
