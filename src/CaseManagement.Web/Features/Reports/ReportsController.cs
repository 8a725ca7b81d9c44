using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Reports;

public sealed record FundingReportPage(DateOnly? From, DateOnly? To, string? Scope, IReadOnlyList<(Guid Id, string Name)> Managers, FundingReport? Report);

/// <summary>Förderbericht (Verwendungsnachweis) for team leads: view, CSV and XLSX.</summary>
[Authorize(Roles = Roles.TeamLead)]
[Route("berichte/foerderung")]
public sealed class ReportsController(IMediator mediator, IClock clock) : Controller
{
    /// <summary>Scope "org" (organisation, aggregate), "team" (own team) or a manager id of the own team.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index(DateOnly? from, DateOnly? to, string? scope, string? format, CancellationToken ct)
    {
        var today = CaseManagement.Common.Time.Today(clock);
        var team = await mediator.Send(new ListTeamManagers(), ct);
        if (from is null && to is null)
        {
            var lastYear = today.Year - 1;
            return View(new FundingReportPage(new DateOnly(lastYear, 1, 1), new DateOnly(lastYear, 12, 31), "team", team, null));
        }

        var (teamId, managerId) = Scope(scope);
        var outcome = await mediator.Send(new GetFundingReport(Day(from), Day(to), teamId, managerId), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(new FundingReportPage(from, to, scope, team, null));
        }

        var report = outcome.Value!;
        return format switch
        {
            "csv" => File(ReportFiles.Csv(report), ReportFiles.CsvType + "; charset=utf-8", ReportFiles.FileName(report, "csv")),
            "xlsx" => File(ReportFiles.Xlsx(report), ReportFiles.XlsxType, ReportFiles.FileName(report, "xlsx")),
            _ => View(new FundingReportPage(from, to, scope, team, report)),
        };
    }

    private (Guid? TeamId, Guid? ManagerId) Scope(string? scope) => scope switch
    {
        "org" => (null, null),
        _ when Guid.TryParse(scope, out var manager) => (null, manager),
        _ => (User.FindFirst(CaseManagementClaims.TeamId) is { } claim && Guid.TryParse(claim.Value, out var team) ? team : Guid.Empty, null),
    };

    private static LocalDate? Day(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}
