using System.Text.Json;
using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Hangfire;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CaseManagement.CaseImports;

/// <summary>An uploaded file in the wizard (or the API): its sheets and the mapping recognised or remembered.</summary>
public sealed record ImportDraft(Guid Id, string FileName, ImportFormat Format, IReadOnlyList<ImportSheet> Sheets, string CasesSheet, string? GoalsSheet,
    IReadOnlyDictionary<string, string> Mapping, IReadOnlyList<string> MissingColumns);

/// <summary>An import as the wizard and the API show it (no case content; error messages in German).</summary>
public sealed record ImportView(
    Guid Id, string FileName, ImportStatus Status, bool DryRun, int Rows, int Done, int Created, int AlreadyPresent, int Rejected,
    Instant CreatedAt, Instant? StartedAt, Instant? FinishedAt, IReadOnlyList<ImportError> Errors)
{
    /// <summary>Estimated time left from the speed so far (null before the first rows or when finished).</summary>
    public Duration? TimeLeft(Instant now) =>
        Status == ImportStatus.Running && StartedAt is { } started && Done > 0 && Rows > Done
            ? (now - started) / Done * (Rows - Done)
            : null;
}

/// <summary>Stores an uploaded file as a draft (whole-file checks first; nothing is stored when the file is refused).</summary>
public sealed record UploadImport(string FileName, byte[] Content) : ICommand<Outcome<ImportDraft>>;

/// <summary>The wizard's choices: sheets, mapping (remembered for the organisation) and options.</summary>
public sealed record ConfigureImport(Guid Id, string? CasesSheet, string? GoalsSheet, IReadOnlyDictionary<string, string> Mapping, bool UpdateSituation, bool ConfirmDuplicates)
    : ICommand<Outcome<ImportDraft>>;

/// <summary>Starts the job: a dry run (nothing stored) or the import; a finished dry run is applied as a new import of the same file.</summary>
public sealed record StartImport(Guid Id, bool DryRun) : ICommand<Outcome<Guid>>;

public sealed record CancelImport(Guid Id) : ICommand<Outcome<ImportStatus>>;

/// <summary>Runs a cancelled or failed import again; the rows done stay done.</summary>
public sealed record ResumeImport(Guid Id) : ICommand<Outcome<ImportStatus>>;

public sealed record GetImport(Guid Id) : IQuery<ImportView>;

public sealed record GetImportDraft(Guid Id) : IQuery<ImportDraft>;

public sealed record ListImports : IQuery<IReadOnlyList<ImportView>>;

/// <summary>The first rows of the cases sheet with every problem (the intake's checks, nothing stored).</summary>
public sealed record PreviewImport(Guid Id, int Rows = 20) : IQuery<ImportPreview>;

public sealed record ImportPreview(IReadOnlyList<string> Headers, IReadOnlyList<(ImportRow Row, IReadOnlyList<ImportError> Errors)> Rows);

/// <summary>The rejected rows in the uploaded format, with the column "Fehler".</summary>
public sealed record GetRejectedRows(Guid Id) : IQuery<RejectedRows>;

public sealed record RejectedRows(string FileName, ImportFormat Format, IReadOnlyList<string> Headers, IReadOnlyList<(IReadOnlyList<string> Cells, string Errors)> Rows);

