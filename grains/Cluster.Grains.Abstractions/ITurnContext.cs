namespace Cluster.Grains.Abstractions;

/// <summary>
/// The effects of one turn. Nothing here touches the store until the turn returns: then the grain's
/// state, the appended rows, the emitted events and the reminder changes commit in one transaction,
/// or none of them does.
/// </summary>
public interface ITurnContext
{
    /// <summary>The clock's time when the turn started; use it rather than reading the clock repeatedly.</summary>
    DateTimeOffset Now { get; }

    /// <summary>
    /// Appends a row to <paramref name="collection"/> under <paramref name="partition"/>. A sequence, when
    /// given, must be unique in the partition; a unique key, when given, too (the store refuses duplicates
    /// and the whole turn fails).
    /// </summary>
    void Append<TRow>(string collection, string partition, long? sequence, TRow row, string? uniqueKey = null)
        where TRow : notnull;

    /// <summary>Emits an event to the feeds of <paramref name="audience"/> (user ids) once the turn commits.</summary>
    void Emit<TEvent>(TEvent @event, IEnumerable<string> audience) where TEvent : notnull;

    /// <summary>Sets (or moves) the named reminder of this grain; it fires as a turn at or after <paramref name="dueAt"/>.</summary>
    void SetReminder(string name, DateTimeOffset dueAt);

    /// <summary>Removes the named reminder of this grain, if set.</summary>
    void ClearReminder(string name);
}
