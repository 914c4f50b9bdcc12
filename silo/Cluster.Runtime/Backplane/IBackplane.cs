namespace Cluster.Runtime.Backplane;

/// <summary>
/// Cross-node pub/sub. Best effort: a message published while a node is disconnected is lost for that node,
/// which is why every consumer has a durable path (the feed, the relay, ETag checks) behind it.
/// </summary>
public interface IBackplane : IAsyncDisposable
{
    /// <summary>True while messages can be published and received.</summary>
    bool IsConnected { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Publishes to every node subscribed to <paramref name="channel"/>, this one included. Throws when disconnected.</summary>
    Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default);

    /// <summary>Receives the channel's messages until the handle is disposed. The handler must not block.</summary>
    Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default);
}
