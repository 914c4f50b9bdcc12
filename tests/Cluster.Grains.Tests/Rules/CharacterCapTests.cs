using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Outcomes;
using Cluster.Grains.Auditing;
using Cluster.Grains.Tests.Fixtures;

namespace Cluster.Grains.Tests.Rules;

/// <summary>
/// Rule 3: a body holds at most 2,000 characters as a person counts them (grapheme clusters), a subject at most 120;
/// a body with nothing visible is refused; a refusal says how far over the text is, and nothing is stored.
/// </summary>
public sealed class CharacterCapTests(Portal portal) : IClassFixture<Portal>
{
    /// <summary>Woman, woman, girl joined by zero-width joiners: five code points, eight UTF-16 units, one character on screen.</summary>
    private const string Family = "\U0001F469\u200D\U0001F469\u200D\U0001F467";

    [Fact]
    public async Task ABodyOfTwoThousandFamilyEmojiIsAcceptedAndStoredWhole()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);
        var body = Repeat(Family, 2000);

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, body, Portal.NewClientId()));

        Assert.True(outcome.IsOk, outcome.Problem?.Message);
        Assert.Equal(body, (await portal.StoredMessagesAsync(id))[^1].Body);
    }

    [Fact]
    public async Task ABodyOfTwoThousandAndOneFamilyEmojiIsRefusedAndNothingIsStored()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, Repeat(Family, 2001), Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageTooLong, outcome.Problem?.Code);
        Assert.Contains("2,001 characters", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("by 1 character", outcome.Problem.Message, StringComparison.Ordinal);
        Assert.Equal([1L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
        Assert.Equal(1, (await portal.Conversation(id).GetAsync(patient)).Unwrap().LastSequence);
        Assert.Single(await portal.EventsAsync<MessageCreated>(patient.UserId), e => e.ConversationId == id);
    }

    [Fact]
    public async Task ARefusedOverlongSendIsAuditedWithItsRefusalCode()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, new string('a', 2001), Portal.NewClientId()));

        var refusal = Assert.Single(await portal.AuditAsync(id), a => a.Action == AuditActions.Send);
        Assert.Equal(ErrorCodes.MessageTooLong, refusal.Outcome);
        Assert.Equal(patient.UserId, refusal.ActorId);
    }

    [Fact]
    public async Task TheRefusalSaysHowManyCharactersTooManyThereAre()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, new string('x', 2150), Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageTooLong, outcome.Problem?.Code);
        Assert.Contains("2,150 characters", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("2,000", outcome.Problem.Message, StringComparison.Ordinal);
        Assert.Contains("by 150 characters", outcome.Problem.Message, StringComparison.Ordinal);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task AnOverlongFirstMessageStartsNothing()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();

        var outcome = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.MedicalQuestion, "My symptoms", Repeat(Family, 2001), Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageTooLong, outcome.Problem?.Code);
        Assert.Contains("by 1 character", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Equal(ErrorCodes.NotFound, (await portal.Conversation(id).GetAsync(patient)).Problem?.Code);
        Assert.Empty((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task ASubjectOfOneHundredTwentyCharactersIsAcceptedEvenWithCombiningAccents()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();
        // "é" written as e + combining acute: two code units, one character.
        var subject = Repeat("e\u0301", 120);

        var outcome = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.Appointment, subject, "Can I come in on Friday?", Portal.NewClientId()));

        Assert.True(outcome.IsOk, outcome.Problem?.Message);
        Assert.Equal(subject, outcome.Value!.Conversation.Subject);
        Assert.Single(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task ASubjectOfOneHundredTwentyOneCharactersIsRefusedAndNothingIsStored()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();

        var outcome = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.Appointment, new string('s', 121), "Can I come in on Friday?", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.SubjectTooLong, outcome.Problem?.Code);
        Assert.Contains("121 characters", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("by 1 character", outcome.Problem.Message, StringComparison.Ordinal);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Empty((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \r\n\t \n")]
    [InlineData("\u0007\u0000\u001B")]
    [InlineData("\u200B\u200D\uFEFF")]
    [InlineData("\u00A0\u2003\u3000")]
    public async Task ABodyWithNothingVisibleIsRefusedAsEmptyAndNothingIsStored(string body)
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, body, Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageEmpty, outcome.Problem?.Code);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Contains(await portal.AuditAsync(id), a => a.Action == AuditActions.Send && a.Outcome == ErrorCodes.MessageEmpty);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\t\n ")]
    [InlineData("\u0001\u0002")]
    public async Task AnEmptyFirstMessageStartsNothing(string body)
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();

        var outcome = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.Billing, "My bill", body, Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageEmpty, outcome.Problem?.Code);
        Assert.Empty(await portal.StoredMessagesAsync(id));
        Assert.Empty((await portal.Patient(patient).ListConversationsAsync(patient)).Unwrap());
    }

    [Fact]
    public async Task AnEmptySubjectStartsNothing()
    {
        var patient = await portal.NewPatientAsync();
        var id = Portal.NewConversationId();

        var outcome = await portal.Conversation(id).StartAsync(
            new StartConversationRequest(patient, patient.UserId, Topic.Billing, "  ", "Why was I charged twice?", Portal.NewClientId()));

        Assert.Equal(ErrorCodes.SubjectEmpty, outcome.Problem?.Code);
        Assert.Empty(await portal.StoredMessagesAsync(id));
    }

    [Fact]
    public async Task TheCapAppliesToTheCareTeamsRepliesToo()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient, topic: Topic.Appointment);

        var outcome = await portal.Conversation(id).SendAsync(new SendMessageRequest(Portal.Clerk, new string('r', 2001), Portal.NewClientId()));

        Assert.Equal(ErrorCodes.MessageTooLong, outcome.Problem?.Code);
        Assert.Single(await portal.StoredMessagesAsync(id));
        Assert.Contains(await portal.AuditAsync(id), a => a.ActorId == Portal.Clerk.UserId && a.Outcome == ErrorCodes.MessageTooLong);
    }

    [Fact]
    public async Task ARefusedOverlongMessageDoesNotUseARateSlot()
    {
        var patient = await portal.NewPatientAsync();
        var (id, _) = await portal.StartAsync(patient);

        // Four refusals, then four messages: with the start that is the five an hour allows.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(ErrorCodes.MessageTooLong,
                (await portal.Conversation(id).SendAsync(new SendMessageRequest(patient, new string('z', 2001), Portal.NewClientId()))).Problem?.Code);
        }

        for (var i = 0; i < 4; i++)
        {
            await portal.SendAsync(id, patient, $"Shorter question {i}");
        }

        Assert.Equal([1L, 2L, 3L, 4L, 5L], (await portal.StoredMessagesAsync(id)).Select(m => m.Sequence));
    }

    private static string Repeat(string text, int count) => string.Concat(Enumerable.Repeat(text, count));
}
