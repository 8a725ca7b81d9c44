using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.DataProtection;

/// <summary>The pseudonymous record of an erased case (read model from <see cref="CaseErased"/>; counted in the funding report).</summary>
public sealed record ErasedCase
{
    public Guid Id { get; init; }

    public Guid ErasureId { get; init; }

    public Instant ErasedAt { get; init; }

    public required ErasedCaseRecord Record { get; init; }
}

public sealed class ErasedCaseProjection : SingleStreamProjection<ErasedCase, Guid>
{
    public static ErasedCase Create(IEvent<CaseErased> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new ErasedCase { Id = e.Data.CaseId, ErasureId = e.Data.ErasureId, ErasedAt = e.Data.ErasedAt, Record = e.Data.Record };
    }
}

public enum ErasureStatus
{
    /// <summary>Beantragt: waits for the confirmation (the case number typed again).</summary>
    Requested,

    Completed,

    Cancelled,
}

public enum ErasureTrigger
{
    /// <summary>On the data subject's request (Art. 17), by the data-protection officer.</summary>
    Request,

    /// <summary>By the retention job: closed longer than the retention period.</summary>
    Retention,
}

/// <summary>
/// The audit of an erasure (table <c>identity.erasures</c>): who asked and confirmed, when, why and on which
/// legal basis. It names the case by id and number only; it outlives the case.
/// </summary>
public sealed class ErasureRecord
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid CaseId { get; init; }

    public required string CaseNumber { get; init; }

    public required string Reason { get; init; }

    public required string LegalBasis { get; init; }

    public ErasureTrigger Trigger { get; init; }

    public ErasureStatus Status { get; set; }

    /// <summary>The DPO who asked (empty for the retention job).</summary>
    public Guid RequestedBy { get; init; }

    public DateTimeOffset RequestedAt { get; init; }

    public Guid? ConfirmedBy { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>A new erasure of a case, waiting for its confirmation.</summary>
    public static ErasureRecord Request(
        Guid organisationId, Guid caseId, string caseNumber, string reason, string legalBasis, ErasureTrigger trigger, Guid requestedBy, Instant at) => new()
    {
        Id = Guid.CreateVersion7(),
        OrganisationId = organisationId,
        CaseId = caseId,
        CaseNumber = caseNumber,
        Reason = reason,
        LegalBasis = legalBasis,
        Trigger = trigger,
        Status = ErasureStatus.Requested,
        RequestedBy = requestedBy,
        RequestedAt = at.ToDateTimeOffset(),
    };
}

/// <summary>
/// Erases one case. In one PostgreSQL transaction, at the version just read: every event of the stream is
/// masked in place (<see cref="PersonalDataMask"/>, Marten's <c>OverwriteEvent</c>), <see cref="CaseErased"/>
/// is appended with the pseudonymous record, the inline projections delete the case summary and write
/// <see cref="ErasedCase"/>, and household members' cases drop the link. A change that a manager commits
/// in between makes the version check fail and the whole erasure runs again over the new events; a change
/// after it is refused by the write model (<see cref="ClientCase.Erased"/>). Then the side tables:
/// reminders, planned checks, Hangfire jobs naming the case, retention notices, purposes typed into the
/// access log, and in the subject-search log the searches' link to the case and their purposes (also any
/// purpose of the organisation that names the person). Safe to run again (an erased stream is only cleaned again).
/// </summary>
public sealed partial class CaseEraser(IDocumentStore store, NpgsqlDataSource dataSource, IClock clock, ILogger<CaseEraser> logger, CaseWriteCache? cache = null)
{
    public async Task EraseAsync(Guid organisationId, Guid caseId, Guid erasureId, Guid actor, CancellationToken ct)
    {
        string[] subject = [];
        await using var session = store.LightweightSession(TenantIds.For(organisationId));
        if (await session.LoadAsync<CaseSummary>(caseId, ct) is { } summary)
        {
            // Through the gate, without an expected version (a change committed in between is read again): the
            // case's events masked in place, CaseErased with the pseudonymous record, the household links dropped
            // on the members' side — one transaction.
            subject = SubjectWords(summary);
            var now = clock.GetCurrentInstant();
            var steps = new List<CaseStep>
            {
                new(caseId, null, CaseChangeKind.Erasure,
                    _ => [new CaseErased(caseId, erasureId, ErasedCaseRecord.Of(summary, now.InZone(Time.Berlin).Date), actor, now)]),
            };
            steps.AddRange((await session.LoadManyAsync<CaseSummary>(ct, summary.Household.Select(m => m.CaseId))).Select(member =>
                new CaseStep(member.Id, null, CaseChangeKind.Erasure, _ => [new HouseholdMemberUnlinked(member.Id, caseId, summary.CaseNumber, actor, now)])));
            var erased = await CaseGate.ForJob(session, cache).ChangeAll(steps, GateAccess.System, ct);
            if (erased.Succeeded)
            {
                LogErased(logger, caseId);
            }
            else if (erased.Code != RefusalCode.Erased)
            {
                throw new InvalidOperationException($"Die Löschung von Fall {caseId} wurde abgelehnt ({erased.Kind}, {erased.Code}).");
            }
        }

        await CleanUpAsync(organisationId, caseId, subject, ct);
    }

