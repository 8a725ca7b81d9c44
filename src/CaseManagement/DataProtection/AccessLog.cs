using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.DataProtection;

/// <summary>
/// One read of a case file (table <c>identity.case_access_log</c>): who (user id and role), when, which
/// case, through which channel, and the purpose where one was given. Ids only — no client data.
/// </summary>
public sealed class CaseAccessEntry
{
    public long Id { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid UserId { get; init; }

    public string Role { get; init; } = "";

    public Guid CaseId { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>"Web" or "API".</summary>
    public string Channel { get; init; } = "";

    /// <summary>What was read: Fallakte, Verlauf, Stand, Druck, PDF, Dokument (a download), Dokumentenliste (API); by the DPO: Betroffenenseite, Export.</summary>
    public string What { get; init; } = "";

    public string? Purpose { get; init; }
}

/// <summary>How long entries are kept (configuration section <c>AccessLog</c>).</summary>
public sealed record AccessLogSettings
{
    public const string Section = "AccessLog";

    public int RetentionMonths { get; init; } = 24;
}

/// <summary>Writes an entry for every read of a case file by the signed-in user.</summary>
public sealed class CaseAccessLog(AccessLogWriter writer, ICurrentUser user, IClock clock, IHttpContextAccessor http)
{
    /// <summary>Header an API client may send to state the purpose of a read (at most 200 characters).</summary>
    public const string PurposeHeader = "X-Access-Purpose";

    public Task RecordAsync(Guid caseId, string what, CancellationToken ct) => RecordAsync(caseId, what, null, ct);

    /// <summary>An entry with the purpose the reader stated (else the request's <see cref="PurposeHeader"/>).</summary>
    public Task RecordAsync(Guid caseId, string what, string? statedPurpose, CancellationToken ct) => RecordManyAsync([caseId], what, statedPurpose, ct);

    /// <summary>
    /// One entry per case (an organisation-wide export reads every case), committed before this returns — the read it
    /// records has happened, whatever the request does next. <see cref="AccessLogWriter"/> writes the entries of reads
    /// that arrive together in one INSERT. (Through EF Core's change tracker this was about a sixth of the application's
    /// CPU time for a case-file read in the load scenario.)
    /// </summary>
    public Task RecordManyAsync(IEnumerable<Guid> caseIds, string what, string? statedPurpose, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        var request = http.HttpContext?.Request;
        var purpose = (string.IsNullOrWhiteSpace(statedPurpose) ? request?.Headers[PurposeHeader].ToString() : statedPurpose)?.Trim();
        var organisationId = user.OrganisationId;
        var userId = user.UserId;
        var role = Roles.All.FirstOrDefault(user.IsInRole) ?? "";
        var at = clock.GetCurrentInstant();
        var channel = request?.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) == true ? "API" : "Web";
        var stored = string.IsNullOrEmpty(purpose) ? null : InputLimits.Cut(purpose, 200);
        var rows = caseIds.Select(id => new AccessLogRow(organisationId, userId, role, id, at, channel, what, stored)).ToList();
        return writer.WriteAsync(rows, ct);
    }
}

/// <summary>An entry as the DPO sees it (the reader's name from the user table; the case number from the case).</summary>
public sealed record AccessLogItem(DateTimeOffset At, Guid UserId, string UserName, string Role, Guid CaseId, string Channel, string What, string? Purpose)
{
    /// <summary>The case number as users see it (also of an erased case: its pseudonymous record keeps it); null when unknown.</summary>
    public string? CaseNumber { get; init; }
}

public sealed record AccessLogPage(IReadOnlyList<AccessLogItem> Items, int Total, int Page, int PageSize);

/// <summary>
/// The DPO's view of the access log of the own organisation, filtered and paged (newest first): by the reader (a user
/// of the organisation), by the case — its case number as users see it, or (API) its id — and by days.
/// </summary>
public sealed record GetAccessLog(Guid? CaseId, Guid? UserId, LocalDate? From, LocalDate? To, int Page = 1, int PageSize = 100) : IQuery<Outcome<AccessLogPage>>
{
    /// <summary>Longest case number the filter takes (they look like 2026-0001).</summary>
    public const int MaxCaseNumberLength = 20;

