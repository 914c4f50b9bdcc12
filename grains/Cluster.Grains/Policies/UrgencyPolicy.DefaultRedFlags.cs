namespace Cluster.Grains.Policies;

public sealed partial class UrgencyPolicy
{
    /// <summary>Every built-in list: English and Spanish (<see cref="RedFlagLists"/>).</summary>
    public static IReadOnlyList<RedFlag> DefaultRedFlags { get; } = [.. RedFlagLists.English, .. RedFlagLists.Spanish];

    // Declared after the list, in the same file: initialisers across partial files run in no set order.
    /// <summary>One shared instance over <see cref="DefaultRedFlags"/>.</summary>
    public static UrgencyPolicy Default { get; } = new(DefaultRedFlags);
}
