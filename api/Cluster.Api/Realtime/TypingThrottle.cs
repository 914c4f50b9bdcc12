using System.Collections.Concurrent;
using Cluster.Api.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Api.Realtime;

/// <summary>At most one typing notice per user and conversation per interval (on this node).</summary>
public sealed class TypingThrottle(IOptions<ApiOptions> options, TimeProvider clock)
{
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(string User, string Conversation), DateTimeOffset> _last = new();

    public bool TryPass(string userId, string conversationId)
    {
        var now = clock.GetUtcNow();
        var interval = options.Value.TypingInterval;
        var key = (userId, conversationId);
        while (true)
        {
            if (!_last.TryGetValue(key, out var last))
            {
                if (_last.TryAdd(key, now))
                {
                    Prune(now - interval);
                    return true;
                }
            }
            else if (now - last < interval)
            {
                return false;
            }
            else if (_last.TryUpdate(key, now, last))
            {
                return true;
            }
        }
    }

    private void Prune(DateTimeOffset before)
    {
        if (_last.Count > PruneAbove)
        {
            foreach (var (key, at) in _last.Where(e => e.Value < before))
            {
                _last.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(key, at));
            }
        }
    }
}
