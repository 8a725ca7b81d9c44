using System.Security.Claims;
using System.Text.Json;
using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Plans;
using CaseManagement.Storage;
using Hangfire;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CaseManagement.CaseImports;

/// <summary>
/// The import as a background job (argument: the import's id only). It acts as the user who started it, so every case is
/// opened by the intake command (<see cref="OpenCase"/>, in batches as <see cref="OpenCases"/>, through the gate) and its goals
/// by the plan's commands. Each row is one unit: its case (committed whole, with the batch's other new cases), its goals, then
/// its record in <c>cases.import_rows</c>; a cancel is honoured between batches, and a re-run (after a cancel, a crash or a
/// retry) skips the rows recorded and finishes a row whose case was committed.
/// </summary>
public sealed partial class ImportJobs(IServiceScopeFactory scopes, IClock clock, ILogger<ImportJobs> logger)
{
    public const string DuplicateHint = " Beim Import: Option „Mögliche Dubletten trotzdem anlegen“ wählen.";

    /// <summary>An import queued or running without a heartbeat for this long lost its worker (a batch renews it within seconds).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>Id of the recurring <see cref="Sweep"/>.</summary>
    public const string SweepJobId = "imports-sweep";

    /// <summary>The sweep every minute (registered at start with the other recurring jobs).</summary>
    public static void RegisterSweep(IRecurringJobManager jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<ImportJobs>(SweepJobId, j => j.Sweep(CancellationToken.None), Cron.Minutely());
    }

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [10, 60])]
    public async Task Run(Guid importId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var import = await db.Imports.SingleOrDefaultAsync(i => i.Id == importId, cancellationToken);
        if (import is null || import.Status is ImportStatus.Draft or ImportStatus.Completed or ImportStatus.Cancelled)
        {
            return;
        }

        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        if (import.CancelRequested)
        {
            await Finish(db, clock, import, ImportStatus.Cancelled, cancellationToken);
            return;
        }

        var principal = await Principal(scope.ServiceProvider, import.CreatedBy);
        var file = await db.ImportFiles.AsNoTracking().SingleOrDefaultAsync(f => f.ImportId == importId, cancellationToken);
        if (principal is null || file is null)
        {
            LogFailed(logger, importId);
            await Finish(db, clock, import, ImportStatus.Failed, cancellationToken);
            return;
        }

        // Taken atomically: queued or failed (a retry), or running with a stale heartbeat (its worker died). A running
        // import with a fresh heartbeat belongs to another worker (e.g. Hangfire re-delivering a job the sweep queued again).
        var stale = now - Lease;
        var taken = await db.Imports
            .Where(i => i.Id == importId && (i.Status == ImportStatus.Queued || i.Status == ImportStatus.Failed
                                             || i.Status == ImportStatus.Running && (i.HeartbeatAt == null || i.HeartbeatAt < stale)))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, ImportStatus.Running).SetProperty(i => i.HeartbeatAt, now)
                .SetProperty(i => i.StartedAt, i => i.StartedAt ?? now), cancellationToken);
        if (taken == 0)
        {
            return;
        }

        await db.Entry(import).ReloadAsync(cancellationToken);
        try
        {
            await new ImportRun(scopes, clock, import, file.Content, principal, DryRun: import.DryRun).ExecuteAsync(db, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCrashed(logger, importId, e.GetType().Name);
            await Finish(db, clock, import, ImportStatus.Failed, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Imports stuck in "Queued" or "Running" because their worker died (or their enqueue was lost): queued again; the run
    /// resumes after the last whole row. The heartbeat is renewed in the same statement, so two sweeps never both take one.
    /// Returns the ids queued again.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<IReadOnlyList<Guid>> Sweep(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dataSource = scope.ServiceProvider.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        await using var command = dataSource.CreateCommand(
            """
            update cases.imports set status = 'Queued', heartbeat_at = $1
             where status in ('Queued', 'Running') and not cancel_requested and coalesce(heartbeat_at, started_at, created_at) < $2
            returning id
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = now - Lease });
        var ids = new List<Guid>();
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await rows.ReadAsync(cancellationToken))
            {
                ids.Add(rows.GetGuid(0));
            }
        }

        var jobs = scope.ServiceProvider.GetRequiredService<IBackgroundJobClient>();
        foreach (var id in ids)
        {
            LogSwept(logger, id);
            jobs.Enqueue<ImportJobs>(j => j.Run(id, CancellationToken.None));
        }

        return ids;
    }

    /// <summary>Counts from the rows recorded (right also after a resume) and the final status.</summary>
    internal static async Task Finish(AppDbContext db, IClock clock, ImportRecord import, ImportStatus status, CancellationToken ct)
    {
        var counts = await db.ImportRows.Where(r => r.ImportId == import.Id && r.Sheet == ImportTemplate.CasesSheet)
            .GroupBy(r => r.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        int Count(RowOutcome outcome) => counts.SingleOrDefault(c => c.Key == outcome)?.Count ?? 0;
        import.Created = Count(RowOutcome.Created);
        import.AlreadyPresent = Count(RowOutcome.AlreadyPresent);
        import.Rejected = Count(RowOutcome.Rejected) + await db.ImportRows.CountAsync(r => r.ImportId == import.Id && r.Sheet == ImportTemplate.GoalsSheet, ct);
        import.DoneRows = counts.Sum(c => c.Count);
        import.Status = status;
        import.FinishedAt = status is ImportStatus.Completed or ImportStatus.Cancelled or ImportStatus.Failed ? clock.GetCurrentInstant().ToDateTimeOffset() : null;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The principal a sign-in of the importing user would produce (null when the account is gone or deactivated).</summary>
    private static async Task<ClaimsPrincipal?> Principal(IServiceProvider services, Guid userId)
    {
        var user = await services.GetRequiredService<UserManager<UserAccount>>().FindByIdAsync(userId.ToString());
        return user is not { IsActive: true } ? null : await services.GetRequiredService<IUserClaimsPrincipalFactory<UserAccount>>().CreateAsync(user);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId} had no heartbeat for five minutes (its worker is gone); queued again, it resumes after the last whole row.")]
    private static partial void LogSwept(ILogger logger, Guid importId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportId} cannot run: its user or its file is gone.")]
    private static partial void LogFailed(ILogger logger, Guid importId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {ImportId} stopped with {ExceptionType}; a re-run resumes it.")]
    private static partial void LogCrashed(ILogger logger, Guid importId, string exceptionType);
}

/// <summary>One run over the file's rows (see <see cref="ImportJobs"/>).</summary>
internal sealed class ImportRun(IServiceScopeFactory scopes, IClock clock, ImportRecord import, byte[] content, ClaimsPrincipal principal, bool DryRun)
{
    private readonly Dictionary<string, int> firstRowOf = new(StringComparer.Ordinal);
    private readonly List<ImportRowRecord> pending = [];

    public async Task ExecuteAsync(AppDbContext db, CancellationToken ct)
    {
        var mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(import.Mapping) ?? [];
        var done = (await db.ImportRows.Where(r => r.ImportId == import.Id).Select(r => new { r.Sheet, r.RowNumber }).ToListAsync(ct))
            .Select(r => (r.Sheet, r.RowNumber)).ToHashSet();
        var context = await ImportContext.LoadAsync(db, scopes, principal, import.OrganisationId, ct);
        var today = context.Today;

        // The goals (optional second sheet) by reference; a goal row that cannot be read rejects its case's row.
        var goals = new Dictionary<string, List<GoalRow>>(StringComparer.Ordinal);
        if (import.Format == ImportFormat.Xlsx && import.GoalsSheet is { } goalsSheet)
        {
            var rows = ImportFile.Rows(content, import.Format, goalsSheet).GetEnumerator();
            using (rows)
            {
                if (rows.MoveNext())
                {
                    var goalMap = new ColumnMap(rows.Current.Cells, ImportTemplate.Recognise(ImportTemplate.GoalColumns, rows.Current.Cells));
                    var reader = new ImportRowReader(goalMap, context.Managers, today, ImportTemplate.GoalsSheet);
                    while (rows.MoveNext())
                    {
                        if (!rows.Current.IsEmpty)
                        {
                            var goal = reader.ReadGoal(rows.Current);
                            (goals.TryGetValue(goal.Reference, out var list) ? list : goals[goal.Reference] = []).Add(goal);
                        }
                    }
                }
            }
        }

        ColumnMap? map = null;
        ImportRowReader? caseReader = null;
        var batch = new List<CaseRow>(ImportJobsLimits.Batch);
        var batchSize = ImportJobsLimits.FirstBatch;
        var doneRows = done.Count(d => d.Sheet == ImportTemplate.CasesSheet);
        foreach (var row in ImportFile.Rows(content, import.Format, import.CasesSheet))
        {
            if (row.Number == 1 || map is null)
            {
                map = new ColumnMap(row.Cells.Select(c => c.Trim()).ToList(), mapping);
                caseReader = new ImportRowReader(map, context.Managers, today);
                continue;
            }

            if (row.IsEmpty)
            {
                continue;
            }

            var caseRow = caseReader!.ReadCase(row);
            if (done.Contains((ImportTemplate.CasesSheet, row.Number)))
            {
                firstRowOf.TryAdd(caseRow.Reference, row.Number);
                continue;
            }

            batch.Add(caseRow);
            if (batch.Count < batchSize)
            {
                continue;
            }

            // The first batches are small (the progress shows early, a cancel is honoured soon), later ones full.
            doneRows += await RunBatchAsync(batch, caseReader, goals, context, ct);
            batchSize = Math.Min(batchSize * 2, ImportJobsLimits.Batch);
            if (await FlushAsync(db, doneRows, ct))
            {
                await ImportJobs.Finish(db, clock, import, ImportStatus.Cancelled, ct);
                return;
            }
        }

        if (caseReader is not null)
        {
            doneRows += await RunBatchAsync(batch, caseReader, goals, context, ct);
        }

        // Goals whose case is neither in the file nor taken over before.
        foreach (var goal in goals.Values.SelectMany(g => g).Where(g => !firstRowOf.ContainsKey(g.Reference) && !done.Contains((ImportTemplate.GoalsSheet, g.Row))))
        {
            var errors = goal.Errors.Count > 0 ? goal.Errors
                : [new ImportError(ImportTemplate.GoalsSheet, goal.Row, ImportTemplate.GoalReference.Header, "Zu diesem Aktenzeichen steht kein Fall in der Datei; Ziele werden nur mit ihrem Fall übernommen.")];
            pending.Add(Record(ImportTemplate.GoalsSheet, goal.Row, RowOutcome.Rejected, null, errors));
        }

        await FlushAsync(db, doneRows, ct);
        await ImportJobs.Finish(db, clock, import, ImportStatus.Completed, ct);
    }

    /// <summary>
    /// The rows of a batch: those already present (or repeated in the file) one by one, the others through the batch intake
    /// (<see cref="OpenCases"/>: each row decided as a single intake, all started in one transaction). When that commit fails
    /// (a reference or a person taken meanwhile by a concurrent intake), the same rows go through the single intake one by
    /// one, so one bad row never stops the others. The records in file order.
    /// </summary>
    private async Task<int> RunBatchAsync(List<CaseRow> batch, ImportRowReader reader, Dictionary<string, List<GoalRow>> goals, ImportContext context, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var records = new ImportRowRecord[batch.Count];
        var toOpen = new List<(int Index, List<ImportError> Errors, OpenCase Command)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var (record, errors) = await ClassifyAsync(batch[i], GoalsOf(goals, batch[i]), context, ct);
            if (record is not null)
            {
                records[i] = record;
                continue;
            }

            var provenance = new ImportProvenance(import.Id, batch[i].Reference, import.FileName, batch[i].Row);
            toOpen.Add((i, errors, batch[i].Command with { ConfirmPossibleDuplicate = import.ConfirmDuplicates, Import = provenance, ValidateOnly = DryRun || errors.Count > 0 }));
        }

        if (toOpen.Count > 0)
        {
            OpenedCases opened;
            await using (var scope = Scope())
            {
                opened = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new OpenCases(toOpen.Select(o => o.Command).ToList()), ct);
            }

            for (var k = 0; k < toOpen.Count; k++)
            {
                var (i, errors, command) = toOpen[k];
                records[i] = opened.Committed
                    ? await CompleteAsync(batch[i], reader, errors, opened.Outcomes[k], GoalsOf(goals, batch[i]), context, ct)
                    : await OpenOneAsync(batch[i], reader, errors, command, GoalsOf(goals, batch[i]), context, ct);
            }
        }

        pending.AddRange(records);
        var count = batch.Count;
        batch.Clear();
        return count;
    }

    private static List<GoalRow> GoalsOf(Dictionary<string, List<GoalRow>> goals, CaseRow row) => goals.GetValueOrDefault(row.Reference) ?? [];

    /// <summary>
    /// A row repeated in the file is rejected, a row whose reference is taken is already present (a case this run committed
    /// before it stopped gets its goals); otherwise null and the row's errors so far (the intake adds its own).
    /// </summary>
    private async Task<(ImportRowRecord? Record, List<ImportError> Errors)> ClassifyAsync(CaseRow row, IReadOnlyList<GoalRow> goals, ImportContext context, CancellationToken ct)
    {
        var errors = row.Errors.ToList();
        if (row.Reference.Length > 0 && !firstRowOf.TryAdd(row.Reference, row.Row))
        {
            errors.Add(new ImportError(ImportTemplate.CasesSheet, row.Row, "", $"Das Aktenzeichen steht schon in Zeile {firstRowOf[row.Reference]} der Datei."));
            return (Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.Rejected, null, errors), errors);
        }

        if (errors.Count == 0 && context.References.TryGetValue(row.Reference, out var existing))
        {
            if (existing.ImportId == import.Id && existing.Row == row.Row)
            {
                // This run committed the case before it stopped: finish its goals.
                return (await WithGoalsAsync(row, existing.CaseId, null, goals, ct), errors);
            }

            if (import.UpdateSituation && !DryRun)
            {
                await using var update = Scope();
                var updated = await UpdateSituationAsync(update.ServiceProvider, existing.CaseId, row.Command, ct);
                return (Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.AlreadyPresent, existing.CaseId, updated), errors);
            }

            return (Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.AlreadyPresent, existing.CaseId, []), errors);
        }

        errors.AddRange(goals.SelectMany(g => g.Errors).Select(e => e with
        {
            Sheet = ImportTemplate.CasesSheet, Row = row.Row, Column = $"{ImportTemplate.GoalsSheet}: {e.Column}", Message = $"Zeile {e.Row}: {e.Message}",
        }));
        return (null, errors);
    }

    /// <summary>One row through the single intake (after a batch's commit failed).</summary>
    private async Task<ImportRowRecord> OpenOneAsync(CaseRow row, ImportRowReader reader, List<ImportError> errors, OpenCase command, IReadOnlyList<GoalRow> goals, ImportContext context, CancellationToken ct)
    {
        Outcome<OpenedCase> opened;
        try
        {
            await using var scope = Scope();
            opened = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
        }
        catch (Exception e) when (IsReferenceClash(e))
        {
            return Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.AlreadyPresent, null, []);
        }

        return await CompleteAsync(row, reader, errors, opened, goals, context, ct);
    }

    /// <summary>The row's record from the intake's outcome; a case created gets its goals.</summary>
    private async Task<ImportRowRecord> CompleteAsync(
        CaseRow row, ImportRowReader reader, List<ImportError> errors, Outcome<OpenedCase> opened, IReadOnlyList<GoalRow> goals, ImportContext context, CancellationToken ct)
    {
        if (!opened.Succeeded)
        {
            errors.AddRange(reader.IntakeErrors(row.Row, errors, opened.Errors.Select(e =>
                opened.Code == RefusalCode.PossibleDuplicate ? e with { Message = e.Message + ImportJobs.DuplicateHint } : e)));
        }

        if (errors.Count > 0)
        {
            return Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.Rejected, null, errors);
        }

        if (DryRun)
        {
            return Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.Created, null, []);
        }

        context.References[row.Reference] = (opened.Value!.CaseId, import.Id, row.Row);
        return await WithGoalsAsync(row, opened.Value.CaseId, opened.Value.Version, goals, ct);
    }

    /// <summary>The row's goals through the plan's commands (ids derived from case and row, so a resume adds none twice).</summary>
    private async Task<ImportRowRecord> WithGoalsAsync(CaseRow row, Guid caseId, long? version, IReadOnlyList<GoalRow> goals, CancellationToken ct)
    {
        var errors = new List<ImportError>();
        if (goals.Count > 0)
        {
            await using var scope = Scope();
            var services = scope.ServiceProvider;
            var session = services.GetRequiredService<Marten.IDocumentSession>();
            var state = await session.LoadAsync<ClientCase>(caseId, ct);
            var current = version ?? (await session.Events.FetchStreamStateAsync(caseId, ct))?.Version ?? 0;
            var mediator = services.GetRequiredService<IMediator>();
            foreach (var goal in goals)
            {
                var goalId = GoalId(caseId, goal.Row);
                GoalStatus? status = state is not null && state.Goals.TryGetValue(goalId, out var known) ? known : null;
                if (status is null)
                {
                    var agreed = await mediator.Send(new AgreeGoal(caseId, current, goalId, goal.Field, goal.Text, goal.AgreedOn, goal.TargetDate, null) { Imported = true }, ct);
                    if (!agreed.Succeeded)
                    {
                        errors.Add(new ImportError(ImportTemplate.CasesSheet, row.Row, ImportTemplate.GoalsSheet, $"Zeile {goal.Row}: {agreed.Message}"));
                        continue;
                    }

                    current = agreed.Value!.Version;
                    status = GoalStatus.Agreed;
                }

                foreach (var next in Path(status.Value, goal.Status))
                {
                    var moved = await mediator.Send(new ChangeGoalStatus(caseId, current, goalId, next, next == GoalStatus.Dropped ? "Beim Import so übernommen." : null) { Imported = true }, ct);
                    if (!moved.Succeeded)
                    {
                        errors.Add(new ImportError(ImportTemplate.CasesSheet, row.Row, ImportTemplate.GoalsSheet, $"Zeile {goal.Row}: {moved.Message}"));
                        break;
                    }

                    current = moved.Value!.Version;
                }
            }
        }

        return Record(ImportTemplate.CasesSheet, row.Row, RowOutcome.Created, caseId, errors);
    }

    /// <summary>For a case already present: a changed housing or residence status as new events dated as in the file.</summary>
    private static async Task<List<ImportError>> UpdateSituationAsync(IServiceProvider services, Guid caseId, OpenCase row, CancellationToken ct)
    {
        var errors = new List<ImportError>();
        var session = services.GetRequiredService<Marten.IDocumentSession>();
        var mediator = services.GetRequiredService<IMediator>();
        var state = await session.LoadAsync<ClientCase>(caseId, ct);
        if (state is null)
        {
            return errors;
        }

        var version = (await session.Events.FetchStreamStateAsync(caseId, ct))?.Version ?? 0;
        if (row.HousingType is { } type && row.HousingSince is { } since && (type != state.Housing.Type || since != state.Housing.Since) && since >= state.Housing.Since)
        {
            var changed = await mediator.Send(new ChangeHousing(caseId, version, type, since) { }, ct);
            version = changed.Succeeded ? changed.Value!.Version : version;
        }

        if (row.ResidenceKind is { } kind && (kind != state.Residence.Kind || row.ResidenceValidUntil != state.Residence.ValidUntil))
        {
            await mediator.Send(new ChangeResidenceStatus(caseId, version, kind, row.ResidenceValidUntil), ct);
        }

        return errors;
    }

    private static IEnumerable<GoalStatus> Path(GoalStatus from, GoalStatus to) => (from, to) switch
    {
        _ when from == to => [],
        (GoalStatus.Agreed, GoalStatus.InProgress or GoalStatus.Dropped) => [to],
        (GoalStatus.Agreed, _) => [GoalStatus.InProgress, to],
        (GoalStatus.InProgress, _) => [to],
        _ => [],
    };

    /// <summary>A goal's id from its case and row (the same on every run).</summary>
    private static Guid GoalId(Guid caseId, int row)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{caseId:N}/goal/{row}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    private static bool IsReferenceClash(Exception e) =>
        e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation, ConstraintName: "PK_import_references" }
        || e.InnerException is { } inner && IsReferenceClash(inner);

    private AsyncServiceScope Scope()
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAs(principal);
        return scope;
    }

    private ImportRowRecord Record(string sheet, int row, RowOutcome outcome, Guid? caseId, IReadOnlyList<ImportError> errors) => new()
    {
        ImportId = import.Id, Sheet = sheet, RowNumber = row, Outcome = outcome, CaseId = caseId,
        Errors = errors.Count == 0 ? null : JsonSerializer.Serialize(errors),
    };

    /// <summary>Writes the rows done and the progress; true when the user asked to cancel.</summary>
    private async Task<bool> FlushAsync(AppDbContext db, int doneRows, CancellationToken ct)
    {
        db.ImportRows.AddRange(pending);
        pending.Clear();
        import.DoneRows = doneRows;
        import.HeartbeatAt = clock.GetCurrentInstant().ToDateTimeOffset();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        db.Attach(import);
        var cancel = await db.Imports.Where(i => i.Id == import.Id).Select(i => i.CancelRequested).SingleAsync(ct);
        ct.ThrowIfCancellationRequested();
        return cancel;
    }
}

internal static class ImportJobsLimits
{
    /// <summary>Rows of the first batch; each next batch doubles, up to <see cref="Batch"/>.</summary>
    public const int FirstBatch = 25;

    /// <summary>
    /// Rows per batch: one transaction through the gate for the batch's new cases, then the progress write and the check
    /// for a cancel (measured in docs/performance.md).
    /// </summary>
    public const int Batch = 200;
}

/// <summary>What a run looks up once: the organisation's active managers by e-mail, the references taken, the case numbers, today.</summary>
internal sealed record ImportContext(
    IReadOnlyDictionary<string, Guid> Managers, Dictionary<string, (Guid CaseId, Guid ImportId, int Row)> References, LocalDate Today)
{
    public static async Task<ImportContext> LoadAsync(AppDbContext db, IServiceScopeFactory scopes, ClaimsPrincipal principal, Guid organisationId, CancellationToken ct)
    {
        var managers = await ManagersAsync(db, organisationId, ct);
        var references = (await db.ImportReferences.Where(r => r.OrganisationId == organisationId).ToListAsync(ct))
            .ToDictionary(r => r.Reference, r => (r.CaseId, r.ImportId, r.RowNumber), StringComparer.Ordinal);

        // A case of the organisation whose number is the row's reference (a file exported from here) is present too.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAs(principal);
        var session = scope.ServiceProvider.GetRequiredService<Marten.IDocumentSession>();
        foreach (var c in await Marten.QueryableExtensions.ToListAsync(session.Query<CaseSummary>().Select(c => new { c.Id, c.CaseNumber }), ct))
        {
            references.TryAdd(c.CaseNumber, (c.Id, Guid.Empty, 0));
        }

        var today = scope.ServiceProvider.GetRequiredService<IClock>().Today();
        return new ImportContext(managers, references, today);
    }

    /// <summary>The organisation's active managers by e-mail address (upper case), for the column "Zuständig (E-Mail)".</summary>
    public static async Task<Dictionary<string, Guid>> ManagersAsync(AppDbContext db, Guid organisationId, CancellationToken ct)
    {
        var managerRole = await db.Roles.Where(r => r.Name == Roles.Manager).Select(r => r.Id).SingleAsync(ct);
        return (await db.Users
                .Where(u => u.OrganisationId == organisationId && u.IsActive && u.Email != null && db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == managerRole))
                .Select(u => new { u.Email, u.Id }).ToListAsync(ct))
            .ToDictionary(m => m.Email!.ToUpperInvariant(), m => m.Id);
    }
}
