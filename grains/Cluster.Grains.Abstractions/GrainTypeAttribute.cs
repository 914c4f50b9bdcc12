namespace Cluster.Grains.Abstractions;

/// <summary>
/// Pins the stored name of a grain class, so renaming the class never orphans its persisted state.
/// Without it the name is the class name less a trailing "Grain", in lower case.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GrainTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
