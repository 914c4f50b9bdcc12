using System.Collections.Concurrent;
using System.Globalization;
using Cluster.Api.Realtime;
using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Xunit.Abstractions;

namespace Cluster.Cluster.Tests.Faults;

/// <summary>Three nodes whose patients may send <see cref="HourlyLimit"/> messages an hour (the product default is 5).</summary>
public sealed class HourlyLimitCluster : ClusterFixture
{
    public const int HourlyLimit = 6;

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Messaging__PatientMessagesPerHour"] = HourlyLimit.ToString(CultureInfo.InvariantCulture);
        settings["Messaging__PatientMessagesPerDay"] = "100";
    }
}

/// <summary>Fault test 6: the per-patient hourly limit holds across nodes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RateLimitAcrossNodesTests(HourlyLimitCluster cluster, ITestOutputHelper output) : IClassFixture<HourlyLimitCluster>
{
    private const int Limit = HourlyLimitCluster.HourlyLimit;

    [Fact(Timeout = 60_000)]
    public async Task Three_connections_on_three_nodes_sending_twice_the_hourly_limit_store_exactly_the_limit()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = 1, Clinicians = 1 });
        var patient = organisation.Patients[0];
        // Starting the conversation is the first of the hour's messages.
        var conversation = await cluster.StartConversationAsync(patient);
        var checker = new DeliveryChecker();
        var devices = new List<PortalClient>();
        try
        {
            for (var node = 0; node < cluster.NodeCount; node++)
            {
                devices.Add(await PortalClient.ConnectAsync(cluster, node, patient, UserRole.Patient, checker, [conversation], name: $"{patient}@node{node}"));
            }

            // The other 2 x limit - 1 messages, spread over the three connections and sent at once.
            var sends = Enumerable.Range(0, (2 * Limit) - 1).ToList();
            var accepted = new ConcurrentBag<MessageSent>();
            var refused = new ConcurrentBag<HubError>();
            await Task.WhenAll(devices.Select((device, d) => Task.Run(async () =>
            {
                foreach (var m in sends.Where(m => m % devices.Count == d))
                {
                    var (sent, error) = await SendOnceAcceptedOrRefusedAsync(device, conversation, "limit-" + m.ToString(CultureInfo.InvariantCulture));
                    if (sent is not null)
                    {
                        accepted.Add(sent);
                    }
                    else
                    {
                        refused.Add(error!);
                    }
                }
            }))).WaitAsync(TimeSpan.FromSeconds(40));

            output.WriteLine($"{sends.Count + 1} messages sent in all (the start included): {accepted.Count + 1} accepted, {refused.Count} refused");
            foreach (var device in devices)
            {
                output.WriteLine(device.Describe());
            }

            Assert.Equal(Limit - 1, accepted.Count);
            Assert.Equal(Limit, refused.Count);
            Assert.All(refused, e =>
            {
                Assert.Equal("rate_limited", e.Code);
                Assert.True(e.RetryAfterSeconds is > 0, $"{e} says nothing about when to try again");
            });

            var stored = await cluster.Database.MessagesAsync([conversation]);
            Assert.Equal(Limit, stored.Count(m => m.SenderId == patient));

            await Task.WhenAll(devices.Select(c => c.SettleAsync()));
            await checker.AssertAllAsync(cluster.Database);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(ex.Message + "\n" + cluster.Diagnostics(), ex);
        }
        finally
        {
            await Task.WhenAll(devices.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>
    /// Sends one message until it is accepted or refused for the limit. "unavailable" (the three nodes racing for the same
    /// grains can exhaust a turn's attempts) is retried with the same client message id, as a client does.
    /// </summary>
    private static async Task<(MessageSent? Sent, HubError? Error)> SendOnceAcceptedOrRefusedAsync(PortalClient device, string conversation, string clientMessageId)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await device.TrySendAsync(conversation, "Another question about my medication schedule.", clientMessageId);
            if (result.Ok)
            {
                return (result.Value, null);
            }

            if (result.Error!.Code != "unavailable" || attempt == 20)
            {
                return (null, result.Error);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
