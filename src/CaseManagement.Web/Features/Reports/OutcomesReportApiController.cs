using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Reports;

/// <summary>The outcomes report as the API answers it: the header and the rows (suppressed figures are null).</summary>
public sealed record OutcomesReportResponse(
    string Organisation, string Scope, string GroupBy, LocalDate From, LocalDate To, LocalDate CreatedOn, IReadOnlyList<FieldOutcomeRow> Rows)
{
    public static OutcomesReportResponse Of(OutcomesReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.Organisation, report.Scope, report.GroupBy.ToString().ToLowerInvariant(), report.From, report.To, report.CreatedOn, report.Rows);
    }
}

/// <summary>Reporting: Wirkung (goals per field of action and their outcomes) as JSON, CSV or XLSX.</summary>
[Route("api/v1/reports")]
[Tags("Reporting")]
public sealed class OutcomesReportApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Team leads and administrators: the outcomes report (Wirkung), goals agreed in the period per field of action and their
    /// outcomes — a lead's own team, an administrator's organisation — grouped by <c>groupBy</c> (<c>field</c>, <c>cohort</c>, <c>team</c>, <c>organisation</c>, <c>residence</c>,
    /// <c>gender</c>). Figures of fewer than 5 persons, and those that would let one compute them, are null with
    /// <c>"suppressed": true</c>. JSON by default; <c>format=csv|xlsx</c> or an <c>Accept</c> header for files. Managers: 403.
    /// </summary>
    [HttpGet("outcomes")]
    [Produces("application/json", ReportFiles.CsvType, ReportFiles.XlsxType)]
    [ProducesResponseType<OutcomesReportResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetOutcomesReport(LocalDate? from, LocalDate? to, string? groupBy, string? format, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetOutcomesReport(from, to, groupBy), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var report = outcome.Value!;
        return ReportFiles.Answer(this, format, () => ReportFiles.Csv(report), () => ReportFiles.Xlsx(report), extension => ReportFiles.FileName(report, extension),
            OutcomesReportResponse.Of(report));
    }
}
