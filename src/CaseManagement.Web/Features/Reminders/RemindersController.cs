using CaseManagement.Web.Infrastructure;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Reminders;

public sealed record SnoozeInput(LocalDate? Until);

public sealed record RemindersPage(IReadOnlyList<InboxItem> Items, LocalDate Today, string? Message, bool Digest)
{
    /// <summary>A mail server is configured (section <c>Mail</c>); without one the digest promises no e-mail.</summary>
    public bool MailConfigured { get; init; }
}

public sealed record DigestInput(bool Enabled);

/// <summary>The reminders inbox ("Erinnerungen") of managers and team leads.</summary>
[Authorize(Roles = Roles.CaseWorkers)]
[Route("erinnerungen")]
public sealed class RemindersController(IMediator mediator, IClock clock, Mailer mailer) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await Page(this.Confirmation(), ct));

    [HttpPost("zusammenfassung")]
    public async Task<IActionResult> Digest(bool enabled, CancellationToken ct)
    {
        await mediator.Send(new SetMyDigestChoice(enabled), ct);
        return this.Confirmed(
            (enabled, mailer.Options.Configured) switch
            {
                (true, true) => "Sie erhalten künftig eine tägliche Zusammenfassung per E-Mail.",
                (true, false) => "Die Zusammenfassung ist bestellt. Es ist noch kein Mailserver eingerichtet; sie wird verschickt, sobald die Verwaltung einen einrichtet.",
                _ => "Die tägliche Zusammenfassung per E-Mail ist abbestellt.",
            },
            nameof(Index));
    }

    [HttpPost("{id:guid}/erledigt")]
    public async Task<IActionResult> Done(Guid id, CancellationToken ct)
    {
        await mediator.Send(new MarkReminderDone(id), ct);
        return this.Confirmed("Die Erinnerung ist erledigt.", nameof(Index));
    }

    [HttpPost("{id:guid}/spaeter")]
    public async Task<IActionResult> Snooze(Guid id, DateOnly? until, CancellationToken ct)
    {
        var outcome = await mediator.Send(new SnoozeReminder(id, until is { } d ? LocalDate.FromDateOnly(d) : null), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Erinnerung kommt am gewählten Tag wieder.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Index), await Page(null, ct));
    }

    private async Task<RemindersPage> Page(string? message, CancellationToken ct) =>
        new(await mediator.Send(new ListMyReminders(), ct), CaseManagement.Common.Time.Today(clock), message, await mediator.Send(new GetMyDigestChoice(), ct))
        {
            MailConfigured = mailer.Options.Configured,
        };
}

/// <summary>The own reminders inbox in the API.</summary>
[Route("api/v1/reminders")]
public sealed class RemindersApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>Open reminders that are due (snoozed ones from their day on), by due date; filter by <c>kind</c>.</summary>
    [HttpGet("")]
    [ProducesResponseType<IReadOnlyList<InboxItem>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<InboxItem>> ListReminders(ReminderKind? kind, CancellationToken ct) => await mediator.Send(new ListMyReminders(kind), ct);

    /// <summary>Turns the own daily digest e-mail on or off (<c>{"enabled":true}</c>); it carries counts and a link only.</summary>
    [HttpPut("digest")]
    [ProducesResponseType<DigestInput>(StatusCodes.Status200OK)]
    public async Task<DigestInput> SetDigest(DigestInput request, CancellationToken ct) =>
        new(await mediator.Send(new SetMyDigestChoice(request?.Enabled ?? false), ct));

    /// <summary>Whether the own daily digest e-mail is on.</summary>
    [HttpGet("digest")]
    [ProducesResponseType<DigestInput>(StatusCodes.Status200OK)]
    public async Task<DigestInput> GetDigest(CancellationToken ct) => new(await mediator.Send(new GetMyDigestChoice(), ct));

    /// <summary>Marks an own reminder as done.</summary>
    [HttpPost("{id:guid}/done")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> MarkReminderDone(Guid id, CancellationToken ct)
    {
        await mediator.Send(new MarkReminderDone(id), ct);
        return NoContent();
    }

    /// <summary>Snoozes a reminder until a later day (<c>{"until":"YYYY-MM-DD"}</c>).</summary>
    [HttpPost("{id:guid}/snooze")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> SnoozeReminder(Guid id, SnoozeInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new SnoozeReminder(id, request?.Until), ct);
        return outcome.Succeeded
            ? NoContent()
            : UnprocessableEntity(new ValidationProblemDetails(new Dictionary<string, string[]> { ["until"] = [outcome.Errors[0].Message] })
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Die Eingaben sind unvollständig oder ungültig.",
                Detail = "Es wurde nichts gespeichert.",
            });
    }
}
