using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Appointments;

/// <summary>
/// A new or moved appointment: <c>start</c> as local time in Europe/Berlin (<c>YYYY-MM-DDTHH:mm</c>), duration in minutes
/// (5–480), place (<c>Office</c>, <c>HomeVisit</c>, <c>Phone</c>, <c>Video</c>, <c>OtherService</c>), interpreter needed, note.
/// </summary>
public sealed record AppointmentInput(string? Start, int? DurationMinutes, AppointmentPlace? Place, bool? InterpreterNeeded, string? Note);

public sealed record AppointmentOutcomeInput(AppointmentOutcome? Outcome);

/// <summary>The new appointment's id and the case's new version (also the <c>ETag</c>).</summary>
public sealed record CreatedAppointmentResponse(Guid Id, long Version);

/// <summary>An appointment as the API shows it; <c>start</c> and <c>end</c> are local times in Europe/Berlin.</summary>
public sealed record AppointmentResponse(
    Guid Id, Guid ClientId, string CaseNumber, string Start, string End, int DurationMinutes, AppointmentPlace Place, bool InterpreterNeeded, string? Note,
    AppointmentStatus Status)
{
    public static AppointmentResponse From(Guid clientId, string caseNumber, AppointmentView a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, clientId, caseNumber, Dates.Input(a.Start), Dates.Input(a.End), a.DurationMinutes, a.Place, a.InterpreterNeeded, a.Note, a.Status);
    }
}

/// <summary>Appointments (Termine): per case, and the signed-in manager's own.</summary>
[Route("api/v1")]
[Tags("Appointments")]
public sealed class AppointmentsApiController(IMediator mediator) : CaseApiControllerBase(mediator)
{
    /// <summary>Plans an appointment with the client; requires <c>If-Match</c>; 201 with the appointment's id.</summary>
    [HttpPost("clients/{id:guid}/appointments")]
    [Idempotent]
    [ProducesResponseType<CreatedAppointmentResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ScheduleAppointment(Guid id, AppointmentInput request, CancellationToken ct)
    {
        if (IfMatchVersion() is not { } version)
        {
            return VersionRequired();
        }

        var appointmentId = Guid.CreateVersion7();
        var outcome = await Mediator.Send(new ScheduleAppointment(id, version, appointmentId, Dates.ParseMoment(request?.Start), request?.DurationMinutes,
            request?.Place, request?.InterpreterNeeded ?? false, request?.Note), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        Response.Headers.ETag = ETag(outcome.Value!.Version);
        return CreatedAtAction(nameof(GetAppointment), new { id, appointmentId }, new CreatedAppointmentResponse(appointmentId, outcome.Value.Version));
    }

    /// <summary>The appointments of a case, earliest first.</summary>
    [HttpGet("clients/{id:guid}/appointments")]
    [ProducesResponseType<IReadOnlyList<AppointmentResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IReadOnlyList<AppointmentResponse>> GetCaseAppointments(Guid id, CancellationToken ct)
    {
        var c = await Mediator.Send(new GetCase(id, "Termine"), ct);
        return (await Mediator.Send(new GetCaseAppointments(id), ct)).Select(a => AppointmentResponse.From(id, c.CaseNumber, a)).ToList();
    }

    /// <summary>One appointment of a case.</summary>
    [HttpGet("clients/{id:guid}/appointments/{appointmentId:guid}")]
    [ProducesResponseType<AppointmentResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> GetAppointment(Guid id, Guid appointmentId, CancellationToken ct)
    {
        var found = (await GetCaseAppointments(id, ct)).FirstOrDefault(a => a.Id == appointmentId);
        return found is null ? NotFound() : Ok(found);
    }

    /// <summary>Moves a planned appointment (all fields again, as for planning); requires <c>If-Match</c>.</summary>
    [HttpPost("clients/{id:guid}/appointments/{appointmentId:guid}")]
    [ProducesResponseType<CaseChangeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ChangeAppointment(Guid id, Guid appointmentId, AppointmentInput request, CancellationToken ct) =>
        await Versioned(id, v => new ChangeAppointment(id, v, appointmentId, Dates.ParseMoment(request?.Start), request?.DurationMinutes,
            request?.Place, request?.InterpreterNeeded ?? false, request?.Note), ct);

    /// <summary>Cancels a planned appointment; requires <c>If-Match</c>.</summary>
    [HttpPost("clients/{id:guid}/appointments/{appointmentId:guid}/cancel")]
    [ProducesResponseType<CaseChangeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> CancelAppointment(Guid id, Guid appointmentId, CancellationToken ct) =>
        await Versioned(id, v => new CancelAppointment(id, v, appointmentId), ct);

    /// <summary>
    /// Records after its start whether the appointment took place (<c>{"outcome":"TookPlace"}</c>: it is recorded as a
    /// consultation and counts in the funding report) or was missed (<c>Missed</c>: not counted).
    /// </summary>
    [HttpPost("clients/{id:guid}/appointments/{appointmentId:guid}/outcome")]
    [ProducesResponseType<CaseChangeResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> RecordAppointmentOutcome(Guid id, Guid appointmentId, AppointmentOutcomeInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordAppointmentOutcome(id, v, appointmentId, request?.Outcome), ct);

    /// <summary>The signed-in manager's appointments between two days (inclusive, at most 366 days), not cancelled.</summary>
    [HttpGet("appointments")]
    [ProducesResponseType<IReadOnlyList<AppointmentResponse>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetMyAppointments(LocalDate? from, LocalDate? to, CancellationToken ct)
    {
        var outcome = await Mediator.Send(new ListMyAppointments(from, to), ct);
        return outcome.Succeeded
            ? Ok(outcome.Value!.Select(a => AppointmentResponse.From(a.CaseId, a.CaseNumber, a.Appointment)).ToList())
            : OutcomeProblem(outcome);
    }
}
