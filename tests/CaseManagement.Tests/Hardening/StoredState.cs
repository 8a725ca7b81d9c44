using Npgsql;

namespace CaseManagement.Tests.Hardening;

/// <summary>
/// What the application stores, watched in the test's own database: the row count of every table of the
/// application's schemas (compared before and after a run), and — to name the request that changed something —
/// a row trigger on each of these tables that notes every inserted, updated or deleted row in
/// <c>probe.changes</c>. Left out: the access log (reading is logged by design) and the bookkeeping of the
/// libraries (Hangfire's locks, counters and queues, Marten's daemon progress).
/// </summary>
public sealed class StoredState
{
    private static readonly HashSet<string> Bookkeeping = new(StringComparer.Ordinal)
    {
        "identity.case_access_log",
        "identity.user_sessions", // a session's "last seen" is touched by every request (Infrastructure/SessionCheck.cs)
        "hangfire.lock", "hangfire.server", "hangfire.counter", "hangfire.aggregatedcounter", "hangfire.hash", "hangfire.set", "hangfire.list",
        "hangfire.schema", "hangfire.state", "hangfire.jobparameter", "hangfire.jobqueue",
        "marten.mt_event_progression", "marten.mt_high_water_skips", "marten.mt_event_projection_floors",
    };

    private readonly NpgsqlDataSource dataSource;
    private readonly string counts;
    private long seen;

    private StoredState(NpgsqlDataSource dataSource, IReadOnlyList<string> tables, string counts)
    {
        this.dataSource = dataSource;
        Tables = tables;
        this.counts = counts;
    }

    public IReadOnlyList<string> Tables { get; }

    /// <summary>Installs the row triggers (once per database) and starts watching from now on.</summary>
    public static async Task<StoredState> WatchAsync(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var tables = new List<string>();
        await using (var command = dataSource.CreateCommand(
                         "select table_schema || '.' || table_name from information_schema.tables " +
                         "where table_schema in ('identity', 'cases', 'marten', 'hangfire') and table_type = 'BASE TABLE' order by 1"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.RemoveAll(Bookkeeping.Contains);
        var quoted = tables.Select(t => $"{t.Split('.')[0]}.\"{t.Split('.')[1]}\"").ToList();
        var install = """
            create schema if not exists probe;
            create table if not exists probe.changes (id bigserial primary key, tbl text not null, op text not null);
            create or replace function probe.note() returns trigger language plpgsql security definer set search_path = probe, pg_temp as $$
            begin
              insert into probe.changes (tbl, op) values (tg_table_schema || '.' || tg_table_name, tg_op);
              return null;
            end $$;
            """ + string.Concat(quoted.Select(t =>
            $"create or replace trigger probe_rows after insert or update or delete on {t} for each row execute function probe.note();" +
            $"create or replace trigger probe_truncate after truncate on {t} for each statement execute function probe.note();"));
        await using (var command = dataSource.CreateCommand(install))
        {
            await command.ExecuteNonQueryAsync();
        }

        var state = new StoredState(dataSource, tables,
            string.Join(" union all ", tables.Zip(quoted).Select(t => $"select '{t.First}', (select count(*) from {t.Second})")));
        state.seen = await state.LastChangeAsync();
        return state;
    }

    /// <summary>Rows written since the last call, per table and kind (e.g. "marten.mt_events INSERT×1"); empty when nothing.</summary>
    public async Task<IReadOnlyList<string>> ChangesSinceLastAsync()
    {
        var last = await LastChangeAsync();
        if (last == seen)
        {
            return [];
        }

        var changes = new List<string>();
        await using (var command = dataSource.CreateCommand("select tbl, op, count(*) from probe.changes where id > $1 group by tbl, op order by tbl, op"))
        {
            command.Parameters.AddWithValue(seen);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                changes.Add($"{reader.GetString(0)} {reader.GetString(1)}×{reader.GetInt64(2)}");
            }
        }

        seen = last;
        return changes;
    }

    /// <summary>Table → number of rows, now.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountAsync()
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand(counts);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result[reader.GetString(0)] = reader.GetInt64(1);
        }

        return result;
    }

    /// <summary>The tables whose row count differs: "marten.mt_events: 12 → 13".</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return before.Where(b => after[b.Key] != b.Value).Select(b => $"{b.Key}: {b.Value} → {after[b.Key]}").ToList();
    }

    private async Task<long> LastChangeAsync()
    {
        await using var command = dataSource.CreateCommand("select coalesce(max(id), 0) from probe.changes");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
