using System.Collections.Frozen;
using System.Reflection;
using Cluster.Grains.Abstractions;

namespace Cluster.Runtime.Activation;

/// <summary>A grain class the runtime can activate: its stored type name, its state type and its interfaces.</summary>
public sealed record GrainClass(string Name, Type ImplementationType, Type StateType);

/// <summary>Maps grain interfaces and stored type names to grain classes, found by scanning assemblies.</summary>
public sealed class GrainRegistry
{
    private readonly FrozenDictionary<Type, GrainClass> _byInterface;
    private readonly FrozenDictionary<string, GrainClass> _byName;

    public GrainRegistry(IEnumerable<Assembly> assemblies)
    {
        var classes = assemblies.Distinct()
            .SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrainBase).IsAssignableFrom(t))
            .Select(t => new GrainClass(NameOf(t), t, StateTypeOf(t)))
            .ToList();
        _byName = classes.ToFrozenDictionary(c => c.Name, StringComparer.Ordinal);
        var byInterface = new Dictionary<Type, GrainClass>();
        foreach (var grainClass in classes)
        {
            foreach (var contract in grainClass.ImplementationType.GetInterfaces().Where(IsGrainInterface))
            {
                if (!byInterface.TryAdd(contract, grainClass))
                {
                    throw new InvalidOperationException(
                        $"Grain interface {contract.Name} is implemented by both {byInterface[contract].ImplementationType.Name} and {grainClass.ImplementationType.Name}.");
                }

                CheckMethods(contract);
            }
        }

        _byInterface = byInterface.ToFrozenDictionary();
    }

    public IEnumerable<GrainClass> Classes => _byName.Values;

    public GrainClass ForInterface(Type grainInterface) =>
        _byInterface.TryGetValue(grainInterface, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException($"No grain class implements {grainInterface.Name}; register its assembly with AddGrainsFrom.");

    public GrainClass ForName(string name) =>
        _byName.TryGetValue(name, out var grainClass)
            ? grainClass
            : throw new InvalidOperationException($"No grain class is registered under the name '{name}'.");

    private static bool IsGrainInterface(Type type) =>
        type.IsInterface && typeof(IGrainWithStringKey).IsAssignableFrom(type) && type != typeof(IGrainWithStringKey);

    private static string NameOf(Type type)
    {
        if (type.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        var name = type.Name.EndsWith("Grain", StringComparison.Ordinal) ? type.Name[..^"Grain".Length] : type.Name;
        return name.ToLowerInvariant();
    }

    private static Type StateTypeOf(Type type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(Grain<>))
            {
                return current.GetGenericArguments()[0];
            }
        }

        return typeof(NoState);
    }

    private static void CheckMethods(Type contract)
    {
        foreach (var method in contract.GetMethods().Concat(contract.GetInterfaces().SelectMany(i => i.GetMethods())))
        {
            var returns = method.ReturnType;
            if (returns != typeof(Task) && !(returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>)))
            {
                throw new InvalidOperationException($"Grain method {contract.Name}.{method.Name} must return Task or Task<T>.");
            }
        }
    }
}

/// <summary>The state of grains that keep none.</summary>
public sealed class NoState;
