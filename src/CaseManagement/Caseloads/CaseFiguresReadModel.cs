using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Caseloads;

/// <summary>
/// The Team dashboard's read model <c>cases.case_figures</c> (migration 0029): one narrow row per case with the dates and
/// states the figures use, written by a trigger on the case summary's table in the same transaction as the summary (a
/// change, a reassignment or transfer, a closing, a rebuild, an erasure). The figures of a team for the month of a day are
/// one aggregate query over the rows of its managers (index on tenant and manager) — the rules are those of
/// <see cref="CaseFigures.Count"/>, which the tests keep as the oracle.
/// </summary>
public static class CaseFiguresReadModel
{
    /// <summary>
    /// A sub-select of the ids of the managers' cases in one organisation, from the rows here (index on tenant and manager):
    /// the readers of summaries by manager go through it, because the summary table has no manager index (migration 0033:
    /// so that rewriting a summary can stay on its page). <paramref name="tenant"/> and <paramref name="managers"/> (uuid[])
    /// are the caller's parameter placeholders.
    /// </summary>
    public static string CaseIdsOfManagers(string tenant, string managers) =>
        $"select case_id from cases.case_figures where tenant_id = {tenant} and manager_id = any({managers})";

    private const string Figures =
        """
        with c as (
            select f.manager_id, f.status, f.support_start, f.support_end, f.closed_on, f.last_contact, f.next_review_on,
                (select count(*) from unnest(f.consultation_dates) d where d >= $3 and d <= $4) as consultations,
                (select count(*) from unnest(f.goal_final, f.goal_target) g(final, target) where not g.final and g.target < $4) as past_target,
                exists (select 1 from unnest(f.goal_final, f.goal_review) g(final, review) where not g.final and g.review < $4) as goal_review_overdue
            from cases.case_figures f where f.tenant_id = $1 and f.manager_id = any($2))
        select manager_id,
            count(*) filter (where status <> 'closed'),
            count(*) filter (where support_start >= $3 and support_start <= $4),
            count(*) filter (where status = 'closed' and closed_on >= $3),
            coalesce(sum(consultations), 0)::bigint,
            count(*) filter (where status = 'open' and (next_review_on < $4 or goal_review_overdue)),
            coalesce(sum(past_target) filter (where status <> 'closed'), 0)::bigint,
            count(*) filter (where status <> 'closed' and support_end >= $4 and support_end <= $5),
            count(*) filter (where status = 'open' and coalesce(last_contact, support_start) < $6)
        from c group by manager_id
        """;

    private const string Outcomes =
        """
        select g.field,
            count(*) filter (where g.agreed > $3 and g.agreed <= $4),
            count(*) filter (where g.status = 'achieved' and g.finished > $3 and g.finished <= $4),
            count(*) filter (where g.status = 'partlyachieved' and g.finished > $3 and g.finished <= $4),
            count(*) filter (where g.status = 'notachieved' and g.finished > $3 and g.finished <= $4),
            count(*) filter (where g.status = 'dropped' and g.finished > $3 and g.finished <= $4)
        from cases.case_figures f, unnest(f.goal_fields, f.goal_status, f.goal_agreed, f.goal_finished) g(field, status, agreed, finished)
        where f.tenant_id = $1 and f.manager_id = any($2)
        group by g.field
        """;

