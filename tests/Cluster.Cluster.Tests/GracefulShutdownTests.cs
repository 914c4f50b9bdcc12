using Cluster.Cluster.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Cluster.Tests;

/// <summary>A node that is stopped (SIGTERM) tells its clients to reconnect elsewhere and exits cleanly.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GracefulShutdownTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact(Timeout = 60_000)]
    public async Task A_stopped_node_closes_its_connections_with_a_reconnect_hint_and_exits_0()
    {
        await cluster.EnsureAllRunningAsync();
        var organisation = await cluster.SetUpOrganisationAsync(new OrganisationSpec { Patients = 1, Clinicians = 1 });
        await using var patient = await cluster.ConnectAsync(1, organisation.Patients[0], UserRole.Patient);
        await using var clinician = await cluster.ConnectAsync(1, organisation.Clinicians[0], UserRole.Clinician);

        var exitCode = await cluster.StopNodeAsync(1);
        var closes = await Task.WhenAll(patient.WaitClosedAsync(TimeSpan.FromSeconds(20)), clinician.WaitClosedAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(0, exitCode);
        Assert.All(closes, close =>
        {
            Assert.True(close.FromCloseFrame, "the node sends a close message before it goes");
            Assert.True(close.AllowReconnect, "the close message allows the client to reconnect");
        });
    }
}
