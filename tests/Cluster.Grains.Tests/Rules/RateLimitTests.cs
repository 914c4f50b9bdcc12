using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Auditing;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 4: a patient (with their proxies) sends at most 5 messages an hour and 20 a day, the first message of a
/// conversation included, and starts at most 3 conversations a day; clinicians and staff send at most 60 a minute.
/// A refusal says when the next attempt will work, waiting that long is enough, and a refused message is not stored.
/// </summary>
public sealed class RateLimitTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task ThePatientsSixthMessageInAnHourIsRefusedUntilTheOldestLeavesTheHour()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        for (var i = 0; i < 4; i++)
        {
            portal.Clock.Advance(TimeSpan.FromMinutes(10));
            await portal.SendAsync(id, patient, $"Follow-up {i}");
        }

        // Five messages at +0, +10, +20, +30 and +40 minutes: the first leaves the hour 20 minutes from now.
        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more thing.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromMinutes(20), refused.Problem!.RetryAfter);
        Assert.Contains("20 minutes", refused.Problem.Message, StringComparison.Ordinal);
        // A refused patient is still told where to turn if it cannot wait.
        Assert.Contains("911", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
        Assert.Contains(await portal.AuditAsync(id), a => a.Action == AuditActions.Send && a.Outcome == ErrorCodes.RateLimited);
        Assert.Equal(5, (await portal.EventsAsync<MessageCreated>(patient.UserId)).Count(e => e.ConversationId == id));

        portal.Clock.Advance(refused.Problem.RetryAfter!.Value);
        var allowed = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more thing.", Portal.NewClientId()));

        Assert.True(allowed.IsOk, allowed.Problem?.Message);
        Assert.Equal(6, allowed.Value!.Message.Sequence);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
    }

    [Fact]
    public async Task TheHourlyLimitCountsMessagesAcrossAllOfThePatientsConversations()
    {
        var patient = await portal.NewPatientAsync();
        var (first, _) = await portal.StartAsync(patient, topic: Topic.Appointment);
        var (second, _) = await portal.StartAsync(patient, topic: Topic.Billing);
        await portal.SendAsync(first, patient);
        await portal.SendAsync(second, patient);
        await portal.SendAsync(first, patient);

        var refused = await portal.Conversation(second).SendAsync(new SendMessageRequest(patient, "And another.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromHours(1), refused.Problem!.RetryAfter);
        Assert.Equal(2, (await portal.StoredMessagesAsync(second)).Count);
    }

    [Fact]
    public async Task TheTwentyFirstMessageInADayIsRefusedUntilTheOldestLeavesTheDay()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        // Four bursts of five, an hour apart: never more than five in an hour, twenty in the day.
        for (var burst = 0; burst < 4; burst++)
        {
            for (var i = burst == 0 ? 1 : 0; i < 5; i++)
            {
                await portal.SendAsync(id, patient, $"Burst {burst}, message {i}");
            }

            portal.Clock.Advance(TimeSpan.FromHours(1));
        }

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Twenty-first.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromHours(20), refused.Problem!.RetryAfter);
        Assert.Contains("24 hours", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("20 hours", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Equal(20, (await portal.StoredMessagesAsync(id)).Count);

        portal.Clock.Advance(refused.Problem.RetryAfter!.Value);
        var allowed = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Twenty-first.", Portal.NewClientId()));

        Assert.True(allowed.IsOk, allowed.Problem?.Message);
        Assert.Equal(21, (await portal.StoredMessagesAsync(id)).Count);
    }

    [Fact]
    public async Task AFourthConversationInADayIsRefusedAndNothingIsStarted()
    {
        var patient = await portal.NewPatientAsync();
        for (var i = 0; i < 3; i++)
        {
            await portal.StartAsync(patient, topic: Topic.Appointment);
            portal.Clock.Advance(TimeSpan.FromHours(1));
        }

        // Started at +0, +1 h and +2 h; it is now +3 h, so the first leaves the day in 21 hours.
        var id = Portal.NewConversationId();
        var request = new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", "Why was I charged twice?", Portal.NewClientId());
        var refused = await portal.Conversation(id).StartAsync(request);

        Assert.Equal(ErrorCodes.ConversationLimit, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromHours(21), refused.Problem!.RetryAfter);
        Assert.Contains("21 hours", refused.Problem.Message, StringComparison.Ordinal);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(patient)).Problem?.Code);
        Assert.Equal(3, (await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap().Count);
        Assert.DoesNotContain(await portal.EventsAsync<ConversationChanged>(patient.UserId), e => e.ConversationId == id);

        portal.Clock.Advance(refused.Problem.RetryAfter!.Value);
        var allowed = await portal.Conversation(id).StartAsync(request);

        Assert.True(allowed.IsOk, allowed.Problem?.Message);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task AProxysMessagesCountAgainstThePatientsHourlyLimit()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        for (var i = 0; i < 3; i++)
        {
            await portal.SendAsync(id, proxy, $"Her fever is {38 + i} degrees.");
        }

        await portal.SendAsync(id, patient, "I am feeling a bit better.");

        var proxyRefused = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Now it is 40.", Portal.NewClientId()));
        var patientRefused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "Actually not.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, proxyRefused.Problem?.Code);
        Assert.NotNull(proxyRefused.Problem!.RetryAfter);
        Assert.Equal(ErrorCodes.RateLimited, patientRefused.Problem?.Code);
        Assert.Equal(5, (await portal.StoredMessagesAsync(id)).Count);
        Assert.Contains(await portal.AuditAsync(id), a => a.ActorId == proxy.UserId && a.Outcome == ErrorCodes.RateLimited);
    }

    [Fact]
    public async Task AProxyWhoHasSentNothingIsToldThePatientsMessagesReachedTheLimitNotThatTheySentThem()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        for (var i = 0; i < 4; i++)
        {
            await portal.SendAsync(id, patient, $"Follow-up {i}");
        }

        var proxyRefused = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Adding a note for her.", Portal.NewClientId()));
        var patientRefused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, proxyRefused.Problem?.Code);
        Assert.DoesNotContain("You have sent", proxyRefused.Problem!.Message, StringComparison.Ordinal);
        Assert.StartsWith("Together, this patient and those acting for them have sent 5 messages in the last hour", proxyRefused.Problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.UserId, proxyRefused.Problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("You have sent 5 messages", patientRefused.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APatientWhoseOnlyProxyWasRevokedBeforeSendingAnythingIsToldTheySentTheirMessages()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();
        var (id, _) = await portal.StartAsync(patient);
        for (var i = 0; i < 4; i++)
        {
            await portal.SendAsync(id, patient, $"Follow-up {i}");
        }

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.StartsWith("You have sent 5 messages in the last hour", refused.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APatientWhoseRevokedProxySentPartOfTheWindowIsToldTheLimitIsShared()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(patient);
        await portal.SendAsync(id, proxy, "Her fever is 38 degrees.");
        (await portal.Patient(patient).RevokeProxyAsync(patient, proxy.UserId)).Unwrap();
        for (var i = 0; i < 3; i++)
        {
            await portal.SendAsync(id, patient, $"Follow-up {i}");
        }

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, "One more.", Portal.NewClientId()));

        Assert.StartsWith("Together, you and those acting for you have sent 5 messages in the last hour", refused.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProxyWhoSentEveryMessageInTheWindowIsToldTheySentThem()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        var (id, _) = await portal.StartAsync(proxy, patientId: patient.UserId);
        for (var i = 0; i < 4; i++)
        {
            await portal.SendAsync(id, proxy, $"Her fever is {37 + i} degrees.");
        }

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Now it is 41.", Portal.NewClientId()));

        Assert.StartsWith("You have sent 5 messages in the last hour", refused.Problem?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConversationsStartedByAProxyCountAgainstThePatientsDailyLimit()
    {
        var patient = await portal.NewPatientAsync();
        var proxy = await portal.NewProxyAsync(patient, ProxyScope.ReadAndSend);
        await portal.StartAsync(proxy, patientId: patient.UserId, topic: Topic.Appointment);
        await portal.StartAsync(proxy, patientId: patient.UserId, topic: Topic.PrescriptionRenewal);
        await portal.StartAsync(patient, topic: Topic.Billing);

        var id = Portal.NewConversationId();
        var refused = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.MedicalQuestion, "Rash", "I have a rash on my leg.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.ConversationLimit, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromDays(1), refused.Problem!.RetryAfter);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Equal(3, (await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap().Count);
    }

    [Fact]
    public async Task AClinicianMaySendSixtyMessagesAMinuteAndTheSixtyFirstWaits()
    {
        await AssertCareTeamMemberIsLimitedAsync(Portal.Nurse, Topic.PrescriptionRenewal);
    }

    [Fact]
    public async Task AStaffMemberMaySendSixtyMessagesAMinuteAndTheSixtyFirstWaits()
    {
        await AssertCareTeamMemberIsLimitedAsync(Portal.Clerk, Topic.Appointment);
    }

    [Fact]
    public async Task TheCareTeamIsNotHeldToThePatientLimits()
    {
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        for (var i = 0; i < 25; i++)
        {
            await portal.SendAsync(id, Portal.OtherDoctor, $"Instruction {i}");
        }

        Assert.Equal(26, (await portal.StoredMessagesAsync(id)).Count);
    }

    /// <summary>Thirty messages, twenty seconds later thirty more, then one too many: it waits until the first thirty are a minute old.</summary>
    private async Task AssertCareTeamMemberIsLimitedAsync(Actor member, Topic topic)
    {
        // The member may have written in this class's earlier tests; a minute later none of that counts.
        portal.Clock.Advance(TimeSpan.FromMinutes(1));
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: topic);
        for (var i = 0; i < 60; i++)
        {
            if (i == 30)
            {
                portal.Clock.Advance(TimeSpan.FromSeconds(20));
            }

            await portal.SendAsync(id, member, $"Reply {i}");
        }

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(member, "Sixty-first.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.RateLimited, refused.Problem?.Code);
        Assert.Equal(TimeSpan.FromSeconds(40), refused.Problem!.RetryAfter);
        Assert.Equal(61, (await portal.StoredMessagesAsync(id)).Count);
        Assert.Contains(await portal.AuditAsync(id), a => a.ActorId == member.UserId && a.Outcome == ErrorCodes.RateLimited);

        portal.Clock.Advance(refused.Problem.RetryAfter!.Value);
        var allowed = await portal.Conversation(id).SendAsync(new SendMessageRequest(member, "Sixty-first.", Portal.NewClientId()));

        Assert.True(allowed.IsOk, allowed.Problem?.Message);
        Assert.Equal(62, (await portal.StoredMessagesAsync(id)).Count);
    }
}
