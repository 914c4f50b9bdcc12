using Cluster.Grains.Abstractions.CareTeams;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Tests.Fixtures;
using Cluster.Testing;
using Cluster.Testing.Nodes;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rules 4 and 8 in a cluster: a patient's limits hold however their sends are spread over nodes, and a pool's
/// changed business calendar is what every node computes reply deadlines from.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class LimitsAndDeadlinesAcrossNodesOnPostgresTests(PostgresServer postgres)
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ConcurrentPatientSendsThroughTwoNodesAdmitNoMoreThanTheHourlyLimit()
    {
        await using var cluster = await PortalCluster.StartAsync(postgres);
        var patient = await PortalSetup.NewPatientAsync(cluster.A.Grains);
        var id = await cluster.StartConversationAsync(patient);
        var requests = Enumerable.Range(0, 10).Select(i => new SendMessageRequest(patient, $"Question {i}", Portal.NewClientId())).ToList();

        var outcomes = await Task.WhenAll(requests.Select((r, i) => cluster.Node(i).Grains.GetGrain<IConversationGrain>(id).SendAsync(r))).WaitAsync(Bound);

        // The first message took one of the five hourly slots.
        Assert.Equal(4, outcomes.Count(o => o.IsOk));
        Assert.All(outcomes.Where(o => !o.IsOk), o => Assert.Equal(ErrorCodes.RateLimited, o.Problem!.Code));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await PortalSetup.StoredMessagesAsync(cluster.A.Store, id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task ANodeThatAlreadyComputedADeadlineUsesThePoolsNewHolidaysAfterAReconfiguration()
    {
        // Invalidations on, as in a real cluster: node B learns that node A changed the pool.
        await using var cluster = await PortalCluster.StartAsync(postgres, sharedBackplane: true);
        var first = await PortalSetup.NewPatientAsync(cluster.B.Grains);
        // Monday 2 March 2026, 10:00 New York: Tuesday and Wednesday are the two business days.
        var before = await StartAppointmentAsync(cluster.B, first);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 17, 0, 0, TimeSpan.FromHours(-5)), before.ExpectedReplyBy);

        // Through node A, the front desk closes on Tuesday 3 and Wednesday 4 March.
        (await cluster.A.Grains.GetGrain<ICareTeamGrain>(Portal.FrontDesk).ConfigureAsync(Portal.Admin, new CareTeamSettings(
            Portal.FrontDesk, [Portal.Clerk.UserId], BusinessHours.WeekdaysEightToFive(Portal.TimeZone), [new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 4)]))).Unwrap();
        await Eventually.AssertAsync(
            async () => (await cluster.B.Grains.GetGrain<ICareTeamGrain>(Portal.FrontDesk).GetAsync(Portal.Admin)).Unwrap().Settings.Holidays.Count == 2,
            "node B sees the front desk's new holidays");

        var second = await PortalSetup.NewPatientAsync(cluster.B.Grains);
        var after = await StartAppointmentAsync(cluster.B, second);

        // Thursday and Friday are now the two business days.
        Assert.Equal(new DateTimeOffset(2026, 3, 6, 17, 0, 0, TimeSpan.FromHours(-5)), after.ExpectedReplyBy);
    }

    private static async Task<ConversationStarted> StartAppointmentAsync(TestNode node, Actor patient) =>
        (await node.Grains.GetGrain<IConversationGrain>(Portal.NewConversationId()).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.Appointment, "Visit", "Can I move my visit?", Portal.NewClientId()))).Unwrap();
}
