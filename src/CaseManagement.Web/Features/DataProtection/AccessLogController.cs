using System.Globalization;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.DataProtection;

/// <summary>
/// The access-log filter: the reader (a user of the organisation, chosen by name), the case by its case number as users
/// see it (the API also takes the case's id), and days.
/// </summary>
public sealed record AccessLogFilter(Guid? CaseId, Guid? UserId, DateOnly? From, DateOnly? To, int Page = 1, string? CaseNumber = null)
{
    public GetAccessLog ToQuery(int pageSize = 100) => new(CaseId, UserId,
        From is { } f ? LocalDate.FromDateOnly(f) : null, To is { } t ? LocalDate.FromDateOnly(t) : null, Page, pageSize)
    { CaseNumber = CaseNumber };
}

public sealed record AccessLogView(AccessLogPage Log, AccessLogFilter Filter, IReadOnlyList<AccessLogReader> Readers);

/// <summary>CSV of the access log (through <see cref="CsvFile"/>: semicolon-separated, UTF-8 with BOM, formula starts neutralised): names and case numbers.</summary>
public static class AccessLogCsv
{
    public static readonly string[] Header = ["Zeitpunkt", "Name", "Rolle", "Fallnummer", "Kanal", "Gelesen", "Zweck"];

    public static FileContentResult File(AccessLogPage log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return CsvFile.Download([Header, .. log.Items.Select(Row)], "zugriffsprotokoll.csv");
    }

    private static string[] Row(AccessLogItem e) =>
    [
        Instant.FromDateTimeOffset(e.At).InZone(CaseManagement.Common.Time.Berlin).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        e.UserName, Roles.Label(e.Role), e.CaseNumber ?? "", e.Channel, e.What, e.Purpose ?? "",
    ];
}

/// <summary>The DPO's access-log viewer: filters, paging, CSV export.</summary>
[Authorize(Roles = Roles.DataProtectionOfficer)]
[Route("datenschutz/zugriffsprotokoll")]
public sealed class AccessLogController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AccessLogFilter filter, CancellationToken ct)
    {
        var outcome = await mediator.Send(filter.ToQuery(), ct);
        return outcome.Succeeded
            ? View(new AccessLogView(outcome.Value!, filter, await mediator.Send(new ListAccessLogReaders(), ct)))
            : await Invalid(filter, outcome, ct);
    }

    [HttpGet("export.csv")]
    public async Task<IActionResult> Csv([FromQuery] AccessLogFilter filter, CancellationToken ct)
    {
        var outcome = await mediator.Send(filter.ToQuery(pageSize: 100_000) with { Page = 1 }, ct);
        return outcome.Succeeded ? AccessLogCsv.File(outcome.Value!) : await Invalid(filter, outcome, ct);
    }

    /// <summary>The page with the message next to the field (422), and no entries.</summary>
    private async Task<IActionResult> Invalid(AccessLogFilter filter, Outcome<AccessLogPage> outcome, CancellationToken ct)
    {
        ModelState.AddInputErrors(outcome.Errors);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(nameof(Index), new AccessLogView(new AccessLogPage([], 0, 1, 100), filter, await mediator.Send(new ListAccessLogReaders(), ct)));
    }
}

/// <summary><c>GET /api/v1/data-protection/access-log</c> — JSON, or CSV with <c>format=csv</c>.</summary>
[Route("api/v1/data-protection/access-log")]
[Tags("DataProtection")]
public sealed class AccessLogApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Every read of a case file (who, role, when, channel, what, purpose, the case number), 100 per page, newest first;
    /// filtered by <c>caseNumber</c> (as users see it) or <c>caseId</c>, <c>userId</c>, <c>from</c>/<c>to</c>; <c>format=csv</c> for all as CSV.
    /// </summary>
    [HttpGet("")]
    [Paged]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK, "application/json", "text/csv")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetAccessLog([FromQuery] AccessLogFilter filter, string? format, CancellationToken ct)
    {
        var csv = string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase);
        var outcome = await mediator.Send(csv ? filter.ToQuery(pageSize: 100_000) with { Page = 1 } : filter.ToQuery(), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        if (csv)
        {
            return AccessLogCsv.File(outcome.Value!);
        }

        Response.Headers[OpenApiContract.TotalCountHeader] = outcome.Value!.Total.ToString(CultureInfo.InvariantCulture);
        return Ok(outcome.Value);
    }
}
