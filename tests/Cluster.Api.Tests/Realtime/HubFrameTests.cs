using Cluster.Api.Hosting;
using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>What the hub does with frames it cannot or will not take: too large, not JSON, calls to nothing.</summary>
public sealed class HubFrameTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Family = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466";
    private static readonly int MaxFrameBytes = MessageSizes.HubFrameBytes(new MessageCaps());
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_frame_over_the_limit_closes_the_connection_with_a_reason_the_client_can_show()
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        await hub.SendRawAsync(Invocation("SendMessage", "c-anything", new string('x', MaxFrameBytes + 1024)));

        var close = await hub.WaitClosedAsync();
        Assert.True(close.FromCloseFrame, $"expected a close frame, got {close}");
        HubAssert.ReadableClose(close.Error);
        Assert.Contains("too large", close.Error, StringComparison.Ordinal);
        Assert.Contains(MaxFrameBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes", close.Error, StringComparison.Ordinal);
        var after = await Assert.ThrowsAsync<HubInvocationException>(() => hub.SyncAsync(0));
        Assert.True(after.ConnectionClosed);
    }

    [Fact]
    public void The_frame_limit_holds_a_full_length_message_in_the_worst_case_json_escaping()
    {
        // The longest body in UTF-16 code units (2,000 characters of 32 each) and the longest ids, every code unit
        // written as a \uXXXX escape, which JSON allows for any character.
        static string Escaped(string text) => string.Concat(text.Select(c => $"\\u{(int)c:X4}"));
        var body = new string('\u00E9', 2000 * 32);
        var frame = $$"""{"type":1,"invocationId":"2147483647","target":"SendMessage","arguments":[{"conversationId":"{{Escaped(new string('c', 200))}}","body":"{{Escaped(body)}}","clientMessageId":"{{Escaped(new string('m', 100))}}"}]}""" + HubClient.RecordSeparator;

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(frame) <= MaxFrameBytes, $"{System.Text.Encoding.UTF8.GetByteCount(frame)} > {MaxFrameBytes}");
    }

    [Fact]
    public async Task A_full_length_message_of_family_emoji_goes_through_the_hub()
    {
        var patient = await _portal.NewPatientAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        await using var hub = await _portal.ConnectPatientAsync(patient);
        var body = string.Concat(Enumerable.Repeat(Family, 2000));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(body) > 48 * 1024);

        var sent = await hub.SendMessageAsync(conversation, body);

        Assert.Equal(body, sent.Value().Message.Body);
        Assert.False(hub.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_body_is_message_invalid_characters_over_the_hub()
    {
        var patient = await _portal.NewPatientAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        await using var hub = await _portal.ConnectPatientAsync(patient);

        // Written by hand: a serializer would replace the broken half before it left the client. JSON.stringify sends it escaped like this.
        var answer = await hub.InvokeJsonAsync(nameof(MessagingHub.SendMessage),
            $$"""[{"conversationId":"{{conversation}}","body":"Hello \uD800 doctor","clientMessageId":"m-lone"}]""");
        var result = System.Text.Json.JsonSerializer.Deserialize<HubResult<MessageSentShape>>(answer!.Value, HubClient.Json)!;

        Assert.False(result.Ok);
        Assert.Equal(ErrorCodes.MessageInvalidCharacters, result.Error!.Code);
        Assert.False(hub.Closed.IsCompleted);
    }

    [Theory]
    [InlineData(nameof(MessagingHub.SendMessage), """[{"conversationId":"c-x","body":"b","body":"c","clientMessageId":"m"}]""", "'body' appears more than once")]
    [InlineData(nameof(MessagingHub.SendMessage), """[{"conversationId":"c-x","body":"b","clientMessageId":"m","urgent":true}]""", "'urgent' is not a field")]
    [InlineData(nameof(MessagingHub.SendMessage), """[{"conversationId":"c-x","body":"b","clientMessageId":"m","senderId":"dr-house"}]""", "'senderId' is not a field")]
    [InlineData(nameof(MessagingHub.MarkRead), """[{"conversationId":"c-x","upToSequence":1,"upToSequence":9}]""", "'upToSequence' appears more than once")]
    [InlineData(nameof(MessagingHub.Typing), """[{"conversationId":"c-x","conversation":"c-y"}]""", "'conversation' is not a field")]
    [InlineData(nameof(MessagingHub.Sync), """[{"after":0,"limit":5,"after":9}]""", "'after' appears more than once")]
    public async Task Duplicate_or_unknown_argument_properties_are_invalid_request_naming_the_field(string method, string arguments, string expected)
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        var result = await InvokeJsonAsync(hub, method, arguments);

        Assert.False(result.Ok);
        Assert.Equal(ErrorCodes.InvalidRequest, result.Error!.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
        HubAssert.NoInternals(result.Error.Message);
        Assert.False(hub.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_send_with_a_duplicate_body_property_stores_and_pushes_nothing()
    {
        var patient = await _portal.NewPatientAsync();
        var conversation = await _portal.StartConversationAsync(patient);
        await using var hub = await _portal.ConnectPatientAsync(patient);

        var result = await InvokeJsonAsync(hub, nameof(MessagingHub.SendMessage),
            $$"""[{"conversationId":"{{conversation}}","body":"My dose is 5 mg","body":"My dose is 50 mg","clientMessageId":"m-twice"}]""");

        Assert.Equal(ErrorCodes.InvalidRequest, result.Error!.Code);
        var (events, _) = await hub.SyncAllAsync(0);
        Assert.Equal([1L], events.Where(e => e.Type == "MessageCreated" && e.IsAbout(conversation)).Select(e => e.Message().Sequence));
    }

    [Fact]
    public async Task A_frame_just_under_the_limit_is_answered_and_the_connection_stays_open()
    {
        await using var hub = await _portal.ConnectClinicianAsync();
        var frame = Invocation("SendMessage", "c-anything", new string('x', MaxFrameBytes - 512));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(frame) < MaxFrameBytes);

        await hub.SendRawAsync(frame);
        var result = await hub.SyncAsync(0, 1);

        Assert.True(result.Ok);
        Assert.False(hub.Closed.IsCompleted);
    }

    [Fact]
    public async Task Malformed_json_closes_the_connection_with_an_error_that_has_no_internals()
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        await hub.SendRawAsync("""{"type":1,"invocationId":"x","target":"Sync","arguments":[{"after":0""" + HubClient.RecordSeparator);

        var close = await hub.WaitClosedAsync();
        Assert.True(close.FromCloseFrame, $"expected a close frame, got {close}");
        HubAssert.NoInternals(close.Error);
    }

    [Fact]
    public async Task An_unknown_hub_method_gets_an_error_without_a_stack_trace()
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => hub.InvokeRawAsync("DeleteEverything", ["c-anything"]));

        Assert.False(error.ConnectionClosed);
        Assert.Contains("DeleteEverything", error.Error, StringComparison.Ordinal);
        HubAssert.NoStackTrace(error.Error);
        Assert.True((await hub.SyncAsync(0, 1)).Ok, "the connection stays usable");
    }

    [Theory]
    [InlineData("""["not an object"]""", "one JSON object")]
    [InlineData("""[{"conversationId":42,"body":"b","clientMessageId":"m"}]""", "'conversationId'")]
    [InlineData("""[{"conversationId":"c-x","body":{"nested":true},"clientMessageId":"m"}]""", "'body'")]
    public async Task An_argument_of_the_wrong_shape_is_invalid_request_and_the_connection_stays_usable(string arguments, string expected)
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        var result = await InvokeJsonAsync(hub, nameof(MessagingHub.SendMessage), arguments);

        Assert.Equal(ErrorCodes.InvalidRequest, result.Error!.Code);
        Assert.Contains(expected, result.Error.Message, StringComparison.Ordinal);
        HubAssert.NoInternals(result.Error.Message);
        Assert.True((await hub.SyncAsync(0, 1)).Ok, "the connection stays usable");
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""[{"conversationId":"c-x","body":"b","clientMessageId":"m"},"extra"]""")]
    public async Task The_wrong_number_of_arguments_gets_an_error_without_internals(string arguments)
    {
        await using var hub = await _portal.ConnectClinicianAsync();
        using var parsed = System.Text.Json.JsonDocument.Parse(arguments);
        var args = parsed.RootElement.EnumerateArray().Select(a => (object?)a.Clone()).ToArray();

        var error = await Assert.ThrowsAsync<HubInvocationException>(() => hub.InvokeRawAsync(nameof(MessagingHub.SendMessage), args));

        Assert.False(error.ConnectionClosed);
        HubAssert.NoInternals(error.Error);
        Assert.True((await hub.SyncAsync(0, 1)).Ok, "the connection stays usable");
    }

    [Fact]
    public async Task A_null_argument_is_refused_as_a_result_not_an_exception()
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        var result = await hub.InvokeAsync<HubResult<MessageSentShape>>(nameof(MessagingHub.SendMessage), [null]);
        var sync = await hub.InvokeAsync<HubResult<SyncPage>>(nameof(MessagingHub.Sync), [null]);

        Assert.False(result.Ok);
        Assert.Equal(ErrorCodes.InvalidRequest, result.Error!.Code);
        Assert.True(sync.Ok);
    }

    private static string Invocation(string target, string conversationId, string body) =>
        System.Text.Json.JsonSerializer.Serialize(
            new { type = 1, invocationId = "big", target, arguments = new object[] { new SendMessageArgs(conversationId, body, "m-big") } },
            HubClient.Json) + HubClient.RecordSeparator;

    private static async Task<HubResult<System.Text.Json.JsonElement?>> InvokeJsonAsync(HubClient hub, string method, string arguments)
    {
        var answer = await hub.InvokeJsonAsync(method, arguments);
        return System.Text.Json.JsonSerializer.Deserialize<HubResult<System.Text.Json.JsonElement?>>(answer!.Value, HubClient.Json)!;
    }

    private sealed record MessageSentShape;
}