    /// <summary>
    /// What a purpose typed by a reader or the DPO would contain if it named the person: the last name, the full
    /// name, the case number and the birth date (as typed in German and ISO form).
    /// </summary>
    public static string[] SubjectWords(CaseSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new[]
            {
                summary.LastName, $"{summary.FirstName} {summary.LastName}", summary.CaseNumber,
                Time.Format(summary.BirthDate), summary.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            }
            .Select(w => w.Trim()).Where(w => w.Length >= 2).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }

    /// <summary>
    /// Everything outside the event store that names the case. <paramref name="subject"/>: the words of
    /// <see cref="SubjectWords"/> (empty when the case was erased before and its names are gone).
    /// </summary>
    private async Task CleanUpAsync(Guid organisationId, Guid caseId, string[] subject, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                Command("delete from cases.reminders where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from cases.reminder_checks where case_id = $2 and $1 = $1", organisationId, caseId),
                Command("delete from cases.reminder_problems where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from cases.intake_keys where organisation_id = $1 and case_id = $2", organisationId, caseId),
                // An import that created the case: its previous reference and the uploaded file (which names the person) go.
                Command("delete from cases.import_files where import_id in (select import_id from cases.import_references where organisation_id = $1 and case_id = $2)", organisationId, caseId),
                Command("delete from cases.import_references where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from cases.case_changes where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from cases.reminder_plans where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from cases.idempotency_keys where organisation_id = $1 and case_id = $2", organisationId, caseId),
                // The documents' bytes (also of an upload whose event never got written): gone from every live row at once.
                Command("delete from cases.document_contents where organisation_id = $1 and case_id = $2", organisationId, caseId),
                Command("delete from identity.retention_notices where organisation_id = $1 and case_id = $2", organisationId, caseId),
                // Who read the file when stays (accountability); a purpose typed by the reader may name the person.
                Command("update identity.case_access_log set purpose = null where organisation_id = $1 and case_id = $2 and purpose is not null", organisationId, caseId),
                // The subject search: who searched when and how many hits stay; the link to the case and the
                // purpose of every search that found it go, and so does any purpose that names the person.
                Command(
                    "update identity.subject_searches set purpose = null, found_cases = array_remove(found_cases, $2) where organisation_id = $1 and $2 = any(found_cases)",
                    organisationId, caseId),
                NamingCommand("update identity.subject_searches set purpose = null", organisationId, subject),
                NamingCommand("update identity.case_access_log set purpose = null", organisationId, subject),
                // Hangfire jobs that name the case (arguments are ids only, but their states may hold more).
                Command(
                    """
                    with doomed as (select id from hangfire.job where arguments::text like '%' || $2::text || '%' and $1 = $1),
                         queued as (delete from hangfire.jobqueue where jobid in (select id from doomed)),
                         planned as (delete from hangfire.set where key = 'schedule' and value in (select id::text from doomed))
                    delete from hangfire.job where id in (select id from doomed)
                    """, organisationId, caseId),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, Guid organisationId, Guid caseId) => new(sql)
    {
        Parameters = { new() { Value = organisationId }, new() { Value = caseId } },
    };

