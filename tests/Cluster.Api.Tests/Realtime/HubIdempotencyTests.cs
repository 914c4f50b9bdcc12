using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Identity;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>A used client message id over the hub: a changed message is a refusal result, stored and pushed nowhere.</summary>
public sealed class HubIdempotencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Created = nameof(IMessagingClient.MessageCreated);
    private readonly Portal _portal = new(factory);

    [Theory]
    [InlineData(UserRole.Patient)]
    [InlineData(UserRole.Proxy)]
    [InlineData(UserRole.Clinician)]
    public async Task Changed_message_under_a_used_client_message_id_is_an_idempotency_conflict_and_pushes_nothing(UserRole role)
    {
        var patient = await _portal.NewPatientAsync();
        var senderId = role switch
        {
            UserRole.Proxy => await _portal.NewProxyAsync(patient),
            UserRole.Clinician => Portal.Clinician,
            _ => patient,
        };
        if (role == UserRole.Proxy)
        {
            await _portal.AcceptTermsAsync(patient, new Actor(senderId, UserRole.Proxy));
        }

        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        await using var sender = role == UserRole.Patient ? null : await _portal.ConnectAsync(senderId, role);
        var senderHub = sender ?? patientHub;
        var conversation = await _portal.StartConversationAsync(patient);
        var clientMessageId = "dose-" + Guid.NewGuid().ToString("N");

        var original = (await senderHub.SendMessageAsync(conversation, "My dose is 5 mg.", clientMessageId)).Value();
        var correction = await senderHub.SendMessageAsync(conversation, "Correction: my dose is 50 mg.", clientMessageId);
        var next = (await senderHub.SendMessageAsync(conversation, "Correction: my dose is 50 mg.")).Value();

        Assert.False(correction.Ok);
        Assert.Null(correction.Value);
        Assert.Equal(ErrorCodes.IdempotencyConflict, correction.Error!.Code);
        Assert.Contains("as a new message", correction.Error.Message, StringComparison.Ordinal);
        Assert.Equal(original.Message.Sequence + 1, next.Message.Sequence);

        // The patient sees the start, the original, then (the sentinel) the new message: the refused one pushed nothing between.
        var bodies = new List<string?>();
        while (bodies.Count < 3)
        {
            bodies.Add((await patientHub.NextAsync(Created, where: e => e.IsAbout(conversation))).Message().Body);
        }

        Assert.Equal(["My dose is 5 mg.", "Correction: my dose is 50 mg."], bodies.Skip(1));
    }

    [Fact]
    public async Task Exact_retry_over_the_hub_still_answers_the_original_as_a_duplicate()
    {
        var patient = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);
        var clientMessageId = "dose-" + Guid.NewGuid().ToString("N");

        var original = (await patientHub.SendMessageAsync(conversation, "Caf\u00E9 after the pill?", clientMessageId)).Value();
        var retried = (await patientHub.SendMessageAsync(conversation, "Cafe\u0301 after the pill? ", clientMessageId)).Value();

        Assert.True(retried.Duplicate);
        Assert.Equal(original.Message, retried.Message);
    }
}
