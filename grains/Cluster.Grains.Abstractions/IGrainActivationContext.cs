namespace Cluster.Grains.Abstractions;

/// <summary>What the runtime gives one activation of a grain.</summary>
public interface IGrainActivationContext
{
    string GrainType { get; }

    string Key { get; }

    IGrainFactory GrainFactory { get; }

    TimeProvider Clock { get; }

    /// <summary>The state of the running turn. Replaced by a fresh copy when a turn fails or is retried.</summary>
    object State { get; }

    /// <summary>The turn in progress; only valid inside a grain call.</summary>
    ITurnContext Turn { get; }

    /// <summary>Reads committed rows straight from the store (fresh, not cached).</summary>
    IRowReader Rows { get; }
}
