using System.Collections.Concurrent;
using Cluster.Grains.Abstractions;

namespace Cluster.Runtime.Tests.Grains;

public sealed record JournalEntry(string Text);

public sealed record JournalWritten(string Journal, long Sequence);

public interface IJournalGrain : IGrainWithStringKey
{
    /// <summary>Appends an entry (row), emits JournalWritten to the audience, returns the sequence.</summary>
    Task<long> WriteAsync(string text, string[] audience);

    /// <summary>Does everything WriteAsync does, then throws.</summary>
    Task WriteThenFailAsync(string text, string[] audience);

    /// <summary>Appends a row with an explicit sequence that may collide.</summary>
    Task WriteAtAsync(long sequence, string text);

    Task<long> GetLastAsync();

    Task<IReadOnlyList<string>> ReadAfterAsync(long after, int limit);
}

public sealed class JournalState
{
    public long Last { get; set; }
}

public sealed class JournalGrain : Grain<JournalState>, IJournalGrain
{
    public const string Collection = "journal";

    public static ConcurrentDictionary<string, int> Activations { get; } = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Activations.AddOrUpdate(GrainKey, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }

    public Task<long> WriteAsync(string text, string[] audience)
    {
        var sequence = ++State.Last;
        Turn.Append(Collection, GrainKey, sequence, new JournalEntry(text), uniqueKey: text);
        Turn.Emit(new JournalWritten(GrainKey, sequence), audience);
        return Task.FromResult(sequence);
    }

    public async Task WriteThenFailAsync(string text, string[] audience)
    {
        await WriteAsync(text, audience);
        throw new InvalidOperationException("The turn failed after recording its effects.");
    }

    public Task WriteAtAsync(long sequence, string text)
    {
        State.Last = Math.Max(State.Last, sequence);
        Turn.Append(Collection, GrainKey, sequence, new JournalEntry(text));
        return Task.CompletedTask;
    }

    public Task<long> GetLastAsync() => Task.FromResult(State.Last);

    public async Task<IReadOnlyList<string>> ReadAfterAsync(long after, int limit) =>
        (await Rows.ReadAfterAsync<JournalEntry>(Collection, GrainKey, after, limit)).Select(r => r.Data.Text).ToList();
}
