using CaseManagement.Reminders;
using Hangfire;
using Marten;
using Microsoft.Extensions.Logging;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;

namespace CaseManagement.DataProtection;

/// <summary>Retention of closed cases (configuration section <c>Retention</c>).</summary>
public sealed record RetentionSettings
{
    public const string Section = "Retention";

    /// <summary>A closed case is erased this many months after the day it was closed.</summary>
    public int MonthsAfterClosing { get; init; } = 36;

    /// <summary>The DPO sees a case on the list at least this many days before it is erased.</summary>
    public int NoticeDays { get; init; } = 30;
}

/// <summary>
/// A case announced for erasure by the retention job (table <c>identity.retention_notices</c>): case id and
/// number, when it was closed, when it is due, when the DPO was told, and a hold with its reason.
/// </summary>
public sealed class RetentionNotice
{
    public Guid CaseId { get; init; }

    public Guid OrganisationId { get; init; }

    public required string CaseNumber { get; init; }

    public DateOnly ClosedOn { get; init; }

    public DateOnly DueOn { get; init; }

    public DateOnly AnnouncedOn { get; init; }

    public string? HoldReason { get; set; }

    public Guid? HoldBy { get; set; }

    public DateTimeOffset? HoldAt { get; set; }
}

public static class RetentionRules
{
    public const int MaxHoldReasonLength = 1000;

    public const string LegalBasis = "Art. 17 Abs. 1 lit. a DSGVO (Zweck erfüllt, Aufbewahrungsfrist abgelaufen)";

    public static LocalDate DueOn(LocalDate closedOn, RetentionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return closedOn.PlusClamped(Period.FromMonths(settings.MonthsAfterClosing));
    }

    /// <summary>Erased on the due day, but never before the DPO had the notice for the full notice period.</summary>
    public static bool ErasableOn(RetentionNotice notice, LocalDate today, RetentionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(settings);
        return notice.HoldReason is null
               && LocalDate.FromDateOnly(notice.DueOn) <= today
               && LocalDate.FromDateOnly(notice.AnnouncedOn).PlusDays(settings.NoticeDays) <= today;
    }
}

/// <summary>What a retention run did in one organisation.</summary>
public sealed record RetentionResult(int Announced, int Withdrawn, int Erased);

