using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Feed;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 12: a patient lets a family member read, or read and send, for as long as the grant lasts; proxy messages are
/// marked as such; a teenager's private conversations stay private; grants made for a child end at 18.
/// </summary>
public sealed class ProxyTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task AReadOnlyProxyCanReadButTheirSendIsRefusedAndNothingIsStored()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
        var (id, _) = await portal.StartAsync(patient);

        var page = (await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).Unwrap();
        var sent = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Her fever is back.", Portal.NewClientId()));

        Assert.Single(page.Messages);
        Assert.Equal(ErrorCodes.ProxyScope, sent.Problem?.Code);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task AReadAndSendProxysMessageIsStoredOnBehalfOfThePatientAndMarkedAsProxy()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);

        var sent = await portal.SendAsync(id, proxy, "Her fever is back since last night.");

        var stored = (await portal.StoredMessagesAsync(id))[^1];
        Assert.Equal(sent.Message, stored);
        Assert.Equal((proxy.UserId, UserRole.Proxy, patient.UserId), (stored.SenderId, stored.SenderRole, stored.OnBehalfOf));
        Assert.True(stored.Flags.HasFlag(MessageFlags.Proxy));
    }

    [Fact]
    public async Task AReadAndSendProxyCanStartAConversationForThePatientMarkedAsProxy()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);

        var (id, started) = await portal.StartAsync(proxy, patientId: patient.UserId, topic: Topic.Appointment, body: "Can my father move his visit?");

        Assert.Equal(patient.UserId, started.Conversation.PatientId);
        var stored = Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Equal(patient.UserId, stored.OnBehalfOf);
        Assert.True(stored.Flags.HasFlag(MessageFlags.Proxy));
        Assert.Contains(id, (await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task RevokingStopsReadsAndEventsAtOnce()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, Portal.Doctor, "Please come in on Friday.");
        var eventsBeforeRevoke = await ConversationEventsAsync(proxy, id);

        (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();
        var read = await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50);
        var view = await portal.Conversation(id).GetAsync(proxy);
        var sent = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "We will be there.", Portal.NewClientId()));
        await portal.SendAsync(id, Portal.Doctor, "Bring your medication list.");
        await portal.SendAsync(id, patient, "Will do.");

        Assert.Contains(eventsBeforeRevoke, e => e.Type == nameof(MessageCreated));
        Assert.Equal(ErrorCodes.ProxyRevoked, read.Problem?.Code);
        Assert.Equal(ErrorCodes.ProxyRevoked, view.Problem?.Code);
        Assert.Equal(ErrorCodes.ProxyRevoked, sent.Problem?.Code);
        Assert.Equal(eventsBeforeRevoke.Select(e => e.EventId), (await ConversationEventsAsync(proxy, id)).Select(e => e.EventId));
        Assert.DoesNotContain(await portal.StoredMessagesAsync(id), m => m.SenderId == proxy.UserId);
    }

    [Fact]
    public async Task AnExpiredGrantAllowsNothing()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId);
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend, portal.Clock.GetUtcNow().AddHours(1));
        var (id, _) = await portal.StartAsync(patient);
        Assert.True((await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).IsOk);

        await portal.AdvanceAsync(TimeSpan.FromHours(2));
        var eventsAtExpiry = await ConversationEventsAsync(proxy, id);
        var conversation = portal.Conversation(id);
        var refusals = new[]
        {
            (await conversation.GetAsync(proxy)).Problem,
            (await conversation.GetMessagesAsync(proxy, null, null, 50)).Problem,
            (await conversation.MarkReadAsync(new MarkReadRequest(proxy, 1))).Problem,
            (await conversation.SendAsync(new SendMessageRequest(proxy, "Any news?", Portal.NewClientId()))).Problem,
            (await portal.Conversation(Portal.NewConversationId()).StartAsync(
                new StartConversationRequest(proxy, patient.UserId, Topic.Appointment, "Visit", "Can we move it?", Portal.NewClientId()))).Problem,
        };
        await portal.SendAsync(id, Portal.Doctor, "Your results are in.");

        Assert.All(refusals, problem => Assert.Equal(ErrorCodes.ProxyExpired, problem?.Code));
        Assert.DoesNotContain(await portal.StoredMessagesAsync(id), m => m.SenderId == proxy.UserId);
        Assert.Single((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
        Assert.Equal(eventsAtExpiry.Count, (await ConversationEventsAsync(proxy, id)).Count);
        var grant = Assert.Single((await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies);
        Assert.False(grant.Active);
        Assert.Equal(ErrorCodes.ProxyExpired, grant.InactiveReason);
    }

    [Fact]
    public async Task AProxyCannotReadATeenagersPrivateConversationButCanReadTheOthers()
    {
        var patient = await portal.NewPatientAsync(dateOfBirth: BornYearsAgo(15));
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (privateId, _) = await portal.StartAsync(patient, body: "I have a question about contraception.", isPrivate: true);
        var (sharedId, _) = await portal.StartAsync(patient, topic: Topic.Appointment, body: "Can I move my visit?");

        var privateRead = await portal.Conversation(privateId).GetMessagesAsync(proxy, null, null, 50);
        var privateSend = await portal.Conversation(privateId).SendAsync(new SendMessageRequest(proxy, "What did she ask?", Portal.NewClientId()));
        var sharedRead = await portal.Conversation(sharedId).GetMessagesAsync(proxy, null, null, 50);

        Assert.Equal(ErrorCodes.ProxyPrivate, privateRead.Problem?.Code);
        Assert.Equal(ErrorCodes.ProxyPrivate, privateSend.Problem?.Code);
        Assert.Single(await portal.StoredMessagesAsync(privateId));
        Assert.Empty(await ConversationEventsAsync(proxy, privateId));
        Assert.Single(sharedRead.Unwrap().Messages);
        Assert.NotEmpty(await ConversationEventsAsync(proxy, sharedId));
    }

    [Fact]
    public async Task ATeenagerMarkingAConversationPrivateHidesItFromTheirProxy()
    {
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId, BornYearsAgo(16));
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
        var (id, _) = await portal.StartAsync(patient);
        Assert.True((await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).IsOk);

        (await portal.Conversation(id).SetPrivateAsync(patient, isPrivate: true)).Unwrap();
        var eventsAfterHiding = await ConversationEventsAsync(proxy, id);
        await portal.SendAsync(id, Portal.Doctor, "Let us talk about this at your visit.");

        Assert.Equal(ErrorCodes.ProxyPrivate, (await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).Problem?.Code);
        Assert.Equal(eventsAfterHiding.Count, (await ConversationEventsAsync(proxy, id)).Count);
    }

    [Fact]
    public async Task AProxyOfAChildUnderTwelveStillReadsAConversationMarkedPrivate()
    {
        var patient = await portal.NewPatientAsync(dateOfBirth: BornYearsAgo(10));
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
        var (id, _) = await portal.StartAsync(patient, isPrivate: true);

        Assert.Single((await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).Unwrap().Messages);
    }

    [Fact]
    public async Task AGrantMadeWhileThePatientWasAMinorEndsAtEighteen()
    {
        var eighteenthBirthday = DateOnly.FromDateTime(portal.Clock.GetUtcNow().UtcDateTime).AddDays(3);
        var patient = await portal.NewPatientAsync(Portal.Doctor.UserId, eighteenthBirthday.AddYears(-18));
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, proxy, "Sent while she is still 17.");

        await portal.AdvanceAsync(TimeSpan.FromDays(4));
        var eventsAtEighteen = await ConversationEventsAsync(proxy, id);
        var read = await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50);
        var sent = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Sent after she turned 18.", Portal.NewClientId()));
        await portal.SendAsync(id, Portal.Doctor, "Happy birthday; this answer is for you alone now.");

        Assert.Equal(ErrorCodes.ProxyAgeEnded, read.Problem?.Code);
        Assert.Equal(ErrorCodes.ProxyAgeEnded, sent.Problem?.Code);
        Assert.DoesNotContain(await portal.StoredMessagesAsync(id), m => m.SenderId == proxy.UserId && m.Sequence > 2);
        Assert.Equal(eventsAtEighteen.Count, (await ConversationEventsAsync(proxy, id)).Count);
        var grant = Assert.Single((await portal.Patient(patient).GetAsync(patient)).Unwrap().Proxies);
        Assert.Equal((false, ErrorCodes.ProxyAgeEnded), (grant.Active, grant.InactiveReason));
    }

    [Fact]
    public async Task AnAdultPatientCanGrantAccessAgainAfterTheChildhoodGrantEnded()
    {
        var eighteenthBirthday = DateOnly.FromDateTime(portal.Clock.GetUtcNow().UtcDateTime).AddDays(2);
        var patient = await portal.NewPatientAsync(dateOfBirth: eighteenthBirthday.AddYears(-18));
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.Read);
        var (id, _) = await portal.StartAsync(patient);
        await portal.AdvanceAsync(TimeSpan.FromDays(3));
        var ended = await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50);

        (await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(proxy.UserId, ProxyScope.Read, null))).Unwrap();

        Assert.Equal(ErrorCodes.ProxyAgeEnded, ended.Problem?.Code);
        Assert.True((await portal.Conversation(id).GetMessagesAsync(proxy, null, null, 50)).IsOk);
    }

    /// <summary>A date of birth that makes the patient exactly <paramref name="years"/> old on the portal's clock.</summary>
    private DateOnly BornYearsAgo(int years) => DateOnly.FromDateTime(portal.Clock.GetUtcNow().UtcDateTime).AddYears(-years);

    private async Task<List<FeedEvent>> ConversationEventsAsync(Actor user, string conversationId) =>
        (await portal.FeedAsync(user.UserId)).Where(e => e.Payload.Contains(conversationId, StringComparison.Ordinal)).ToList();
}
