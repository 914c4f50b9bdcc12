using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Outcomes;

namespace Cluster.Api.Tests.Realtime;

/// <summary>What the hub does with frames it cannot or will not take: too large, not JSON, calls to nothing.</summary>
public sealed class HubFrameTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const int MaxFrameBytes = 32 * 1024;
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task A_frame_over_32_kb_closes_the_connection_with_an_error()
    {
        await using var hub = await _portal.ConnectClinicianAsync();

        await hub.SendRawAsync(Invocation("SendMessage", "c-anything", new string('x', MaxFrameBytes + 1024)));

        var close = await hub.WaitClosedAsync();
        Assert.True(close.FromCloseFrame, $"expected a close frame, got {close}");
        HubAssert.NoInternals(close.Error);
        var after = await Assert.ThrowsAsync<HubInvocationException>(() => hub.SyncAsync(0));
        Assert.True(after.ConnectionClosed);
    }

    [Fact]
    public async Task A_frame_just_under_32_kb_is_answered_and_the_connection_stays_open()
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
    [InlineData("""["not an object"]""")]
    [InlineData("""[]""")]
    [InlineData("""[{"conversationId":"c-x","body":"b","clientMessageId":"m"},"extra"]""")]
    [InlineData("""[{"conversationId":42,"body":{"nested":true},"clientMessageId":[]}]""")]
    public async Task Arguments_that_do_not_bind_get_an_error_without_internals(string arguments)
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

    private sealed record MessageSentShape;
}
