using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.LoadTests.Client;

/// <summary>How a <see cref="HubConnection"/> is opened.</summary>
public sealed record HubConnectionOptions
{
    /// <summary>The source address of the TCP connection (any 127.0.0.x on loopback); the system picks when null.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>
    /// Called on the receive loop for every invocation the server pushes: target, the arguments array and the
    /// <see cref="Stopwatch"/> timestamp of arrival. The element is valid only during the call: copy what you keep.
    /// </summary>
    public Action<string, JsonElement, long>? OnPush { get; init; }

    /// <summary>Client pings are sent when the connection sent nothing for this long (the server drops a silent client after 30 s).</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>A call's result and the size of the frames it took (request and completion, in bytes).</summary>
public readonly record struct HubReply(JsonElement Result, int Bytes);

/// <summary>A hub call the server answered with an error, or a connection that closed before the answer.</summary>
public sealed class HubCallException(string message) : Exception(message);

/// <summary>
/// A lean SignalR client speaking the JSON hub protocol over one WebSocket, as a client app does: token in the
/// access_token query, handshake, invocations with ids, completions, pushes, and pings both ways. Built for many
/// connections per process: one small receive buffer, one shared keep-alive timer per connection, no per-call threads.
/// </summary>
public sealed class HubConnection : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] Ping = [.. """{"type":6}"""u8, RecordSeparator];
    private static readonly ConcurrentDictionary<string, HttpMessageInvoker> Invokers = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
    private static long _totalSent;
    private static long _totalReceived;

    private readonly ClientWebSocket _socket;
    private readonly HubConnectionOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<HubReply>> _pending = new();
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _keepAlive;
    private long _nextId;
    private long _lastSend = Stopwatch.GetTimestamp();

    private HubConnection(ClientWebSocket socket, HubConnectionOptions options)
    {
        _socket = socket;
        _options = options;
        _keepAlive = new Timer(static state => _ = ((HubConnection)state!).KeepAliveAsync(), this, options.KeepAlive / 3, options.KeepAlive / 3);
    }

    /// <summary>Bytes written and read by every connection of this process (frames' payloads).</summary>
    public static long TotalBytesSent => Interlocked.Read(ref _totalSent);

    public static long TotalBytesReceived => Interlocked.Read(ref _totalReceived);

    /// <summary>Completes when the connection ends, with the server's close error if it gave one.</summary>
    public Task<string?> Closed => _closed.Task;

    public bool IsOpen => !_closed.Task.IsCompleted;

    /// <summary>Connects to the hub at <paramref name="path"/> of the node at <paramref name="baseUrl"/> and completes the handshake.</summary>
    public static async Task<HubConnection> ConnectAsync(Uri baseUrl, string path, string accessToken, HubConnectionOptions? options, CancellationToken cancellationToken)
    {
        options ??= new HubConnectionOptions();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var target = new UriBuilder(new Uri(baseUrl, path))
        {
            Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws",
            Query = "access_token=" + Uri.EscapeDataString(accessToken),
        }.Uri;
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = Timeout.InfiniteTimeSpan;
        socket.Options.SetBuffer(4096, 4096);
        HubConnection? connection = null;
        try
        {
            await socket.ConnectAsync(target, InvokerFor(options.LocalAddress), timeout.Token);
            connection = new HubConnection(socket, options);
            await connection.SendRawAsync("""{"protocol":"json","version":1}"""u8.ToArray(), timeout.Token);
            var (handshake, rest) = await connection.ReceiveHandshakeAsync(timeout.Token);
            if (handshake is not null)
            {
                throw new HubCallException("The hub refused the handshake: " + handshake);
            }

            _ = connection.ReceiveLoopAsync(rest);
            return connection;
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            throw;
        }
    }

    /// <summary>Invokes <paramref name="method"/> and answers its result; throws <see cref="HubCallException"/> on an error completion.</summary>
    public async Task<JsonElement> InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken) =>
        (await CallAsync(method, arguments, cancellationToken)).Result;

    /// <summary>Invokes <paramref name="method"/>; answers its result with the bytes of the request and completion frames.</summary>
    public async Task<HubReply> CallAsync(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<HubReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        try
        {
            var frame = JsonSerializer.SerializeToUtf8Bytes(new Invocation(1, id.ToString(System.Globalization.CultureInfo.InvariantCulture), method, arguments), Json);
            await SendRawAsync(frame, cancellationToken);
            var reply = await completion.Task.WaitAsync(cancellationToken);
            return reply with { Bytes = reply.Bytes + frame.Length + 1 };
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Converts a call's result.</summary>
    public static T? As<T>(JsonElement result) => result.Deserialize<T>(Json);

    public async ValueTask DisposeAsync()
    {
        await _keepAlive.DisposeAsync();
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The server went first; nothing to close politely.
            }
        }

        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        Close("disposed");
    }

    private static HttpMessageInvoker InvokerFor(IPAddress? local) =>
        Invokers.GetOrAdd(local?.ToString() ?? "", _ => new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    if (local is not null)
                    {
                        socket.Bind(new IPEndPoint(local, 0));
                    }

                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }));

    private async Task SendRawAsync(byte[] json, CancellationToken cancellationToken)
    {
        var frame = json[^1] == RecordSeparator ? json : [.. json, RecordSeparator];
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            Volatile.Write(ref _lastSend, Stopwatch.GetTimestamp());
            Interlocked.Add(ref _totalSent, frame.Length);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            Close(ex.Message);
            throw new HubCallException("The connection is closed: " + ex.Message);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task KeepAliveAsync()
    {
        if (!IsOpen || Stopwatch.GetElapsedTime(Volatile.Read(ref _lastSend)) < _options.KeepAlive)
        {
            return;
        }

        try
        {
            await SendRawAsync(Ping, _stop.Token);
        }
        catch (Exception ex) when (ex is HubCallException or OperationCanceledException)
        {
            // Closed meanwhile; Closed tells why.
        }
    }

    /// <summary>Reads the handshake answer: its error (null when accepted) and whatever arrived after it in the same read.</summary>
    private async Task<(string? Error, byte[] Remainder)> ReceiveHandshakeAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(256), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return ("the server closed the connection during the handshake", []);
            }

            buffer.Advance(result.Count);
            var separator = buffer.WrittenSpan.IndexOf(RecordSeparator);
            if (separator >= 0)
            {
                using var document = JsonDocument.Parse(buffer.WrittenMemory[..separator]);
                var error = document.RootElement.TryGetProperty("error", out var refused) ? refused.GetString() ?? "error" : null;
                return (error, buffer.WrittenSpan[(separator + 1)..].ToArray());
            }
        }
    }

    private async Task ReceiveLoopAsync(byte[] afterHandshake)
    {
        var message = new ArrayBufferWriter<byte>(4096);
        string? reason = null;
        try
        {
            // Records that came with the handshake's answer are complete ones (the server writes whole records).
            var early = afterHandshake.AsMemory();
            while (reason is null && early.Span.IndexOf(RecordSeparator) is var first and >= 0)
            {
                reason = Handle(early[..first], Stopwatch.GetTimestamp());
                early = early[(first + 1)..];
            }

            while (reason is null && !_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(message.GetMemory(4096), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    reason = _socket.CloseStatusDescription ?? "closed by the server";
                    break;
                }

                message.Advance(result.Count);
                Interlocked.Add(ref _totalReceived, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var arrived = Stopwatch.GetTimestamp();
                var records = message.WrittenMemory;
                while (records.Span.IndexOf(RecordSeparator) is var end and >= 0)
                {
                    reason = Handle(records[..end], arrived);
                    records = records[(end + 1)..];
                    if (reason is not null)
                    {
                        break;
                    }
                }

                message.ResetWrittenCount();
                if (reason is not null)
                {
                    break;
                }

                if (message.Capacity > 64 * 1024)
                {
                    message = new ArrayBufferWriter<byte>(4096);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or JsonException)
        {
            reason ??= ex.Message;
        }

        Close(reason ?? "stopped");
    }

    /// <summary>Handles one record; answers a reason when it closes the connection.</summary>
    private string? Handle(ReadOnlyMemory<byte> record, long arrived)
    {
        using var document = JsonDocument.Parse(record);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                _options.OnPush?.Invoke(root.GetProperty("target").GetString()!, root.GetProperty("arguments"), arrived);
                return null;
            case 3:
                if (long.TryParse(root.GetProperty("invocationId").GetString(), out var id) && _pending.TryRemove(id, out var completion))
                {
                    if (root.TryGetProperty("error", out var error))
                    {
                        completion.TrySetException(new HubCallException(error.GetString() ?? "error"));
                    }
                    else
                    {
                        completion.TrySetResult(new HubReply(root.TryGetProperty("result", out var value) ? value.Clone() : default, record.Length + 1));
                    }
                }

                return null;
            case 7:
                return root.TryGetProperty("error", out var closeError) ? closeError.GetString() ?? "closed" : "closed by the server";
            default:
                return null;
        }
    }

    private void Close(string reason)
    {
        if (_closed.TrySetResult(reason))
        {
            foreach (var (_, pending) in _pending)
            {
                pending.TrySetException(new HubCallException("The connection closed: " + reason));
            }
        }
    }

    private sealed record Invocation(int Type, string InvocationId, string Target, object?[] Arguments);
}
