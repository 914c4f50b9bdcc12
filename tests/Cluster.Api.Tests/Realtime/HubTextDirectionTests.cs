using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>The hub refuses the same hidden direction characters as REST, as a result with its code, and stores nothing.</summary>
public sealed class HubTextDirectionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Portal _portal = new(factory);

    [Theory]
    [InlineData("BP \u200F120 / 80\u200F this morning")]
    [InlineData("\u200FTake 10 mg daily")]
    [InlineData("\u2068\u05E9\u05DC\u05D5\u05DD 5 mg\u2069 daily")]
    public async Task A_message_a_hidden_direction_character_would_reorder_is_message_invalid_characters_and_not_stored(string body)
    {
        var patient = await _portal.NewPatientAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        await using var hub = await _portal.ConnectPatientAsync(patient);

        var refused = await hub.SendMessageAsync(conversation, body);
        var next = await hub.SendMessageAsync(conversation, "BP 120 / 80 this morning");

        Assert.False(refused.Ok);
        Assert.Equal(ErrorCodes.MessageInvalidCharacters, refused.Error!.Code);
        Assert.Contains("text-direction", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(2, next.Value().Message.Sequence);
    }
}
