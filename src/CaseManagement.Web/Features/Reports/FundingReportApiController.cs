using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Reports;

/// <summary>Reporting: the funding report (Verwendungsnachweis) as JSON, CSV or XLSX.</summary>
[Route("api/v1/reports")]
[Tags("Reporting")]
public sealed class FundingReportApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Team leads: the funding report (Verwendungsnachweis) for a period; without teamId/managerId the
    /// organisation in aggregate. JSON by default; <c>format=csv|xlsx</c> or an <c>Accept</c> header for files.
    /// </summary>
    [HttpGet("funding")]
    [Produces("application/json", ReportFiles.CsvType, ReportFiles.XlsxType)]
    [ProducesResponseType<FundingReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetFundingReport(LocalDate? from, LocalDate? to, Guid? teamId, Guid? managerId, string? format, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetFundingReport(from, to, teamId, managerId), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var report = outcome.Value!;
        return ReportFiles.Answer(this, format, () => ReportFiles.Csv(report), () => ReportFiles.Xlsx(report), extension => ReportFiles.FileName(report, extension),
            report);
    }
}
