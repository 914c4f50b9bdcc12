using System.Net;
using Cluster.Api.Conversations;
using Cluster.Api.Realtime;
using Cluster.Api.Tests.Fixtures;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Grains.Abstractions.Identity;

namespace Cluster.Api.Tests.Rest;

/// <summary>GET /api/v1/sync: the caller's missed events, in order, resumable from a cursor without gaps or repeats.</summary>
public sealed class SyncTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private readonly Organisation _org = new(factory);

    [Fact]
    public async Task SyncReturnsTheCallersEventsInOrderWithTheNextCursor()
    {
        var (patient, clinician, id) = await ConversationWithTrafficAsync();

        var page = await patient.GetOkAsync<SyncPage>("/api/v1/sync");

        Assert.False(page.HasMore);
        Assert.Equal(page.Events.Max(e => e.Cursor), page.NextCursor);
        Assert.Equal(page.Events.Select(e => e.Cursor).Order(), page.Events.Select(e => e.Cursor));
        Assert.Equal(page.Events.Count, page.Events.Select(e => e.EventId).Distinct().Count());
        var messages = page.Events.Where(e => e.Type == "MessageCreated").Select(e => e.Data.GetProperty("message").GetProperty("sequence").GetInt64());
        Assert.Equal([1L, 2L, 3L], messages);
        Assert.Contains(page.Events, e => e.Type == "ConversationChanged" && e.Data.GetProperty("change").GetString() == "Started");
        Assert.Contains(page.Events, e => e.Type == "ReadConfirmation" && e.Data.GetProperty("readerId").GetString() == clinician);
        Assert.All(page.Events, e => Assert.Equal(id, e.Data.GetProperty("conversationId").GetString()));
        Assert.Empty((await patient.GetOkAsync<SyncPage>($"/api/v1/sync?after={page.NextCursor}")).Events);
    }

    [Fact]
    public async Task PagingFromNextCursorReturnsTheRestExactlyOnce()
    {
        var (patient, _, _) = await ConversationWithTrafficAsync();
        var all = await patient.GetOkAsync<SyncPage>("/api/v1/sync");

        var paged = new List<ClientEvent>();
        var cursor = 0L;
        for (var pages = 0; ; pages++)
        {
            Assert.True(pages < 20, "Paging did not come to an end.");
            var page = await patient.GetOkAsync<SyncPage>($"/api/v1/sync?after={cursor}&limit=2");
            Assert.True(page.Events.Count <= 2);
            Assert.All(page.Events, e => Assert.True(e.Cursor > cursor));
            paged.AddRange(page.Events);
            cursor = page.NextCursor;
            if (!page.HasMore)
            {
                break;
            }
        }

        Assert.True(all.Events.Count >= 5, $"Expected the traffic's events, got {all.Events.Count}.");
        Assert.Equal(all.Events.Select(e => e.EventId), paged.Select(e => e.EventId));
        Assert.Equal(all.NextCursor, cursor);
    }

    [Fact]
    public async Task SyncShowsOnlyTheCallersOwnFeed()
    {
        var (patient, _, _) = await ConversationWithTrafficAsync();
        var (_, stranger) = await _org.PatientWithTermsAsync();

        Assert.NotEmpty((await patient.GetOkAsync<SyncPage>("/api/v1/sync")).Events);
        var theirs = await stranger.GetOkAsync<SyncPage>("/api/v1/sync");
        Assert.Empty(theirs.Events);
        Assert.Equal(0, theirs.NextCursor);
    }

    /// <summary>A patient's conversation with two patient messages read by the clinician, then their reply: events on both sides.</summary>
    private async Task<(RestClient Patient, string ClinicianId, string ConversationId)> ConversationWithTrafficAsync()
    {
        var clinicianId = await _org.ClinicianAsync();
        var clinician = _org.ClientFor(clinicianId, UserRole.Clinician);
        var (_, patient) = await _org.PatientWithTermsAsync(primaryClinicianId: clinicianId);
        var id = (await Organisation.StartAsync(patient)).ConversationId;
        await Organisation.SendAsync(patient, id, "Also, should I repeat the test?");
        await (await clinician.PostAsync($"/api/v1/conversations/{id}/read", new MarkReadBody(2))).ReadAsync<ReadPosition>(HttpStatusCode.OK);
        await Organisation.SendAsync(clinician, id, "Yes, in three months.");
        return (patient, clinicianId, id);
    }
}
