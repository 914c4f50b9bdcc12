using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using Cluster.Api.Realtime;
using Microsoft.AspNetCore.TestHost;

namespace Cluster.Testing.Hub;

/// <summary>How <see cref="HubClient.ConnectAsync"/> opens the connection.</summary>
public sealed record HubClientOptions
{
    /// <summary>The hub's path on the node; the messaging hub unless a test opens another hub (such as the load tests' echo hub).</summary>
    public string Path { get; init; } = HubNames.Path;

    /// <summary>Sent as the Origin header of negotiate and of the WebSocket upgrade; none when null (a native app).</summary>
    public string? Origin { get; init; }

    /// <summary>POST negotiate first and connect with its connection token; otherwise connect directly (skipNegotiation).</summary>
    public bool Negotiate { get; init; }

    /// <summary>
    /// After the handshake, make one harmless call (an empty Sync) and wait for its answer. The server runs a hub's
    /// OnConnectedAsync (here: the user's feed subscription) before it reads any call, so once this returns, pushes
    /// are flowing. Turn off to observe a connection the server refuses after the handshake (it then just closes).
    /// </summary>
    public bool WaitUntilAttached { get; init; } = true;

    /// <summary>Bounds every step of connecting (negotiate, upgrade, handshake).</summary>
    public TimeSpan Timeout { get; init; } = HubClient.DefaultTimeout;

    /// <summary>
    /// Called with every push, in arrival order, from the moment the handshake completes (also during
    /// <see cref="WaitUntilAttached"/>). It runs on the receive loop: hand the push on, never block or call the hub from it.
    /// </summary>
    public Action<HubPush>? OnPush { get; init; }
}

/// <summary>How a connection ended: the server's close frame (type 7), or the socket closing without one.</summary>
public sealed record HubClose(bool FromCloseFrame, string? Error, bool AllowReconnect, WebSocketCloseStatus? SocketStatus);

/// <summary>One server-to-client invocation (type 1), in arrival order on this connection.</summary>
public sealed record HubPush(int Order, string Method, JsonElement Arguments)
{
    /// <summary>The first argument as a pushed event; every <see cref="IMessagingClient"/> method takes one.</summary>
    public ClientEvent Event => Arguments[0].Deserialize<ClientEvent>(HubClient.Json)
        ?? throw new InvalidOperationException($"The {Method} push carried no event.");
}

/// <summary>The server refused to open the connection (negotiate or upgrade answered with this status).</summary>
public sealed class HubRefusedException(HttpStatusCode statusCode, string detail)
    : Exception($"The hub refused the connection with {(int)statusCode} {statusCode}: {detail}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;
}

/// <summary>A call completed with an error (a completion with "error"), or the connection ended before it completed.</summary>
public sealed class HubInvocationException(string error, bool connectionClosed = false) : Exception(error)
{
    /// <summary>The completion's error text exactly as the server sent it.</summary>
    public string Error { get; } = error;

    public bool ConnectionClosed { get; } = connectionClosed;
}

