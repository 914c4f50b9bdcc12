using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Cluster.Api.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Realtime;

/// <summary>
/// The SignalR JSON protocol with the hub's frame limit checked here, before SignalR's own (set one byte higher): SignalR closes
/// an oversized frame with a bare "Connection closed with an error.", while a <see cref="HubException"/> raised while reading
/// reaches the client in the close message, so the person learns why the connection ended.
/// </summary>
public sealed class FrameLimitedProtocol(IOptions<JsonHubProtocolOptions> json, IOptions<ApiOptions> api, IOptions<MessageCaps> caps) : IHubProtocol
{
    private const byte RecordSeparator = 0x1e;
    private readonly JsonHubProtocol _inner = new(json);
    private readonly int _limit = api.Value.HubFrameBytes(caps.Value);

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    /// <summary>The sentence the client gets in the close message when a frame is over the limit.</summary>
    public static string TooLarge(int limit) =>
        $"A message was too large: the most one call may carry is {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes, "
        + "so the connection was closed. Reconnect, and send long text in several messages.";

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var end = input.PositionOf(RecordSeparator);
        var frame = end is { } at ? input.Slice(input.Start, at).Length : input.Length;
        if (frame > _limit)
        {
            throw new HubException(TooLarge(_limit));
        }

        return _inner.TryParseMessage(ref input, binder, out message);
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);
}
