using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Reports;

/// <summary>The page "Wirkung": the filters as entered, and the report with its rows per field of action.</summary>
public sealed record OutcomesPage(DateOnly? From, DateOnly? To, string GroupBy, OutcomesReport? Report)
{
    /// <summary>The choices of the breakdown (key, German label).</summary>
    public static IReadOnlyList<(string Key, string Label)> Groupings { get; } =
        GetOutcomesReportHandler.Groupings.Select(g => (g.Key, Labels.Of(g.Value))).ToList();

    /// <summary>Fields of action with goals in the period (or hidden figures): their total row first, then the groups.</summary>
    public IReadOnlyList<IGrouping<FieldOfAction, FieldOutcomeRow>> Fields =>
        Report?.Rows.GroupBy(r => r.Field).Where(f => f.First().Agreed is not 0).ToList() ?? [];

    /// <summary>Fields of action without any goal agreed in the period.</summary>
    public IReadOnlyList<string> EmptyFields =>
        Report?.Rows.Where(r => r.IsTotal && r.Agreed is 0).Select(r => r.FieldLabel).ToList() ?? [];

    /// <summary>The rows of one field the table lists: in the "field" breakdown the total, else the groups and the total last.</summary>
    public static IReadOnlyList<FieldOutcomeRow> TableRows(IEnumerable<FieldOutcomeRow> field)
    {
        var rows = field.ToList();
        return rows.Count == 1 ? rows : [.. rows.Where(r => !r.IsTotal), .. rows.Where(r => r.IsTotal)];
    }
}

/// <summary>Wirkung (outcomes per field of action) for team leads (own team) and administrators (organisation): page, CSV, XLSX.</summary>
[Authorize(Roles = Roles.TeamLead + "," + Roles.Administrator)]
[Route("berichte/wirkung")]
public sealed class OutcomesController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(DateOnly? from, DateOnly? to, string? groupBy, string? format, CancellationToken ct)
    {
        if (from is null && to is null)
        {
            var lastYear = CaseManagement.Common.Time.Today(clock).Year - 1;
            (from, to) = (new DateOnly(lastYear, 1, 1), new DateOnly(lastYear, 12, 31));
        }

        groupBy ??= "field";
        var outcome = await mediator.Send(new GetOutcomesReport(Day(from), Day(to), groupBy), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(new OutcomesPage(from, to, groupBy, null));
        }

        var report = outcome.Value!;
        return format switch
        {
            "csv" => File(ReportFiles.Csv(report), ReportFiles.CsvType + "; charset=utf-8", ReportFiles.FileName(report, "csv")),
            "xlsx" => File(ReportFiles.Xlsx(report), ReportFiles.XlsxType, ReportFiles.FileName(report, "xlsx")),
            _ => View(new OutcomesPage(from, to, groupBy, report)),
        };
    }

    private static LocalDate? Day(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}