/// <summary>
/// A minimal client of the SignalR JSON hub protocol (version 1) over a WebSocket, either a TestServer's (in-process
/// api tests) or a real socket to a node (<see cref="ClientWebSocket"/>, cluster tests): handshake, calls with
/// invocation ids and completions, pushes queued per method, pings ignored, close frames surfaced in <see cref="Closed"/>.
/// Every wait is bounded; disposing always closes the socket.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    public const string HubPath = HubNames.Path;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The web defaults (camelCase, case-insensitive) with enums as strings, as the server writes them.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly WebSocket _socket;
    private readonly Action<HubPush>? _onPush;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonElement?>> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Channel<HubPush>> _pushes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<HubPush> _log = new();
    private readonly TaskCompletionSource<string> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<HubClose> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _pushed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;
    private int _nextInvocationId;
    private int _pushCount;
    private long _lastCursor;
    private int _disposed;

    private HubClient(WebSocket socket, Action<HubPush>? onPush)
    {
        _socket = socket;
        _onPush = onPush;
    }

    /// <summary>Completes when the server sends a close frame or the socket closes (never faults).</summary>
    public Task<HubClose> Closed => _closed.Task;

    /// <summary>Every push received so far, in arrival order.</summary>
    public IReadOnlyList<HubPush> Pushes => _log.ToArray();

    /// <summary>The highest feed cursor of any push received so far (typing notices carry 0).</summary>
    public long LastCursor => Interlocked.Read(ref _lastCursor);

    /// <summary>Opens a TestServer WebSocket to the hub with the token in access_token (omitted when null) and completes the JSON handshake.</summary>
    public static Task<HubClient> ConnectAsync(TestServer server, string? accessToken, HubClientOptions? options = null)
    {
        options ??= new HubClientOptions();
        return ConnectCoreAsync(
            (query, cancellationToken) => NegotiateAsync(server, accessToken, options.Origin, cancellationToken),
            async (query, cancellationToken) =>
            {
                var client = server.CreateWebSocketClient();
                client.ConfigureRequest = request =>
                {
                    if (options.Origin is not null)
                    {
                        request.Headers.Origin = options.Origin;
                    }
                };
                try
                {
                    return await client.ConnectAsync(new Uri($"ws://localhost{options.Path}?{query}"), cancellationToken);
                }
                catch (InvalidOperationException ex) when (StatusOf(ex) is { } status)
                {
                    throw new HubRefusedException(status, "WebSocket upgrade refused");
                }
            },
            accessToken,
            options);
    }

    /// <summary>
    /// Opens a real WebSocket (<see cref="ClientWebSocket"/>) to the hub of the node at <paramref name="baseUrl"/>
    /// (http://host:port), with the token in access_token (omitted when null), and completes the JSON handshake.
    /// </summary>
    public static Task<HubClient> ConnectAsync(Uri baseUrl, string? accessToken, HubClientOptions? options = null)
    {
        options ??= new HubClientOptions();
        return ConnectCoreAsync(
            (query, cancellationToken) => NegotiateAsync(baseUrl, accessToken, options.Origin, cancellationToken),
            async (query, cancellationToken) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.CollectHttpResponseDetails = true;
                if (options.Origin is not null)
                {
                    socket.Options.SetRequestHeader("Origin", options.Origin);
                }

                var target = new UriBuilder(new Uri(baseUrl, options.Path)) { Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws", Query = query }.Uri;
                try
                {
                    await socket.ConnectAsync(target, cancellationToken);
                    return socket;
                }
                catch (WebSocketException ex) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
                {
                    var status = socket.HttpStatusCode;
                    socket.Dispose();
                    throw new HubRefusedException(status, "WebSocket upgrade refused: " + ex.Message);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            accessToken,
            options);
    }

    /// <summary>POSTs negotiate (version 1) to a TestServer and answers its connection token; throws <see cref="HubRefusedException"/> on any other status.</summary>
    public static async Task<string> NegotiateAsync(TestServer server, string? accessToken, string? origin, CancellationToken cancellationToken)
    {
        using var http = server.CreateClient();
        return await NegotiateAsync(http, accessToken, origin, cancellationToken);
    }

    /// <summary>POSTs negotiate (version 1) to the node at <paramref name="baseUrl"/> and answers its connection token.</summary>
    public static async Task<string> NegotiateAsync(Uri baseUrl, string? accessToken, string? origin, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = DefaultTimeout };
        return await NegotiateAsync(http, accessToken, origin, cancellationToken);
    }

    private static async Task<HubClient> ConnectCoreAsync(
        Func<string, CancellationToken, Task<string>> negotiate,
        Func<string, CancellationToken, Task<WebSocket>> open,
        string? accessToken,
        HubClientOptions options)
    {
        using var timeout = new CancellationTokenSource(options.Timeout);
        var query = new List<string>();
        if (options.Negotiate)
        {
            query.Add("id=" + Uri.EscapeDataString(await negotiate(string.Empty, timeout.Token)));
        }

        if (accessToken is not null)
        {
            query.Add("access_token=" + Uri.EscapeDataString(accessToken));
        }

        var socket = await open(string.Join('&', query), timeout.Token);
        var hub = new HubClient(socket, options.OnPush);
        try
        {
            await hub.StartAsync(timeout.Token);
            if (options.WaitUntilAttached)
            {
                await hub.InvokeRawAsync(nameof(MessagingHub.Sync), [new SyncArgs(long.MaxValue, 1)], options.Timeout);
            }

            return hub;
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> NegotiateAsync(HttpClient http, string? accessToken, string? origin, CancellationToken cancellationToken)
    {
        var uri = $"{HubPath}/negotiate?negotiateVersion=1" + (accessToken is null ? "" : "&access_token=" + Uri.EscapeDataString(accessToken));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(uri, UriKind.Relative));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HubRefusedException(response.StatusCode, body);
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("connectionToken").GetString()
            ?? throw new InvalidOperationException("negotiate answered no connectionToken: " + body);
    }

    /// <summary>Calls a hub method and answers its result, deserialized; throws <see cref="HubInvocationException"/> with the completion's error.</summary>
    public async Task<T> InvokeAsync<T>(string method, params object?[] args)
    {
        var result = await InvokeRawAsync(method, args);
        return result is { } value
            ? value.Deserialize<T>(Json)!
            : throw new InvalidOperationException($"{method} completed without a result.");
    }

    /// <summary>Calls a hub method taking one argument object and answering a <see cref="HubResult{T}"/>.</summary>
    public Task<HubResult<T>> CallAsync<T>(string method, object args) => InvokeAsync<HubResult<T>>(method, args);

    /// <summary>Calls a hub method; answers the completion's result (null for a completion without one).</summary>
    public Task<JsonElement?> InvokeRawAsync(string method, object?[] args, TimeSpan? timeout = null) =>
        InvokeFrameAsync(method, id => JsonSerializer.Serialize(new Invocation(1, id, method, args), Json), timeout);

    /// <summary>
    /// Calls a hub method with its arguments written as given (a JSON array), for JSON a serializer would not produce,
    /// such as an escaped lone surrogate; answers the completion's result.
    /// </summary>
    public Task<JsonElement?> InvokeJsonAsync(string method, string argumentsJson, TimeSpan? timeout = null) =>
        InvokeFrameAsync(method, id => $$"""{"type":1,"invocationId":"{{id}}","target":{{JsonSerializer.Serialize(method)}},"arguments":{{argumentsJson}}}""", timeout);

    private async Task<JsonElement?> InvokeFrameAsync(string method, Func<string, string> frame, TimeSpan? timeout)
    {
        var id = Interlocked.Increment(ref _nextInvocationId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var pending = new TaskCompletionSource<JsonElement?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_closed.Task.IsCompleted)
        {
            throw new HubInvocationException($"The connection closed before {method} was sent ({_closed.Task.Result}).", connectionClosed: true);
        }

        _calls[id] = pending;

        try
        {
            try
            {
                await SendRawAsync(frame(id) + RecordSeparator);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                throw new HubInvocationException($"The connection is closed ({_socket.State}, {ex.GetType().Name}); {method} was not sent.", connectionClosed: true);
            }

            return await pending.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method} (invocation {id}) did not complete within {timeout ?? DefaultTimeout}.");
        }
        finally
        {
            _calls.TryRemove(id, out _);
        }
    }

    /// <summary>Sends the text as one WebSocket text message, exactly as given (add <see cref="RecordSeparator"/> yourself).</summary>
    public async Task SendRawAsync(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        await _sendGate.WaitAsync(DefaultTimeout);
        try
        {
            using var timeout = new CancellationTokenSource(DefaultTimeout);
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    /// <summary>The next push of <paramref name="method"/> (matching <paramref name="where"/>, skipping and dropping others of that method), within the timeout.</summary>
    public async Task<ClientEvent> NextAsync(string method, TimeSpan? timeout = null, Func<ClientEvent, bool>? where = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        var reader = Queue(method).Reader;
        try
        {
            while (true)
            {
                var push = await reader.ReadAsync(cancel.Token);
                var e = push.Event;
                if (where is null || where(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            var closed = _closed.Task.IsCompleted ? $" The connection closed: {_closed.Task.Result}." : "";
            throw new TimeoutException($"No {method} push{(where is null ? "" : " matching the condition")} within {limit}.{closed}");
        }
    }

    /// <summary>Waits (bounded) until a push with a cursor of at least <paramref name="cursor"/> has arrived.</summary>
    public async Task WaitForCursorAsync(long cursor, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        using var cancel = new CancellationTokenSource(limit);
        while (LastCursor < cursor)
        {
            var signal = Volatile.Read(ref _pushed).Task;
            if (LastCursor >= cursor)
            {
                break;
            }

            try
            {
                await signal.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"No push reached cursor {cursor} within {limit}; the last was {LastCursor}.");
            }
        }
    }

    /// <summary>A push of <paramref name="method"/> already queued and not yet taken, if any (never waits).</summary>
    public bool TryNext(string method, out ClientEvent? e)
    {
        if (Queue(method).Reader.TryRead(out var push))
        {
            e = push.Event;
            return true;
        }

        e = null;
        return false;
    }

    /// <summary>Waits (bounded) for the connection to end, answering how it ended.</summary>
    public async Task<HubClose> WaitClosedAsync(TimeSpan? timeout = null)
    {
        try
        {
            return await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The connection was still open after {timeout ?? DefaultTimeout}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client done", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // Closing politely is best effort; the abort below always ends the socket.
        }

        await _stop.CancelAsync();
        _socket.Abort();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // The receive loop observes the abort; a stuck loop must not hang the test.
        }

        _closed.TrySetResult(new HubClose(false, null, false, _socket.CloseStatus));
        FailPending(_closed.Task.Result);
        _socket.Dispose();
        _stop.Dispose();
        _sendGate.Dispose();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _receiving = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        await SendRawAsync("""{"protocol":"json","version":1}""" + RecordSeparator);
        var response = await _handshake.Task.WaitAsync(cancellationToken);
        using var document = JsonDocument.Parse(response);
        if (document.RootElement.TryGetProperty("error", out var error))
        {
            throw new HubInvocationException("Handshake refused: " + error.GetString(), connectionClosed: true);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[8192];
        var pending = new MemoryStream();
        WebSocketCloseStatus? socketStatus = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    socketStatus = result.CloseStatus;
                    await AcknowledgeCloseAsync();
                    break;
                }

                pending.Write(buffer, 0, result.Count);
                DispatchComplete(pending);
            }
        }
        catch (Exception)
        {
            // The socket ended (or sent a frame this client cannot read); Closed says so below.
        }

        var close = new HubClose(false, null, false, socketStatus ?? _socket.CloseStatus);
        _handshake.TrySetException(new HubInvocationException($"The connection closed before the handshake completed ({close}).", connectionClosed: true));
        _closed.TrySetResult(close);
        FailPending(_closed.Task.Result);
    }

    private async Task AcknowledgeCloseAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort.
        }
    }

    /// <summary>Hands every record-separated frame in <paramref name="pending"/> to <see cref="OnFrame"/>, keeping an incomplete tail.</summary>
    private void DispatchComplete(MemoryStream pending)
    {
        var data = pending.GetBuffer().AsSpan(0, (int)pending.Length);
        var start = 0;
        int end;
        while ((end = data[start..].IndexOf((byte)RecordSeparator)) >= 0)
        {
            OnFrame(Encoding.UTF8.GetString(data.Slice(start, end)));
            start += end + 1;
        }

        var tail = data[start..].ToArray();
        pending.SetLength(0);
        pending.Write(tail);
    }

    private void OnFrame(string frame)
    {
        if (!_handshake.Task.IsCompleted)
        {
            _handshake.TrySetResult(frame);
            return;
        }

        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                var push = new HubPush(Interlocked.Increment(ref _pushCount), root.GetProperty("target").GetString()!, root.GetProperty("arguments").Clone());
                if (push.Arguments.GetArrayLength() > 0 && push.Arguments[0].ValueKind == JsonValueKind.Object
                    && push.Arguments[0].TryGetProperty("cursor", out var cursor) && cursor.TryGetInt64(out var position))
                {
                    InterlockedMax(ref _lastCursor, position);
                }

                _log.Enqueue(push);
                Queue(push.Method).Writer.TryWrite(push);
                _onPush?.Invoke(push);
                Interlocked.Exchange(ref _pushed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                break;
            case 3:
                var id = root.GetProperty("invocationId").GetString()!;
                if (_calls.TryGetValue(id, out var call))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        call.TrySetException(new HubInvocationException(error.GetString() ?? ""));
                    }
                    else
                    {
                        call.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : null);
                    }
                }

                break;
            case 7:
                var close = new HubClose(
                    true,
                    root.TryGetProperty("error", out var reason) ? reason.GetString() : null,
                    root.TryGetProperty("allowReconnect", out var reconnect) && reconnect.ValueKind == JsonValueKind.True,
                    null);
                _closed.TrySetResult(close);
                FailPending(close);
                break;
            default:
                // 6 (ping) needs no answer; other types are not used by this hub.
                break;
        }
    }

    private void FailPending(HubClose close)
    {
        foreach (var (_, call) in _calls)
        {
            call.TrySetException(new HubInvocationException($"The connection closed before the call completed ({close}).", connectionClosed: true));
        }
    }

    private Channel<HubPush> Queue(string method) => _pushes.GetOrAdd(method, _ => Channel.CreateUnbounded<HubPush>());

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

    /// <summary>TestServer reports a refused upgrade as "Incomplete handshake, status code: NNN".</summary>
    private static HttpStatusCode? StatusOf(InvalidOperationException ex)
    {
        const string marker = "status code: ";
        var at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && int.TryParse(ex.Message.AsSpan(at + marker.Length).Trim().TrimEnd('.'), out var status) ? (HttpStatusCode)status : null;
    }

    private sealed record Invocation(int Type, string InvocationId, string Target, object?[] Arguments);
}
