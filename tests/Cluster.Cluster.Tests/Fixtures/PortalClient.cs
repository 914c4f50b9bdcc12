using System.Net.WebSockets;
using System.Threading.Channels;
using Cluster.Api.Realtime;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Hub;

namespace Cluster.Cluster.Tests.Fixtures;

/// <summary>
/// A client app as docs/protocol.md describes one ("Resuming"): one device of one user, with one feed cursor kept
/// across connections. Live pushes are processed in cursor order (a duplicate or an old cursor is dropped, a gap
/// triggers Sync from the cursor); when its connection drops (a node killed), it reconnects to another running
/// node by itself and catches up with Sync. Everything it processes goes to the <see cref="DeliveryChecker"/>.
/// Sends retry with the same client message id across reconnects until a node answers. Every wait is bounded.
/// </summary>
public sealed class PortalClient : IAsyncDisposable
{
    /// <summary>How long the client keeps trying to reach some running node before it gives up.</summary>
    public static readonly TimeSpan ReconnectWithin = TimeSpan.FromSeconds(30);

    /// <summary>How long <see cref="SendAsync"/> keeps retrying one message.</summary>
    public static readonly TimeSpan SendWithin = TimeSpan.FromSeconds(40);

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private readonly ClusterFixture _cluster;
    private readonly DeliveryChecker? _checker;
    private readonly Channel<ClientEvent> _pushes = Channel.CreateUnbounded<ClientEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _processing = new(1, 1);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly HashSet<Guid> _seen = [];
    private readonly List<ClientEvent> _processed = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Exception> _failures = [];
    private readonly Task _loop;
    private HubClient? _hub;
    private long _cursor;
    private int _node = -1;
    private readonly HashSet<Guid> _pushed = [];
    private int _reconnects;
    private int _disposed;
    private int _droppedPushes;
    private int _gapSyncs;
    private int _sendRetries;
    private int _sendTimeouts;
    private long _slowestSendTicks;

    public PortalClient(ClusterFixture cluster, string userId, UserRole role, DeliveryChecker? checker = null, string? name = null)
    {
        _cluster = cluster;
        _checker = checker;
        UserId = userId;
        Role = role;
        Name = name ?? userId;
        _loop = Task.Run(ProcessPushesAsync);
    }

    /// <summary>The client's name in the checker (one per device).</summary>
    public string Name { get; }

    public string UserId { get; }

    public UserRole Role { get; }

    /// <summary>The node the client is (or was last) connected to; -1 before the first connection.</summary>
    public int Node => Volatile.Read(ref _node);

    /// <summary>The highest feed cursor processed (the protocol's durable cursor).</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    /// <summary>Connections opened after the first one.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Live pushes dropped because their event was already processed (a duplicate, or one a Sync brought first).</summary>
    public int DroppedPushes => Volatile.Read(ref _droppedPushes);

    /// <summary>Syncs started because a push skipped a cursor (a missed or reordered push).</summary>
    public int GapSyncs => Volatile.Read(ref _gapSyncs);

    /// <summary>Sends repeated by <see cref="SendAsync"/> (connection lost, unavailable, timeout).</summary>
    public int SendRetries => Volatile.Read(ref _sendRetries);

    /// <summary>SendMessage calls that got no answer within the call timeout (10 s) on an open connection.</summary>
    public int SendTimeouts => Volatile.Read(ref _sendTimeouts);

    /// <summary>The longest a single SendMessage call took to be answered.</summary>
    public TimeSpan SlowestSend => TimeSpan.FromTicks(Interlocked.Read(ref _slowestSendTicks));

    /// <summary>The cursor after the first connection's catch-up: what came before was never meant to be pushed to this client.</summary>
    public long FirstCursor { get; private set; } = -1;

