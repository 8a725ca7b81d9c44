using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Appointments;

/// <summary>The appointment form on the case page (Termin planen or verlegen).</summary>
public sealed class AppointmentForm : VersionedForm
{
    /// <summary>Only when an appointment is moved.</summary>
    public Guid? AppointmentId { get; set; }

    /// <summary>As an <c>&lt;input type="datetime-local"&gt;</c> sends it: 2026-11-23T09:30.</summary>
    public string? Start { get; set; }

    public int? DurationMinutes { get; set; }

    public AppointmentPlace? Place { get; set; }

    public bool InterpreterNeeded { get; set; }

    public string? Note { get; set; }
}

/// <summary>Cancelling a planned appointment, or recording whether a past one took place.</summary>
public sealed class AppointmentStatusForm : VersionedForm
{
    public AppointmentOutcome? Outcome { get; set; }
}

/// <summary>The appointments (Termine) of a case, on the case page.</summary>
[Route("faelle")]
public sealed class AppointmentsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/termine")]
    public async Task<IActionResult> Schedule(Guid id, AppointmentForm form, CancellationToken ct) =>
        form.AppointmentId is { } existing
            ? await Change(id, new ChangeAppointment(id, form.Version, existing, Dates.ParseMoment(form.Start), form.DurationMinutes, form.Place,
                form.InterpreterNeeded, form.Note), "Der Termin ist verlegt.", new CasePlace(CaseTab.Appointments, "appointments-title"), ct, form)
            : await Change(id, new ScheduleAppointment(id, form.Version, Guid.CreateVersion7(), Dates.ParseMoment(form.Start), form.DurationMinutes, form.Place,
                form.InterpreterNeeded, form.Note), "Der Termin ist geplant.", new CasePlace(CaseTab.Appointments, "appointments-title"), ct, form);

    [HttpPost("{id:guid}/termine/{appointmentId:guid}/absagen")]
    public async Task<IActionResult> Cancel(Guid id, Guid appointmentId, AppointmentStatusForm form, CancellationToken ct) =>
        await Change(id, new CancelAppointment(id, form.Version, appointmentId), "Der Termin ist abgesagt.", new CasePlace(CaseTab.Appointments, "appointments-title"), ct, form);

    [HttpPost("{id:guid}/termine/{appointmentId:guid}/ergebnis")]
    public async Task<IActionResult> Outcome(Guid id, Guid appointmentId, AppointmentStatusForm form, CancellationToken ct) =>
        await Change(id, new RecordAppointmentOutcome(id, form.Version, appointmentId, form.Outcome),
            form.Outcome == AppointmentOutcome.Missed ? "Der Termin ist als versäumt vermerkt." : "Der Termin ist als wahrgenommen vermerkt und als Beratungskontakt erfasst.",
            new CasePlace(CaseTab.Appointments, "appointments-title"), ct, form);
}

/// <summary>What the appointments part of the case page shows.</summary>
public sealed record CaseAppointmentsSection(CaseSection Section, IReadOnlyList<AppointmentView> Appointments, LocalDateTime Now)
{
    public AppointmentView? Next => Appointments.Where(a => a.Status == AppointmentStatus.Scheduled && a.Start >= Now).MinBy(a => a.Start);

    /// <summary>Planned appointments whose start has passed: waiting to be marked as taken place or missed.</summary>
    public bool Open(AppointmentView a) => a is { Status: AppointmentStatus.Scheduled } && a.Start < Now;
}

/// <summary>The appointments part of the case page (one line in Show.cshtml): reads the case's appointments itself.</summary>
public sealed class CaseAppointmentsViewComponent(IMediator mediator, IClock clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CaseSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var appointments = await mediator.Send(new GetCaseAppointments(section.Case.Id), HttpContext.RequestAborted);
        return View("~/Features/Appointments/_CaseAppointments.cshtml",
            new CaseAppointmentsSection(section, appointments, clock.GetCurrentInstant().InZone(Time.Berlin).LocalDateTime));
    }
}
