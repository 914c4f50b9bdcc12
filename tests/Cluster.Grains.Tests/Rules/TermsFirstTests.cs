using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Abstractions.Patients;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>Rule 1: nobody sends before accepting the current messaging terms; starting returns the notice and the deadline.</summary>
public sealed class TermsFirstTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task APatientWhoHasNotAcceptedTheTermsCannotStartAConversationAndNothingIsStored()
    {
        var patient = await portal.NewPatientAsync(acceptTerms: false);
        var id = Portal.NewConversationId();

        var outcome = await portal.Conversation(id).StartAsync(new StartConversationRequest(patient, patient.UserId, Topic.Appointment, "Visit", "Can I move my visit?", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.TermsNotAccepted, outcome.Problem?.Code);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Empty((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(patient)).Problem?.Code);
    }

    [Fact]
    public async Task StartingAConversationReturnsTheNoticeAndTheExpectedReplyTime()
    {
        var patient = await portal.NewPatientAsync();

        var (_, started) = await portal.StartAsync(patient, topic: Topic.Appointment);

        Assert.Contains("911", started.Notice, StringComparison.Ordinal);
        Assert.Contains("non-urgent", started.Notice, StringComparison.Ordinal);
        // Monday 10:00 in New York, two business days: Wednesday 17:00 New York time.
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 17, 0, 0, TimeSpan.FromHours(-5)), started.ExpectedReplyBy);
    }

    [Fact]
    public async Task AcceptingAnOutdatedVersionIsRefused()
    {
        var patient = await portal.NewPatientAsync(acceptTerms: false);

        var outcome = await portal.Patient(patient).AcceptTermsAsync(patient, "1999-01");

        Assert.Equal(ErrorCodes.TermsVersionMismatch, outcome.Problem?.Code);
        Assert.False((await portal.Patient(patient).GetTermsAsync(patient)).Unwrap().Accepted);
    }

    [Fact]
    public async Task AProxyMustAcceptTheTermsThemselvesBeforeSending()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var proxy = await portal.NewProxyAccountAsync();
        (await portal.Patient(patient).GrantProxyAsync(patient, new GrantProxyRequest(proxy.UserId, ProxyScope.ReadAndSend, null))).Unwrap();

        var refused = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Her fever is back.", Portal.NewClientId()));
        await portal.AcceptTermsAsync(patient, proxy);
        var accepted = await portal.Conversation(id).SendAsync(new SendMessageRequest(proxy, "Her fever is back.", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.TermsNotAccepted, refused.Problem?.Code);
        Assert.True(accepted.IsOk);
        Assert.Equal(2, (await portal.StoredMessagesAsync(id)).Count);
    }
}