    /// <summary>Processed events after <see cref="FirstCursor"/> that never arrived as a live push (only through Sync) so far.</summary>
    public IReadOnlyList<ClientEvent> NeverPushed
    {
        get
        {
            lock (_processed)
            {
                return _processed.Where(e => e.Cursor > FirstCursor && !_pushed.Contains(e.EventId)).ToList();
            }
        }
    }

    /// <summary>The current connection (null before the first).</summary>
    public HubClient? Hub => Volatile.Read(ref _hub);

    /// <summary>Whether the current connection is open.</summary>
    public bool IsConnected => Hub is { } hub && !hub.Closed.IsCompleted;

    /// <summary>Every event processed, in processing order (each event id once).</summary>
    public IReadOnlyList<ClientEvent> Processed
    {
        get
        {
            lock (_processed)
            {
                return [.. _processed];
            }
        }
    }

    /// <summary>Opens a client connected to node <paramref name="node"/>, caught up, and declared in the checker for <paramref name="conversations"/>.</summary>
    public static async Task<PortalClient> ConnectAsync(
        ClusterFixture cluster, int node, string userId, UserRole role, DeliveryChecker? checker = null, IEnumerable<string>? conversations = null, string? name = null)
    {
        var client = new PortalClient(cluster, userId, role, checker, name);
        checker?.ExpectRecipient(client.Name, userId, conversations ?? []);
        try
        {
            await client.ConnectAsync(node);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects to node <paramref name="node"/> (closing any current connection) and catches up from the cursor.</summary>
    public async Task ConnectAsync(int node)
    {
        await _connecting.WaitAsync(ReconnectWithin);
        try
        {
            await ConnectToAsync(node);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>
    /// Makes sure the client is connected: if the connection dropped, connects to the next running node (after the
    /// current one, round robin) and catches up. Fails after <see cref="ReconnectWithin"/>.
    /// </summary>
    public async Task EnsureConnectedAsync()
    {
        ThrowIfFailed();
        if (!await _connecting.WaitAsync(ReconnectWithin))
        {
            throw new TimeoutException($"{Name}: another reconnect held the client for {ReconnectWithin}.");
        }

        try
        {
            if (IsConnected)
            {
                return;
            }

            var deadline = DateTime.UtcNow + ReconnectWithin;
            Exception? last = null;
            while (DateTime.UtcNow < deadline && !_stop.IsCancellationRequested)
            {
                var running = _cluster.RunningNodes;
                foreach (var node in running.OrderBy(n => (n - Node - 1 + _cluster.NodeCount) % _cluster.NodeCount))
                {
                    try
                    {
                        await ConnectToAsync(node);
                        return;
                    }
                    catch (Exception ex) when (IsConnectionFailure(ex))
                    {
                        last = ex;
                    }
                }

                await Task.Delay(200);
            }

            throw new TimeoutException($"{Name} could not reconnect to any running node within {ReconnectWithin}.", last);
        }
        finally
        {
            _connecting.Release();
        }
    }

    /// <summary>Calls Sync from the cursor until nothing more waits, processing what comes (retries while the node answers unavailable).</summary>
    public async Task CatchUpAsync()
    {
        ThrowIfFailed();
        await _processing.WaitAsync(ReconnectWithin);
        try
        {
            await SyncLockedAsync(Hub ?? throw new InvalidOperationException($"{Name} is not connected."));
        }
        finally
        {
            _processing.Release();
        }
    }

    /// <summary>Reconnects if needed, then catches up; retries on a connection lost meanwhile. The end-of-test step of every client.</summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + ReconnectWithin;
        while (true)
        {
            await EnsureConnectedAsync();
            try
            {
                await CatchUpAsync();
                return;
            }
            catch (Exception ex) when (IsConnectionFailure(ex) && DateTime.UtcNow < deadline)
            {
            }
        }
    }

    /// <summary>
    /// Sends until a node acknowledges: on a lost connection it reconnects elsewhere and sends the same client message
    /// id again; on unavailable (or the connection's call rate) it retries shortly. Records the acknowledgment in the
    /// checker. Any other refusal fails.
    /// </summary>
    public async Task<MessageSent> SendAsync(string conversationId, string body, string clientMessageId)
    {
        var deadline = DateTime.UtcNow + SendWithin;
        Exception? last = null;
        for (var attempt = 0; DateTime.UtcNow < deadline; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _sendRetries);
            }

            await EnsureConnectedAsync();
            HubResult<MessageSent> result;
            try
            {
                result = await TrySendAsync(conversationId, body, clientMessageId);
            }
            catch (Exception ex) when (IsConnectionFailure(ex))
            {
                last = ex;
                continue;
            }

            if (result.Ok)
            {
                return result.Value!;
            }

            last = new InvalidOperationException($"{result.Error}");
            if (result.Error is { Code: "unavailable" } or { Code: "rate_limited", RetryAfterSeconds: <= 2 })
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(50, 250)));
                continue;
            }

