using System.Collections.Concurrent;
using System.Reflection;
using Cluster.Grains.Abstractions;
using Cluster.Storage;

namespace Cluster.Runtime.Activation;

/// <summary>Creates grain references: proxies whose calls become turns on the catalog.</summary>
internal sealed class GrainFactory(Catalog catalog, GrainRegistry registry) : IGrainFactory
{
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var proxy = DispatchProxy.Create<TGrain, GrainReference>();
        ((GrainReference)(object)proxy).Bind(catalog, new GrainId(registry.ForInterface(typeof(TGrain)).Name, key));
        return proxy;
    }
}

/// <summary>The proxy behind a grain interface. Public only because DispatchProxy derives from it at run time.</summary>
public class GrainReference : DispatchProxy
{
    private static readonly ConcurrentDictionary<MethodInfo, Func<Catalog, GrainId, MethodInfo, object?[], object>> Callers = new();
    private static readonly MethodInfo CallTypedMethod = typeof(GrainReference).GetMethod(nameof(CallTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    private Catalog? _catalog;
    private GrainId _id;

    internal void Bind(Catalog catalog, GrainId id)
    {
        _catalog = catalog;
        _id = id;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        var caller = Callers.GetOrAdd(targetMethod, CreateCaller);
        return caller(_catalog!, _id, targetMethod, args ?? []);
    }

    private static Func<Catalog, GrainId, MethodInfo, object?[], object> CreateCaller(MethodInfo method)
    {
        if (method.ReturnType == typeof(Task))
        {
            return static (catalog, id, m, args) => catalog.InvokeAsync(id, Request(m, args, resultOf: null));
        }

        var resultType = method.ReturnType.GetGenericArguments()[0];
        var result = method.ReturnType.GetProperty(nameof(Task<object>.Result))!;
        var typed = CallTypedMethod.MakeGenericMethod(resultType);
        return (catalog, id, m, args) => typed.Invoke(null, [catalog, id, Request(m, args, result)])!;
    }

    private static TurnRequest Request(MethodInfo method, object?[] args, PropertyInfo? resultOf) =>
        new(method.Name, async instance =>
        {
            var task = (Task)method.Invoke(instance, BindingFlags.DoNotWrapExceptions, null, args, null)!;
            await task;
            return resultOf?.GetValue(task);
        });

    private static async Task<T> CallTyped<T>(Catalog catalog, GrainId id, TurnRequest request) =>
        (T)(await catalog.InvokeAsync(id, request))!;
}
