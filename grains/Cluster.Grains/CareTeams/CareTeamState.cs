using Cluster.Grains.Abstractions.CareTeams;

namespace Cluster.Grains.CareTeams;

public sealed class CareTeamState
{
    public CareTeamSettings? Settings { get; set; }

    /// <summary>Conversations awaiting a reply from the pool, unordered; <see cref="CareTeamGrain"/> orders them on read.</summary>
    public List<QueueEntry> Queue { get; set; } = [];

    public List<ClaimRecord> Claims { get; set; } = [];
}
