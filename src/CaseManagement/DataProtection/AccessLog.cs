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
public sealed class CaseAccessLog(AppDbContext db, ICurrentUser user, IClock clock, IHttpContextAccessor http)
{
    /// <summary>Header an API client may send to state the purpose of a read (at most 200 characters).</summary>
    public const string PurposeHeader = "X-Access-Purpose";

    public Task RecordAsync(Guid caseId, string what, CancellationToken ct) => RecordAsync(caseId, what, null, ct);

    /// <summary>An entry with the purpose the reader stated (else the request's <see cref="PurposeHeader"/>).</summary>
    public Task RecordAsync(Guid caseId, string what, string? statedPurpose, CancellationToken ct) => RecordManyAsync([caseId], what, statedPurpose, ct);

    /// <summary>One entry per case, saved at once (an organisation-wide export reads every case).</summary>
    public async Task RecordManyAsync(IEnumerable<Guid> caseIds, string what, string? statedPurpose, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        var request = http.HttpContext?.Request;
        var purpose = string.IsNullOrWhiteSpace(statedPurpose) ? request?.Headers[PurposeHeader].ToString() : statedPurpose;
        db.CaseAccessLog.AddRange(caseIds.Select(caseId => new CaseAccessEntry
        {
            OrganisationId = user.OrganisationId,
            UserId = user.UserId,
            Role = Roles.All.FirstOrDefault(user.IsInRole) ?? "",
            CaseId = caseId,
            At = clock.GetCurrentInstant().ToDateTimeOffset(),
            Channel = request?.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) == true ? "API" : "Web",
            What = what,
            Purpose = string.IsNullOrWhiteSpace(purpose) ? null : purpose.Trim()[..Math.Min(purpose.Trim().Length, 200)],
        }));
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>An entry as the DPO sees it (the reader's name from the user table; the case number from the case).</summary>
public sealed record AccessLogItem(DateTimeOffset At, Guid UserId, string UserName, string Role, Guid CaseId, string Channel, string What, string? Purpose);

public sealed record AccessLogPage(IReadOnlyList<AccessLogItem> Items, int Total, int Page, int PageSize);

/// <summary>The DPO's view of the access log of the own organisation, filtered and paged (newest first).</summary>
public sealed record GetAccessLog(Guid? CaseId, Guid? UserId, LocalDate? From, LocalDate? To, int Page = 1, int PageSize = 100) : IQuery<AccessLogPage>;

public sealed class GetAccessLogHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<GetAccessLog, AccessLogPage>
{
    public async ValueTask<AccessLogPage> Handle(GetAccessLog query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var entries = db.CaseAccessLog.AsNoTracking().Where(e => e.OrganisationId == organisationId);
        if (query.CaseId is { } caseId)
        {
            entries = entries.Where(e => e.CaseId == caseId);
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
        return new AccessLogPage(items, total, page, pageSize);
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