    /// <summary>The figures per manager (every manager asked has a row, zero without cases) and the outcomes of their goals.</summary>
    public static async Task<(IReadOnlyDictionary<Guid, IReadOnlyDictionary<CaseFigure, int>> Managers, IReadOnlyList<OutcomeRow> Outcomes)> ReadAsync(
        NpgsqlDataSource dataSource, string tenantId, IReadOnlyCollection<Guid> managers, LocalDate today, DashboardSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(managers);
        ArgumentNullException.ThrowIfNull(settings);
        var monthStart = new LocalDate(today.Year, today.Month, 1);
        var ids = managers.Distinct().ToArray();
        await using var batch = dataSource.CreateBatch();
        var figures = new NpgsqlBatchCommand(Figures);
        figures.Parameters.Add(new() { Value = tenantId });
        figures.Parameters.Add(new() { Value = ids });
        figures.Parameters.Add(Date(monthStart));
        figures.Parameters.Add(Date(today));
        figures.Parameters.Add(Date(today.PlusMonths(settings.SupportEndingMonths)));
        figures.Parameters.Add(Date(today.PlusWeeks(-settings.NoContactWeeks)));
        var outcomes = new NpgsqlBatchCommand(Outcomes);
        outcomes.Parameters.Add(new() { Value = tenantId });
        outcomes.Parameters.Add(new() { Value = ids });
        outcomes.Parameters.Add(Date(today.PlusMonths(-12)));
        outcomes.Parameters.Add(Date(today));
        batch.BatchCommands.Add(figures);
        batch.BatchCommands.Add(outcomes);

        var rows = ids.ToDictionary(m => m, _ => (IReadOnlyDictionary<CaseFigure, int>)Zero());
        var fields = new Dictionary<FieldOfAction, OutcomeRow>();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows[reader.GetGuid(0)] = new Dictionary<CaseFigure, int>
            {
                [CaseFigure.Active] = Int(reader, 1),
                [CaseFigure.NewThisMonth] = Int(reader, 2),
                [CaseFigure.ClosedThisMonth] = Int(reader, 3),
                [CaseFigure.ConsultationsThisMonth] = Int(reader, 4),
                [CaseFigure.ReviewsOverdue] = Int(reader, 5),
                [CaseFigure.GoalsPastTarget] = Int(reader, 6),
                [CaseFigure.SupportEndingSoon] = Int(reader, 7),
                [CaseFigure.NoRecentContact] = Int(reader, 8),
            };
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (Enum.TryParse<FieldOfAction>(reader.GetString(0), ignoreCase: true, out var field))
            {
                fields[field] = new OutcomeRow(field, Int(reader, 1), Int(reader, 2), Int(reader, 3), Int(reader, 4), Int(reader, 5));
            }
        }

        return (rows, Enum.GetValues<FieldOfAction>().Select(f => fields.GetValueOrDefault(f) ?? new OutcomeRow(f, 0, 0, 0, 0, 0)).ToList());
    }

    /// <summary>The sum of the managers' rows (the team total).</summary>
    public static IReadOnlyDictionary<CaseFigure, int> Sum(IEnumerable<IReadOnlyDictionary<CaseFigure, int>> rows)
    {
        var list = rows.ToList();
        return Enum.GetValues<CaseFigure>().ToDictionary(f => f, f => list.Sum(r => r[f]));
    }

    /// <summary>Derives every row again from the case summaries (verb rebuild-projections; the trigger keeps them afterwards).</summary>
    public static async Task<int> RebuildAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var clear = new NpgsqlCommand("delete from cases.case_figures", connection, transaction))
        {
            await clear.ExecuteNonQueryAsync(ct);
        }

        await using (var fill = new NpgsqlCommand(
                         $"select cases.case_figures_of(tenant_id, id, data) from {Storage.MartenSetup.Schema}.mt_doc_casesummary", connection, transaction))
        {
            fill.CommandTimeout = 0;
            await fill.ExecuteNonQueryAsync(ct);
        }

        await using var count = new NpgsqlCommand("select count(*) from cases.case_figures", connection, transaction);
        var rows = Convert.ToInt32(await count.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        await transaction.CommitAsync(ct);
        return rows;
    }

    private static Dictionary<CaseFigure, int> Zero() => Enum.GetValues<CaseFigure>().ToDictionary(f => f, _ => 0);

    private static int Int(NpgsqlDataReader reader, int ordinal) => checked((int)reader.GetInt64(ordinal));

    private static NpgsqlParameter Date(LocalDate day) => new() { Value = day.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date };
}
