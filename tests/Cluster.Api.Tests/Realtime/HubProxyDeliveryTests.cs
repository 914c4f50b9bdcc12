using System.Net;
using Cluster.Api.Auth;
using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// A patient's conversation reaches, live and in Sync, only those who may read it when the event is delivered:
/// naming someone in a grant does not put the patient's text into their feed.
/// </summary>
public sealed class HubProxyDeliveryTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Created = nameof(IMessagingClient.MessageCreated);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_grant_to_a_patient_or_a_staff_member_is_refused_and_they_receive_nothing_of_the_conversation()
    {
        var patient = await _portal.NewPatientAsync();
        var otherPatient = await _portal.NewPatientAsync();
        await using var otherHub = await _portal.ConnectPatientAsync(otherPatient);
        await using var clerkHub = await _portal.ConnectAsync(DemoUsers.Clerk.UserId, UserRole.Staff);

        foreach (var grantee in new[] { otherPatient, DemoUsers.Clerk.UserId, DemoUsers.Admin.UserId })
        {
            var (status, body) = await _portal.TryGrantProxyAsync(patient, grantee);
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Equal(ErrorCodes.ProxyNotFound, body.GetProperty("code").GetString());
        }

        var conversation = await _portal.StartConversationAsync(patient, "A subject and body only my care team should read.");
        var sentinel = await _portal.StartConversationAsync(otherPatient);
        await otherHub.NextAsync(Created, where: e => e.IsAbout(sentinel));

        Assert.DoesNotContain(otherHub.Pushes, p => p.Event.IsAbout(conversation));
        Assert.DoesNotContain(clerkHub.Pushes, p => p.Event.IsAbout(conversation));
        Assert.DoesNotContain((await otherHub.SyncAllAsync(0)).Events, e => e.IsAbout(conversation));
        Assert.DoesNotContain((await clerkHub.SyncAllAsync(0)).Events, e => e.IsAbout(conversation));
    }

    [Fact]
    public async Task A_patient_who_also_holds_a_proxy_account_gets_another_patients_conversation_only_when_acting_as_their_proxy()
    {
        var patient = await _portal.NewPatientAsync();
        var caregiver = await _portal.NewPatientAsync();
        await _portal.RegisterProxyAsync(caregiver);
        await _portal.GrantProxyAsync(patient, caregiver);
        await using var asPatient = await _portal.ConnectPatientAsync(caregiver);
        await using var asProxy = await _portal.ConnectAsync(caregiver, UserRole.Proxy);

        var conversation = await _portal.StartConversationAsync(patient);
        await asProxy.NextAsync(Created, where: e => e.IsAbout(conversation));
        var own = await _portal.StartConversationAsync(caregiver);
        await asPatient.NextAsync(Created, where: e => e.IsAbout(own));

        Assert.DoesNotContain(asPatient.Pushes, p => p.Event.IsAbout(conversation));
        Assert.DoesNotContain((await asPatient.SyncAllAsync(0)).Events, e => e.IsAbout(conversation));
        Assert.Contains((await asProxy.SyncAllAsync(0)).Events, e => e.Type == Created && e.IsAbout(conversation));
    }

    [Fact]
    public async Task After_a_revoke_and_a_new_grant_the_proxy_receives_the_patients_conversation_again()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        await _portal.RevokeProxyAsync(patient, proxy);
        await _portal.GrantProxyAsync(patient, proxy);
        await using var proxyHub = await _portal.ConnectAsync(proxy, UserRole.Proxy);

        var conversation = await _portal.StartConversationAsync(patient);

        await proxyHub.NextAsync(Created, where: e => e.IsAbout(conversation));
    }

    [Fact]
    public async Task A_clinician_who_transfers_a_conversation_away_is_told_of_the_transfer_and_receives_nothing_after_it()
    {
        var patient = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        await using var clinicianHub = await _portal.ConnectClinicianAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        await clinicianHub.NextAsync(Created, where: e => e.IsAbout(conversation));

        await _portal.TransferToTeamAsync(conversation, "billing");
        var transferred = await clinicianHub.NextAsync(nameof(IMessagingClient.ConversationChanged),
            where: e => e.IsAbout(conversation) && e.Data.GetProperty("change").GetString() == "Transferred");
        await clinicianHub.NextAsync(nameof(IMessagingClient.InboxChanged), where: e => e.IsAbout(conversation));
        var afterTransfer = clinicianHub.Pushes.Count;
        (await patientHub.SendMessageAsync(conversation, "Is there an update on my bill?")).Value();
        var sentinel = await _portal.StartConversationAsync(await _portal.NewPatientAsync());
        await clinicianHub.NextAsync(Created, where: e => e.IsAbout(sentinel));

        Assert.Equal("billing", transferred.Data.GetProperty("conversation").GetProperty("careTeamId").GetString());
        Assert.DoesNotContain(clinicianHub.Pushes.Skip(afterTransfer), p => p.Event.IsAbout(conversation) && p.Method != nameof(IMessagingClient.InboxChanged));
        Assert.Contains((await clinicianHub.SyncAllAsync(0)).Events, e => e.Type == nameof(IMessagingClient.ConversationChanged) && e.IsAbout(conversation));
    }
}
