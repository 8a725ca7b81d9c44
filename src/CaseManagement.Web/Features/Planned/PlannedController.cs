using CaseManagement.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Planned;

public sealed record PlannedArea(string Title, string Description);

/// <summary>
/// Areas of the navigation whose capability has not been built yet. Each later issue replaces one
/// of these routes with its real controller (a duplicate route fails at start-up, so none is forgotten).
/// </summary>
public sealed class PlannedController : Controller
{
    [HttpGet("/datenschutz/betroffene")]
    [Authorize(Roles = Roles.DataProtectionOfficer)]
    public IActionResult Subjects() => Show("Betroffene", "Auskunft, Export, Löschung und Einschränkung nach DSGVO.");

    private ViewResult Show(string title, string description) => View("Planned", new PlannedArea(title, description));
}
