using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;

namespace Cluster.Api.Tests.Rest;

/// <summary>Everyday phrasings of a red flag sent over REST: the message is urgent and emergency guidance comes back at once.</summary>
public sealed class UrgentPhrasingTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData("he isn't breathing")]
    [InlineData("I've never had chest pain like this")]
    [InlineData("I haven't been able to breathe")]
    [InlineData("I took all my pills")]
    [InlineData("I feel like dying")]
    [InlineData("chest\u200Bpain since this morning")]
    public async Task ARedFlagPhrasedAsPatientsWriteItMakesTheMessageUrgent(string body)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var conversation = (await Organisation.StartAsync(patient)).ConversationId;

        var sent = await Organisation.SendAsync(patient, conversation, body);

        Assert.True(sent.Message.Flags.HasFlag(MessageFlags.Urgent));
        Assert.Equal(body, sent.Message.Body);
        Assert.Contains(sent.AutomaticReplies, reply => reply.Flags.HasFlag(MessageFlags.Automatic));
    }

    [Theory]
    [InlineData("I've never had chest pain, is the stress test still needed?")]
    [InlineData("I took all my pills as prescribed this week")]
    public async Task AnOrdinaryMessageThatSharesARedFlagsWordsIsNotUrgent(string body)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var conversation = (await Organisation.StartAsync(patient)).ConversationId;

        var sent = await Organisation.SendAsync(patient, conversation, body);

        Assert.False(sent.Message.Flags.HasFlag(MessageFlags.Urgent));
        Assert.Empty(sent.AutomaticReplies);
    }
}