    /// <summary><paramref name="update"/> for the organisation's rows whose purpose contains one of the words (case-insensitive).</summary>
    private static NpgsqlBatchCommand NamingCommand(string update, Guid organisationId, string[] words) =>
        new(update + " where organisation_id = $1 and purpose is not null and exists (select 1 from unnest($2::text[]) w where strpos(lower(purpose), lower(w)) > 0)")
        {
            Parameters = { new() { Value = organisationId }, new() { Value = words } },
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Fall {CaseId} gelöscht: Ereignisse maskiert, pseudonymer Datensatz angelegt.")]
    private static partial void LogErased(ILogger logger, Guid caseId);
}

/// <summary>An erasure asked for: it waits for the second step.</summary>
public sealed record ErasureRequested(Guid ErasureId, Guid CaseId, string CaseNumber);

/// <summary>An erasure carried out.</summary>
public sealed record ErasureCompleted(Guid ErasureId, Guid CaseId, string CaseNumber, Instant CompletedAt);

/// <summary>First step of an erasure (Art. 17): the DPO names reason and legal basis. Nothing is erased yet.</summary>
public sealed record RequestErasure(Guid CaseId, string? Reason, string? LegalBasis) : ICommand<Outcome<ErasureRequested>>;

public sealed class RequestErasureHandler(IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock)
    : ICommandHandler<RequestErasure, Outcome<ErasureRequested>>
{
    public const int MaxReasonLength = 2000;
    public const int MaxLegalBasisLength = 200;

    public async ValueTask<Outcome<ErasureRequested>> Handle(RequestErasure command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireDataProtectionOfficer();
        var summary = await session.LoadAsync<CaseSummary>(command.CaseId, cancellationToken) ?? throw new NotFoundException("Case");
        var checks = new Checks();
        checks.Text(command.Reason, MaxReasonLength, "Reason", "den Grund der Löschung (ohne Namen)", required: true);
        checks.Text(command.LegalBasis, MaxLegalBasisLength, "LegalBasis", "die Rechtsgrundlage (z. B. Art. 17 Abs. 1 lit. b DSGVO)", required: true);
        if (checks.Failed)
        {
            return Outcome<ErasureRequested>.Failure(checks.Errors);
        }

        var open = await Ef.AnyAsync(db.Erasures, e => e.OrganisationId == organisationId && e.CaseId == command.CaseId && e.Status == ErasureStatus.Requested, cancellationToken);
        if (open)
        {
            return Outcome<ErasureRequested>.Fail("", $"Für Fall {summary.CaseNumber} ist bereits eine Löschung beantragt; bitte diese bestätigen oder verwerfen.");
        }

        var erasure = ErasureRecord.Request(organisationId, command.CaseId, summary.CaseNumber, command.Reason!.Trim(), command.LegalBasis!.Trim(),
            ErasureTrigger.Request, user.UserId, clock.GetCurrentInstant());
        db.Erasures.Add(erasure);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ErasureRequested>.Success(new ErasureRequested(erasure.Id, erasure.CaseId, erasure.CaseNumber));
    }
}

/// <summary>
/// Second step: the DPO types the case number again; then the case is erased at once. The erasure is
/// marked as done only after every step succeeded; a failure leaves it "beantragt" and it can be confirmed again.
/// </summary>
public sealed record ConfirmErasure(Guid ErasureId, string? CaseNumber) : ICommand<Outcome<ErasureCompleted>>;

public sealed class ConfirmErasureHandler(AppDbContext db, ICurrentUser user, IClock clock, CaseEraser eraser)
    : ICommandHandler<ConfirmErasure, Outcome<ErasureCompleted>>
{
    public async ValueTask<Outcome<ErasureCompleted>> Handle(ConfirmErasure command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireDataProtectionOfficer();
        var erasure = await Ef.SingleOrDefaultAsync(db.Erasures, e => e.Id == command.ErasureId && e.OrganisationId == organisationId, cancellationToken)
                      ?? throw new NotFoundException("Erasure");
        if (erasure.Status != ErasureStatus.Requested)
        {
            return Outcome<ErasureCompleted>.Fail("", erasure.Status == ErasureStatus.Completed
                ? $"Fall {erasure.CaseNumber} ist bereits gelöscht."
                : "Dieser Löschantrag wurde verworfen; bitte einen neuen stellen.");
        }

        if (!string.Equals(command.CaseNumber?.Trim(), erasure.CaseNumber, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome<ErasureCompleted>.Fail("CaseNumber",
                "Zur Bestätigung bitte die Fallnummer genau so eingeben, wie sie angezeigt wird (z. B. 2026-0042). Es wurde nichts gelöscht.");
        }

        await eraser.EraseAsync(organisationId, erasure.CaseId, erasure.Id, user.UserId, cancellationToken);
        var now = clock.GetCurrentInstant();
        erasure.Status = ErasureStatus.Completed;
        erasure.ConfirmedBy = user.UserId;
        erasure.ConfirmedAt = now.ToDateTimeOffset();
        erasure.CompletedAt = now.ToDateTimeOffset();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ErasureCompleted>.Success(new ErasureCompleted(erasure.Id, erasure.CaseId, erasure.CaseNumber, now));
    }
}

/// <summary>A requested erasure is dropped (e.g. the request was withdrawn).</summary>
public sealed record CancelErasure(Guid ErasureId) : ICommand<Outcome<Guid>>;

public sealed class CancelErasureHandler(AppDbContext db, ICurrentUser user) : ICommandHandler<CancelErasure, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(CancelErasure command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireDataProtectionOfficer();
        var erasure = await Ef.SingleOrDefaultAsync(db.Erasures, e => e.Id == command.ErasureId && e.OrganisationId == organisationId, cancellationToken)
                      ?? throw new NotFoundException("Erasure");
        if (erasure.Status != ErasureStatus.Requested)
        {
            return Outcome<Guid>.Fail("", "Nur ein beantragter, noch nicht bestätigter Löschantrag kann verworfen werden.");
        }

        erasure.Status = ErasureStatus.Cancelled;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(erasure.Id);
    }
}

/// <summary>An erasure as the DPO's audit list shows it (names of DPOs from the user table; no client data).</summary>
public sealed record ErasureView(
    Guid Id, Guid CaseId, string CaseNumber, ErasureStatus Status, ErasureTrigger Trigger, string Reason, string LegalBasis,
    string RequestedBy, DateTimeOffset RequestedAt, string? ConfirmedBy, DateTimeOffset? CompletedAt);

/// <summary>Every erasure of the organisation, newest first; optionally those of one case.</summary>
public sealed record ListErasures(Guid? CaseId = null) : IQuery<IReadOnlyList<ErasureView>>;

public sealed class ListErasuresHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<ListErasures, IReadOnlyList<ErasureView>>
{
    public async ValueTask<IReadOnlyList<ErasureView>> Handle(ListErasures query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var erasures = Ef.AsNoTracking(db.Erasures).Where(e => e.OrganisationId == organisationId);
        if (query.CaseId is { } caseId)
        {
            erasures = erasures.Where(e => e.CaseId == caseId);
        }

        var list = await Ef.ToListAsync(erasures.OrderByDescending(e => e.RequestedAt).Take(500), cancellationToken);
        var names = await UserNames.Of(db, organisationId, list.SelectMany(e => new[] { e.RequestedBy, e.ConfirmedBy ?? Guid.Empty }).Distinct().ToArray(), cancellationToken);
        string Name(Guid id) => id == Guid.Empty ? "Aufbewahrungsfrist (automatisch)" : names.GetValueOrDefault(id, "–");
        return list.Select(e => new ErasureView(e.Id, e.CaseId, e.CaseNumber, e.Status, e.Trigger, e.Reason, e.LegalBasis, Name(e.RequestedBy), e.RequestedAt,
            e.ConfirmedBy is { } c ? Name(c) : null, e.CompletedAt)).ToList();
    }
}
