using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Runtime.Backplane;
using Cluster.Runtime.Hosting;
using Cluster.Testing;
using Cluster.Testing.Nodes;

namespace Cluster.Grains.Tests.Fixtures;

/// <summary>
/// Two portal nodes over a fresh PostgreSQL database with one manual clock, seeded like <see cref="Portal"/>.
/// By default each node has its own in-process backplane, so no invalidation reaches the other node and every race
/// is settled by the store; with <c>sharedBackplane</c> they invalidate each other's activations as a real cluster does.
/// </summary>
public sealed class PortalCluster : IAsyncDisposable
{
    private PortalCluster(TestNode a, TestNode b, ManualClock clock) => (A, B, Clock) = (a, b, clock);

    public TestNode A { get; }

    public TestNode B { get; }

    public ManualClock Clock { get; }

    public static async Task<PortalCluster> StartAsync(PostgresServer postgres, bool sharedBackplane = false)
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new ManualClock(Portal.Start);
        var backplane = sharedBackplane ? new InProcessBackplane() : null;
        var a = await PortalSetup.StartNodeAsync(StorageProvider.PostgreSql, database, clock, backplane: backplane);
        TestNode? b = null;
        try
        {
            b = await PortalSetup.StartNodeAsync(StorageProvider.PostgreSql, database, clock, backplane: backplane);
            await PortalSetup.SeedAsync(a.Grains);
            return new PortalCluster(a, b, clock);
        }
        catch
        {
            if (b is not null)
            {
                await b.DisposeAsync();
            }

            await a.DisposeAsync();
            throw;
        }
    }

    /// <summary>Node A for even <paramref name="i"/>, node B for odd.</summary>
    public TestNode Node(int i) => i % 2 == 0 ? A : B;

    /// <summary>A medical question from a patient without a clinician, started through node A: it waits in the clinical pool, which every member may answer.</summary>
    public async Task<string> StartConversationAsync(Actor patient)
    {
        var id = Portal.NewConversationId();
        (await A.Grains.GetGrain<IConversationGrain>(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.MedicalQuestion, "Dizziness", "I get dizzy when I stand up.", Portal.NewClientId()))).Unwrap();
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
