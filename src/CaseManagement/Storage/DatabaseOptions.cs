namespace CaseManagement.Storage;

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Let Marten create or update its schema objects on the fly. Only for local experiments;
    /// the default is off everywhere so that migrations/ stays the single source of the schema.
    /// </summary>
    public bool AutoCreateSchema { get; set; }

    /// <summary>
    /// The application's PostgreSQL role, to which <c>migrate</c> grants reading and writing rows (docs/operations.md).
    /// Defaults to the user of <c>ConnectionStrings:Postgres</c> when <c>migrate</c> runs with <c>ConnectionStrings:PostgresOwner</c>.
    /// </summary>
    public string? ApplicationRole { get; set; }

    /// <summary>Where the reviewed SQL files live; found automatically when empty.</summary>
    public string? MigrationsPath { get; set; }

    /// <summary>
    /// How Marten appends events: <c>Quick</c> (one server-side function call per stream inside the write batch, the
    /// default since 2026-12-06) or <c>Rich</c> (sequence numbers and the stream's state read in a call of their own
    /// before the append). Without the write cache (<see cref="WriteCacheCases"/>) Quick was never measurably faster;
    /// with it, a change decided on the kept case makes no database call besides the write batch and the commit, and
    /// Quick measured 1.8–2.1× the benchmark's floor against 2.0–2.1× for Rich, interleaved (docs/performance.md,
    /// "The write cache"). A change racing another writer's commit collides on the event's (stream, version) key; Marten
    /// turns that into its version clash, answered as stale (412), not an error
    /// (<c>CaseGateTests.With_quick_append_a_change_racing_a_commit_…</c>); the whole suite passes with either mode.
    /// Needs migration 0011 (Marten's quick-append function).
    /// </summary>
    public JasperFx.Events.EventAppendMode AppendMode { get; set; } = JasperFx.Events.EventAppendMode.Quick;

    /// <summary>
    /// Events read at a time when a projection is rebuilt. Marten's default is 500; 20,000 rebuilt the case
    /// summaries about four times faster in the benchmark.
    /// </summary>
    public int RebuildBatchSize { get; set; } = 20_000;

    /// <summary>Marten's optimized projection rebuilds (no schema change with Marten 9.58; measured by the benchmark).</summary>
    public bool OptimizedRebuilds { get; set; }

    /// <summary>
    /// Keep the write model fetched by <c>FetchForWriting</c> (and the case summary the gate loads with it) in the
    /// session's identity map for the inline projections: without it, the commit reads both documents once more
    /// (two database calls of a goal update's seven; docs/performance.md, "Write cost"). On by default; the gate
    /// clears the item map itself before every attempt and after every failed one (<c>CaseGate.ForgetLoaded</c>).
    /// </summary>
    public bool IdentityMapForAggregates { get; set; } = true;

    /// <summary>
    /// Statements Npgsql prepares on each pooled connection once they were used a few times (<c>Max Auto Prepare</c>;
    /// 0, the default: none). A prepared statement is parsed and planned once per connection instead of on every use.
    /// Measured on 2026-12-06 with the benchmark's floor prepared as well: a goal update about 15 % faster, the load
    /// no faster (docs/performance.md). Off by default: a migration that changes the columns a prepared statement
    /// returns makes its next use on every open connection fail once (PostgreSQL 0A000) while the nodes keep running.
    /// </summary>
    public int PreparedStatements { get; set; }

    /// <summary>
    /// Cases whose write model and summary a node keeps after changing them (<c>CaseWriteCache</c>; 0: none), so that the
    /// user's next change of the same case, sent with the version the last one answered, needs no read of the case: the
    /// commit still checks the version. Each case takes roughly the size of its summary (20–50 KB as JSON) in memory.
    /// 0–10,000 (checked at start).
    /// </summary>
    public int WriteCacheCases { get; set; } = 256;

    /// <summary>How long (seconds) a node keeps a case in <see cref="WriteCacheCases"/> after its last change (0: not at all); 0–600 (checked at start).</summary>
    public int WriteCacheSeconds { get; set; } = 120;
}
