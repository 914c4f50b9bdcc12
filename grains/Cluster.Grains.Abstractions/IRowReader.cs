namespace Cluster.Grains.Abstractions;

/// <summary>A committed row, as read back from the store.</summary>
public sealed record StoredRow<TRow>(long? Sequence, TRow Data, string? UniqueKey, DateTimeOffset CommittedAt);

/// <summary>Reads committed rows. Reads go to the store every time, so they see other nodes' commits.</summary>
public interface IRowReader
{
    /// <summary>Up to <paramref name="limit"/> rows with a sequence above <paramref name="afterSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredRow<TRow>>> ReadAfterAsync<TRow>(
        string collection, string partition, long afterSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> rows with a sequence below <paramref name="beforeSequence"/>, oldest first.</summary>
    Task<IReadOnlyList<StoredRow<TRow>>> ReadBeforeAsync<TRow>(
        string collection, string partition, long beforeSequence, int limit, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="limit"/> rows of the partition in the order they were committed, oldest first; rows without a sequence included.</summary>
    Task<IReadOnlyList<StoredRow<TRow>>> ReadRecentAsync<TRow>(
        string collection, string partition, int limit, CancellationToken cancellationToken = default);

    /// <summary>The row with this unique key in the partition, or null.</summary>
    Task<StoredRow<TRow>?> FindAsync<TRow>(
        string collection, string partition, string uniqueKey, CancellationToken cancellationToken = default);
}
