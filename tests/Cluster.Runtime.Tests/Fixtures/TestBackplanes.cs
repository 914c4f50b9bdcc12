using System.Collections.Concurrent;
using Cluster.Runtime.Backplane;

namespace Cluster.Runtime.Tests.Fixtures;

/// <summary>An in-process backplane that also records every publish, by channel.</summary>
public sealed class RecordingBackplane : IBackplane
{
    private readonly InProcessBackplane _inner = new();

    public ConcurrentQueue<string> Published { get; } = new();

    public bool IsConnected => true;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        Published.Enqueue(channel);
        return _inner.PublishAsync(channel, message, cancellationToken);
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default) =>
        _inner.SubscribeAsync(channel, handler, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A backplane whose publishes never leave the node, as if it died right after commit.</summary>
public sealed class SilentBackplane : IBackplane
{
    public bool IsConnected => true;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        Task.FromException(new IOException("The node died before publishing."));

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default) =>
        Task.FromResult<IAsyncDisposable>(new Nothing());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>An in-process backplane that a test can unplug: while down it reports disconnected and refuses to publish, as Redis does.</summary>
public sealed class SwitchableBackplane : IBackplane
{
    private readonly InProcessBackplane _inner = new();
    private volatile bool _down;
    private volatile bool _stalled;
    private int _publishCalls;

    public bool IsConnected => !_down;

    /// <summary>Publish calls made, successful or not.</summary>
    public int PublishCalls => Volatile.Read(ref _publishCalls);

    public ConcurrentQueue<string> Published { get; } = new();

    public void Unplug() => _down = true;

    public void PlugIn() => _down = _stalled = false;

    /// <summary>Still reports connected, but every publish fails, as a publish that times out does.</summary>
    public void Stall() => _stalled = true;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _publishCalls);
        if (_down || _stalled)
        {
            return Task.FromException(new InvalidOperationException("The backplane is unplugged or stalled; the message was not published."));
        }

        Published.Enqueue(channel);
        return _inner.PublishAsync(channel, message, cancellationToken);
    }

    public Task<IAsyncDisposable> SubscribeAsync(string channel, Action<ReadOnlyMemory<byte>> handler, CancellationToken cancellationToken = default) =>
        _inner.SubscribeAsync(channel, handler, cancellationToken);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
