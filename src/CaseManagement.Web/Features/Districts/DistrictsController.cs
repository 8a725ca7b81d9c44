using CaseManagement.Districts;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Districts;

/// <summary>What the page "Landkreis" shows, with the name as entered.</summary>
public sealed record DistrictsPage(DistrictAdministration Administration, string? Name);

/// <summary>The district form: its name.</summary>
public sealed class DistrictForm
{
    public string? Name { get; set; }
}

/// <summary>The invitation form: the organisation to invite.</summary>
public sealed class InvitationForm
{
    public Guid? OrganisationId { get; set; }
}

/// <summary>
/// Administration → Landkreis: the own organisation's district (name, invitations, members, removing a member) and the
/// invitations and memberships of the own organisation in districts (accept, decline, leave). Every step is recorded.
/// </summary>
[Authorize(Roles = Roles.Administrator)]
[Route("verwaltung/landkreis")]
public sealed class DistrictsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["Message"] = this.Confirmation();
        var page = await mediator.Send(new GetDistrictAdministration(), ct);
        return View(new DistrictsPage(page, page.OwnDistrict?.Name));
    }

    [HttpPost("")]
    public async Task<IActionResult> Declare(DistrictForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new DeclareDistrict(form.Name), ct);
        return outcome.Succeeded ? this.Confirmed("Der Landkreis wurde gespeichert.", nameof(Index)) : await Again(outcome.Errors, form.Name, ct);
    }

    [HttpPost("einladungen")]
    public async Task<IActionResult> Invite(InvitationForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new InviteOrganisation(form.OrganisationId), ct);
        return outcome.Succeeded ? this.Confirmed("Die Organisation wurde eingeladen.", nameof(Index)) : await Again(outcome.Errors, null, ct);
    }

    [HttpPost("einladungen/{id:guid}/annehmen")]
    public async Task<IActionResult> Accept(Guid id, CancellationToken ct) => await Done(new AnswerInvitation(id, true), "Die Einladung wurde angenommen. Die Zahlen Ihrer Organisation zählen jetzt für den Landkreis – nur als Summen.", ct);

    [HttpPost("einladungen/{id:guid}/ablehnen")]
    public async Task<IActionResult> Decline(Guid id, CancellationToken ct) => await Done(new AnswerInvitation(id, false), "Die Einladung wurde abgelehnt.", ct);

    [HttpPost("mitgliedschaften/{id:guid}/beenden")]
    public async Task<IActionResult> End(Guid id, CancellationToken ct) => await Done(new EndMembership(id), "Die Mitgliedschaft wurde beendet.", ct);

    private async Task<IActionResult> Done(ICommand<Outcome<Guid>> command, string confirmation, CancellationToken ct)
    {
        var outcome = await mediator.Send(command, ct);
        return outcome.Succeeded ? this.Confirmed(confirmation, nameof(Index)) : await Again(outcome.Errors, null, ct);
    }

    private async Task<IActionResult> Again(IEnumerable<InputError> errors, string? name, CancellationToken ct)
    {
        ModelState.AddInputErrors(errors);
        var page = await mediator.Send(new GetDistrictAdministration(), ct);
        return View(nameof(Index), new DistrictsPage(page, name ?? page.OwnDistrict?.Name));
    }
}
