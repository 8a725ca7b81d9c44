using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Administration;

/// <summary>Administrators manage the teams of their own organisation.</summary>
[Authorize(Roles = Roles.Administrator)]
[Route("verwaltung/teams")]
public sealed class TeamsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["Message"] = this.Confirmation();
        return View(await Page(new TeamForm(), ct));
    }

    [HttpPost("")]
    public async Task<IActionResult> Create(TeamForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new CreateTeam(form.Name), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Das Team wurde angelegt.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(form, ct));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        var team = (await mediator.Send(new ListTeams(), ct)).FirstOrDefault(t => t.Id == id);
        return team is null ? NotFound() : View(new TeamForm { Id = team.Id, Name = team.Name });
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, TeamForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new RenameTeam(id, form.Name), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Der Teamname wurde geändert.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        form.Id = id;
        return View(form);
    }

    private async Task<TeamsPage> Page(TeamForm form, CancellationToken ct) =>
        new(AdministrationMapper.ToListItems(await mediator.Send(new ListTeams(), ct)), form);
}
