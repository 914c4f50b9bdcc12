using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Typing notices: live only, to the other participants, at most one per user and conversation per interval (3 s).</summary>
public sealed class HubTypingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Typing = nameof(IMessagingClient.Typing);
    private const string ReadConfirmation = nameof(IMessagingClient.ReadConfirmation);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task Typing_reaches_the_other_participant_as_a_typing_push_with_cursor_zero()
    {
        var (patient, conversation) = await StartAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);

        Assert.True((await patientHub.TypingAsync(conversation)).Value());

        var notice = await clinician.NextAsync(Typing, where: e => e.IsAbout(conversation));
        Assert.Equal(Typing, notice.Type);
        Assert.Equal(0, notice.Cursor);
        Assert.NotEqual(Guid.Empty, notice.EventId);
        Assert.Equal(patient, notice.Data.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_second_typing_within_the_interval_is_not_delivered_and_the_typist_gets_no_echo()
    {
        var (patient, conversation) = await StartAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);

        Assert.True((await patientHub.TypingAsync(conversation)).Value());
        Assert.True((await patientHub.TypingAsync(conversation)).Value());
        await clinician.NextAsync(Typing, where: e => e.IsAbout(conversation));

        // Sentinel: the clinician reads, which reaches both connections after anything the typing calls published.
        (await clinician.MarkReadAsync(conversation, 1)).Value();
        await clinician.NextAsync(ReadConfirmation, where: e => e.IsAbout(conversation));
        await patientHub.NextAsync(ReadConfirmation, where: e => e.IsAbout(conversation));

        Assert.Single(clinician.Pushes, p => p.Method == Typing && p.Event.IsAbout(conversation));
        Assert.DoesNotContain(patientHub.Pushes, p => p.Method == Typing);
    }

    [Fact]
    public async Task Typing_is_never_in_sync()
    {
        var (patient, conversation) = await StartAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var (_, before) = await clinician.SyncAllAsync(0);

        (await patientHub.TypingAsync(conversation)).Value();
        var notice = await clinician.NextAsync(Typing, where: e => e.IsAbout(conversation));
        (await clinician.MarkReadAsync(conversation, 1)).Value();
        await clinician.NextAsync(ReadConfirmation, where: e => e.IsAbout(conversation));

        var (all, _) = await clinician.SyncAllAsync(0);
        var (since, _) = await clinician.SyncAllAsync(before);
        Assert.DoesNotContain(all, e => e.Type == Typing || e.EventId == notice.EventId);
        Assert.Contains(since, e => e.Type == ReadConfirmation && e.IsAbout(conversation));
        Assert.DoesNotContain(since, e => e.Type == Typing);
    }

    [Fact]
    public async Task Typing_in_a_conversation_the_caller_cannot_see_is_refused_and_reaches_nobody()
    {
        var (patient, conversation) = await StartAsync();
        var stranger = await _portal.NewPatientAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var strangerHub = await _portal.ConnectPatientAsync(stranger);
        await using var patientHub = await _portal.ConnectPatientAsync(patient);

        var refused = await strangerHub.TypingAsync(conversation);
        (await patientHub.TypingAsync(conversation)).Value();

        Assert.False(refused.Ok);
        Assert.Equal("not_found", refused.Error!.Code);
        var first = await clinician.NextAsync(Typing, where: e => e.IsAbout(conversation));
        Assert.Equal(patient, first.Data.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task Typing_in_a_conversation_the_caller_cannot_see_is_refused_every_time_not_only_when_not_throttled()
    {
        var (_, conversation) = await StartAsync();
        var stranger = await _portal.NewPatientAsync();
        await using var strangerHub = await _portal.ConnectPatientAsync(stranger);

        var first = await strangerHub.TypingAsync(conversation);
        var second = await strangerHub.TypingAsync(conversation);
        var third = await strangerHub.TypingAsync(conversation);

        Assert.All([first, second, third], refused =>
        {
            Assert.False(refused.Ok);
            Assert.Equal("not_found", refused.Error!.Code);
        });
    }

    private async Task<(string Patient, string Conversation)> StartAsync()
    {
        var patient = await _portal.NewPatientAsync();
        return (patient, await _portal.StartConversationAsync(patient));
    }
}
