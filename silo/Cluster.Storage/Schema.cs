namespace Cluster.Storage;

/// <summary>The one place that names the runtime's tables and holds their migrations.</summary>
public static class Schema
{
    public const string Migrations = "schema_migrations";
    public const string GrainState = "grain_state";
    public const string Rows = "grain_rows";
    public const string Outbox = "outbox_events";
    public const string FeedHeads = "feed_heads";
    public const string FeedEntries = "feed_entries";
    public const string Reminders = "reminders";

    /// <summary>Append-only: never edit a released migration, add the next one.</summary>
    public static IReadOnlyList<Migration> For(SqlDialect dialect) =>
    [
        new(1, "grain state, rows, outbox, feeds, reminders", $"""
            CREATE TABLE IF NOT EXISTS {GrainState} (
                grain_type TEXT NOT NULL,
                grain_key TEXT NOT NULL,
                etag BIGINT NOT NULL,
                data TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (grain_type, grain_key));
            CREATE TABLE IF NOT EXISTS {Rows} (
                id {dialect.IdentityColumn},
                collection TEXT NOT NULL,
                partition_key TEXT NOT NULL,
                seq BIGINT NULL,
                unique_key TEXT NULL,
                data TEXT NOT NULL,
                committed_at BIGINT NOT NULL);
            CREATE UNIQUE INDEX IF NOT EXISTS ux_grain_rows_seq ON {Rows} (collection, partition_key, seq) WHERE seq IS NOT NULL;
            CREATE UNIQUE INDEX IF NOT EXISTS ux_grain_rows_unique ON {Rows} (collection, partition_key, unique_key) WHERE unique_key IS NOT NULL;
            CREATE TABLE IF NOT EXISTS {Outbox} (
                id {dialect.IdentityColumn},
                event_id TEXT NOT NULL UNIQUE,
                event_type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                published BOOLEAN NOT NULL DEFAULT FALSE,
                lease_until BIGINT NULL);
            CREATE INDEX IF NOT EXISTS ix_outbox_events_unpublished ON {Outbox} (id) WHERE NOT published;
            CREATE TABLE IF NOT EXISTS {FeedHeads} (
                user_id TEXT PRIMARY KEY,
                feed_seq BIGINT NOT NULL);
            CREATE TABLE IF NOT EXISTS {FeedEntries} (
                user_id TEXT NOT NULL,
                feed_seq BIGINT NOT NULL,
                event_id TEXT NOT NULL,
                PRIMARY KEY (user_id, feed_seq));
            CREATE INDEX IF NOT EXISTS ix_feed_entries_event ON {FeedEntries} (event_id);
            CREATE TABLE IF NOT EXISTS {Reminders} (
                grain_type TEXT NOT NULL,
                grain_key TEXT NOT NULL,
                name TEXT NOT NULL,
                due_at BIGINT NOT NULL,
                lease_owner TEXT NULL,
                lease_until BIGINT NULL,
                PRIMARY KEY (grain_type, grain_key, name));
            CREATE INDEX IF NOT EXISTS ix_reminders_due ON {Reminders} (due_at);
            """),
    ];
}