/// <summary>
/// The daily retention run of one organisation: closed cases due within the notice period are announced to
/// the DPO (list and, when mail is configured, an e-mail with the number and a link); a notice whose case
/// was reopened is withdrawn; announced cases whose day has come and that are not on hold are erased like
/// an erasure on request (<see cref="CaseEraser"/>), with an audit record naming the retention rule.
/// </summary>
public sealed partial class RetentionRun(
    IDocumentStore store, Npgsql.NpgsqlDataSource dataSource, AppDbContext db, CaseEraser eraser, Mailer mailer, IClock clock, RetentionSettings settings, ILogger<RetentionRun> logger)
{
    public async Task<RetentionResult> RunAsync(Guid organisationId, CancellationToken ct)
    {
        var today = clock.Today();
        IReadOnlyList<CaseSummary> closed;
        await using (var session = store.QuerySession(TenantIds.For(organisationId)))
        {
            closed = (await CaseCards.AllAsync(session, dataSource, ct)).Where(c => c.Status == CaseStatus.Closed).ToList();
        }

        var notices = await Ef.ToListAsync(db.RetentionNotices.Where(n => n.OrganisationId == organisationId), ct);
        var byCase = closed.Where(c => c.ClosedOn is not null).ToDictionary(c => c.Id);

        // A reopened (or differently closed) case is no longer due: its notice goes.
        var stale = notices.Where(n => !byCase.TryGetValue(n.CaseId, out var c) || c.ClosedOn!.Value.ToDateOnly() != n.ClosedOn).ToList();
        db.RetentionNotices.RemoveRange(stale);

        var known = notices.Except(stale).Select(n => n.CaseId).ToHashSet();
        var announced = byCase.Values
            .Where(c => !known.Contains(c.Id) && RetentionRules.DueOn(c.ClosedOn!.Value, settings) <= today.PlusDays(settings.NoticeDays))
            .Select(c => new RetentionNotice
            {
                CaseId = c.Id,
                OrganisationId = organisationId,
                CaseNumber = c.CaseNumber,
                ClosedOn = c.ClosedOn!.Value.ToDateOnly(),
                DueOn = RetentionRules.DueOn(c.ClosedOn!.Value, settings).ToDateOnly(),
                AnnouncedOn = today.ToDateOnly(),
            })
            .ToList();
        db.RetentionNotices.AddRange(announced);
        await db.SaveChangesAsync(ct);

        var erased = 0;
        foreach (var notice in notices.Except(stale).Where(n => RetentionRules.ErasableOn(n, today, settings)).ToList())
        {
            var erasure = ErasureRecord.Request(organisationId, notice.CaseId, notice.CaseNumber,
                $"Abgeschlossen am {Time.Format(LocalDate.FromDateOnly(notice.ClosedOn))}; Aufbewahrungsfrist von {settings.MonthsAfterClosing} Monaten abgelaufen.",
                RetentionRules.LegalBasis, ErasureTrigger.Retention, Guid.Empty, clock.GetCurrentInstant());
            db.Erasures.Add(erasure);
            await db.SaveChangesAsync(ct);
            await eraser.EraseAsync(organisationId, notice.CaseId, erasure.Id, Guid.Empty, ct);
            erasure.Status = ErasureStatus.Completed;
            erasure.CompletedAt = clock.GetCurrentInstant().ToDateTimeOffset();
            await db.SaveChangesAsync(ct);
            erased++;
        }

        if (announced.Count > 0)
        {
            await NotifyAsync(organisationId, announced.Count, ct);
        }

        LogRun(logger, organisationId, announced.Count, stale.Count, erased);
        return new RetentionResult(announced.Count, stale.Count, erased);
    }

    /// <summary>An e-mail to the organisation's DPOs: how many cases were newly announced, and the link (no case data).</summary>
    private async Task NotifyAsync(Guid organisationId, int count, CancellationToken ct)
    {
        if (!mailer.Options.Configured)
        {
            return;
        }

        var recipients = await Ef.ToListAsync(
            from u in db.Users
            join ur in db.UserRoles on u.Id equals ur.UserId
            join r in db.Roles on ur.RoleId equals r.Id
            where u.OrganisationId == organisationId && u.IsActive && u.Email != null && r.Name == Roles.DataProtectionOfficer
            select u.Email, ct);
        if (recipients.Count == 0)
        {
            return;
        }

        using var smtp = await mailer.ConnectAsync(ct);
        foreach (var to in recipients)
        {
            await smtp.SendAsync(mailer.Compose(to!, $"CaseManagement: {count} Fall/Fälle zur Löschung angekündigt", NoticeText(count, settings, mailer.Options.BaseUrl)), ct);
        }

        await smtp.DisconnectAsync(quit: true, ct);
    }

    public static string NoticeText(int count, RetentionSettings settings, string baseUrl)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"""
            Guten Tag,

            {count} abgeschlossene(r) Fall/Fälle erreicht in den nächsten {settings.NoticeDays} Tagen das Ende der Aufbewahrungsfrist
            ({settings.MonthsAfterClosing} Monate nach Abschluss) und wird/werden dann automatisch gelöscht.

            Liste und Möglichkeit, einen Fall mit Begründung zurückzuhalten: {baseUrl.TrimEnd('/')}/datenschutz/aufbewahrung

            Diese E-Mail enthält bewusst keine Angaben zu Klientinnen und Klienten.
            """;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Aufbewahrung {OrganisationId}: {Announced} angekündigt, {Withdrawn} zurückgenommen, {Erased} gelöscht.")]
    private static partial void LogRun(ILogger logger, Guid organisationId, int announced, int withdrawn, int erased);
}

/// <summary>Data-protection jobs; Hangfire resolves them per job in their own scope. Arguments are ids only.</summary>
public sealed class DataProtectionJobs(AppDbContext db, RetentionRun retention, AccessLogPurge purge)
{
    public const string RetentionJobId = "retention";
    public const string AccessLogPurgeJobId = "access-log-purge";

