using System.Text.Json;
using System.Text.Json.Serialization;
using CaseManagement.Clients;
using CaseManagement.Common;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Clients;

/// <summary>Enum values in camelCase ("female"), for the fields whose contract says so.</summary>
public sealed class CamelCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase)
    where T : struct, Enum;

public sealed record HousingInput(HousingType? Type, LocalDate? Since);

public sealed record ResidenceStatusInput(ResidenceKind? Kind, LocalDate? ValidUntil);

/// <summary>Intake of a client (fixed API contract; extend, do not rename).</summary>
public sealed record CreateClientRequest(
    string? FirstName,
    string? LastName,
    LocalDate? BirthDate,
    [property: JsonConverter(typeof(CamelCaseEnumConverter<Gender>))] Gender? Gender,
    string? Nationality,
    IReadOnlyList<string>? Languages,
    string? InterpreterLanguage,
    LocalDate? SupportStart,
    HousingInput? Housing,
    ResidenceStatusInput? ResidenceStatus,
    Guid? ManagerId,
    bool ConfirmPossibleDuplicate = false);

public sealed record NoteInput(string? Note);

public sealed record GoalInput(FieldOfAction? Field, string? Text, LocalDate? AgreedOn, LocalDate? TargetDate, LocalDate? NextReview);

public sealed record ConsultationInput(
    LocalDate? Date, int? DurationMinutes, ConsultationMode? Mode, IReadOnlyList<FieldOfAction>? Fields, string? InterpreterLanguage, string? Note);

public sealed record SignatureInput(LocalDate? SignedOn);

public sealed record StepInput(string? Text, StepResponsible? Responsible, string? Service, LocalDate? DueDate);

public sealed record StepDoneInput(LocalDate? CompletedOn);

public sealed record ReviewInput(LocalDate? Date, string? Summary, LocalDate? NextReview, IReadOnlyList<GoalReview>? Goals);

public sealed record GoalStatusInput(GoalStatus? Status, string? Reason);

public sealed record CreatedGoalResponse(Guid GoalId, long Version);

public sealed record CloseInput(ClosingReason? Reason, LocalDate? ClosedOn, string? Note);

public sealed record JustificationInput(string? Justification);

public sealed record EligibilityResponse(EligibilityVerdict Verdict, IReadOnlyList<string> Reasons);

public sealed record SupportPeriodResponse(LocalDate Start, LocalDate End, bool ExtensionPending);

public sealed record CreatedClientResponse(Guid Id, string CaseNumber, long Version, EligibilityResponse Eligibility);

public sealed record ClientResponse(
    Guid Id,
    string CaseNumber,
    long Version,
    string FirstName,
    string LastName,
    LocalDate BirthDate,
    string? Nationality,
    CaseStatus Status,
    HousingType Housing,
    ResidenceKind Residence,
    LocalDate? ResidenceValidUntil,
    EligibilityResponse Eligibility,
    bool IndividualDecisionPending,
    SupportPeriodResponse SupportPeriod,
    IReadOnlyList<GoalView> Goals,
    IReadOnlyList<ConsultationView> Consultations,
    LocalDate? LastContact,
    LocalDate? PlanSignedOn,
    LocalDate? LastReviewOn,
    LocalDate? NextReviewOn);

public sealed record ClientListItem(Guid Id, string CaseNumber, string FirstName, string LastName, CaseStatus Status, EligibilityVerdict Verdict, LocalDate SupportEnd);

