using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Administration;

/// <summary>Administrators manage the users of their own organisation.</summary>
[Authorize(Roles = Roles.Administrator)]
[Route("verwaltung/benutzer")]
public sealed class UsersController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["Message"] = this.Confirmation();
        var users = await mediator.Send(new ListUsers(), ct);
        return View(AdministrationMapper.ToListItems(users));
    }

    [HttpGet("neu")]
    public async Task<IActionResult> Create(CancellationToken ct) =>
        View("Edit", new UserEditPage(new UserForm(), await mediator.Send(new ListTeams(), ct)));

    [HttpPost("neu")]
    public async Task<IActionResult> Create(UserForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new CreateUser(form.Email, form.DisplayName, form.Role, form.TeamId, form.Password ?? ""), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Das Konto wurde angelegt.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        form.Password = null;
        return View("Edit", new UserEditPage(form, await mediator.Send(new ListTeams(), ct)));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        var user = await mediator.Send(new GetUser(id), ct);
        var form = AdministrationMapper.ToForm(user.Summary);
        form.ConcurrencyStamp = user.ConcurrencyStamp;
        return View(new UserEditPage(form, await mediator.Send(new ListTeams(), ct)));
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Edit(Guid id, UserForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new UpdateUser(id, form.DisplayName, form.Role, form.TeamId, form.IsActive, form.ConcurrencyStamp), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Änderungen wurden gespeichert.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        var current = await mediator.Send(new GetUser(id), ct);
        form.Id = id;
        form.Email = current.Summary.Email;
        form.IsLockedOut = current.Summary.IsLockedOut;
        form.IsProtected = current.Summary.IsProtected;
        // Keep what the administrator typed, but a stale form must be re-read before it can be saved.
        form.ConcurrencyStamp = current.ConcurrencyStamp != form.ConcurrencyStamp ? form.ConcurrencyStamp : current.ConcurrencyStamp;
        ModelState.Remove(nameof(UserForm.ConcurrencyStamp));
        return View(new UserEditPage(form, await mediator.Send(new ListTeams(), ct)));
    }

    [HttpPost("{id:guid}/passwort")]
    public async Task<IActionResult> SetPassword(Guid id, PasswordForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SetUserPassword(id, form.NewPassword), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Das neue Passwort ist gesetzt; eine Sperre wurde aufgehoben.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        var user = await mediator.Send(new GetUser(id), ct);
        var userForm = AdministrationMapper.ToForm(user.Summary);
        userForm.ConcurrencyStamp = user.ConcurrencyStamp;
        return View("Edit", new UserEditPage(userForm, await mediator.Send(new ListTeams(), ct)));
    }
}
