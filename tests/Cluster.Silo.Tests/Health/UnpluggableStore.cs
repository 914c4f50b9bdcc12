using System.Reflection;
using Cluster.Grains.Abstractions;
using Cluster.Storage;

namespace Cluster.Silo.Tests.Health;

/// <summary>
/// A real store until the test unplugs it; from then on its ping fails the way an unreachable database's does.
/// A DispatchProxy, so it forwards every other member of <see cref="IRuntimeStore"/> however that interface grows.
/// Not sealed only because DispatchProxy derives from it at run time.
/// </summary>
public class UnpluggableStore : DispatchProxy
{
    /// <summary>Stands for a driver message with hosts or credentials in it: text that must never reach a client.</summary>
    public const string SecretFailureText = "password=hunter2 host=db.internal";

    private IRuntimeStore? _inner;
    private volatile bool _unplugged;

    /// <summary>The store to register in place of the real one.</summary>
    public IRuntimeStore Store => (IRuntimeStore)(object)this;

    public static UnpluggableStore Wrap(IRuntimeStore inner)
    {
        var proxy = (UnpluggableStore)(object)Create<IRuntimeStore, UnpluggableStore>();
        proxy._inner = inner;
        return proxy;
    }

    public void Unplug() => _unplugged = true;

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (_unplugged && targetMethod.Name == nameof(IRuntimeStore.PingAsync))
        {
            return Task.FromException(new StorageUnavailableException(SecretFailureText));
        }

        return targetMethod.Invoke(_inner, BindingFlags.DoNotWrapExceptions, binder: null, args, culture: null);
    }
}