[Route("api/v1/clients")]
public sealed class ClientsApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>Registers a client and opens the case; the eligibility check runs at once.</summary>
    [HttpPost("")]
    [ProducesResponseType<CreatedClientResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Create(CreateClientRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await mediator.Send(new OpenCase(
            request.FirstName, request.LastName, request.BirthDate, request.Gender, request.Nationality, request.Languages,
            request.InterpreterLanguage, request.Housing?.Type, request.Housing?.Since, request.ResidenceStatus?.Kind,
            request.ResidenceStatus?.ValidUntil, request.SupportStart, request.ManagerId, request.ConfirmPossibleDuplicate), ct);
        if (!outcome.Succeeded)
        {
            return InputProblem(outcome.Errors, IntakeFieldNames);
        }

        var opened = outcome.Value!;
        var summary = await mediator.Send(new GetCase(opened.CaseId), ct);
        Response.Headers.ETag = ETag(opened.Version);
        return CreatedAtAction(nameof(Get), new { id = opened.CaseId },
            new CreatedClientResponse(opened.CaseId, opened.CaseNumber, opened.Version, new EligibilityResponse(summary.Verdict, summary.EligibilityReasons)));
    }

    /// <summary>
    /// The own caseload ("Meine Fälle"), filtered by name/case number, status, eligibility and overdue reviews;
    /// 25 per page, the total in <c>X-Total-Count</c>.
    /// </summary>
    [HttpGet("")]
    [ProducesResponseType<IReadOnlyList<ClientListItem>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<ClientListItem>> List(
        string? search, CaseStatus? status, EligibilityVerdict? eligibility, bool overdue = false, int page = 1, CancellationToken ct = default)
    {
        var list = await mediator.Send(new ListMyCases(search, status, eligibility, overdue, page), ct);
        Response.Headers["X-Total-Count"] = list.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return list.Items.Select(c => new ClientListItem(c.Id, c.CaseNumber, c.FirstName, c.LastName, c.Status, c.Verdict, c.SupportEnd)).ToList();
    }

    /// <summary>One case: eligibility with reasons, support period, goals; the version is also the ETag.</summary>
    [HttpGet("{id:guid}")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ClientResponse> Get(Guid id, CancellationToken ct)
    {
        var c = await mediator.Send(new GetCase(id), ct);
        Response.Headers.ETag = ETag(c.Version);
        return new ClientResponse(
            c.Id, c.CaseNumber, c.Version, c.FirstName, c.LastName, c.BirthDate, c.Nationality, c.Status, c.Housing, c.Residence,
            c.ResidenceValidUntil, new EligibilityResponse(c.Verdict, c.EligibilityReasons), c.IndividualDecisionPending,
            new SupportPeriodResponse(c.SupportStart, c.SupportEnd, c.ExtensionPending), c.Goals, c.Consultations, c.LastContact, c.PlanSignedOn, c.LastReviewOn, c.NextReviewOn);
    }

    /// <summary>Every change of the case with moment and author, newest first.</summary>
    [HttpGet("{id:guid}/history")]
    [ProducesResponseType<IReadOnlyList<TimelineEntry>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IReadOnlyList<TimelineEntry>> History(Guid id, CancellationToken ct) =>
        await mediator.Send(new GetCaseTimeline(id), ct);

    /// <summary>New housing (<c>{"type","since"}</c>); requires <c>If-Match</c> with the version from GET.</summary>
    [HttpPost("{id:guid}/housing")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status428PreconditionRequired)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ChangeHousing(Guid id, HousingInput request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Versioned(id, v => new ChangeHousing(id, v, request.Type, request.Since), ct);
    }

    /// <summary>New residence status (<c>{"kind","validUntil"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/residence-status")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status428PreconditionRequired)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ChangeResidenceStatus(Guid id, ResidenceStatusInput request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await Versioned(id, v => new ChangeResidenceStatus(id, v, request.Kind, request.ValidUntil), ct);
    }

    /// <summary>Agrees a goal (<c>{"field","text","agreedOn","targetDate","nextReview"}</c>); requires <c>If-Match</c>; returns the goal id.</summary>
    [HttpPost("{id:guid}/goals")]
    [ProducesResponseType<CreatedGoalResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> AgreeGoal(Guid id, GoalInput request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IfMatchVersion() is not { } version)
        {
            return VersionRequired();
        }

        var goalId = Guid.CreateVersion7();
        var outcome = await mediator.Send(new AgreeGoal(id, version, goalId, request.Field, request.Text, request.AgreedOn, request.TargetDate, request.NextReview), ct);
        if (!outcome.Succeeded)
        {
            return await Changed(id, outcome, ct);
        }

        Response.Headers.ETag = ETag(outcome.Value!.Version);
        return CreatedAtAction(nameof(Get), new { id }, new CreatedGoalResponse(goalId, outcome.Value.Version));
    }

    /// <summary>Moves a goal on (<c>{"status","reason"}</c>); invalid transitions are refused with a German message.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/status")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ChangeGoalStatus(Guid id, Guid goalId, GoalStatusInput request, CancellationToken ct) =>
        await Versioned(id, v => new ChangeGoalStatus(id, v, goalId, request?.Status, request?.Reason), ct);

    /// <summary>Records a consultation (Beratungskontakt); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/consultations")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> RecordConsultation(Guid id, ConsultationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordConsultation(id, v, request?.Date, request?.DurationMinutes, request?.Mode, request?.Fields,
                request?.InterpreterLanguage, request?.Note), ct);

    /// <summary>Fortschreibung: date, summary, next review and per open goal continue / change / close; requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/reviews")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Review(Guid id, ReviewInput request, CancellationToken ct) =>
        await Versioned(id, v => new ReviewPlan(id, v, request?.Date, request?.Summary, request?.Goals, request?.NextReview), ct);

    /// <summary>Records the day the client signed the printed plan (<c>{"signedOn"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/plan-signature")]
    public async Task<IActionResult> RecordPlanSignature(Guid id, SignatureInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordPlanSignature(id, v, request?.SignedOn), ct);

    /// <summary>Plans a step towards a goal (<c>{"text","responsible","service","dueDate"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/steps")]
    public async Task<IActionResult> PlanStep(Guid id, Guid goalId, StepInput request, CancellationToken ct) =>
        await Versioned(id, v => new PlanStep(id, v, goalId, request?.Text, request?.Responsible, request?.Service, request?.DueDate), ct);

    /// <summary>Ticks a step off (<c>{"completedOn"}</c>, default today); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/steps/{stepId:guid}/done")]
    public async Task<IActionResult> CompleteStep(Guid id, Guid goalId, Guid stepId, StepDoneInput request, CancellationToken ct) =>
        await Versioned(id, v => new CompleteStep(id, v, goalId, stepId, request?.CompletedOn), ct);

    /// <summary>Lifecycle and requests to the team lead; every call requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/pause")]
    public async Task<IActionResult> Pause(Guid id, NoteInput request, CancellationToken ct) =>
        await Versioned(id, v => new PauseCase(id, v, request?.Note), ct);

    [HttpPost("{id:guid}/resume")]
    public async Task<IActionResult> Resume(Guid id, CancellationToken ct) =>
        await Versioned(id, v => new ResumeCase(id, v), ct);

    [HttpPost("{id:guid}/close")]
    public async Task<IActionResult> Close(Guid id, CloseInput request, CancellationToken ct) =>
        await Versioned(id, v => new CloseCase(id, v, request?.Reason, request?.ClosedOn, request?.Note), ct);

    [HttpPost("{id:guid}/reopen")]
    public async Task<IActionResult> Reopen(Guid id, NoteInput request, CancellationToken ct) =>
        await Versioned(id, v => new ReopenCase(id, v, request?.Note), ct);

    [HttpPost("{id:guid}/individual-decision")]
    public async Task<IActionResult> RequestDecision(Guid id, JustificationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RequestIndividualDecision(id, v, request?.Justification), ct);

    [HttpPost("{id:guid}/support-extension")]
    public async Task<IActionResult> RequestExtension(Guid id, JustificationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RequestSupportExtension(id, v, request?.Justification), ct);

    /// <summary>Runs a change of an existing case at the version of <c>If-Match</c> (428 without it).</summary>
    private async Task<IActionResult> Versioned(Guid id, Func<long, ICommand<Outcome<CaseChanged>>> command, CancellationToken ct) =>
        IfMatchVersion() is not { } version ? VersionRequired() : await Changed(id, await mediator.Send(command(version), ct), ct);

    private long? IfMatchVersion()
    {
        var header = Request.Headers.IfMatch.ToString().Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    private ObjectResult VersionRequired() => Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "Versionsangabe fehlt.",
        detail: "Bitte die Version des Falls im If-Match-Header mitsenden (das ETag aus GET /api/v1/clients/{id}).");

    private async Task<IActionResult> Changed(Guid id, Outcome<CaseChanged> outcome, CancellationToken ct)
    {
        if (outcome.Errors.FirstOrDefault(e => e.Field == CaseWriter.StaleField) is { } stale)
        {
            return Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Jemand anderes hat diese Daten inzwischen geändert.", detail: stale.Message);
        }

        if (!outcome.Succeeded)
        {
            return InputProblem(outcome.Errors, new Dictionary<string, string>());
        }

        return Ok(await Get(id, ct));
    }

    private static readonly IReadOnlyDictionary<string, string> IntakeFieldNames = new Dictionary<string, string>
    {
        [nameof(OpenCase.HousingType)] = "housing.type",
        [nameof(OpenCase.HousingSince)] = "housing.since",
        [nameof(OpenCase.ResidenceKind)] = "residenceStatus.kind",
        [nameof(OpenCase.ResidenceValidUntil)] = "residenceStatus.validUntil",
    };

    private static string ETag(long version) => $"\"{version}\"";

    /// <summary>422 with the German message of every field, keyed by the JSON field name.</summary>
    private UnprocessableEntityObjectResult InputProblem(IEnumerable<InputError> errors, IReadOnlyDictionary<string, string> fieldNames)
    {
        var byField = errors
            .GroupBy(e => fieldNames.TryGetValue(e.Field, out var name) ? name : JsonNamingPolicy.CamelCase.ConvertName(e.Field))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        return UnprocessableEntity(new ValidationProblemDetails(byField)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Die Eingaben sind unvollständig oder ungültig.",
            Detail = "Es wurde nichts gespeichert.",
        });
    }
}
