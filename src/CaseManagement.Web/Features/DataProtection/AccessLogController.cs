using System.Globalization;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.DataProtection;

public sealed record AccessLogFilter(Guid? CaseId, Guid? UserId, DateOnly? From, DateOnly? To, int Page = 1)
{
    public GetAccessLog ToQuery(int pageSize = 100) => new(CaseId, UserId,
        From is { } f ? LocalDate.FromDateOnly(f) : null, To is { } t ? LocalDate.FromDateOnly(t) : null, Page, pageSize);
}

public sealed record AccessLogView(AccessLogPage Log, AccessLogFilter Filter);

/// <summary>CSV of the access log (through <see cref="CsvFile"/>: semicolon-separated, UTF-8 with BOM, formula starts neutralised).</summary>
public static class AccessLogCsv
{
    public static readonly string[] Header = ["Zeitpunkt", "Benutzer-ID", "Name", "Rolle", "Fall-ID", "Kanal", "Gelesen", "Zweck"];

    public static FileContentResult File(AccessLogPage log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return CsvFile.Download([Header, .. log.Items.Select(Row)], "zugriffsprotokoll.csv");
    }

    private static string[] Row(AccessLogItem e) =>
    [
        Instant.FromDateTimeOffset(e.At).InZone(CaseManagement.Common.Time.Berlin).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        e.UserId.ToString(), e.UserName, Roles.Label(e.Role), e.CaseId.ToString(), e.Channel, e.What, e.Purpose ?? "",
    ];
}

/// <summary>The DPO's access-log viewer: filters, paging, CSV export.</summary>
[Authorize(Roles = Roles.DataProtectionOfficer)]
[Route("datenschutz/zugriffsprotokoll")]
public sealed class AccessLogController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] AccessLogFilter filter, CancellationToken ct) =>
        View(new AccessLogView(await mediator.Send(filter.ToQuery(), ct), filter));

    [HttpGet("export.csv")]
    public async Task<IActionResult> Csv([FromQuery] AccessLogFilter filter, CancellationToken ct) =>
        AccessLogCsv.File(await mediator.Send(filter.ToQuery(pageSize: 100_000) with { Page = 1 }, ct));
}

/// <summary><c>GET /api/v1/data-protection/access-log</c> — JSON, or CSV with <c>format=csv</c>.</summary>
[Route("api/v1/data-protection/access-log")]
[Tags("DataProtection")]
public sealed class AccessLogApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>Every read of a case file (who, role, when, channel, what, purpose), 100 per page, newest first; <c>format=csv</c> for all as CSV.</summary>
    [HttpGet("")]
    [Paged]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK, "application/json", "text/csv")]
    public async Task<IActionResult> GetAccessLog([FromQuery] AccessLogFilter filter, string? format, CancellationToken ct)
    {
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return AccessLogCsv.File(await mediator.Send(filter.ToQuery(pageSize: 100_000) with { Page = 1 }, ct));
        }

        var page = await mediator.Send(filter.ToQuery(), ct);
        Response.Headers[OpenApiContract.TotalCountHeader] = page.Total.ToString(CultureInfo.InvariantCulture);
        return Ok(page);
    }
}
