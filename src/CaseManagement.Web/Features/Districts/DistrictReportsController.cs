using CaseManagement.Districts;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Reports;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Districts;

/// <summary>The district's "Auswertung Zeitraum" page: the period as entered and the figures per employer and manager.</summary>
public sealed record DistrictReportPage(DateOnly? From, DateOnly? To, District? District, DistrictReport? Report);

/// <summary>The district's "Wirkung" page: the period as entered and the goals per field of action and member organisation.</summary>
public sealed record DistrictOutcomesPage(DateOnly? From, DateOnly? To, District? District, OutcomesReport? Report)
{
    /// <summary>The page's view of the rows (fields with goals, their table rows) — the organisation's outcomes page's.</summary>
    public OutcomesPage Rows => new(From, To, "organisation", Report);
}

/// <summary>Koordination (Landkreis): the district's figures as pages, CSV and XLSX — aggregated and suppressed, never a case.</summary>
[Authorize(Roles = Roles.DistrictCoordinator)]
[Route("landkreis")]
public sealed class DistrictReportsController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("auswertung")]
    public async Task<IActionResult> Report(DateOnly? from, DateOnly? to, string? format, CancellationToken ct)
    {
        (from, to) = LastYearUnlessGiven(from, to);
        var district = await mediator.Send(new GetCoordinatorDistrict(), ct);
        if (district is null)
        {
            return View(new DistrictReportPage(from, to, null, null));
        }

        var outcome = await mediator.Send(new GetDistrictReport(district.Id, Day(from), Day(to)), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(new DistrictReportPage(from, to, district, null));
        }

        var report = outcome.Value!;
        return format switch
        {
            "csv" => File(DistrictFiles.Csv(report), ReportFiles.CsvType + "; charset=utf-8", DistrictFiles.FileName(report, "csv")),
            "xlsx" => File(DistrictFiles.Xlsx(report), ReportFiles.XlsxType, DistrictFiles.FileName(report, "xlsx")),
            _ => View(new DistrictReportPage(from, to, district, report)),
        };
    }

    [HttpGet("wirkung")]
    public async Task<IActionResult> Outcomes(DateOnly? from, DateOnly? to, string? format, CancellationToken ct)
    {
        (from, to) = LastYearUnlessGiven(from, to);
        var district = await mediator.Send(new GetCoordinatorDistrict(), ct);
        if (district is null)
        {
            return View(new DistrictOutcomesPage(from, to, null, null));
        }

        var outcome = await mediator.Send(new GetDistrictOutcomes(district.Id, Day(from), Day(to)), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(new DistrictOutcomesPage(from, to, district, null));
        }

        var report = outcome.Value!;
        return format switch
        {
            "csv" => File(ReportFiles.Csv(report), ReportFiles.CsvType + "; charset=utf-8", DistrictFiles.FileName(report, "csv")),
            "xlsx" => File(ReportFiles.Xlsx(report), ReportFiles.XlsxType, DistrictFiles.FileName(report, "xlsx")),
            _ => View(new DistrictOutcomesPage(from, to, district, report)),
        };
    }

    private (DateOnly? From, DateOnly? To) LastYearUnlessGiven(DateOnly? from, DateOnly? to)
    {
        if (from is not null || to is not null)
        {
            return (from, to);
        }

        var lastYear = CaseManagement.Common.Time.Today(clock).Year - 1;
        return (new DateOnly(lastYear, 1, 1), new DateOnly(lastYear, 12, 31));
    }

    private static LocalDate? Day(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}
