using System.Globalization;
using CaseManagement.CaseImports;
using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Imports;

/// <summary>The upload form of the wizard's first step.</summary>
public sealed class ImportUploadForm
{
    public IFormFile? File { get; set; }
}

/// <summary>The wizard's second step: sheets, the column for each template column, the options.</summary>
public sealed class ImportMappingForm
{
    public string? CasesSheet { get; set; }

    public string? GoalsSheet { get; set; }

    public Dictionary<string, string> Mapping { get; set; } = [];

    public bool UpdateSituation { get; set; }

    public bool ConfirmDuplicates { get; set; }
}

public sealed record ImportsPage(IReadOnlyList<ImportView> Recent, bool MayExport);

public sealed record ImportMappingPage(ImportDraft Draft, ImportSheet Sheet, ImportMappingForm Form);

public sealed record ImportPreviewPage(ImportDraft Draft, ImportPreview Preview);

public sealed record ImportStatusPage(ImportView Import, string Progress, string Summary);

/// <summary>What the progress script reads (same texts as the page).</summary>
public sealed record ImportProgressResponse(string Status, bool Finished, int Rows, int Done, string Progress);

/// <summary>
/// "Import" (issue 18, docs/import.md): upload → sheet and columns → preview → dry run → confirmation → import with a
/// progress bar → report. Administrators for the organisation, team leads for their team (the domain decides; another
/// organisation's import is a 404).
/// </summary>
[Authorize(Roles = Roles.Administrator + "," + Roles.TeamLead)]
[Route("importe")]
public sealed class ImportsController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["Message"] = this.Confirmation();
        return View(new ImportsPage(await mediator.Send(new ListImports(), ct), User.IsInRole(Roles.Administrator)));
    }

    [HttpPost("")]
    [RequestSizeLimit(ImportFile.MaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Upload(ImportUploadForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (form.File is not { Length: > 0 } file)
        {
            ModelState.AddModelError(nameof(ImportUploadForm.File), form.File is null ? "Bitte eine CSV- oder XLSX-Datei wählen." : ImportFile.Empty);
        }
        else if (file.Length > ImportFile.MaxBytes)
        {
            ModelState.AddModelError(nameof(ImportUploadForm.File), ImportFile.TooLarge);
        }
        else
        {
            byte[] content;
            await using (var stream = file.OpenReadStream())
            {
                using var buffer = new MemoryStream((int)file.Length);
                await stream.CopyToAsync(buffer, ct);
                content = buffer.ToArray();
            }

            var draft = await mediator.Send(new UploadImport(file.FileName, content), ct);
            if (draft.Succeeded)
            {
                return RedirectToAction(nameof(Mapping), new { id = draft.Value!.Id });
            }

            foreach (var error in draft.Errors)
            {
                ModelState.AddModelError(nameof(ImportUploadForm.File), error.Message);
            }
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), new ImportsPage(await mediator.Send(new ListImports(), ct), User.IsInRole(Roles.Administrator)));
    }

    [HttpGet("{id:guid}/zuordnung")]
    public async Task<IActionResult> Mapping(Guid id, CancellationToken ct)
    {
        var draft = await mediator.Send(new GetImportDraft(id), ct);
        var form = new ImportMappingForm { CasesSheet = draft.CasesSheet, GoalsSheet = draft.GoalsSheet, Mapping = new(draft.Mapping) };
        return View(new ImportMappingPage(draft, draft.Sheets.First(s => s.Name == draft.CasesSheet), form));
    }

    /// <summary>Saves the choices (the mapping is remembered for the organisation); another sheet chosen shows its columns first.</summary>
    [HttpPost("{id:guid}/zuordnung")]
    public async Task<IActionResult> Mapping(Guid id, ImportMappingForm form, [FromForm] bool sheetOnly, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var draft = await mediator.Send(new GetImportDraft(id), ct);
        var sheet = draft.Sheets.FirstOrDefault(s => s.Name == form.CasesSheet);
        if (sheet is not null && sheet.Name != draft.CasesSheet)
        {
            // Another sheet: its headers are recognised afresh (the form's columns belonged to the former sheet).
            form.Mapping = ImportTemplate.Recognise(ImportTemplate.CaseColumns, sheet.Headers, form.Mapping);
        }

        var outcome = await mediator.Send(new ConfigureImport(id, form.CasesSheet, form.GoalsSheet, form.Mapping, form.UpdateSituation, form.ConfirmDuplicates), ct);
        if (outcome.Succeeded || (sheetOnly && sheet is not null))
        {
            // "Blatt übernehmen" shows the chosen sheet's columns before going on.
            return RedirectToAction(sheetOnly ? nameof(Mapping) : nameof(Preview), new { id });
        }

        ModelState.AddInputErrors(outcome.Errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        draft = await mediator.Send(new GetImportDraft(id), ct);
        return View(new ImportMappingPage(draft, draft.Sheets.FirstOrDefault(s => s.Name == form.CasesSheet) ?? draft.Sheets.First(s => s.Name == draft.CasesSheet), form));
    }

    [HttpGet("{id:guid}/vorschau")]
    public async Task<IActionResult> Preview(Guid id, CancellationToken ct) =>
        View(new ImportPreviewPage(await mediator.Send(new GetImportDraft(id), ct), await mediator.Send(new PreviewImport(id), ct)));

    /// <summary>Starts the dry run (nothing is stored).</summary>
    [HttpPost("{id:guid}/probelauf")]
    public Task<IActionResult> DryRun(Guid id, CancellationToken ct) => Start(id, dryRun: true, ct);

    /// <summary>Applies a finished dry run: the same file and settings as a new import.</summary>
    [HttpPost("{id:guid}/ausfuehren")]
    public Task<IActionResult> Apply(Guid id, CancellationToken ct) => Start(id, dryRun: false, ct);

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Status(Guid id, CancellationToken ct)
    {
        ViewData["Message"] = this.Confirmation();
        var import = await mediator.Send(new GetImport(id), ct);
        if (import.Status == ImportStatus.Draft)
        {
            return RedirectToAction(nameof(Mapping), new { id });
        }

        return View(new ImportStatusPage(import, ImportTexts.Progress(import, clock.GetCurrentInstant()), ImportTexts.Summary(import)));
    }

    /// <summary>What the progress bar's script polls (the page itself works without it: "Stand aktualisieren").</summary>
    [HttpGet("{id:guid}/stand")]
    public async Task<ImportProgressResponse> Progress(Guid id, CancellationToken ct)
    {
        var import = await mediator.Send(new GetImport(id), ct);
        Response.Headers.CacheControl = "no-store";
        return new(import.Status.ToString(), import.Status is not (ImportStatus.Queued or ImportStatus.Running), import.Rows, import.Done,
            ImportTexts.Progress(import, clock.GetCurrentInstant()));
    }

    [HttpPost("{id:guid}/abbrechen")]
    public async Task<IActionResult> Cancel(Guid id, CancellationToken ct)
    {
        await mediator.Send(new CancelImport(id), ct);
        return this.Confirmed("Der Import wird nach der laufenden Zeile abgebrochen; die fertigen Fälle bleiben.", nameof(Status), new { id });
    }

    [HttpPost("{id:guid}/fortsetzen")]
    public async Task<IActionResult> Resume(Guid id, CancellationToken ct)
    {
        var resumed = await mediator.Send(new ResumeImport(id), ct);
        return this.Confirmed(resumed.Succeeded ? "Der Import wird fortgesetzt; fertige Zeilen werden übersprungen." : resumed.Errors[0].Message, nameof(Status), new { id });
    }

    /// <summary>The rejected rows in the uploaded format with the column "Fehler".</summary>
    [HttpGet("{id:guid}/abgewiesen")]
    public async Task<IActionResult> Rejected(Guid id, CancellationToken ct) => ImportDownloads.Rejected(await mediator.Send(new GetRejectedRows(id), ct));

    [HttpGet("vorlage.csv")]
    public IActionResult TemplateCsv() => ImportDownloads.TemplateCsv();

    [HttpGet("vorlage.xlsx")]
    public IActionResult TemplateXlsx() => ImportDownloads.TemplateXlsx();

    /// <summary>Administrators: every case and goal of the organisation in the template (access logged, never cached).</summary>
    [HttpGet("export.xlsx")]
    [Authorize(Roles = Roles.Administrator)]
    public async Task<IActionResult> ExportXlsx(CancellationToken ct) => ImportDownloads.ExportXlsx(Response, await mediator.Send(new ExportCaseload(), ct));

    [HttpGet("export-faelle.csv")]
    [Authorize(Roles = Roles.Administrator)]
    public async Task<IActionResult> ExportCsv(CancellationToken ct) => ImportDownloads.ExportCsv(Response, await mediator.Send(new ExportCaseload(), ct));

    [HttpGet("export-ziele.csv")]
    [Authorize(Roles = Roles.Administrator)]
    public async Task<IActionResult> ExportGoalsCsv(CancellationToken ct) => ImportDownloads.ExportGoalsCsv(Response, await mediator.Send(new ExportCaseload(), ct));

    private async Task<IActionResult> Start(Guid id, bool dryRun, CancellationToken ct)
    {
        var started = await mediator.Send(new StartImport(id, dryRun), ct);
        return started.Succeeded
            ? RedirectToAction(nameof(Status), new { id = started.Value })
            : this.Confirmed(started.Errors[0].Message, nameof(Status), new { id });
    }
}

/// <summary>The wizard's German sentences with correct plural forms ("1 Fall", "2 Fälle").</summary>
public static class ImportTexts
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static string Count(int n, string one, string many) => $"{n.ToString("N0", German)} {(n == 1 ? one : many)}";

    /// <summary>"142 Fälle werden angelegt, 3 sind schon vorhanden, 5 Zeilen werden abgewiesen." (a dry run: what will happen).</summary>
    public static string Summary(ImportView import)
    {
        ArgumentNullException.ThrowIfNull(import);
        var created = Count(import.Created, "Fall", "Fälle");
        var present = import.AlreadyPresent.ToString("N0", German);
        var rejected = Count(import.Rejected, "Zeile", "Zeilen");
        return import.DryRun
            ? $"{created} {(import.Created == 1 ? "wird" : "werden")} angelegt, {present} {(import.AlreadyPresent == 1 ? "ist" : "sind")} schon vorhanden, {rejected} {(import.Rejected == 1 ? "wird" : "werden")} abgewiesen."
            : $"{created} {(import.Created == 1 ? "wurde" : "wurden")} angelegt, {present} {(import.AlreadyPresent == 1 ? "war" : "waren")} schon vorhanden, {rejected} {(import.Rejected == 1 ? "wurde" : "wurden")} abgewiesen.";
    }

    /// <summary>"40 von 10.000 Zeilen, noch etwa 3 Minuten".</summary>
    public static string Progress(ImportView import, Instant now)
    {
        ArgumentNullException.ThrowIfNull(import);
        var text = $"{import.Done.ToString("N0", German)} von {Count(import.Rows, "Zeile", "Zeilen")}";
        return import.TimeLeft(now) is not { } left ? text
            : left.TotalSeconds < 60 ? text + ", noch weniger als eine Minute"
            : text + $", noch etwa {Count((int)Math.Ceiling(left.TotalMinutes), "Minute", "Minuten")}";
    }

    public static string StatusLabel(ImportStatus status) => status switch
    {
        ImportStatus.Draft => "Nicht gestartet",
        ImportStatus.Queued => "Wartet auf den Start",
        ImportStatus.Running => "Läuft",
        ImportStatus.Completed => "Abgeschlossen",
        ImportStatus.Failed => "Fehlgeschlagen",
        ImportStatus.Cancelled => "Abgebrochen",
        _ => status.ToString(),
    };
}
