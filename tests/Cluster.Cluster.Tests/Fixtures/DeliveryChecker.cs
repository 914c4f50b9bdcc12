using System.Text;
using Cluster.Api.Realtime;
using Cluster.Grains.Abstractions.Conversations;
using Cluster.Testing.Hub;

namespace Cluster.Cluster.Tests.Fixtures;

/// <summary>A send the node acknowledged (ok result): which message, and the sequence the node answered.</summary>
public sealed record AcknowledgedSend(string ConversationId, string SenderId, string ClientMessageId, long Sequence, bool Duplicate);

/// <summary>
/// The one place that judges a fault test's outcome, from three sides:
/// <list type="bullet">
/// <item>acknowledged: every send a node answered ok (<see cref="RecordAcknowledged(string, MessageSent)"/>);</item>
/// <item>stored: the message rows in the database (<see cref="ClusterDatabase.MessagesAsync"/>);</item>
/// <item>received: what each client processed, live pushes and Sync pages alike (<see cref="RecordReceived"/>).</item>
/// </list>
/// and asserts: acknowledged ⊆ stored, each message stored exactly once (one row per sender and client message id),
/// one sequence per acknowledged message across retries, sequences 1..N without gaps per conversation, and each
/// client's received messages (deduped by event id) equal to the stored messages of its conversations, in sequence
/// order. Thread-safe: senders and receive loops record concurrently.
/// </summary>
public sealed class DeliveryChecker
{
    private readonly object _lock = new();
    private readonly List<AcknowledgedSend> _acknowledged = [];
    private readonly HashSet<string> _conversations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Recipient> _recipients = new(StringComparer.Ordinal);

    /// <summary>Every acknowledgment recorded so far (retries included).</summary>
    public IReadOnlyList<AcknowledgedSend> Acknowledged
    {
        get
        {
            lock (_lock)
            {
                return [.. _acknowledged];
            }
        }
    }

    /// <summary>The conversations whose stored messages the checks read: tracked ones, acknowledged ones, and recipients' ones.</summary>
    public IReadOnlyCollection<string> Conversations
    {
        get
        {
            lock (_lock)
            {
                return [.. _conversations];
            }
        }
    }

    /// <summary>Names a conversation the checks cover even if nothing was acknowledged in it.</summary>
    public void Track(string conversationId)
    {
        lock (_lock)
        {
            _conversations.Add(conversationId);
        }
    }

    public void RecordAcknowledged(string senderId, MessageSent sent) =>
        RecordAcknowledged(new AcknowledgedSend(sent.Message.ConversationId, senderId, sent.Message.ClientMessageId, sent.Message.Sequence, sent.Duplicate));

    public void RecordAcknowledged(AcknowledgedSend send)
    {
        lock (_lock)
        {
            _acknowledged.Add(send);
            _conversations.Add(send.ConversationId);
        }
    }

    /// <summary>
    /// Declares a client (one device: its own cursor, across reconnects) of the user, and the conversations whose
    /// messages it must hold after catch-up. Call before it records anything.
    /// </summary>
    public void ExpectRecipient(string clientName, string userId, IEnumerable<string> conversationIds)
    {
        lock (_lock)
        {
            var recipient = RecipientFor(clientName, userId);
            foreach (var id in conversationIds)
            {
                recipient.Expected.Add(id);
                _conversations.Add(id);
            }
        }
    }

    /// <summary>Records one event a client processed (MessageCreated counts; other types are ignored). Dedupes by event id.</summary>
    public void RecordReceived(string clientName, string userId, ClientEvent e, bool viaSync)
    {
        if (e.Type != nameof(IMessagingClient.MessageCreated))
        {
            return;
        }

        var message = e.Message();
        lock (_lock)
        {
            var recipient = RecipientFor(clientName, userId);
            if (!recipient.EventIds.Add(e.EventId))
            {
                recipient.DuplicateEvents++;
                return;
            }

            recipient.Received.Add(new ReceivedMessage(e.EventId, e.Cursor, message, viaSync));
        }
    }

