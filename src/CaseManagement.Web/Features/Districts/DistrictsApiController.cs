using CaseManagement.Districts;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Reports;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Districts;

/// <summary>The district's "Auswertung Zeitraum" as the API answers it: per employer and manager, hidden figures null.</summary>
public sealed record DistrictReportResponse(Guid DistrictId, string District, IReadOnlyList<string> Organisations, LocalDate From, LocalDate To, LocalDate CreatedOn, IReadOnlyList<DistrictFigureRow> Rows)
{
    public static DistrictReportResponse Of(DistrictReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(report.DistrictId, report.District, report.Organisations, report.From, report.To, report.CreatedOn, report.Rows);
    }
}

/// <summary>District view (Landkreis): aggregated, suppressed figures of the member organisations, for the district's coordinators only.</summary>
[Route("api/v1/districts")]
[Tags("Districts")]
[Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.DistrictCoordinator)]
public sealed class DistrictsApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Koordination (Landkreis): the funding figures ("Auswertung Zeitraum") of the organisations that are members of the
    /// district now, per employer and manager — persons counselled, new and updated plans, consultations, support-period
    /// ends. Figures of fewer than 5 persons, and those that would let one compute them, are null (<c>suppressedFigures</c>).
    /// JSON by default; <c>format=csv|xlsx</c> or an <c>Accept</c> header for files. Other roles: 403; another district: 404.
    /// </summary>
    [HttpGet("{id:guid}/report")]
    [Produces("application/json", ReportFiles.CsvType, ReportFiles.XlsxType)]
    [ProducesResponseType<DistrictReportResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetDistrictReport(Guid id, LocalDate? from, LocalDate? to, string? format, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetDistrictReport(id, from, to), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var report = outcome.Value!;
        return ReportFiles.Answer(this, format, () => DistrictFiles.Csv(report), () => DistrictFiles.Xlsx(report), extension => DistrictFiles.FileName(report, extension),
            DistrictReportResponse.Of(report));
    }

    /// <summary>
    /// Koordination (Landkreis): Wirkung — goals agreed in the period per field of action and their outcomes, per member
    /// organisation and in total; suppressed as the organisation's outcomes report. Other roles: 403; another district: 404.
    /// </summary>
    [HttpGet("{id:guid}/outcomes")]
    [Produces("application/json", ReportFiles.CsvType, ReportFiles.XlsxType)]
    [ProducesResponseType<OutcomesReportResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetDistrictOutcomes(Guid id, LocalDate? from, LocalDate? to, string? format, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetDistrictOutcomes(id, from, to), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var report = outcome.Value!;
        return ReportFiles.Answer(this, format, () => ReportFiles.Csv(report), () => ReportFiles.Xlsx(report), extension => DistrictFiles.FileName(report, extension),
            OutcomesReportResponse.Of(report));
    }
}
