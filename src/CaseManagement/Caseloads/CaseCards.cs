using Marten;
using Npgsql;

namespace CaseManagement.Caseloads;

/// <summary>
/// The case summary in the light shape that the Team page, the exports and the daily reminder scan read (the rows of
/// "Meine Fälle" and the deputy list come narrower still from <see cref="RowsOfManagersAsync"/>): the
/// document without the consultations' details, developments, referrals, profile, language levels, contact
/// data, decisions and household, cut by PostgreSQL (one <c>jsonb - text[]</c>) and read without Marten's
/// per-row stream overhead. A three-year case's summary is mostly what is left out; the benchmark measured
/// the Team dashboard's read at about a third (scenarios 2, 5 and 7). Objects read this way have those lists empty.
/// </summary>
public static class CaseCards
{
    /// <summary>
    /// Within one request (a scoped instance): the Team page asks for the same team's cases twice (figures and
    /// caseload); the second ask is answered from the first read.
    /// </summary>
    public sealed class RequestMemo
    {
        private readonly Dictionary<string, IReadOnlyList<CaseSummary>> read = [];

        public async Task<IReadOnlyList<CaseSummary>> OfManagersAsync(IQuerySession session, NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> managers, CancellationToken ct)
        {
            ArgumentNullException.ThrowIfNull(session);
            var key = session.TenantId + ":" + string.Join(',', managers.Order());
            if (!read.TryGetValue(key, out var cases))
            {
                read[key] = cases = await CaseCards.OfManagersAsync(session, dataSource, managers, ct);
            }

            return cases;
        }
    }

    /// <summary>The parts of the document left out of the light shape (JSON names).</summary>
    private static readonly string[] LeftOut = ["consultations", "developments", "referrals", "profile", "languageLevels", "contact", "decisions", "household"];

    /// <summary>The cases of the given managers in the session's organisation.</summary>
    public static async Task<IReadOnlyList<CaseSummary>> OfManagersAsync(IQuerySession session, NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> managers, CancellationToken ct) =>
        managers.Count == 0 ? [] : await ReadAsync(session, dataSource, $"and id in ({CaseFiguresReadModel.CaseIdsOfManagers("$1", "$2")})", managers.ToArray(), ct);

    /// <summary>
    /// The cases of the given managers as a row of "Meine Fälle" (page and API) and of the deputy list shows them, from the
    /// narrow row of <c>cases.case_figures</c> (migration 0030): no document is read or deserialised (the load scenario's
    /// caseload read did that for sixty three-year summaries on every page). Objects read this way carry the row's fields
    /// only: number, names, birth date, manager, status, eligibility, support period, next review, version, and goals with
    /// status and review date (for "überfällig"); a restriction or a withdrawn counselling consent shows as a placeholder
    /// without reason or date (enough for the processing rules); every other list is empty.
    /// </summary>
    public static async Task<IReadOnlyList<CaseSummary>> RowsOfManagersAsync(IQuerySession session, NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> managers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(managers);
        if (managers.Count == 0)
        {
            return [];
        }

        await using var command = dataSource.CreateCommand(
            """
            select case_id, case_number, first_name, last_name, birth_date, manager_id, status, verdict, individual_decision_approved,
                support_start, support_end, next_review_on, restricted, counselling_withdrawn, summary_version, goal_status, goal_review
            from cases.case_figures where tenant_id = $1 and manager_id = any($2)
            """);
        command.Parameters.Add(new() { Value = session.TenantId });
        command.Parameters.Add(new() { Value = managers.ToArray() });
        var cases = new List<CaseSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var statuses = reader.GetFieldValue<string[]>(15);
            var reviews = reader.GetFieldValue<NodaTime.LocalDate?[]>(16);
            cases.Add(new CaseSummary
            {
                Id = reader.GetGuid(0),
                CaseNumber = reader.GetString(1),
                FirstName = reader.GetString(2),
                LastName = reader.GetString(3),
                BirthDate = reader.IsDBNull(4) ? default : reader.GetFieldValue<NodaTime.LocalDate>(4),
                ManagerId = reader.GetGuid(5),
                Status = Enum.Parse<CaseStatus>(reader.GetString(6), ignoreCase: true),
                Verdict = Enum.TryParse<EligibilityVerdict>(reader.GetString(7), ignoreCase: true, out var verdict) ? verdict : default,
                IndividualDecisionApproved = reader.GetBoolean(8),
                SupportStart = reader.IsDBNull(9) ? default : reader.GetFieldValue<NodaTime.LocalDate>(9),
                SupportEnd = reader.IsDBNull(10) ? default : reader.GetFieldValue<NodaTime.LocalDate>(10),
                NextReviewOn = reader.IsDBNull(11) ? null : reader.GetFieldValue<NodaTime.LocalDate>(11),
                Restriction = reader.GetBoolean(12) ? new RestrictionView("", Guid.Empty, default) : null,
                ConsentWithdrawal = reader.GetBoolean(13) ? new ConsentWithdrawalView(default, [ConsentScope.Counselling]) : null,
                Version = reader.GetInt64(14),
                Goals = [.. statuses.Select((status, i) => new GoalView(
                    Guid.Empty, default, "", default, default, i < reviews.Length ? reviews[i] : null, Enum.Parse<Plans.GoalStatus>(status, ignoreCase: true), null))],
            });
        }

        return cases;
    }

    /// <summary>The given cases of the session's organisation (those that exist).</summary>
    public static async Task<IReadOnlyList<CaseSummary>> ByIdsAsync(IQuerySession session, NpgsqlDataSource dataSource, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        ids.Count == 0 ? [] : await ReadAsync(session, dataSource, "and id = any($2)", ids.ToArray(), ct);

    /// <summary>Every case of the session's organisation.</summary>
    public static Task<IReadOnlyList<CaseSummary>> AllAsync(IQuerySession session, NpgsqlDataSource dataSource, CancellationToken ct) =>
        ReadAsync(session, dataSource, "", null, ct);

    private static async Task<IReadOnlyList<CaseSummary>> ReadAsync(IQuerySession session, NpgsqlDataSource dataSource, string condition, Guid[]? ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(dataSource);
        // The tenant is the session's: the same organisation boundary as every Marten query.
        await using var command = dataSource.CreateCommand($"select (data - ${(ids is null ? 2 : 3)})::text from {Storage.MartenSetup.Schema}.mt_doc_casesummary where tenant_id = $1 {condition}");
        command.Parameters.Add(new() { Value = session.TenantId });
        if (ids is not null)
        {
            command.Parameters.Add(new() { Value = ids });
        }

        command.Parameters.Add(new() { Value = LeftOut });
        var serializer = session.DocumentStore.Options.Serializer();
        var cases = new List<CaseSummary>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            cases.Add(serializer.FromJson<CaseSummary>(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reader.GetString(0)))));
        }

        return cases;
    }
}