    /// <summary>The sequences of one conversation in the order the client processed them.</summary>
    public IReadOnlyList<long> ReceivedOrder(string clientName, string conversationId)
    {
        lock (_lock)
        {
            return _recipients.TryGetValue(clientName, out var recipient)
                ? recipient.Received.Where(r => r.Message.ConversationId == conversationId).Select(r => r.Message.Sequence).ToList()
                : [];
        }
    }

    /// <summary>How many messages the client got by live push and by Sync, and how many deliveries it dropped as already seen.</summary>
    public (int Pushed, int Synced, int DuplicateEvents) ReceivedCounts(string clientName)
    {
        lock (_lock)
        {
            var recipient = _recipients[clientName];
            return (recipient.Received.Count(r => !r.ViaSync), recipient.Received.Count(r => r.ViaSync), recipient.DuplicateEvents);
        }
    }

    /// <summary>Reads the stored messages of every conversation the checker knows.</summary>
    public Task<IReadOnlyList<StoredMessage>> LoadStoredAsync(ClusterDatabase database) => database.MessagesAsync(Conversations);

    /// <summary>Every check below, against the database as it is now. Call after the workload ended and every client caught up.</summary>
    public async Task AssertAllAsync(ClusterDatabase database)
    {
        var stored = await LoadStoredAsync(database);
        AssertStoredOnceAndContiguous(stored);
        AssertAcknowledgedStored(stored);
        AssertReceivedEqualsStored(stored);
    }

    /// <summary>No message stored twice (one row per conversation, sender and client message id), and sequences 1..N per conversation.</summary>
    public void AssertStoredOnceAndContiguous(IReadOnlyList<StoredMessage> stored)
    {
        var problems = new List<string>();
        foreach (var duplicate in stored.GroupBy(m => (m.ConversationId, m.SenderId, m.ClientMessageId)).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key} is stored {duplicate.Count()} times, at sequences {string.Join(", ", duplicate.Select(m => m.Sequence))}");
        }

        foreach (var mismatch in stored.Where(m => m.UniqueKey != m.SenderId + "/" + m.ClientMessageId || m.Sequence != m.Message.Sequence || m.ConversationId != m.Message.ConversationId))
        {
            problems.Add($"row {mismatch.RowId} does not match its message: unique_key {mismatch.UniqueKey}, seq {mismatch.Sequence}, data {mismatch.Message}");
        }

        foreach (var conversation in Conversations)
        {
            var sequences = stored.Where(m => m.ConversationId == conversation).Select(m => m.Sequence).ToList();
            var expected = Enumerable.Range(1, sequences.Count).Select(i => (long)i).ToList();
            if (!sequences.SequenceEqual(expected))
            {
                problems.Add($"{conversation}: sequences are not 1..{sequences.Count} without gaps or repeats: {Describe(sequences, expected)}");
            }
        }

