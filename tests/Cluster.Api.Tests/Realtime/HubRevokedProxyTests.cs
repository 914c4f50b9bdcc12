using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A proxy whose access the patient revoked gets nothing more from the patient's conversations, live or in Sync.</summary>
public sealed class HubRevokedProxyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Created = nameof(IMessagingClient.MessageCreated);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task Revoked_proxy_open_connection_receives_nothing_more_from_the_conversation()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        var otherPatient = await _portal.NewPatientAsync();
        await _portal.GrantProxyAsync(otherPatient, proxy);
        await using var proxyHub = await _portal.ConnectAsync(proxy, UserRole.Proxy);
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        await using var clinician = await _portal.ConnectClinicianAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        var seen = await proxyHub.NextAsync(Created, where: e => e.IsAbout(conversation));
        Assert.Equal(1, seen.Message().Sequence);
        var (_, head) = await proxyHub.SyncAllAsync(0);
        await proxyHub.WaitForCursorAsync(head);
        var beforeRevoke = proxyHub.Pushes.Count;

        await _portal.RevokeProxyAsync(patient, proxy);
        var afterRevoke = (await patientHub.SendMessageAsync(conversation, "Sent after my proxy's access ended.")).Value();
        (await patientHub.TypingAsync(conversation)).Value();
        (await clinician.MarkReadAsync(conversation, afterRevoke.Message.Sequence)).Value();
        (await clinician.SendMessageAsync(conversation, "Thanks, we will call you tomorrow.")).Value();
        (await clinician.TypingAsync(conversation)).Value();
        // Sentinel: a conversation of the other patient, whose grant stands, reaches the proxy after all of the above.
        var sentinel = await _portal.StartConversationAsync(otherPatient);
        await proxyHub.NextAsync(Created, where: e => e.IsAbout(sentinel));

        var pushedSinceRevoke = proxyHub.Pushes.Skip(beforeRevoke).ToList();
        Assert.Contains(pushedSinceRevoke, p => p.Event.IsAbout(sentinel));
        Assert.DoesNotContain(pushedSinceRevoke, p => p.Event.IsAbout(conversation));
        Assert.DoesNotContain(proxyHub.Pushes, p => p.Method == nameof(IMessagingClient.Typing));
    }

    [Fact]
    public async Task Revoked_proxy_sync_leaves_out_the_conversation_even_its_earlier_events()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        var otherPatient = await _portal.NewPatientAsync();
        await _portal.GrantProxyAsync(otherPatient, proxy);
        await using var proxyHub = await _portal.ConnectAsync(proxy, UserRole.Proxy);
        var conversation = await _portal.StartConversationAsync(patient);
        var (beforeRevoke, _) = await proxyHub.SyncAllAsync(0);
        Assert.Contains(beforeRevoke, e => e.Type == Created && e.IsAbout(conversation));

        await _portal.RevokeProxyAsync(patient, proxy);
        var other = await _portal.StartConversationAsync(otherPatient);

        var (afterRevoke, next) = await proxyHub.SyncAllAsync(0);
        Assert.DoesNotContain(afterRevoke, e => e.IsAbout(conversation));
        Assert.Contains(afterRevoke, e => e.Type == Created && e.IsAbout(other));
        Assert.True(next >= afterRevoke.Max(e => e.Cursor));
    }

    [Fact]
    public async Task Revoked_proxy_hub_calls_on_the_conversation_are_refused()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        await _portal.AcceptTermsAsync(patient, new Actor(proxy, UserRole.Proxy));
        await using var proxyHub = await _portal.ConnectAsync(proxy, UserRole.Proxy);
        var conversation = await _portal.StartConversationAsync(patient);
        (await proxyHub.SendMessageAsync(conversation, "Writing for my mother while she rests.")).Value();

        await _portal.RevokeProxyAsync(patient, proxy);

        var send = await proxyHub.SendMessageAsync(conversation, "One more on her behalf.");
        var typing = await proxyHub.TypingAsync(conversation);
        var read = await proxyHub.MarkReadAsync(conversation, 1);
        Assert.False(send.Ok);
        Assert.False(typing.Ok);
        Assert.False(read.Ok);
    }

    [Fact]
    public async Task Rate_limit_refusal_after_revoking_a_proxy_who_sent_nothing_tells_the_patient_they_sent_the_messages()
    {
        var patient = await _portal.NewPatientAsync();
        var proxy = await _portal.NewProxyAsync(patient);
        await _portal.RevokeProxyAsync(patient, proxy);
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        for (var i = 0; i < 4; i++)
        {
            (await patientHub.SendMessageAsync(conversation, $"Follow-up {i}.")).Value();
        }

        var refused = await patientHub.SendMessageAsync(conversation, "One too many.");

        Assert.Equal(ErrorCodes.RateLimited, refused.Error?.Code);
        Assert.StartsWith("You have sent 5 messages in the last hour", refused.Error!.Message, StringComparison.Ordinal);
    }
}
