using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Testing.Hub;
using Cluster.Testing.Nodes;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests.Faults;

/// <summary>Fault test 3: PostgreSQL restarted while senders keep sending, over the hub and over REST.</summary>
[Collection(ClusterCollection.Name)]
public sealed class PostgresRestartTests(ClusterFixture cluster, ITestOutputHelper output) : IClassFixture<ClusterFixture>
{
    private const int Patients = 6;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FailWithin = TimeSpan.FromSeconds(5);

    // A send that starts this long after PostgreSQL accepts connections again must succeed: the nodes recover by
    // themselves (no restart) and no connection the restart broke is handed to a request.
    private static readonly TimeSpan RecoverWithin = TimeSpan.FromSeconds(1);

    [Fact(Timeout = 90_000)]
    public async Task Restarting_PostgreSQL_during_sends_fails_them_fast_as_retryable_acknowledges_nothing_uncommitted_and_recovers_without_restarting_nodes()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = Patients, Clinicians = 2 });
        var conversations = await cluster.StartConversationsAsync(organisation);

        var checker = new DeliveryChecker();
        var clients = new List<PortalClient>();
        var attempts = new ConcurrentQueue<Attempt>();
        using var stopSending = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            for (var p = 0; p < Patients; p++)
            {
                var patient = organisation.Patients[p];
                clients.Add(await PortalClient.ConnectAsync(cluster, p % cluster.NodeCount, patient, UserRole.Patient, checker, [conversations[patient]]));
            }

            foreach (var clinician in organisation.Clinicians)
            {
                for (var node = 0; node < cluster.NodeCount; node++)
                {
                    clients.Add(await PortalClient.ConnectAsync(cluster, node, clinician, UserRole.Clinician, checker, conversations.Values, name: $"{clinician}@node{node}"));
                }
            }

            var processes = cluster.Nodes.ToDictionary(n => n.Index, n => n.ProcessId);
            var clock = Stopwatch.StartNew();
            var senders = new List<Task>();
            // Patients send over the hub, each on its node.
            senders.AddRange(clients.Where(c => c.Role == UserRole.Patient).Select(client =>
                SendUntilStoppedAsync(m => "p-" + m.ToString(CultureInfo.InvariantCulture), (id, _) => SendOverHubAsync(client, conversations[client.UserId], id, clock),
                    attempts, stopSending.Token)));
            // Each clinician answers over REST, one node after the other.
            var ids = conversations.Values.ToList();
            senders.AddRange(organisation.Clinicians.Select((clinician, c) =>
                SendUntilStoppedAsync(m => "c-" + m.ToString(CultureInfo.InvariantCulture),
                    (id, m) => SendOverRestAsync(http, (m + c) % cluster.NodeCount, clinician, ids[m % ids.Count], id, checker, clock), attempts, stopSending.Token)));
            var workload = Task.WhenAll(senders);

            await Eventually.AssertAsync(() => checker.Acknowledged.Count >= 20 || workload.IsCompleted, "the workload is under way", TimeSpan.FromSeconds(20));

            // The outage: a fast shutdown ends the open sessions; pooled connections break.
            await cluster.Postgres.StopAsync();
            var stoppedAt = clock.Elapsed;
            var unready = await FaultProbes.WaitForReadinessAsync(cluster, cluster.RunningNodes,
                r => r.Status == HttpStatusCode.ServiceUnavailable && r.Check("storage") == "Unhealthy",
                "every node reporting storage Unhealthy (503)", TimeSpan.FromSeconds(5));
            output.WriteLine($"readiness while PostgreSQL is down: {string.Join("; ", unready)}");
            // The length of the outage is the fault itself, not a wait for something to happen.
            await Task.Delay(Outage - (clock.Elapsed - stoppedAt));
            await cluster.Postgres.StartAsync();
            var startedAt = clock.Elapsed;
            output.WriteLine($"PostgreSQL stopped at {stoppedAt.TotalSeconds:F1} s, accepting again at {startedAt.TotalSeconds:F1} s");

            await FaultProbes.WaitForReadinessAsync(cluster, cluster.RunningNodes, r => r.Status == HttpStatusCode.OK && r.Check("storage") == "Healthy",
                "every node reporting storage Healthy again", TimeSpan.FromSeconds(5));
            await Task.Delay(TimeSpan.FromSeconds(3)); // senders keep going on the recovered cluster for a moment
            await stopSending.CancelAsync();
            await workload.WaitAsync(TimeSpan.FromSeconds(60));

            var all = attempts.ToList();
            var failed = all.Where(a => !a.Ok).ToList();
            var duringOutage = failed.Count(a => a.StartedAt >= stoppedAt && a.StartedAt < startedAt);
            output.WriteLine($"{all.Count} send attempts, {all.Count(a => a.Ok)} acknowledged, {failed.Count} refused ({duringOutage} started during the outage); "
                + $"refusals took at most {(failed.Count == 0 ? 0 : failed.Max(a => a.Took.TotalMilliseconds)):F0} ms (median "
                + $"{(failed.Count == 0 ? 0 : failed.OrderBy(a => a.Took).ElementAt(failed.Count / 2).Took.TotalMilliseconds):F0} ms)");
            foreach (var kind in failed.GroupBy(a => $"{a.Via} {a.Status} {a.Code} retry-after {a.RetryAfter?.ToString(CultureInfo.InvariantCulture) ?? "none"}"))
            {
                output.WriteLine($"  {kind.Count()} x {kind.Key}");
            }

            Assert.True(duringOutage > 0, "No send was attempted while PostgreSQL was down; the test proves nothing.");
            // Every refusal is the retryable "unavailable", with a time to retry, and came back fast instead of hanging.
            Assert.All(failed, a =>
            {
                Assert.Equal("unavailable", a.Code);
                Assert.True(a.RetryAfter is > 0, $"{a} carries no retry-after");
                Assert.True(a.Took < FailWithin, $"{a} took {a.Took.TotalMilliseconds:F0} ms to fail");
            });
            // No send that started once PostgreSQL was back (after a moment) failed: the nodes recovered by themselves.
            var lateFailures = failed.Where(a => a.StartedAt >= startedAt + RecoverWithin).ToList();
            Assert.True(lateFailures.Count == 0, $"{lateFailures.Count} sends failed after PostgreSQL was back: {string.Join("; ", lateFailures.Take(5))}");
            Assert.All(cluster.Nodes, n => Assert.Equal(processes[n.Index], n.ProcessId));

            foreach (var client in clients)
            {
                output.WriteLine(client.Describe());
            }

            // Acknowledged is stored (nothing acknowledged that was not committed), once, in order; every client converges.
            await Task.WhenAll(clients.Select(c => c.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\n" + cluster.Diagnostics(), ex);
        }
        finally
        {
            await stopSending.CancelAsync();
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>One try to send one message, as the sender saw it.</summary>
    private sealed record Attempt(string Via, string ClientMessageId, TimeSpan StartedAt, TimeSpan Took, bool Ok, int Status, string? Code, int? RetryAfter);

    /// <summary>Sends one message after the other, each retried with the same client message id until acknowledged (a short pause after a refusal).</summary>
    private static async Task SendUntilStoppedAsync(Func<int, string> idOf, Func<string, int, Task<Attempt>> attempt, ConcurrentQueue<Attempt> attempts, CancellationToken stop)
    {
        for (var m = 0; !stop.IsCancellationRequested; m++)
        {
            var id = idOf(m);
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var result = await attempt(id, m);
                attempts.Enqueue(result);
                if (result.Ok)
                {
                    break;
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"{id} was not acknowledged within 30 s: {result}");
                // Not cancelled by stop: a message once tried is retried until acknowledged, so the checks can count it.
                await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(150), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<Attempt> SendOverHubAsync(PortalClient client, string conversation, string id, Stopwatch clock)
    {
        var started = clock.Elapsed;
        // No retry inside: a call that hangs shows here as the client's call timeout (10 s), and fails the test.
        var result = await client.TrySendAsync(conversation, "Checking in about my refill, nothing urgent.", id);
        return new Attempt("hub", id, started, clock.Elapsed - started, result.Ok, result.Ok ? 200 : 0, result.Error?.Code, result.Error?.RetryAfterSeconds);
    }

    private async Task<Attempt> SendOverRestAsync(HttpClient http, int node, string clinician, string conversation, string id, DeliveryChecker checker, Stopwatch clock)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(cluster.Url(node), $"/api/v1/conversations/{conversation}/messages"))
        {
            Content = JsonContent.Create(new { body = "Thank you, we have noted it.", clientMessageId = id }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cluster.Token(clinician, UserRole.Clinician));
        var started = clock.Elapsed;
        using var response = await http.SendAsync(request);
        var took = clock.Elapsed - started;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
        {
            var message = body.RootElement.GetProperty("message");
            checker.RecordAcknowledged(new AcknowledgedSend(message.GetProperty("conversationId").GetString()!, clinician,
                message.GetProperty("clientMessageId").GetString()!, message.GetProperty("sequence").GetInt64(), body.RootElement.GetProperty("duplicate").GetBoolean()));
            return new Attempt("rest", id, started, took, true, (int)response.StatusCode, null, null);
        }

        // The header, where HTTP clients look; the problem document's code.
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)delta.TotalSeconds : null;
        var code = body.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        return new Attempt("rest", id, started, took, false, (int)response.StatusCode, code, retryAfter);
    }
}
