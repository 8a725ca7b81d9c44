using CaseManagement.Organisations;
using CaseManagement.Reminders;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Administration;

/// <summary>"Hintergrundaufträge": the own organisation's job state for its administrators (the cross-organisation dashboard is the operator's).</summary>
[Authorize(Roles = Roles.Administrator)]
[Route("verwaltung/hintergrundauftraege")]
public sealed class JobsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await mediator.Send(new GetBackgroundJobState(), ct));
}
