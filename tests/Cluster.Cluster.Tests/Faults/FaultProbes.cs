using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Cluster.Cluster.Tests.Fixtures;

namespace Cluster.Cluster.Tests.Faults;

/// <summary>One /readyz answer: the HTTP status and each check's status by name.</summary>
public sealed record Readiness(HttpStatusCode Status, IReadOnlyDictionary<string, string> Checks)
{
    public string Check(string name) => Checks.TryGetValue(name, out var status) ? status : "(missing)";

    public override string ToString() => $"{(int)Status} {string.Join(", ", Checks.Select(c => c.Key + "=" + c.Value))}";
}

/// <summary>What the fault tests observe from outside the nodes: readiness, memory, and who still misses which message.</summary>
public static class FaultProbes
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public static async Task<Readiness> ReadinessAsync(Uri node)
    {
        using var response = await Http.GetAsync(new Uri(node, "/readyz"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString()!, StringComparer.Ordinal);
        return new Readiness(response.StatusCode, checks);
    }

    /// <summary>Polls /readyz of every listed node until <paramref name="expected"/> holds for each, within <paramref name="within"/>; answers the last readings.</summary>
    public static async Task<IReadOnlyList<Readiness>> WaitForReadinessAsync(
        ClusterFixture cluster, IEnumerable<int> nodes, Func<Readiness, bool> expected, string because, TimeSpan within)
    {
        var indexes = nodes.ToList();
        var deadline = Stopwatch.StartNew();
        var last = new Readiness[indexes.Count];
        while (true)
        {
            for (var i = 0; i < indexes.Count; i++)
            {
                try
                {
                    last[i] = await ReadinessAsync(cluster.Url(indexes[i]));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                    last[i] = new Readiness(0, new Dictionary<string, string> { ["error"] = ex.GetType().Name });
                }
            }

            if (last.All(expected))
            {
                return last;
            }

            if (deadline.Elapsed > within)
            {
                Assert.Fail($"Within {within.TotalSeconds:F0} s, {because} did not happen: {string.Join("; ", last.Select((r, i) => $"node-{indexes[i]} {r}"))}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The resident memory of a process, in MB, from /proc; null when the process is gone.</summary>
    public static double? ResidentMegabytes(int processId)
    {
        try
        {
            var line = File.ReadLines($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The acknowledged messages that some client has not processed yet (live or through Sync), as "client: conversation#sequence".
    /// Every client must hold every acknowledged message of the conversations it was declared for.
    /// </summary>
    public static IReadOnlyList<string> Missing(DeliveryChecker checker, IEnumerable<(PortalClient Client, IReadOnlyCollection<string> Conversations)> clients)
    {
        var acknowledged = checker.Acknowledged
            .GroupBy(a => a.ConversationId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Sequence).ToHashSet(), StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var (client, conversations) in clients)
        {
            foreach (var conversation in conversations)
            {
                if (!acknowledged.TryGetValue(conversation, out var sequences))
                {
                    continue;
                }

                var received = checker.ReceivedOrder(client.Name, conversation).ToHashSet();
                missing.AddRange(sequences.Where(s => !received.Contains(s)).Select(s => $"{client.Name}: {conversation}#{s}"));
            }
        }

        return missing;
    }
}
