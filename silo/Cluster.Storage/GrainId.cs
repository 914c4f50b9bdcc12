namespace Cluster.Storage;

/// <summary>A grain's identity: its stored type name and its key.</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}
