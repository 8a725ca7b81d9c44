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

/// <summary>The inbox filters (query string): kind, due range, case.</summary>
public sealed class InboxFilter
{
    public ReminderKind? Kind { get; set; }

    public DateOnly? From { get; set; }

    public DateOnly? To { get; set; }

    public Guid? Case { get; set; }

    public ListMyReminders Query() => new(Kind)
    {
        DueFrom = From is { } f ? LocalDate.FromDateOnly(f) : null,
        DueTo = To is { } t ? LocalDate.FromDateOnly(t) : null,
        CaseId = Case,
    };

    public bool Any => Kind is not null || From is not null || To is not null || Case is not null;

    public object Route => new { kind = Kind, from = From?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), to = To?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), @case = Case };
}

/// <summary>The confirmation of a bulk step: how many reminders of how many cases are marked done or postponed to which day.</summary>
public sealed record BulkConfirmPage(IReadOnlyList<InboxItem> Items, string Action, LocalDate? Until, InboxFilter Filter)
{
    public int Cases => Items.Select(i => i.CaseId).Distinct().Count();
}

public sealed record RemindersPage(IReadOnlyList<InboxItem> Items, LocalDate Today, string? Message, bool Digest)
{
    /// <summary>The inbox by case: one line per case with its reminders, the most overdue first.</summary>
    public IReadOnlyList<InboxCase> Cases => InboxCase.Group(Items);

    public InboxFilter Filter { get; init; } = new();

    /// <summary>The cases of the whole inbox (unfiltered), for the case filter.</summary>
    public IReadOnlyList<InboxCase> AllCases { get; init; } = [];

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
    public async Task<IActionResult> Index(InboxFilter filter, CancellationToken ct) => View(await Page(this.Confirmation(), ct, filter));

    /// <summary>Bulk, first step: the ticked reminders and what to do with them; the confirmation page states the count.</summary>
    [HttpPost("auswahl")]
    public async Task<IActionResult> Bulk(List<Guid> ids, string? todo, DateOnly? until, InboxFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var chosen = ids.ToHashSet();
        var items = (await mediator.Send(new ListMyReminders(), ct)).Where(i => chosen.Contains(i.Id)).ToList();
        var day = until is { } d ? LocalDate.FromDateOnly(d) : (LocalDate?)null;
        var today = CaseManagement.Common.Time.Today(clock);
        if (items.Count == 0)
        {
            ModelState.AddModelError("ids", CaseManagement.Common.Messages.Reminders.SelectionEmpty);
        }
        else if (todo == "snooze" && (day is not { } u || u <= today || u > today.PlusYears(1)))
        {
            ModelState.AddModelError("until", CaseManagement.Common.Messages.Reminders.SnoozeDay);
        }

        if (!ModelState.IsValid || todo is not ("done" or "snooze"))
        {
            return View(nameof(Index), await Page(null, ct, filter));
        }

        return View("Confirm", new BulkConfirmPage(items, todo, todo == "snooze" ? day : null, filter));
    }

    /// <summary>Bulk, confirmed: exactly the reminders of the confirmation page.</summary>
    [HttpPost("auswahl/bestaetigen")]
    public async Task<IActionResult> ConfirmBulk(List<Guid> ids, string? todo, DateOnly? until, InboxFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var outcome = todo == "snooze"
            ? await mediator.Send(new SnoozeReminders(ids, until is { } d ? LocalDate.FromDateOnly(d) : null), ct)
            : await mediator.Send(new MarkRemindersDone(ids), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(nameof(Index), await Page(null, ct, filter));
        }

        var skipped = ids.Distinct().Count() - outcome.Value;
        var message = (todo == "snooze"
            ? Plurals.German(outcome.Value, "{0} Erinnerung zurückgestellt bis {1}.", "{0} Erinnerungen zurückgestellt bis {1}.", Dates.Day(LocalDate.FromDateOnly(until!.Value)))
            : Plurals.German(outcome.Value, "{0} Erinnerung erledigt.", "{0} Erinnerungen erledigt."))
            + (skipped > 0 ? " " + Plurals.German(skipped, "{0} war inzwischen schon erledigt.", "{0} waren inzwischen schon erledigt.") : "");
        return this.Confirmed(message, nameof(Index), filter.Route);
    }

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

    private async Task<RemindersPage> Page(string? message, CancellationToken ct, InboxFilter? filter = null)
    {
        filter ??= new InboxFilter();
        var all = await mediator.Send(new ListMyReminders(), ct);
        return new(filter.Any ? await mediator.Send(filter.Query(), ct) : all, CaseManagement.Common.Time.Today(clock), message, await mediator.Send(new GetMyDigestChoice(), ct))
        {
            MailConfigured = mailer.Options.Configured,
            Filter = filter,
            AllCases = InboxCase.Group(all).OrderBy(c => c.CaseNumber, StringComparer.Ordinal).ToList(),
        };
    }
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
