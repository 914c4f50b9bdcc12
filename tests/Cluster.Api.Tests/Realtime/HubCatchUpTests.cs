using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;

namespace Cluster.Api.Tests.Realtime;

/// <summary>
/// A connection that was away catches up with Sync from the last cursor it processed. The clinician's feed is shared
/// by the tests of this class, which xunit runs one at a time, so "exactly the missed events" can be checked strictly.
/// </summary>
public sealed class HubCatchUpTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Created = nameof(IMessagingClient.MessageCreated);
    private readonly Portal _portal = new(factory);

    [Fact]
    public async Task Sync_after_the_last_seen_cursor_returns_exactly_the_missed_events_in_order_once()
    {
        var (patient, conversation, lastSeen) = await StartAndDisconnectAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        var missed = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            missed.Add((await patientHub.SendMessageAsync(conversation, $"Missed message {i}.")).Value().Message.Sequence);
        }

        await using var reconnected = await _portal.ConnectClinicianAsync();
        var (events, next) = await reconnected.SyncAllAsync(lastSeen);

        Assert.NotEmpty(events);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => lastSeen + i), events.Select(e => e.Cursor));
        Assert.Equal(events[^1].Cursor, next);
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.All(events, e => Assert.True(HubNamesContain(e.Type), $"{e.Type} is not a client event"));
        Assert.Equal(missed, events.Where(e => e.Type == Created && e.IsAbout(conversation)).Select(e => e.Message().Sequence));
        Assert.DoesNotContain(events, e => e.Type == Created && e.IsAbout(conversation) && e.Message().Sequence == 1);
    }

    [Fact]
    public async Task Sync_pages_with_limit_give_the_same_events_as_one_page()
    {
        var (patient, conversation, lastSeen) = await StartAndDisconnectAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        for (var i = 0; i < 3; i++)
        {
            (await patientHub.SendMessageAsync(conversation, $"Paged message {i}.")).Value();
        }

        await using var reconnected = await _portal.ConnectClinicianAsync();
        var whole = (await reconnected.SyncAsync(lastSeen)).Value();
        var firstPage = (await reconnected.SyncAsync(lastSeen, limit: 2)).Value();
        var (paged, pagedNext) = await reconnected.SyncAllAsync(lastSeen, limit: 2);

        Assert.False(whole.HasMore);
        Assert.True(whole.Events.Count >= 3, $"expected at least 3 missed events, got {whole.Events.Count}");
        Assert.Equal(2, firstPage.Events.Count);
        Assert.True(firstPage.HasMore);
        Assert.Equal(firstPage.Events[^1].Cursor, firstPage.NextCursor);
        Assert.Equal(whole.Events.Select(e => e.EventId), paged.Select(e => e.EventId));
        Assert.Equal(whole.NextCursor, pagedNext);
    }

    [Fact]
    public async Task Live_pushes_after_sync_continue_from_the_next_cursor()
    {
        var (patient, conversation, lastSeen) = await StartAndDisconnectAsync();
        await using var patientHub = await _portal.ConnectPatientAsync(patient);
        (await patientHub.SendMessageAsync(conversation, "While you were away.")).Value();

        await using var reconnected = await _portal.ConnectClinicianAsync();
        var (missed, next) = await reconnected.SyncAllAsync(lastSeen);
        var after = (await patientHub.SendMessageAsync(conversation, "Now that you are back.")).Value();
        var live = await reconnected.NextAsync(Created, where: e => e.IsAbout(conversation) && e.Message().Sequence == after.Message.Sequence);

        Assert.Contains(missed, e => e.Type == Created && e.IsAbout(conversation));
        // Live delivery is at least once: an event committed before the connection attached may also arrive live.
        // Such copies carry a cursor Sync already covered; dedupe on them, and everything newer continues the feed.
        var newer = reconnected.Pushes.Select(p => p.Event).Where(e => e.Cursor > next).ToList();
        Assert.NotEmpty(newer);
        Assert.Equal(Enumerable.Range(1, newer.Count).Select(i => next + i), newer.Select(e => e.Cursor));
        Assert.Contains(newer, e => e.EventId == live.EventId);
        Assert.All(reconnected.Pushes.Select(p => p.Event).Where(e => e.Cursor <= next), e => Assert.Contains(missed, m => m.EventId == e.EventId));
    }

    /// <summary>
    /// A fresh patient starts a conversation while the clinician is connected; the clinician's connection processes
    /// everything up to the feed's head (found with Sync) and then goes away. Answers the last cursor it processed.
    /// </summary>
    private async Task<(string Patient, string Conversation, long LastSeen)> StartAndDisconnectAsync()
    {
        var patient = await _portal.NewPatientAsync();
        var clinician = await _portal.ConnectClinicianAsync();
        try
        {
            var conversation = await _portal.StartConversationAsync(patient);
            await clinician.NextAsync(Created, where: e => e.IsAbout(conversation));
            var (_, head) = await clinician.SyncAllAsync(0);
            await clinician.WaitForCursorAsync(head);
            return (patient, conversation, clinician.LastCursor);
        }
        finally
        {
            await clinician.DisposeAsync();
        }
    }

    private static bool HubNamesContain(string type) => HubNames.Events.Contains(type);
}