        Report("Stored messages", problems);
    }

    /// <summary>Every acknowledged message is stored, at the sequence it was acknowledged with; retries of one message all answered one sequence.</summary>
    public void AssertAcknowledgedStored(IReadOnlyList<StoredMessage> stored)
    {
        var problems = new List<string>();
        var rows = stored.ToLookup(m => (m.ConversationId, m.SenderId, m.ClientMessageId));
        foreach (var message in Acknowledged.GroupBy(a => (a.ConversationId, a.SenderId, a.ClientMessageId)))
        {
            var sequences = message.Select(a => a.Sequence).Distinct().ToList();
            if (sequences.Count > 1)
            {
                problems.Add($"{message.Key} was acknowledged with different sequences: {string.Join(", ", message.Select(a => a.Sequence))}");
            }

            var row = rows[message.Key].ToList();
            if (row.Count == 0)
            {
                problems.Add($"{message.Key} was acknowledged (sequence {sequences[0]}) but is not stored");
            }
            else if (sequences.Any(s => s != row[0].Sequence))
            {
                problems.Add($"{message.Key} is stored at sequence {row[0].Sequence} but was acknowledged with {string.Join(", ", sequences)}");
            }

            if (message.Count(a => !a.Duplicate) > 1)
            {
                problems.Add($"{message.Key} was answered as new (duplicate: false) {message.Count(a => !a.Duplicate)} times");
            }
        }

        Report("Acknowledged messages", problems);
    }

    /// <summary>
    /// Each declared client holds exactly the stored messages of its conversations (none missing, none extra, each
    /// once), and processed each conversation's messages in increasing sequence order.
    /// </summary>
    public void AssertReceivedEqualsStored(IReadOnlyList<StoredMessage> stored)
    {
        var problems = new List<string>();
        List<(string Name, Recipient Recipient)> recipients;
        lock (_lock)
        {
            recipients = _recipients.Select(r => (r.Key, r.Value)).ToList();
        }

        foreach (var (name, recipient) in recipients)
        {
            List<ReceivedMessage> received;
            lock (_lock)
            {
                received = [.. recipient.Received];
            }

            var expected = stored.Where(m => recipient.Expected.Contains(m.ConversationId))
                .Select(m => Key(m.ConversationId, m.Sequence, m.SenderId, m.ClientMessageId)).ToHashSet(StringComparer.Ordinal);
            var got = received.Where(r => recipient.Expected.Contains(r.Message.ConversationId)).ToList();
            var gotKeys = got.Select(r => Key(r.Message.ConversationId, r.Message.Sequence, r.Message.SenderId, r.Message.ClientMessageId)).ToList();
            var missing = expected.Except(gotKeys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var extra = gotKeys.Except(expected, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var twice = gotKeys.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{name} ({recipient.UserId}) misses {missing.Count} of {expected.Count} stored messages: {First(missing)}");
            }

            if (extra.Count > 0)
            {
                problems.Add($"{name} ({recipient.UserId}) holds {extra.Count} messages that are not stored as such: {First(extra)}");
            }

            if (twice.Count > 0)
            {
                problems.Add($"{name} ({recipient.UserId}) got {twice.Count} messages under more than one event id: {First(twice)}");
            }

            foreach (var conversation in got.GroupBy(r => r.Message.ConversationId))
            {
                var order = conversation.Select(r => r.Message.Sequence).ToList();
                if (!order.Zip(order.Skip(1)).All(p => p.First < p.Second))
                {
                    problems.Add($"{name} ({recipient.UserId}) processed {conversation.Key} out of sequence order: {string.Join(",", order.Take(60))}");
                }
            }
        }

        Report("Received messages", problems);
    }

    private Recipient RecipientFor(string clientName, string userId)
    {
        if (!_recipients.TryGetValue(clientName, out var recipient))
        {
            recipient = new Recipient(userId);
            _recipients[clientName] = recipient;
        }

        return recipient;
    }

    private static string Key(string conversationId, long sequence, string senderId, string clientMessageId) =>
        $"{conversationId}#{sequence} {senderId}/{clientMessageId}";

    private static string First(IEnumerable<string> items) => string.Join("; ", items.Take(10));

    private static string Describe(IReadOnlyList<long> actual, IReadOnlyList<long> expected)
    {
        var missing = expected.Except(actual).Take(10);
        var repeated = actual.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key).Take(10);
        return $"missing {string.Join(",", missing)}; repeated {string.Join(",", repeated)}; actual {string.Join(",", actual.Take(40))}{(actual.Count > 40 ? ",..." : "")}";
    }

    private static void Report(string what, List<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var text = new StringBuilder().AppendLine($"{what}: {problems.Count} problem(s).");
        foreach (var problem in problems.Take(25))
        {
            text.AppendLine(" - " + problem);
        }

        Assert.Fail(text.ToString());
    }

    private sealed record ReceivedMessage(Guid EventId, long Cursor, MessageView Message, bool ViaSync);

    private sealed class Recipient(string userId)
    {
        public string UserId { get; } = userId;

        public HashSet<string> Expected { get; } = new(StringComparer.Ordinal);

        public HashSet<Guid> EventIds { get; } = [];

        public List<ReceivedMessage> Received { get; } = [];

        public int DuplicateEvents { get; set; }
    }
}
