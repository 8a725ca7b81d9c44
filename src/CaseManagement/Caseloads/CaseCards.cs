using Marten;
using Npgsql;

namespace CaseManagement.Caseloads;

/// <summary>
/// The case summary in the light shape that lists, the Team dashboard and the daily reminder scan read: the
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
        managers.Count == 0 ? [] : await ReadAsync(session, dataSource, "and cast(data ->> 'managerId' as uuid) = any($2)", managers.ToArray(), ct);

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
