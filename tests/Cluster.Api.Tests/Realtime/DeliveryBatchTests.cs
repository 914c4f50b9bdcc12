using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Cluster.Api.Hosting;
using Cluster.Api.Realtime;
using Cluster.Api.Sync;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// Delivery checks ask the grains once per conversation per batch (a Sync page, or the pushes queued for a connection),
/// and never carry an answer into the next batch: an access that ends applies from the next one.
/// </summary>
public sealed class DeliveryBatchTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_sync_page_with_many_events_of_one_conversation_asks_its_grain_once()
    {
        var patient = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        for (var i = 1; i <= 4; i++)
        {
            (await patientHub.SendMessageAsync(conversation, $"Follow-up number {i} about my refill.")).Value();
        }

        var grains = new CountingGrains(factory.Services.GetRequiredService<IGrainFactory>());
        var page = await CatchUp(grains).ReadAsync(new Actor(patient, UserRole.Patient), 0, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.True(page.Events.Count(e => e.IsAbout(conversation)) >= 6, $"{page.Events.Count} events");
        Assert.Equal(1, grains.Asked<IConversationGrain>(conversation));
    }

    [Fact]
    public async Task A_proxy_whose_access_ends_between_two_sync_pages_gets_nothing_of_the_conversation_in_the_second()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var actor = new Actor(proxy, UserRole.Proxy);
        var catchUp = CatchUp(new CountingGrains(factory.Services.GetRequiredService<IGrainFactory>()));
        var before = await catchUp.ReadAsync(actor, 0, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.Contains(before.Events, e => e.IsAbout(conversation));

        await _portal.RevokeProxyAsync(patient, proxy);

        var after = await catchUp.ReadAsync(actor, 0, null, CancellationToken.None).WaitAsync(Timeout);
        Assert.DoesNotContain(after.Events, e => e.IsAbout(conversation));
    }

    [Fact]
    public async Task A_push_queued_after_a_proxys_access_ended_is_not_sent_though_the_conversation_was_pushed_just_before()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        var otherPatient = await _portal.NewPatientAsync();
        await _portal.GrantProxyAsync(otherPatient, proxy);
        var conversation = await _portal.StartConversationAsync(patient);
        var sentinel = await _portal.StartConversationAsync(otherPatient);
        var feed = new HandFedFeed();
        var client = new RecordingClient();
        var feeds = new ConnectionFeeds(feed, new SingleClientHub(client), new DeliveryCheck(factory.Services.GetRequiredService<IGrainFactory>()),
            factory.Services.GetRequiredService<IOptions<ApiOptions>>(), NullLogger<ConnectionFeeds>.Instance);
        await feeds.AttachAsync("connection-1", new Actor(proxy, UserRole.Proxy));

        await feed.DeliverAsync(Created(proxy, 1, conversation));
        Assert.Equal(1, (await client.NextAsync()).Cursor);
        await _portal.RevokeProxyAsync(patient, proxy);
        // Committed while the grant stood, delivered after it ended; then a conversation whose grant stands.
        await feed.DeliverAsync(Created(proxy, 2, conversation));
        await feed.DeliverAsync(Created(proxy, 3, sentinel));

        Assert.Equal(3, (await client.NextAsync()).Cursor);
        await feeds.DetachAsync("connection-1", proxy);
    }

    private static FeedEvent Created(string userId, long cursor, string conversationId) => new(
        userId, cursor, Guid.NewGuid(), nameof(IMessagingClient.MessageCreated),
        JsonSerializer.Serialize(new { conversationId, message = new { conversationId, sequence = cursor } }), DateTimeOffset.UtcNow);

    private CatchUp CatchUp(IGrainFactory grains) => new(
        factory.Services.GetRequiredService<IUserEventFeed>(), new DeliveryCheck(grains), factory.Services.GetRequiredService<IOptions<ApiOptions>>());

    /// <summary>Counts the grain references handed out, one per grain call the delivery check makes.</summary>
    private sealed class CountingGrains(IGrainFactory inner) : IGrainFactory
    {
        private readonly ConcurrentDictionary<(Type, string), int> _asked = new();

        public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
        {
            _asked.AddOrUpdate((typeof(TGrain), key), 1, (_, n) => n + 1);
            return inner.GetGrain<TGrain>(key);
        }

        public int Asked<TGrain>(string key) => _asked.GetValueOrDefault((typeof(TGrain), key));
    }

    /// <summary>A feed whose one subscriber receives what the test hands it, as a committed event would arrive.</summary>
    private sealed class HandFedFeed : IUserEventFeed
    {
        private Func<FeedEvent, ValueTask>? _subscriber;

        public ValueTask DeliverAsync(FeedEvent entry) => _subscriber!(entry);

        public Task<IAsyncDisposable> SubscribeAsync(string userId, Func<FeedEvent, ValueTask> onEvent, CancellationToken cancellationToken = default)
        {
            _subscriber = onEvent;
            return Task.FromResult<IAsyncDisposable>(new Unsubscribe());
        }

        public Task<FeedPage> ReadAsync(string userId, long afterCursor, int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task PublishTransientAsync(IReadOnlyCollection<string> userIds, string type, string payload, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        private sealed class Unsubscribe : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    /// <summary>Records what is pushed to the one connection, in order.</summary>
    private sealed class RecordingClient : IMessagingClient
    {
        private readonly Channel<ClientEvent> _pushed = Channel.CreateUnbounded<ClientEvent>();

        public Task<ClientEvent> NextAsync() => _pushed.Reader.ReadAsync().AsTask().WaitAsync(Timeout);

        public Task MessageCreated(ClientEvent e) => Record(e);

        public Task ReadConfirmation(ClientEvent e) => Record(e);

        public Task Typing(ClientEvent e) => Record(e);

        public Task ConversationChanged(ClientEvent e) => Record(e);

        public Task InboxChanged(ClientEvent e) => Record(e);

        public Task UrgentMessage(ClientEvent e) => Record(e);

        public Task UnreadAlert(ClientEvent e) => Record(e);

        private Task Record(ClientEvent e) => _pushed.Writer.WriteAsync(e).AsTask();
    }

    /// <summary>A hub context whose every connection is the one recording client.</summary>
    private sealed class SingleClientHub(IMessagingClient client) : IHubContext<MessagingHub, IMessagingClient>
    {
        public IHubClients<IMessagingClient> Clients { get; } = new SingleClient(client);

        public IGroupManager Groups => throw new NotSupportedException();
    }

    private sealed class SingleClient(IMessagingClient client) : IHubClients<IMessagingClient>
    {
        public IMessagingClient All => throw new NotSupportedException();

        public IMessagingClient Client(string connectionId) => client;

        public IMessagingClient AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IMessagingClient Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IMessagingClient Group(string groupName) => throw new NotSupportedException();

        public IMessagingClient GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IMessagingClient Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();

        public IMessagingClient User(string userId) => throw new NotSupportedException();

        public IMessagingClient Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }
}
