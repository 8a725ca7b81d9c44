using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.DataProtection;

public sealed record RolesPage(RoleOverview Overview, Guid CurrentUserId, string? Message);

/// <summary>
/// The DPO's page "Rollen": appoint another account of the organisation as data-protection officer or end
/// an appointment (separation of duties: administrators cannot), and the audit trail of every role change.
/// </summary>
[Authorize(Roles = Roles.DataProtectionOfficer)]
[Route("datenschutz/rollen")]
public sealed class RolesController(IMediator mediator, CaseManagement.Tenancy.ICurrentUser currentUser) : Controller
{
    private const string MessageKey = "RolesMessage";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new RolesPage(await mediator.Send(new GetRoleOverview(), ct), currentUser.UserId, TempData[MessageKey] as string));

    [HttpPost("{id:guid}/bestellen")]
    public async Task<IActionResult> Appoint(Guid id, CancellationToken ct) =>
        await Done(await mediator.Send(new AppointDataProtectionOfficer(id), ct), "Die Bestellung ist eingetragen.", ct);

    [HttpPost("{id:guid}/widerrufen")]
    public async Task<IActionResult> Dismiss(Guid id, CancellationToken ct) =>
        await Done(await mediator.Send(new DismissDataProtectionOfficer(id), ct), "Die Bestellung ist widerrufen.", ct);

    private async Task<IActionResult> Done(CaseManagement.Common.Outcome<Guid> outcome, string message, CancellationToken ct)
    {
        if (outcome.Succeeded)
        {
            TempData[MessageKey] = message;
            return RedirectToAction(nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), new RolesPage(await mediator.Send(new GetRoleOverview(), ct), currentUser.UserId, null));
    }
}
