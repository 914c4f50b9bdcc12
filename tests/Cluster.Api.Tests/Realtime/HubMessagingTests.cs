using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Sending, reading and retrying over the hub, between a patient and the clinician the conversation is assigned to.</summary>
public sealed class HubMessagingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task Patient_message_sent_over_the_hub_reaches_the_assigned_clinician_with_event_id_and_cursor()
    {
        var patient = await _portal.NewPatientAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var first = await clinician.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation));
        Assert.Equal(1, first.Message().Sequence);

        var sent = (await patientHub.SendMessageAsync(conversation, "And one more thing about the dosage.")).Value();

        Assert.False(sent.Duplicate);
        Assert.Equal(2, sent.Message.Sequence);
        var pushed = await clinician.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation));
        Assert.Equal(nameof(IMessagingClient.MessageCreated), pushed.Type);
        Assert.NotEqual(Guid.Empty, pushed.EventId);
        Assert.True(pushed.Cursor > first.Cursor, $"cursor {pushed.Cursor} should follow {first.Cursor}");
        var message = pushed.Message();
        Assert.Equal(2, message.Sequence);
        Assert.Equal(patient, message.SenderId);
        Assert.Equal(UserRole.Patient, message.SenderRole);
        Assert.Equal("And one more thing about the dosage.", message.Body);
    }

    [Fact]
    public async Task Sender_gets_the_same_event_on_their_own_connection_with_the_same_event_id()
    {
        var patient = await _portal.NewPatientAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);

        var sent = (await patientHub.SendMessageAsync(conversation, "Is the pharmacy open on Sunday?")).Value();

        var atClinician = await clinician.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation) && e.Message().Sequence == sent.Message.Sequence);
        var atPatient = await patientHub.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation) && e.Message().Sequence == sent.Message.Sequence);
        Assert.Equal(atClinician.EventId, atPatient.EventId);
        Assert.True(atPatient.Cursor > 0);
    }

    [Fact]
    public async Task Clinician_mark_read_reaches_the_patient_as_a_read_confirmation()
    {
        var patient = await _portal.NewPatientAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var sent = (await patientHub.SendMessageAsync(conversation, "A follow-up question.")).Value();
        await clinician.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation) && e.Message().Sequence == sent.Message.Sequence);

        var position = (await clinician.MarkReadAsync(conversation, sent.Message.Sequence)).Value();

        Assert.Equal(Portal.Clinician, position.UserId);
        Assert.Equal(sent.Message.Sequence, position.Sequence);
        var confirmation = await patientHub.NextAsync(nameof(IMessagingClient.ReadConfirmation), where: e => e.IsAbout(conversation));
        Assert.Equal(nameof(IMessagingClient.ReadConfirmation), confirmation.Type);
        Assert.NotEqual(Guid.Empty, confirmation.EventId);
        Assert.True(confirmation.Cursor > 0);
        Assert.Equal(Portal.Clinician, confirmation.Data.GetProperty("readerId").GetString());
        Assert.Equal(nameof(UserRole.Clinician), confirmation.Data.GetProperty("readerRole").GetString());
        Assert.Equal(sent.Message.Sequence, confirmation.Data.GetProperty("upToSequence").GetInt64());
    }

    [Fact]
    public async Task Retried_send_with_the_same_client_message_id_returns_the_original_sequence_as_a_duplicate_and_pushes_nothing()
    {
        var patient = await _portal.NewPatientAsync();
        await using var clinician = await _portal.ConnectClinicianAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var clientMessageId = "retry-" + Guid.NewGuid().ToString("N");

        var original = (await patientHub.SendMessageAsync(conversation, "Sent once, retried once.", clientMessageId)).Value();
        var retried = (await patientHub.SendMessageAsync(conversation, "Sent once, retried once.", clientMessageId)).Value();
        var next = (await patientHub.SendMessageAsync(conversation, "A different message.")).Value();

        Assert.False(original.Duplicate);
        Assert.True(retried.Duplicate);
        Assert.Equal(original.Message.Sequence, retried.Message.Sequence);
        Assert.Equal(original.Message.CreatedAt, retried.Message.CreatedAt);
        Assert.Equal(original.Message.Sequence + 1, next.Message.Sequence);

        // The clinician sees the original, then (the sentinel) the next message: the retry pushed nothing in between.
        var sequences = new List<long>();
        while (sequences.LastOrDefault() != next.Message.Sequence)
        {
            sequences.Add((await clinician.NextAsync(nameof(IMessagingClient.MessageCreated), where: e => e.IsAbout(conversation))).Message().Sequence);
        }

        Assert.Equal([1, original.Message.Sequence, next.Message.Sequence], sequences);
    }

    [Fact]
    public async Task Refusals_are_results_with_a_code_not_errors()
    {
        var patient = await _portal.NewPatientAsync();
        var stranger = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        await using var strangerHub = await _portal.ConnectPatientAsync(stranger);
        var conversation = await _portal.StartConversationAsync(patient);

        var noConversation = await patientHub.SendMessageAsync("", "Hello?");
        var notTheirs = await strangerHub.SendMessageAsync(conversation, "Let me in.");
        var notTheirsRead = await strangerHub.MarkReadAsync(conversation, 1);
        var empty = await patientHub.SendMessageAsync(conversation, "   ");

        Assert.False(noConversation.Ok);
        Assert.Equal(ErrorCodes.InvalidRequest, noConversation.Error!.Code);
        Assert.False(notTheirs.Ok);
        Assert.Equal(ErrorCodes.NotFound, notTheirs.Error!.Code);
        Assert.Equal(ErrorCodes.NotFound, notTheirsRead.Error!.Code);
        Assert.False(empty.Ok);
        Assert.Equal(ErrorCodes.MessageEmpty, empty.Error!.Code);
    }
}