public sealed class ImportHandlers(AppDbContext db, ICurrentUser user, IClock clock, IBackgroundJobClient jobs, IMediator mediator, ILogger<ImportHandlers> logger) :
    ICommandHandler<UploadImport, Outcome<ImportDraft>>,
    ICommandHandler<ConfigureImport, Outcome<ImportDraft>>,
    ICommandHandler<StartImport, Outcome<Guid>>,
    ICommandHandler<CancelImport, Outcome<ImportStatus>>,
    ICommandHandler<ResumeImport, Outcome<ImportStatus>>,
    IQueryHandler<GetImport, ImportView>,
    IQueryHandler<GetImportDraft, ImportDraft>,
    IQueryHandler<ListImports, IReadOnlyList<ImportView>>,
    IQueryHandler<PreviewImport, ImportPreview>,
    IQueryHandler<GetRejectedRows, RejectedRows>
{
    /// <summary>Most errors an import's answer lists (the error file has all).</summary>
    public const int MaxErrorsShown = 1000;

    public async ValueTask<Outcome<ImportDraft>> Handle(UploadImport command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        RequireImporter();
        ImportFormat format;
        IReadOnlyList<ImportSheet> sheets;
        try
        {
            format = ImportFile.Detect(command.Content, command.FileName);
            sheets = ImportFile.Inspect(command.Content, format);
        }
        catch (ImportFileException refused)
        {
            return Outcome<ImportDraft>.Fail("file", refused.Message);
        }

        var remembered = await db.ImportMappings.Where(m => m.OrganisationId == user.OrganisationId).Select(m => m.Mapping).SingleOrDefaultAsync(cancellationToken);
        var casesSheet = sheets.FirstOrDefault(s => s.Name == ImportTemplate.CasesSheet) ?? sheets[0];
        var goalsSheet = sheets.FirstOrDefault(s => s.Name == ImportTemplate.GoalsSheet && s != casesSheet);
        var mapping = ImportTemplate.Recognise(ImportTemplate.CaseColumns, casesSheet.Headers,
            remembered is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(remembered));
        var name = Path.GetFileName(command.FileName.Replace('\\', '/'));
        var import = new ImportRecord
        {
            Id = Guid.CreateVersion7(), OrganisationId = user.OrganisationId, TeamId = user.IsInRole(Roles.Administrator) ? null : user.TeamId,
            CreatedBy = user.UserId, FileName = name.Length is > 0 and <= 200 ? name : "Import." + format.ToString().ToLowerInvariant(), Format = format,
            CasesSheet = casesSheet.Name, GoalsSheet = goalsSheet?.Name, Mapping = JsonSerializer.Serialize(mapping), Status = ImportStatus.Draft,
            TotalRows = casesSheet.Rows, CreatedAt = clock.GetCurrentInstant().ToDateTimeOffset(),
        };
        db.Imports.Add(import);
        db.ImportFiles.Add(new ImportFileRecord { ImportId = import.Id, Content = command.Content });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ImportDraft>.Success(Draft(import, sheets));
    }

    public async ValueTask<Outcome<ImportDraft>> Handle(ConfigureImport command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var import = await Load(command.Id, cancellationToken);
        if (import.Status != ImportStatus.Draft)
        {
            return Outcome<ImportDraft>.Fail("", "Dieser Import läuft schon oder ist abgeschlossen; die Einstellungen lassen sich nicht mehr ändern.");
        }

        var sheets = await Sheets(import, cancellationToken);
        var cases = sheets.FirstOrDefault(s => s.Name == command.CasesSheet);
        if (cases is null)
        {
            return Outcome<ImportDraft>.Fail(nameof(ConfigureImport.CasesSheet), "Bitte das Tabellenblatt mit den Fällen wählen.");
        }

        var mapping = command.Mapping.Where(m => !string.IsNullOrEmpty(m.Value) && cases.Headers.Contains(m.Value, StringComparer.Ordinal)
                                                 && ImportTemplate.CaseColumns.Any(c => c.Key == m.Key))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        import.CasesSheet = cases.Name;
        import.GoalsSheet = sheets.Any(s => s.Name == command.GoalsSheet && s != cases) ? command.GoalsSheet : null;
        import.Mapping = JsonSerializer.Serialize(mapping);
        import.UpdateSituation = command.UpdateSituation;
        import.ConfirmDuplicates = command.ConfirmDuplicates;
        import.TotalRows = cases.Rows;
        var remembered = await db.ImportMappings.SingleOrDefaultAsync(m => m.OrganisationId == user.OrganisationId, cancellationToken);
        if (remembered is null)
        {
            db.ImportMappings.Add(new ImportMappingRecord { OrganisationId = user.OrganisationId, Mapping = import.Mapping, ChangedAt = clock.GetCurrentInstant().ToDateTimeOffset() });
        }
        else
        {
            remembered.Mapping = import.Mapping;
            remembered.ChangedAt = clock.GetCurrentInstant().ToDateTimeOffset();
        }

        await db.SaveChangesAsync(cancellationToken);
        var draft = Draft(import, sheets);
        return draft.MissingColumns.Count > 0
            ? Outcome<ImportDraft>.Failure(draft.MissingColumns.Select(m => new InputError("Mapping", m)))
            : Outcome<ImportDraft>.Success(draft);
    }

    public async ValueTask<Outcome<Guid>> Handle(StartImport command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var import = await Load(command.Id, cancellationToken);
        if (import.Status == ImportStatus.Completed && import.DryRun && !command.DryRun)
        {
            // Applying after a dry run: the same file and settings as a new import.
            var content = await db.ImportFiles.Where(f => f.ImportId == import.Id).Select(f => f.Content).SingleAsync(cancellationToken);
            var applied = new ImportRecord
            {
                Id = Guid.CreateVersion7(), OrganisationId = import.OrganisationId, TeamId = import.TeamId, CreatedBy = user.UserId, FileName = import.FileName,
                Format = import.Format, CasesSheet = import.CasesSheet, GoalsSheet = import.GoalsSheet, Mapping = import.Mapping,
                UpdateSituation = import.UpdateSituation, ConfirmDuplicates = import.ConfirmDuplicates, TotalRows = import.TotalRows,
                Status = ImportStatus.Draft, CreatedAt = clock.GetCurrentInstant().ToDateTimeOffset(),
            };
            db.Imports.Add(applied);
            db.ImportFiles.Add(new ImportFileRecord { ImportId = applied.Id, Content = content });
            await db.SaveChangesAsync(cancellationToken);
            import = applied;
        }

        if (import.Status != ImportStatus.Draft)
        {
            return Outcome<Guid>.Fail("", "Dieser Import wurde schon gestartet.");
        }

        var missing = ColumnMap.Missing(ImportTemplate.CaseColumns, (await Sheets(import, cancellationToken)).First(s => s.Name == import.CasesSheet).Headers,
            JsonSerializer.Deserialize<Dictionary<string, string>>(import.Mapping) ?? []);
        if (missing.Count > 0)
        {
            return Outcome<Guid>.Failure(missing.Select(m => new InputError("file", m)));
        }

        import.DryRun = command.DryRun;
        import.Status = ImportStatus.Queued;
        import.HeartbeatAt = clock.GetCurrentInstant().ToDateTimeOffset();
        await db.SaveChangesAsync(cancellationToken);
        DatabaseFaults.AfterCommit(logger, "Import einreihen", () => jobs.Enqueue<ImportJobs>(j => j.Run(import.Id, CancellationToken.None)));
        return Outcome<Guid>.Success(import.Id);
    }

    public async ValueTask<Outcome<ImportStatus>> Handle(CancelImport command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var import = await Load(command.Id, cancellationToken);
        if (import.Status is ImportStatus.Completed or ImportStatus.Failed or ImportStatus.Cancelled)
        {
            return Outcome<ImportStatus>.Success(import.Status);
        }

        import.CancelRequested = true;
        if (import.Status is ImportStatus.Draft or ImportStatus.Queued)
        {
            import.Status = ImportStatus.Cancelled;
            import.FinishedAt = clock.GetCurrentInstant().ToDateTimeOffset();
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome<ImportStatus>.Success(import.Status);
    }

    public async ValueTask<Outcome<ImportStatus>> Handle(ResumeImport command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var import = await Load(command.Id, cancellationToken);
        if (import.Status is not (ImportStatus.Cancelled or ImportStatus.Failed))
        {
            return Outcome<ImportStatus>.Fail("", "Nur ein abgebrochener oder fehlgeschlagener Import kann fortgesetzt werden.");
        }

        import.CancelRequested = false;
        import.Status = ImportStatus.Queued;
        import.FinishedAt = null;
        import.HeartbeatAt = clock.GetCurrentInstant().ToDateTimeOffset();
        await db.SaveChangesAsync(cancellationToken);
        DatabaseFaults.AfterCommit(logger, "Import einreihen", () => jobs.Enqueue<ImportJobs>(j => j.Run(import.Id, CancellationToken.None)));
        return Outcome<ImportStatus>.Success(import.Status);
    }

    public async ValueTask<ImportView> Handle(GetImport query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var import = await Load(query.Id, cancellationToken);
        var rows = await db.ImportRows.AsNoTracking().Where(r => r.ImportId == import.Id && r.Errors != null)
            .OrderBy(r => r.Sheet).ThenBy(r => r.RowNumber).Select(r => r.Errors!).Take(MaxErrorsShown).ToListAsync(cancellationToken);
        var errors = rows.SelectMany(e => JsonSerializer.Deserialize<List<ImportError>>(e) ?? []).Take(MaxErrorsShown).ToList();
        return View(import, errors);
    }

    public async ValueTask<ImportDraft> Handle(GetImportDraft query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var import = await Load(query.Id, cancellationToken);
        return Draft(import, await Sheets(import, cancellationToken));
    }

    public async ValueTask<IReadOnlyList<ImportView>> Handle(ListImports query, CancellationToken cancellationToken)
    {
        RequireImporter();
        var imports = await Mine().OrderByDescending(i => i.CreatedAt).Take(20).ToListAsync(cancellationToken);
        return imports.Select(i => View(i, [])).ToList();
    }

    public async ValueTask<ImportPreview> Handle(PreviewImport query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var import = await Load(query.Id, cancellationToken);
        var content = await db.ImportFiles.Where(f => f.ImportId == import.Id).Select(f => f.Content).SingleAsync(cancellationToken);
        var mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(import.Mapping) ?? [];
        var managers = await ImportContext.ManagersAsync(db, import.OrganisationId, cancellationToken);
        var result = new List<(ImportRow, IReadOnlyList<ImportError>)>();
        IReadOnlyList<string> headers = [];
        ImportRowReader? reader = null;
        foreach (var row in ImportFile.Rows(content, import.Format, import.CasesSheet))
        {
            if (reader is null)
            {
                headers = row.Cells.Select(c => c.Trim()).ToList();
                reader = new ImportRowReader(new ColumnMap(headers, mapping), managers, clock.Today());
                continue;
            }

            if (row.IsEmpty)
            {
                continue;
            }

            var caseRow = reader.ReadCase(row);
            var checkedRow = await mediator.Send(caseRow.Command with { ValidateOnly = true, ConfirmPossibleDuplicate = import.ConfirmDuplicates, Import = new ImportProvenance(import.Id, caseRow.Reference, import.FileName, row.Number) }, cancellationToken);
            var errors = caseRow.Errors.ToList();
            if (!checkedRow.Succeeded)
            {
                errors.AddRange(reader.IntakeErrors(row.Number, errors, checkedRow.Errors));
            }

            result.Add((row, errors));
            if (result.Count >= query.Rows)
            {
                break;
            }
        }

        return new ImportPreview(headers, result);
    }

    public async ValueTask<RejectedRows> Handle(GetRejectedRows query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var import = await Load(query.Id, cancellationToken);
        var content = await db.ImportFiles.Where(f => f.ImportId == import.Id).Select(f => f.Content).SingleOrDefaultAsync(cancellationToken)
                      ?? throw new NotFoundException("Import file");
        var rejected = (await db.ImportRows.AsNoTracking().Where(r => r.ImportId == import.Id && r.Sheet == ImportTemplate.CasesSheet && r.Outcome == RowOutcome.Rejected)
                .Select(r => new { r.RowNumber, r.Errors }).ToListAsync(cancellationToken))
            .ToDictionary(r => r.RowNumber, r => string.Join(" | ", (JsonSerializer.Deserialize<List<ImportError>>(r.Errors ?? "[]") ?? [])
                .Select(e => e.Column.Length > 0 ? $"{e.Column}: {e.Message}" : e.Message)));
        IReadOnlyList<string> headers = [];
        var rows = new List<(IReadOnlyList<string>, string)>();
        foreach (var row in ImportFile.Rows(content, import.Format, import.CasesSheet))
        {
            if (row.Number == 1)
            {
                headers = row.Cells;
            }
            else if (rejected.TryGetValue(row.Number, out var errors))
            {
                rows.Add((row.Cells, errors));
            }
        }

        return new RejectedRows(import.FileName, import.Format, headers, rows);
    }

    private async Task<IReadOnlyList<ImportSheet>> Sheets(ImportRecord import, CancellationToken ct)
    {
        var content = await db.ImportFiles.Where(f => f.ImportId == import.Id).Select(f => f.Content).SingleAsync(ct);
        return ImportFile.Inspect(content, import.Format);
    }

    private static ImportDraft Draft(ImportRecord import, IReadOnlyList<ImportSheet> sheets)
    {
        var mapping = JsonSerializer.Deserialize<Dictionary<string, string>>(import.Mapping) ?? [];
        var headers = sheets.FirstOrDefault(s => s.Name == import.CasesSheet)?.Headers ?? [];
        return new ImportDraft(import.Id, import.FileName, import.Format, sheets, import.CasesSheet ?? "", import.GoalsSheet, mapping,
            ColumnMap.Missing(ImportTemplate.CaseColumns, headers, mapping));
    }

    private static ImportView View(ImportRecord i, IReadOnlyList<ImportError> errors) => new(
        i.Id, i.FileName, i.Status, i.DryRun, i.TotalRows, i.DoneRows, i.Created, i.AlreadyPresent, i.Rejected,
        Instant.FromDateTimeOffset(i.CreatedAt), i.StartedAt is { } s ? Instant.FromDateTimeOffset(s) : null,
        i.FinishedAt is { } f ? Instant.FromDateTimeOffset(f) : null, errors);

    /// <summary>The organisation's imports (administrators) or the own team's (team leads).</summary>
    private IQueryable<ImportRecord> Mine()
    {
        var administrator = user.IsInRole(Roles.Administrator);
        return db.Imports.Where(i => i.OrganisationId == user.OrganisationId && (administrator || i.TeamId == user.TeamId));
    }

    private async Task<ImportRecord> Load(Guid id, CancellationToken ct)
    {
        RequireImporter();
        return await Mine().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("Import");
    }

    /// <summary>Administrators (the whole organisation) and team leads (their team); everyone else 403.</summary>
    private void RequireImporter()
    {
        if (!user.IsAuthenticated || !(user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.TeamLead)))
        {
            throw new UnauthorizedAccessException(Messages.Accounts.ImporterRequired);
        }
    }
}
