using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using CaseManagement.Web.Infrastructure;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Appointments;

/// <summary>"Meine Termine": a week (Monday to Sunday) or a list of four weeks, and the personal calendar link.</summary>
public sealed record MyAppointmentsPage(LocalDate Monday, bool List, IReadOnlyList<ManagerAppointment> Appointments, LocalDate Today, string? Message)
{
    public const int ListWeeks = 4;

    public LocalDate LastDay => List ? Monday.PlusWeeks(ListWeeks).PlusDays(-1) : Monday.PlusDays(6);

    /// <summary>The days shown: every day of the week, or (list) only the days with appointments.</summary>
    public IEnumerable<LocalDate> Days => List
        ? Appointments.Select(a => a.Appointment.Start.Date).Distinct().Order()
        : Enumerable.Range(0, 7).Select(Monday.PlusDays);

    public IEnumerable<ManagerAppointment> On(LocalDate day) => Appointments.Where(a => a.Appointment.Start.Date == day);

    /// <summary>When the user's calendar link was created (null: none).</summary>
    public Instant? FeedSince { get; init; }

    /// <summary>The new link, shown once right after it was created.</summary>
    public string? NewFeedUrl { get; init; }

    public static string DayName(LocalDate day) => day.DayOfWeek switch
    {
        IsoDayOfWeek.Monday => "Montag",
        IsoDayOfWeek.Tuesday => "Dienstag",
        IsoDayOfWeek.Wednesday => "Mittwoch",
        IsoDayOfWeek.Thursday => "Donnerstag",
        IsoDayOfWeek.Friday => "Freitag",
        IsoDayOfWeek.Saturday => "Samstag",
        _ => "Sonntag",
    };
}

[Authorize(Roles = Roles.Manager)]
[Route("termine")]
public sealed class MyAppointmentsController(IMediator mediator, IClock clock, CalendarFeeds feeds, ICurrentUser user) : Controller
{
    private const string NewFeedKey = "NewCalendarFeed";

    /// <summary>The week of <paramref name="woche"/> (any day of it; default this week); <paramref name="ansicht"/> = liste for the list.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index(string? woche, string? ansicht, CancellationToken ct)
    {
        var today = Time.Today(clock);
        var day = NodaTime.Text.LocalDatePattern.Iso.Parse(woche ?? "") is { Success: true } parsed && DateRange.Filter.Contains(parsed.Value) ? parsed.Value : today;
        var monday = day.PlusDays(-((int)day.DayOfWeek - 1));
        var list = string.Equals(ansicht, "liste", StringComparison.Ordinal);
        var last = list ? monday.PlusWeeks(MyAppointmentsPage.ListWeeks).PlusDays(-1) : monday.PlusDays(6);
        var found = await mediator.Send(new ListMyAppointments(monday, last), ct);
        return View(new MyAppointmentsPage(monday, list, found.Value ?? [], today, this.Confirmation())
        {
            FeedSince = await feeds.CreatedAtAsync(user.UserId, ct),
            NewFeedUrl = TempData[NewFeedKey] as string,
        });
    }

    /// <summary>A new calendar link; the old one stops working.</summary>
    [HttpPost("kalender-link")]
    public async Task<IActionResult> RenewFeed(CancellationToken ct)
    {
        var token = await feeds.RenewAsync(user.UserId, user.OrganisationId, ct);
        TempData[NewFeedKey] = Url.Action(nameof(CalendarFeedController.Feed), "CalendarFeed", new { token }, Request.Scheme, Request.Host.Value);
        return this.Confirmed("Ein neuer Kalender-Link ist erzeugt; der bisherige funktioniert nicht mehr.", nameof(Index));
    }

    [HttpPost("kalender-link/widerrufen")]
    public async Task<IActionResult> RevokeFeed(CancellationToken ct)
    {
        await feeds.RevokeAsync(user.UserId, ct);
        return this.Confirmed("Der Kalender-Link ist widerrufen.", nameof(Index));
    }
}

/// <summary>
/// The personal calendar feed (iCalendar) under its secret link — no sign-in: the token is the key. Unknown,
/// revoked, malformed, or the account is no longer an active manager: 404. Names case numbers and places only.
/// </summary>
[AllowAnonymous]
public sealed class CalendarFeedController(CalendarFeeds feeds, IDocumentStore store, AppDbContext db, IClock clock) : Controller
{
    [HttpGet("/kalender/{token}.ics")]
    public async Task<IActionResult> Feed(string token, CancellationToken ct)
    {
        var owner = await feeds.OwnerAsync(token, ct);
        if (owner is not var (userId, organisationId) || !await ManagerTeams.IsActiveManager(db, organisationId, userId, ct))
        {
            return NotFound();
        }

        await using var session = store.QuerySession(TenantIds.For(organisationId));
        var ics = await CalendarFeedContent.ForManagerAsync(session, userId, Time.Today(clock), ct);
        return File(System.Text.Encoding.UTF8.GetBytes(ics), "text/calendar; charset=utf-8");
    }
}