    /// <summary>The nightly retention run of every organisation.</summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [60, 300, 1800, 3600, 3600])]
    public async Task RunRetention(CancellationToken cancellationToken)
    {
        foreach (var organisation in await Ef.ToListAsync(db.Organisations.Select(o => o.Id), cancellationToken))
        {
            await retention.RunAsync(organisation, cancellationToken);
        }
    }

    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [60, 300, 1800, 3600, 3600])]
    public async Task PurgeAccessLog(CancellationToken cancellationToken) => await purge.RunAsync(cancellationToken);

    /// <summary>Both jobs at night, Europe/Berlin.</summary>
    public static void Register(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<DataProtectionJobs>(AccessLogPurgeJobId, j => j.PurgeAccessLog(CancellationToken.None), Cron.Daily(3, 0),
            new RecurringJobOptions { TimeZone = ReminderSchedule.Berlin });
        jobs.AddOrUpdate<DataProtectionJobs>(RetentionJobId, j => j.RunRetention(CancellationToken.None), Cron.Daily(2, 30),
            new RecurringJobOptions { TimeZone = ReminderSchedule.Berlin });
    }
}

/// <summary>A notice as the DPO's retention list shows it.</summary>
public sealed record RetentionNoticeView(Guid CaseId, string CaseNumber, LocalDate ClosedOn, LocalDate DueOn, LocalDate AnnouncedOn, LocalDate ErasedFrom, string? HoldReason, string? HoldBy);

/// <summary>The organisation's announced erasures, soonest first.</summary>
public sealed record ListRetentionNotices : IQuery<IReadOnlyList<RetentionNoticeView>>;

public sealed class ListRetentionNoticesHandler(AppDbContext db, ICurrentUser user, RetentionSettings settings)
    : IQueryHandler<ListRetentionNotices, IReadOnlyList<RetentionNoticeView>>
{
    public async ValueTask<IReadOnlyList<RetentionNoticeView>> Handle(ListRetentionNotices query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireDataProtectionOfficer();
        var notices = await Ef.ToListAsync(Ef.AsNoTracking(db.RetentionNotices).Where(n => n.OrganisationId == organisationId).OrderBy(n => n.DueOn).ThenBy(n => n.CaseNumber), cancellationToken);
        var names = await UserNames.Of(db, organisationId, notices.Where(n => n.HoldBy is not null).Select(n => n.HoldBy!.Value), cancellationToken);
        return notices.Select(n =>
        {
            var due = LocalDate.FromDateOnly(n.DueOn);
            var earliest = LocalDate.FromDateOnly(n.AnnouncedOn).PlusDays(settings.NoticeDays);
            return new RetentionNoticeView(n.CaseId, n.CaseNumber, LocalDate.FromDateOnly(n.ClosedOn), due, LocalDate.FromDateOnly(n.AnnouncedOn),
                due > earliest ? due : earliest, n.HoldReason, n.HoldBy is { } by ? names.GetValueOrDefault(by, "–") : null);
        }).ToList();
    }
}

/// <summary>The DPO keeps an announced case from being erased (with a reason), or releases the hold (reason null).</summary>
public sealed record HoldRetention(Guid CaseId, bool Hold, string? Reason) : ICommand<Outcome<Guid>>;

public sealed class HoldRetentionHandler(AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<HoldRetention, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(HoldRetention command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireDataProtectionOfficer();
        var notice = await Ef.SingleOrDefaultAsync(db.RetentionNotices, n => n.CaseId == command.CaseId && n.OrganisationId == organisationId, cancellationToken)
                     ?? throw new NotFoundException("Retention notice");
        if (command.Hold)
        {
            var checks = new Checks();
            checks.Text(command.Reason, RetentionRules.MaxHoldReasonLength, "Reason", "den Grund für das Zurückhalten (z. B. laufendes Verfahren, ohne Namen)", required: true);
            if (checks.Failed)
            {
                return Outcome<Guid>.Failure(checks.Errors);
            }

            notice.HoldReason = command.Reason!.Trim();
            notice.HoldBy = user.UserId;
            notice.HoldAt = clock.GetCurrentInstant().ToDateTimeOffset();
        }
        else
        {
            notice.HoldReason = null;
            notice.HoldBy = null;
            notice.HoldAt = null;
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(notice.CaseId);
    }
}