    /// <summary>Fallnummer: the entries of the case of the own organisation with this number ("2026-12" is read as 2026-0012).</summary>
    public string? CaseNumber { get; init; }
}

public sealed class GetAccessLogHandler(AppDbContext db, Marten.IQuerySession session, ICurrentUser user) : IQueryHandler<GetAccessLog, Outcome<AccessLogPage>>
{
    public async ValueTask<Outcome<AccessLogPage>> Handle(GetAccessLog query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var entries = db.CaseAccessLog.AsNoTracking().Where(e => e.OrganisationId == organisationId);
        if (query.CaseId is { } caseId)
        {
            entries = entries.Where(e => e.CaseId == caseId);
        }

        if (query.CaseNumber?.Trim() is { Length: > 0 } number)
        {
            if (number.Length > GetAccessLog.MaxCaseNumberLength)
            {
                return Outcome<AccessLogPage>.Fail(nameof(GetAccessLog.CaseNumber), Messages.AccessLog.CaseNumberTooLong);
            }

            // The session is the organisation's (conjoined tenancy): another organisation's case of the same number is never found.
            var cases = await CaseNumberLookup.IdsOf(session, CaseNumberLookup.Normalise(number), cancellationToken);
            entries = entries.Where(e => cases.Contains(e.CaseId));
        }

        if (query.UserId is { } userId)
        {
            entries = entries.Where(e => e.UserId == userId);
        }

        // Filters outside the documented range are held at its ends (the API refuses them before they get here).
        if (query.From is { } from)
        {
            from = LocalDate.Max(DateRange.Filter.From, LocalDate.Min(DateRange.Filter.To, from));
            var start = from.AtStartOfDayInZone(Time.Berlin).ToInstant().ToDateTimeOffset();
            entries = entries.Where(e => e.At >= start);
        }

        if (query.To is { } to)
        {
            to = LocalDate.Max(DateRange.Filter.From, LocalDate.Min(DateRange.Filter.To, to));
            var end = to.PlusDays(1).AtStartOfDayInZone(Time.Berlin).ToInstant().ToDateTimeOffset();
            entries = entries.Where(e => e.At < end);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, 100_000);
        var page = Paging.Page(query.Page);
        var total = await entries.CountAsync(cancellationToken);
        var items = await (from e in entries
                           join u in db.Users on e.UserId equals u.Id into readers
                           from u in readers.DefaultIfEmpty()
                           orderby e.At descending, e.Id descending
                           select new AccessLogItem(e.At, e.UserId, u == null ? "" : u.DisplayName, e.Role, e.CaseId, e.Channel, e.What, e.Purpose))
            .Skip(Paging.Offset(page, pageSize)).Take(pageSize).ToListAsync(cancellationToken);
        var numbers = await CaseNumberLookup.NumbersOf(session, items.Select(i => i.CaseId), cancellationToken);
        items = items.Select(i => i with { CaseNumber = numbers.GetValueOrDefault(i.CaseId) }).ToList();
        return Outcome<AccessLogPage>.Success(new AccessLogPage(items, total, page, pageSize));
    }
}

/// <summary>A user of the organisation as the access-log filter offers them: name only (and the e-mail where two share a name).</summary>
public sealed record AccessLogReader(Guid Id, string Name);

/// <summary>The users of the DPO's own organisation (also deactivated ones: their reads stay in the log), by name.</summary>
public sealed record ListAccessLogReaders : IQuery<IReadOnlyList<AccessLogReader>>;

public sealed class ListAccessLogReadersHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<ListAccessLogReaders, IReadOnlyList<AccessLogReader>>
{
    public async ValueTask<IReadOnlyList<AccessLogReader>> Handle(ListAccessLogReaders query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireDataProtectionOfficer();
        var users = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId)
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(cancellationToken);
        var shared = users.GroupBy(u => u.DisplayName, StringComparer.CurrentCultureIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.CurrentCultureIgnoreCase);
        return users
            .Select(u => new AccessLogReader(u.Id, shared.Contains(u.DisplayName) ? $"{u.DisplayName} ({u.Email})" : u.DisplayName))
            .OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase)
            .ToList();
    }
}

/// <summary>Case numbers (Fallnummern) of the organisation's cases, open or erased, and back.</summary>
internal static class CaseNumberLookup
{
    /// <summary>"2026-12" → "2026-0012" (numbers are written with four digits); anything else as it is.</summary>
    public static string Normalise(string number) =>
        System.Text.RegularExpressions.Regex.Match(number, @"^(\d{4})-(\d{1,4})$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } m
            ? Cases.CaseNumbers.Format(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            : number;

    public static async Task<Guid[]> IdsOf(Marten.IQuerySession session, string number, CancellationToken ct)
    {
        var open = await Marten.QueryableExtensions.ToListAsync(session.Query<CaseSummary>().Where(c => c.CaseNumber == number).Select(c => c.Id), ct);
        var erased = await Marten.QueryableExtensions.ToListAsync(session.Query<ErasedCase>().Where(c => c.Record.CaseNumber == number).Select(c => c.Id), ct);
        return [.. open, .. erased];
    }

    public static async Task<IReadOnlyDictionary<Guid, string>> NumbersOf(Marten.IQuerySession session, IEnumerable<Guid> caseIds, CancellationToken ct)
    {
        var ids = caseIds.Distinct().ToArray();
        if (ids.Length == 0)
        {
            return new Dictionary<Guid, string>();
        }

        var open = await Marten.QueryableExtensions.ToListAsync(
            session.Query<CaseSummary>().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.CaseNumber }), ct);
        var erased = await Marten.QueryableExtensions.ToListAsync(
            session.Query<ErasedCase>().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Record.CaseNumber }), ct);
        return open.Concat(erased).DistinctBy(c => c.Id).ToDictionary(c => c.Id, c => c.CaseNumber);
    }
}

/// <summary>Deletes access-log entries older than the retention period and idempotency keys older than a day (a daily job).</summary>
public sealed class AccessLogPurge(AppDbContext db, IClock clock, AccessLogSettings settings)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var cutoff = clock.GetCurrentInstant().InZone(Time.Berlin).Date.PlusMonths(-settings.RetentionMonths)
            .AtStartOfDayInZone(Time.Berlin).ToInstant().ToDateTimeOffset();
        var purged = await db.CaseAccessLog.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
        // Idempotency keys (and the first answers they keep) live one day only.
        var keysBefore = clock.GetCurrentInstant().Minus(Duration.FromTimeSpan(IdempotencyRecord.Keep)).ToDateTimeOffset();
        await db.IdempotencyKeys.Where(k => k.CreatedAt < keysBefore).ExecuteDeleteAsync(ct);
        return purged;
    }
}

internal static class DataProtectionGuard
{
    /// <summary>Data-protection functions are for the organisation's data-protection officers only.</summary>
    public static Guid RequireDataProtectionOfficer(this ICurrentUser user)
    {
        if (!user.IsAuthenticated || !user.IsInRole(Roles.DataProtectionOfficer))
        {
            throw new UnauthorizedAccessException(Messages.Accounts.DataProtectionOfficerRequired);
        }

        return user.OrganisationId;
    }
}
