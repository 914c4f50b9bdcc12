using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Rest;

/// <summary>Invisible direction characters that would show numbers in another order are refused over REST; mixed-script text as written goes through.</summary>
public sealed class TextDirectionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Hebrew = "\u05E9\u05DC\u05D5\u05DD";
    private readonly Organisation _org = new(factory);

    [Theory]
    [InlineData("BP \u200F120 / 80\u200F this morning")]
    [InlineData("Take \u200F1 - 2 " + Hebrew)]
    [InlineData("Take \u2067daily 10 mg " + Hebrew + "\u2069")]
    public async Task AMessageWhoseNumbersOrWordsAHiddenDirectionCharacterWouldReorderIsRefusedAndNotStored(string body)
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;

        var problem = await (await patient.PostAsync($"/api/v1/conversations/{id}/messages", new SendMessageBody(body, Organisation.NewId("msg"))))
            .ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageInvalidCharacters);

        Assert.Contains("text-direction", problem.Detail, StringComparison.Ordinal);
        var page = await patient.GetOkAsync<MessagePage>($"/api/v1/conversations/{id}/messages");
        Assert.Single(page.Messages);
    }

    [Fact]
    public async Task ASubjectWithAMarkThatReordersNumbersIsRefusedAndStartsNothing()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var body = new StartConversationBody(null, Topic.MedicalQuestion, "Dose \u200F1 - 2", "Is this right?", Organisation.NewId("start"));

        await (await patient.PostAsync("/api/v1/conversations", body)).ReadProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.MessageInvalidCharacters);

        Assert.Empty(await patient.GetOkAsync<List<System.Text.Json.JsonElement>>("/api/v1/conversations"));
    }

    [Fact]
    public async Task HebrewWithADoseIsolatedLeftToRightAndAMarkBesideItsLettersIsAccepted()
    {
        var (_, patient) = await _org.PatientWithTermsAsync();
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        var body = Hebrew + "\u200F \u2066Ibuprofen 200 mg\u2069 C++\u200E " + Hebrew;

        var sent = await Organisation.SendAsync(patient, id, body);

        Assert.Equal(body, sent.Message.Body);
    }
}
