using Cluster.Grains.Abstractions;
using Cluster.Storage;

namespace Cluster.Runtime.Tests.Storage;

/// <summary>The behaviour every store must have; run once per engine.</summary>
public abstract class RuntimeStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private IRuntimeStore? _store;

    protected IRuntimeStore Store => _store ?? throw new InvalidOperationException("Store not created.");

    protected abstract Task<IRuntimeStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.MigrateAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadingAGrainNeverWrittenFindsNothing()
    {
        Assert.Null(await Store.ReadStateAsync(Grain(), default));
    }

    [Fact]
    public async Task AWrittenStateReadsBackWithItsETag()
    {
        var grain = Grain();
        var first = await Store.CommitAsync(Commit(grain, null, "{\"v\":1}"), default);
        var second = await Store.CommitAsync(Commit(grain, first.ETag, "{\"v\":2}"), default);

        var read = await Store.ReadStateAsync(grain, default);
        Assert.Equal(new GrainStateRecord("{\"v\":2}", second.ETag), read);
        Assert.NotEqual(first.ETag, second.ETag);
    }

    [Fact]
    public async Task AWriteWithAStaleETagIsRefusedAndChangesNothing()
    {
        var grain = Grain();
        var first = await Store.CommitAsync(Commit(grain, null, "{\"v\":1}"), default);
        await Store.CommitAsync(Commit(grain, first.ETag, "{\"v\":2}"), default);

        await Assert.ThrowsAsync<ETagConflictException>(() => Store.CommitAsync(Commit(grain, first.ETag, "{\"v\":3}"), default));
        Assert.Equal("{\"v\":2}", (await Store.ReadStateAsync(grain, default))!.Data);
    }

    [Fact]
    public async Task CreatingAGrainThatAnotherWriterCreatedIsRefused()
    {
        var grain = Grain();
        await Store.CommitAsync(Commit(grain, null, "{\"v\":1}"), default);

        await Assert.ThrowsAsync<ETagConflictException>(() => Store.CommitAsync(Commit(grain, null, "{\"v\":9}"), default));
        Assert.Equal("{\"v\":1}", (await Store.ReadStateAsync(grain, default))!.Data);
    }

    [Fact]
    public async Task RowsAndEventsCommitTogetherWithTheState()
    {
        var grain = Grain();
        var eventId = Guid.NewGuid();
        var result = await Store.CommitAsync(Commit(grain, null, "{}",
            rows: [Row(grain, 1, "a"), Row(grain, 2, "b")],
            events: [new PendingEvent(eventId, "Written", "{\"n\":1}", ["alice", "bob"])]), default);

        Assert.Equal([1L, 2L], (await Store.ReadRowsAfterAsync("journal", grain.Key, 0, 10, default)).Select(r => r.Sequence!.Value));
        Assert.Equal(["alice", "bob"], result.Deliveries.Select(d => d.UserId).Order());
        var feed = await Store.ReadFeedAsync("alice", 0, 10, default);
        var entry = Assert.Single(feed.Events);
        Assert.Equal((1L, eventId, "Written", "{\"n\":1}"), (entry.Cursor, entry.EventId, entry.Type, entry.Payload));
    }

    [Fact]
    public async Task ARefusedWriteLeavesNoRowsEventsOrReminders()
    {
        var grain = Grain();
        var first = await Store.CommitAsync(Commit(grain, null, "{}"), default);
        await Store.CommitAsync(Commit(grain, first.ETag, "{}"), default);
        var user = "user-" + grain.Key;

        await Assert.ThrowsAsync<ETagConflictException>(() => Store.CommitAsync(Commit(grain, first.ETag, "{}",
            rows: [Row(grain, 1, "lost")],
            events: [new PendingEvent(Guid.NewGuid(), "Written", "{}", [user])],
            reminders: [new ReminderChange("r", T0)]), default));

        Assert.Empty(await Store.ReadRowsAfterAsync("journal", grain.Key, 0, 10, default));
        Assert.Empty((await Store.ReadFeedAsync(user, 0, 10, default)).Events);
        Assert.Empty(await Store.ClaimDueRemindersAsync(T0.AddHours(1), "node", TimeSpan.FromMinutes(1), 10, default));
    }

    [Fact]
    public async Task ADuplicateRowKeyRollsBackTheWholeTurn()
    {
        var grain = Grain();
        var first = await Store.CommitAsync(Commit(grain, null, "{\"v\":1}", rows: [Row(grain, 1, "a")]), default);
        var user = "user-" + grain.Key;

        await Assert.ThrowsAsync<DuplicateRowException>(() => Store.CommitAsync(Commit(grain, first.ETag, "{\"v\":2}",
            rows: [Row(grain, 1, "again")],
            events: [new PendingEvent(Guid.NewGuid(), "Written", "{}", [user])]), default));

        Assert.Equal(new GrainStateRecord("{\"v\":1}", first.ETag), await Store.ReadStateAsync(grain, default));
        Assert.Empty((await Store.ReadFeedAsync(user, 0, 10, default)).Events);
        Assert.Single(await Store.ReadRowsAfterAsync("journal", grain.Key, 0, 10, default));
    }

    [Fact]
    public async Task AUserFeedIsNumberedWithoutGapsAcrossGrainsAndTurns()
    {
        var user = "user-" + Guid.NewGuid().ToString("N");
        foreach (var grain in new[] { Grain(), Grain(), Grain() })
        {
            await Store.CommitAsync(Commit(grain, null, "{}", events:
            [
                new PendingEvent(Guid.NewGuid(), "A", "{}", [user]),
                new PendingEvent(Guid.NewGuid(), "B", "{}", [user, "someone-else"]),
            ]), default);
        }

        var all = await Store.ReadFeedAsync(user, 0, 100, default);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), all.Events.Select(e => e.Cursor));
        var page = await Store.ReadFeedAsync(user, 2, 3, default);
        Assert.Equal([3L, 4L, 5L], page.Events.Select(e => e.Cursor));
        Assert.True(page.HasMore);
        Assert.Equal(5, page.NextCursor);
        var end = await Store.ReadFeedAsync(user, 6, 3, default);
        Assert.Equal((0, false, 6L), (end.Events.Count, end.HasMore, end.NextCursor));
    }

    [Fact]
    public async Task RowsPageForwardBackwardAndByUniqueKey()
    {
        var grain = Grain();
        await Store.CommitAsync(Commit(grain, null, "{}", rows: Enumerable.Range(1, 10).Select(i => Row(grain, i, "m" + i, "key-" + i)).ToList()), default);

        Assert.Equal([4L, 5L, 6L], (await Store.ReadRowsAfterAsync("journal", grain.Key, 3, 3, default)).Select(r => r.Sequence!.Value));
        Assert.Equal([5L, 6L, 7L], (await Store.ReadRowsBeforeAsync("journal", grain.Key, 8, 3, default)).Select(r => r.Sequence!.Value));
        var found = await Store.FindRowAsync("journal", grain.Key, "key-7", default);
        Assert.Equal((7L, "{\"text\":\"m7\"}"), (found!.Sequence!.Value, found.Data));
        Assert.Null(await Store.FindRowAsync("journal", grain.Key, "key-77", default));
        Assert.Empty(await Store.ReadRowsAfterAsync("journal", "other-partition", 0, 10, default));
    }

    [Fact]
    public async Task RecentRowsComeInCommitOrderWithOrWithoutASequence()
    {
        var grain = Grain();
        var first = await Store.CommitAsync(Commit(grain, null, "{}", rows: [Row(grain, null, "a"), Row(grain, null, "b")]), default);
        await Store.CommitAsync(Commit(grain, first.ETag, "{}", rows: [Row(grain, null, "c"), Row(grain, 7, "d")]), default);

        Assert.Equal(["b", "c", "d"], (await Store.ReadRecentRowsAsync("journal", grain.Key, 3, default)).Select(r => r.Data[9..^2]));
    }

    [Fact]
    public async Task ADueReminderIsClaimedOnceUntilItsLeaseEnds()
    {
        var grain = Grain();
        await Store.CommitAsync(Commit(grain, null, "{}", reminders: [new ReminderChange("r", T0.AddMinutes(5))]), default);

        Assert.DoesNotContain(await Store.ClaimDueRemindersAsync(T0, "a", TimeSpan.FromMinutes(1), 100, default), r => r.Grain == grain);
        var claimed = await Store.ClaimDueRemindersAsync(T0.AddMinutes(5), "a", TimeSpan.FromMinutes(1), 100, default);
        Assert.Equal(new DueReminder(grain, "r", T0.AddMinutes(5)), Assert.Single(claimed, r => r.Grain == grain));
        Assert.DoesNotContain(await Store.ClaimDueRemindersAsync(T0.AddMinutes(5.5), "b", TimeSpan.FromMinutes(1), 100, default), r => r.Grain == grain);
        Assert.Contains(await Store.ClaimDueRemindersAsync(T0.AddMinutes(7), "b", TimeSpan.FromMinutes(1), 100, default), r => r.Grain == grain);
    }

    [Fact]
    public async Task AFiredReminderIsRemovedUnlessTheTurnMovedIt()
    {
        var kept = Grain();
        var removed = Grain();
        var keptResult = await Store.CommitAsync(Commit(kept, null, "{}", reminders: [new ReminderChange("r", T0)]), default);
        var removedResult = await Store.CommitAsync(Commit(removed, null, "{}", reminders: [new ReminderChange("r", T0)]), default);

        await Store.CommitAsync(Commit(removed, removedResult.ETag, "{}") with { Fired = new FiredReminder("r", T0) }, default);
        await Store.CommitAsync(Commit(kept, keptResult.ETag, "{}", reminders: [new ReminderChange("r", T0.AddDays(1))]) with { Fired = new FiredReminder("r", T0) }, default);

        var due = await Store.ClaimDueRemindersAsync(T0.AddDays(2), "a", TimeSpan.FromMinutes(1), 100, default);
        Assert.Contains(due, r => r.Grain == kept && r.DueAt == T0.AddDays(1));
        Assert.DoesNotContain(due, r => r.Grain == removed);
    }

    [Fact]
    public async Task UnpublishedEventsAreClaimedOnceAndNeverAfterBeingMarkedPublished()
    {
        var grain = Grain();
        var eventId = Guid.NewGuid();
        await Store.CommitAsync(Commit(grain, null, "{}", events: [new PendingEvent(eventId, "A", "{}", ["u1", "u2"])]), default);

        Assert.DoesNotContain(await Store.ClaimUnpublishedAsync(T0.AddSeconds(-1), T0, TimeSpan.FromMinutes(1), 100, default), d => d.EventId == eventId);
        var claimed = await Store.ClaimUnpublishedAsync(T0.AddSeconds(1), T0, TimeSpan.FromMinutes(1), 100, default);
        Assert.Equal(["u1", "u2"], claimed.Where(d => d.EventId == eventId).Select(d => d.UserId).Order());
        Assert.DoesNotContain(await Store.ClaimUnpublishedAsync(T0.AddSeconds(1), T0.AddSeconds(30), TimeSpan.FromMinutes(1), 100, default), d => d.EventId == eventId);

        await Store.MarkPublishedAsync([eventId], default);
        Assert.DoesNotContain(await Store.ClaimUnpublishedAsync(T0.AddHours(1), T0.AddHours(1), TimeSpan.FromMinutes(1), 100, default), d => d.EventId == eventId);
    }

    [Fact]
    public async Task MigratingAgainChangesNothing()
    {
        var grain = Grain();
        await Store.CommitAsync(Commit(grain, null, "{\"v\":1}"), default);

        await Store.MigrateAsync(default);
        await Store.MigrateAsync(default);

        Assert.Equal("{\"v\":1}", (await Store.ReadStateAsync(grain, default))!.Data);
    }

    [Fact]
    public async Task OfTwoConcurrentWritesWithTheSameETagExactlyOneWins()
    {
        for (var round = 0; round < 10; round++)
        {
            var grain = Grain();
            var created = await Store.CommitAsync(Commit(grain, null, "{}"), default);
            var attempts = Enumerable.Range(0, 2).Select(i => Task.Run(() => Store.CommitAsync(Commit(grain, created.ETag, $"{{\"w\":{i}}}", rows: [Row(grain, 1, "w" + i)]), default)));
            var outcomes = await Task.WhenAll(attempts.Select(async t =>
            {
                try
                {
                    await t;
                    return "ok";
                }
                catch (Exception ex) when (ex is ETagConflictException or DuplicateRowException)
                {
                    return "refused";
                }
            }));

            Assert.Equal(["ok", "refused"], outcomes.Order());
            Assert.Single(await Store.ReadRowsAfterAsync("journal", grain.Key, 0, 10, default));
        }
    }

    private static GrainId Grain() => new("journal", Guid.NewGuid().ToString("N"));

    private static PendingRow Row(GrainId grain, long? sequence, string text, string? uniqueKey = null) =>
        new("journal", grain.Key, sequence, uniqueKey, $"{{\"text\":\"{text}\"}}");

    private static TurnCommit Commit(
        GrainId grain, long? etag, string state,
        IReadOnlyList<PendingRow>? rows = null, IReadOnlyList<PendingEvent>? events = null, IReadOnlyList<ReminderChange>? reminders = null) =>
        new(grain, etag, state, rows ?? [], events ?? [], reminders ?? [], null, T0);
}
