using Cluster.Api.Auth;
using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// Claimed and Transferred tell the care side who lost the conversation through the change, and only them: the
/// members and assignee of before or after the change, never someone else who holds a care-team role.
/// </summary>
public sealed class HubCareChangeDeliveryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Changed = nameof(IMessagingClient.ConversationChanged);
    private static readonly string Clerk = DemoUsers.Clerk.UserId;
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_staff_member_who_reads_a_conversation_only_as_a_proxy_is_not_told_of_its_claim_or_transfer_as_staff()
    {
        // The clerk (front desk and billing) is also the patient's proxy: the patient's events reach the clerk's feed.
        var patient = await _portal.NewPatientAsync();
        await _portal.RegisterProxyAsync(Clerk);
        await _portal.GrantProxyAsync(patient, Clerk);
        await using var asStaff = await _portal.ConnectAsync(Clerk, UserRole.Staff);
        await using var asProxy = await _portal.ConnectAsync(Clerk, UserRole.Proxy);
        var conversation = await _portal.StartConversationAsync(patient);

        await _portal.ReleaseAsync(conversation);
        await _portal.ClaimAsync(conversation, DemoUsers.Nurse.UserId);
        await _portal.TransferToTeamAsync(conversation, "nurses", DemoUsers.Nurse.UserId);
        await asProxy.NextAsync(Changed, where: e => e.IsAbout(conversation) && ChangeOf(e) == nameof(ConversationChange.Transferred));
        // Sentinel: a billing question reaches the clerk as staff after everything above.
        var sentinel = await _portal.StartConversationAsync(await _portal.NewPatientAsync(), Topic.Billing);
        await asStaff.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(sentinel));

        Assert.DoesNotContain(asStaff.Pushes, p => p.Event.IsAbout(conversation));
        Assert.DoesNotContain((await asStaff.SyncAllAsync(0)).Events, e => e.IsAbout(conversation));
        var asProxySync = (await asProxy.SyncAllAsync(0)).Events.Where(e => e.IsAbout(conversation) && e.Type == Changed).Select(e => ChangeOf(e));
        Assert.Equal([nameof(ConversationChange.Started), nameof(ConversationChange.Released), nameof(ConversationChange.Claimed), nameof(ConversationChange.Transferred)], asProxySync);
    }

    [Fact]
    public async Task The_clinician_a_colleague_transfers_a_conversation_away_from_is_told_of_it_and_so_are_the_new_team()
    {
        var patient = await _portal.NewPatientAsync();
        await using var physician = await _portal.ConnectClinicianAsync();
        await using var clerk = await _portal.ConnectAsync(Clerk, UserRole.Staff);
        var conversation = await _portal.StartConversationAsync(patient);

        await _portal.TransferToTeamAsync(conversation, "billing", DemoUsers.Nurse.UserId);

        var told = await physician.NextAsync(Changed, where: e => e.IsAbout(conversation) && ChangeOf(e) == nameof(ConversationChange.Transferred));
        await clerk.NextAsync(Changed, where: e => e.IsAbout(conversation) && ChangeOf(e) == nameof(ConversationChange.Transferred));
        var previous = told.Data.GetProperty("previous");
        Assert.Equal("clinical", previous.GetProperty("careTeamId").GetString());
        Assert.Equal(Portal.Clinician, previous.GetProperty("assignedClinicianId").GetString());
        Assert.Contains((await physician.SyncAllAsync(0)).Events, e => e.IsAbout(conversation) && ChangeOf(e) == nameof(ConversationChange.Transferred));
    }

    [Fact]
    public async Task Pool_members_who_did_not_claim_are_told_of_the_claim()
    {
        var patient = await _portal.NewPatientAsync();
        await using var nurse = await _portal.ConnectAsync(DemoUsers.Nurse.UserId, UserRole.Clinician);
        var conversation = await _portal.StartConversationAsync(patient);
        await _portal.ReleaseAsync(conversation);

        await _portal.ClaimAsync(conversation, Portal.Clinician);

        var claimed = await nurse.NextAsync(Changed, where: e => e.IsAbout(conversation) && ChangeOf(e) == nameof(ConversationChange.Claimed));
        Assert.Equal(Portal.Clinician, claimed.Data.GetProperty("conversation").GetProperty("assignedClinicianId").GetString());
    }

    private static string? ChangeOf(ClientEvent e) =>
        e.Type == Changed && e.Data.TryGetProperty("change", out var change) ? change.GetString() : null;
}
