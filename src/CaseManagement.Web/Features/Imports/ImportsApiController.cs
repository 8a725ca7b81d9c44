using CaseManagement.CaseImports;
using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Imports;

/// <summary>A problem of one row (row as Excel numbers it: header = 1; column "" = the whole row).</summary>
public sealed record ImportErrorResponse(string Sheet, int Row, string Column, string Message);

/// <summary>Where an import stands.</summary>
public sealed record ImportResponse(
    Guid Id, string Status, bool DryRun, int Rows, int Done, int Created, int AlreadyPresent, int Rejected, double? SecondsLeft,
    IReadOnlyList<ImportErrorResponse> Errors)
{
    public static ImportResponse From(ImportView view, Instant now)
    {
        ArgumentNullException.ThrowIfNull(view);
        return new(view.Id, view.Status.ToString(), view.DryRun, view.Rows, view.Done, view.Created, view.AlreadyPresent, view.Rejected,
            view.TimeLeft(now)?.TotalSeconds, view.Errors.Select(e => new ImportErrorResponse(e.Sheet, e.Row, e.Column, e.Message)).ToList());
    }
}

public sealed record ImportStartedResponse(Guid Id);

/// <summary>
/// Imports of cases from CSV or XLSX (docs/import.md): administrators for the organisation, team leads for their team;
/// managers 403, another organisation's import 404.
/// </summary>
[Route("api/v1/imports")]
[Authorize(Roles = Roles.Administrator + "," + Roles.TeamLead)]
public sealed class ImportsApiController(IMediator mediator, IClock clock) : ApiControllerBase
{
    /// <summary>Upload a file (multipart field <c>file</c>); with <c>dryRun=true</c> nothing is stored. The template's headers are recognised (or the mapping remembered for the organisation).</summary>
    /// <param name="file">The file (CSV or XLSX, at most 20 MB).</param>
    /// <param name="dryRun">Check every row, store nothing.</param>
    /// <param name="updateSituation">For a case already present: record a different housing or residence status of the file as new dated events.</param>
    /// <param name="createDuplicates">Create a case even when one with the same name and birth date exists (a probable duplicate).</param>
    /// <param name="ct">Aborted request.</param>
    [HttpPost("")]
    [Idempotent]
    [RequestSizeLimit(ImportFile.MaxBytes + 1024 * 1024)]
    [Consumes("multipart/form-data")]
    [ProducesResponseType<ImportStartedResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType(StatusCodes.Status413PayloadTooLarge)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IActionResult> Upload(IFormFile? file, [FromForm] bool dryRun, [FromForm] bool updateSituation, [FromForm] bool createDuplicates, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return InputProblem([new InputError("file", file is null ? "Bitte eine Datei im Feld „file“ senden." : ImportFile.Empty)]);
        }

        if (file.Length > ImportFile.MaxBytes)
        {
            return StatusCode(StatusCodes.Status413PayloadTooLarge, new ProblemDetails { Status = 413, Title = ImportFile.TooLarge });
        }

        byte[] content;
        await using (var stream = file.OpenReadStream())
        {
            using var buffer = new MemoryStream((int)file.Length);
            await stream.CopyToAsync(buffer, ct);
            content = buffer.ToArray();
        }

        var draft = await mediator.Send(new UploadImport(file.FileName, content), ct);
        if (!draft.Succeeded)
        {
            return OutcomeProblem(draft);
        }

        if (updateSituation || createDuplicates)
        {
            var d = draft.Value!;
            var configured = await mediator.Send(new ConfigureImport(d.Id, d.CasesSheet, d.GoalsSheet, d.Mapping, updateSituation, createDuplicates), ct);
            if (!configured.Succeeded)
            {
                return OutcomeProblem(configured);
            }
        }

        var started = await mediator.Send(new StartImport(draft.Value!.Id, dryRun), ct);
        return started.Succeeded
            ? AcceptedAtAction(nameof(Get), new { id = started.Value }, new ImportStartedResponse(started.Value))
            : OutcomeProblem(started);
    }

    /// <summary>Status, counts and the problems of every row (at most 1,000; the error file has all).</summary>
    [HttpGet("{id:guid}")]
    [ProducesResponseType<ImportResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ImportResponse>> Get(Guid id, CancellationToken ct) =>
        ImportResponse.From(await mediator.Send(new GetImport(id), ct), clock.GetCurrentInstant());

    /// <summary>Cancels the import after the row it is working on; the rows done stay (whole cases only).</summary>
    [HttpDelete("{id:guid}")]
    [ProducesResponseType<ImportResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ActionResult<ImportResponse>> Cancel(Guid id, CancellationToken ct)
    {
        await mediator.Send(new CancelImport(id), ct);
        return await Get(id, ct);
    }

    /// <summary>Resumes a cancelled or failed import: the rows done are skipped.</summary>
    [HttpPost("{id:guid}/resume")]
    [ProducesResponseType<ImportStartedResponse>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Resume(Guid id, CancellationToken ct)
    {
        var resumed = await mediator.Send(new ResumeImport(id), ct);
        return resumed.Succeeded ? AcceptedAtAction(nameof(Get), new { id }, new ImportStartedResponse(id)) : OutcomeProblem(resumed);
    }

    /// <summary>The rejected rows in the uploaded format with the column "Fehler", to fix and upload again.</summary>
    [HttpGet("{id:guid}/rejected")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "text/csv", ImportDownloads.XlsxType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> Rejected(Guid id, CancellationToken ct) => ImportDownloads.Rejected(await mediator.Send(new GetRejectedRows(id), ct));

    /// <summary>Administrators: every case of the organisation in the template (sheet "Fälle") as CSV; imported again, every row is "already present".</summary>
    [HttpGet("export.csv")]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "text/csv")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IActionResult> ExportCsv(CancellationToken ct) => ImportDownloads.ExportCsv(Response, await mediator.Send(new ExportCaseload(), ct));

    /// <summary>Administrators: every goal of the organisation's cases in the template (sheet "Ziele") as CSV.</summary>
    [HttpGet("export-goals.csv")]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "text/csv")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IActionResult> ExportGoalsCsv(CancellationToken ct) => ImportDownloads.ExportGoalsCsv(Response, await mediator.Send(new ExportCaseload(), ct));

    /// <summary>Administrators: every case and goal of the organisation in the template (sheets "Fälle" and "Ziele") as XLSX.</summary>
    [HttpGet("export.xlsx")]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, ImportDownloads.XlsxType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IActionResult> ExportXlsx(CancellationToken ct) => ImportDownloads.ExportXlsx(Response, await mediator.Send(new ExportCaseload(), ct));

    /// <summary>The empty template (sheet "Fälle") as CSV.</summary>
    [HttpGet("template.csv")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, "text/csv")]
    public IActionResult TemplateCsv() => ImportDownloads.TemplateCsv();

    /// <summary>The empty template with the sheets "Fälle" and "Ziele" as XLSX.</summary>
    [HttpGet("template.xlsx")]
    [ProducesResponseType<FileContentResult>(StatusCodes.Status200OK, ImportDownloads.XlsxType)]
    public IActionResult TemplateXlsx() => ImportDownloads.TemplateXlsx();
}