            throw new InvalidOperationException($"{Name}: SendMessage {clientMessageId} on node-{Node} was refused: {result.Error}");
        }

        throw new TimeoutException($"{Name}: SendMessage {clientMessageId} was not acknowledged within {SendWithin}.", last);
    }

    /// <summary>One SendMessage on the current connection, no retry; an ok result is recorded in the checker.</summary>
    public async Task<HubResult<MessageSent>> TrySendAsync(string conversationId, string body, string clientMessageId)
    {
        var hub = Hub ?? throw new InvalidOperationException($"{Name} is not connected.");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        HubResult<MessageSent> result;
        try
        {
            result = await hub.CallAsync<MessageSent>(nameof(MessagingHub.SendMessage), new SendMessageArgs(conversationId, body, clientMessageId))
                .WaitAsync(CallTimeout);
        }
        catch (TimeoutException)
        {
            Interlocked.Increment(ref _sendTimeouts);
            throw;
        }

        InterlockedMax(ref _slowestSendTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks);
        if (result.Ok)
        {
            _checker?.RecordAcknowledged(UserId, result.Value!);
        }

        return result;
    }

    /// <summary>One line of counters for test output.</summary>
    public string Describe() =>
        $"{Name}: node-{Node}, {Reconnects} reconnect(s), cursor {Cursor}, {Processed.Count} events processed ({NeverPushed.Count} never pushed live), "
        + $"{GapSyncs} gap syncs, {DroppedPushes} pushes dropped as seen, {SendRetries} send retries, "
        + $"{SendTimeouts} send timeouts, slowest send {SlowestSend.TotalMilliseconds:F0} ms";

    /// <summary>Fails if a background reconnect or the push loop failed.</summary>
    public void ThrowIfFailed()
    {
        lock (_failures)
        {
            if (_failures.Count > 0)
            {
                throw new AggregateException($"{Name} failed in the background.", _failures);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        _pushes.Writer.TryComplete();
        if (Hub is { } hub)
        {
            await hub.DisposeAsync();
        }

        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
        }

        // _stop is not disposed: a reconnect running in the background may still look at it.
    }

    private async Task ConnectToAsync(int node)
    {
        if (Hub is { } old)
        {
            await old.DisposeAsync();
        }

        var hub = await HubClient.ConnectAsync(_cluster.Url(node), _cluster.Token(UserId, Role), new HubClientOptions
        {
            OnPush = OnPush,
            Timeout = CallTimeout,
        });
        if (_stop.IsCancellationRequested)
        {
            await hub.DisposeAsync();
            throw new OperationCanceledException($"{Name} was disposed while it connected.");
        }

        if (Interlocked.Exchange(ref _hub, hub) is not null)
        {
            Interlocked.Increment(ref _reconnects);
        }

        Volatile.Write(ref _node, node);
        _ = WatchAsync(hub);
        await CatchUpAsync();
        if (FirstCursor < 0)
        {
            FirstCursor = Cursor;
        }
    }

    /// <summary>Reconnects by itself when the connection it watches drops, as withAutomaticReconnect does.</summary>
    private async Task WatchAsync(HubClient hub)
    {
        await hub.Closed;
        if (_stop.IsCancellationRequested || !ReferenceEquals(Hub, hub))
        {
            return;
        }

        try
        {
            await EnsureConnectedAsync();
        }
        catch (Exception ex) when (!_stop.IsCancellationRequested)
        {
            lock (_failures)
            {
                _failures.Add(ex);
            }
        }
        catch (Exception)
        {
            // Disposed meanwhile.
        }
    }

    private void OnPush(HubPush push)
    {
        if (!HubNames.Events.Contains(push.Method))
        {
            return;
        }

        var e = push.Event;
        if (e.Cursor > 0)
        {
            lock (_processed)
            {
                _pushed.Add(e.EventId);
            }

            _pushes.Writer.TryWrite(e);
        }
    }

    private async Task ProcessPushesAsync()
    {
        try
        {
            await foreach (var e in _pushes.Reader.ReadAllAsync(_stop.Token))
            {
                await _processing.WaitAsync(_stop.Token);
                try
                {
                    if (Seen(e.EventId) || e.Cursor <= Cursor)
                    {
                        Interlocked.Increment(ref _droppedPushes);
                        continue;
                    }

                    if (e.Cursor == Cursor + 1)
                    {
                        Process(e, viaSync: false);
                    }
                    else if (Hub is { } hub)
                    {
                        // Something was missed: Sync from the cursor, which also returns this event.
                        Interlocked.Increment(ref _gapSyncs);
                        await SyncLockedAsync(hub);
                    }
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    // The connection is gone; the reconnect catches up from the cursor.
                }
                catch (Exception ex) when (!_stop.IsCancellationRequested)
                {
                    // Sync refused for longer than a reconnect may take: surfaced by ThrowIfFailed; later pushes still count.
                    lock (_failures)
                    {
                        _failures.Add(ex);
                    }
                }
                finally
                {
                    _processing.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            lock (_failures)
            {
                _failures.Add(ex);
            }
        }
    }

    private async Task SyncLockedAsync(HubClient hub)
    {
        var deadline = DateTime.UtcNow + ReconnectWithin;
        for (var page = 0; page < 10_000; page++)
        {
            var result = await hub.SyncAsync(Cursor);
            if (!result.Ok)
            {
                if (result.Error?.Code is "unavailable" or "rate_limited" && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                    continue;
                }

                throw new InvalidOperationException($"{Name}: Sync after {Cursor} on node-{Node} failed: {result.Error}");
            }

            foreach (var e in result.Value!.Events)
            {
                if (!Seen(e.EventId) && e.Cursor > Cursor)
                {
                    Process(e, viaSync: true);
                }
            }

            InterlockedMax(ref _cursor, result.Value.NextCursor);
            if (!result.Value.HasMore)
            {
                return;
            }
        }

        throw new InvalidOperationException($"{Name}: Sync kept answering hasMore.");
    }

    private bool Seen(Guid eventId)
    {
        lock (_processed)
        {
            return _seen.Contains(eventId);
        }
    }

    private void Process(ClientEvent e, bool viaSync)
    {
        lock (_processed)
        {
            _seen.Add(e.EventId);
            _processed.Add(e);
        }

        InterlockedMax(ref _cursor, e.Cursor);
        _checker?.RecordReceived(Name, UserId, e, viaSync);
    }

    private static bool IsConnectionFailure(Exception ex) =>
        ex is HubInvocationException { ConnectionClosed: true } or HubRefusedException or WebSocketException or TimeoutException
            or HttpRequestException or OperationCanceledException or IOException
        || (ex is HubInvocationException && ex.Message.StartsWith("Handshake", StringComparison.Ordinal));

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
