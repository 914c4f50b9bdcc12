using System.Text.Json;
using Cluster.Grains.Abstractions;
using Cluster.Storage;

namespace Cluster.Runtime.Activation;

/// <summary>Reads committed rows from the store and deserialises them.</summary>
internal sealed class RowReader(IRuntimeStore store) : IRowReader
{
    public async Task<IReadOnlyList<StoredRow<TRow>>> ReadAfterAsync<TRow>(string collection, string partition, long afterSequence, int limit, CancellationToken cancellationToken = default) =>
        (await store.ReadRowsAfterAsync(collection, partition, afterSequence, limit, cancellationToken)).Select(Map<TRow>).ToList();

    public async Task<IReadOnlyList<StoredRow<TRow>>> ReadBeforeAsync<TRow>(string collection, string partition, long beforeSequence, int limit, CancellationToken cancellationToken = default) =>
        (await store.ReadRowsBeforeAsync(collection, partition, beforeSequence, limit, cancellationToken)).Select(Map<TRow>).ToList();

    public async Task<IReadOnlyList<StoredRow<TRow>>> ReadRecentAsync<TRow>(string collection, string partition, int limit, CancellationToken cancellationToken = default) =>
        (await store.ReadRecentRowsAsync(collection, partition, limit, cancellationToken)).Select(Map<TRow>).ToList();

    public async Task<StoredRow<TRow>?> FindAsync<TRow>(string collection, string partition, string uniqueKey, CancellationToken cancellationToken = default) =>
        await store.FindRowAsync(collection, partition, uniqueKey, cancellationToken) is { } row ? Map<TRow>(row) : null;

    private static StoredRow<TRow> Map<TRow>(RawRow row) =>
        new(row.Sequence, JsonSerializer.Deserialize<TRow>(row.Data, RuntimeJson.Options)!, row.UniqueKey, row.CommittedAt);
}
