using Cluster.Api.Hosting;
using Cluster.Api.Realtime;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Sync;

/// <summary>Reads a user's missed events from their feed, for the hub's Sync and GET /api/v1/sync alike.</summary>
public sealed class CatchUp(IUserEventFeed feed, DeliveryCheck check, IOptions<ApiOptions> options)
{
    public async Task<SyncPage> ReadAsync(Actor actor, long after, int? limit, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxSyncPage;
        var page = await feed.ReadAsync(actor.UserId, Math.Max(0, after), Math.Clamp(limit ?? max, 1, max), cancellationToken);
        var events = new List<ClientEvent>(page.Events.Count);
        var batch = check.Begin(actor);
        foreach (var entry in page.Events)
        {
            if (ClientEvents.IsClientEvent(entry.Type) && await batch.MayReceiveAsync(entry))
            {
                events.Add(ClientEvents.From(entry));
            }
        }

        // NextCursor passes over filtered entries too, so a client never asks for them again.
        return new SyncPage(events, page.NextCursor, page.HasMore);
    }
}
