using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Api.Tests.Realtime;

/// <summary>Everyday phrasings of a red flag sent over the hub: the same urgency rule as over REST.</summary>
public sealed class HubUrgencyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Portal _portal = new(factory);

    [Theory]
    [InlineData("he isn't breathing")]
    [InlineData("I took all my pills")]
    [InlineData("my\u200Bchest\u200Bhurts")]
    public async Task ARedFlagPhrasedAsPatientsWriteItMakesAHubMessageUrgent(string body)
    {
        var patient = await _portal.NewPatientAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var conversation = await _portal.StartConversationAsync(patient);

        var sent = (await patientHub.SendMessageAsync(conversation, body)).Value();

        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Urgent));
        Assert.Contains(sent.AutomaticReplies, reply => reply.Flags.HasFlag(MessageFlags.Automatic));
    }
}
