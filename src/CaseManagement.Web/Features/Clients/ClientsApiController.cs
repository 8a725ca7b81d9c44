using System.Text.Json;
using System.Text.Json.Serialization;
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
    bool ConfirmPossibleDuplicate = false,
    LocalDate? ArrivedOn = null,
    ContactInput? Contact = null,
    ConsentInput? Consent = null);

public sealed record ContactInput(string? Phone, string? Email, string? Street, string? PostalCode, string? City);

public sealed record ConsentInput(LocalDate? GivenOn, IReadOnlyList<ConsentScope>? Scopes, string? FormVersion);

public sealed record ConsentWithdrawalInput(LocalDate? WithdrawnOn, IReadOnlyList<ConsentScope>? Scopes);

public sealed record HouseholdLinkInput(string? MemberCaseNumber, HouseholdRelation? Relation);

public sealed record ProfileInput(
    string? Qualifications, string? Competences, int? SchoolYears, string? SchoolCertificate, string? SchoolCountry, string? VocationalDegree, string? WorkExperience);

public sealed record LanguageLevelInput(string? Language, CefrLevel? Level, LevelBasis? Basis, string? Certificate, LocalDate? AssessedOn);

public sealed record DevelopmentInput(LocalDate? Date, string? Text);

public sealed record ApprovalDecisionInput(
    [property: JsonConverter(typeof(CamelCaseEnumConverter<ApprovalDecision>))] ApprovalDecision? Decision, string? Comment);

public sealed record ReassignInput(IReadOnlyList<Guid>? CaseIds, Guid? ToManagerId, string? Note);

/// <summary>Cases moved within the team at once, or handed to another team's lead for acceptance (transferId).</summary>
public sealed record ReassignedResponse(int Reassigned, int TransferRequested, Guid? TransferId);

public sealed record TransferDecisionResponse(Guid TransferId, bool Accepted, int Cases);

public sealed record ReferralInput(RegularService? Service, string? ServiceName, LocalDate? Date, Guid? GoalId, string? Note);

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

/// <summary>What a change did: the case and its new version (also the <c>ETag</c>).</summary>
public sealed record CaseChangeResponse(Guid Id, long Version);

public sealed record CloseInput(ClosingReason? Reason, LocalDate? ClosedOn, string? Note);

public sealed record JustificationInput(string? Justification);

public sealed record EligibilityResponse(EligibilityVerdict Verdict, IReadOnlyList<string> Reasons);

public sealed record SupportPeriodResponse(LocalDate Start, LocalDate End, bool ExtensionPending);

public sealed record CreatedClientResponse(Guid Id, string CaseNumber, long Version, EligibilityResponse Eligibility);

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
            request.ResidenceStatus?.ValidUntil, request.SupportStart, request.ManagerId, request.ConfirmPossibleDuplicate)
        {
            ArrivedOn = request.ArrivedOn,
            Phone = request.Contact?.Phone,
            Email = request.Contact?.Email,
            Street = request.Contact?.Street,
            PostalCode = request.Contact?.PostalCode,
            City = request.Contact?.City,
            ConsentGivenOn = request.Consent?.GivenOn,
            ConsentScopes = request.Consent?.Scopes,
            ConsentFormVersion = request.Consent?.FormVersion,
        }, ct);
        if (!outcome.Succeeded)
        {
            // A probable duplicate (also when parallel intakes raced) is 409 "possible-duplicate" pointing to the case.
            return OutcomeProblem(outcome, IntakeFieldNames);
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
        return ClientResponseMapper.ToResponse(c);
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
            return OutcomeProblem(outcome);
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

    /// <summary>Contact details and address (<c>{"phone","email","street","postalCode","city"}</c>; empty fields clear); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/contact")]
    public async Task<IActionResult> ChangeContact(Guid id, ContactInput request, CancellationToken ct) =>
        await Versioned(id, v => new ChangeContactDetails(id, v, request?.Phone, request?.Email, request?.Street, request?.PostalCode, request?.City), ct);

    /// <summary>Consent given or renewed (<c>{"givenOn","scopes","formVersion"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/consent")]
    public async Task<IActionResult> RecordConsent(Guid id, ConsentInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordConsent(id, v, request?.GivenOn, request?.Scopes, request?.FormVersion), ct);

    /// <summary>
    /// The client withdrew consent (<c>{"withdrawnOn","scopes"}</c>); withdrawing "Counselling" makes the case read-only
    /// until new consent is recorded; requires <c>If-Match</c>.
    /// </summary>
    [HttpPost("{id:guid}/consent/withdrawal")]
    public async Task<IActionResult> WithdrawConsent(Guid id, ConsentWithdrawalInput request, CancellationToken ct) =>
        await Versioned(id, v => new CaseManagement.DataProtection.WithdrawConsent(id, v, request?.WithdrawnOn, request?.Scopes), ct);

    /// <summary>Links a household member's case by its number (<c>{"memberCaseNumber","relation"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/household")]
    public async Task<IActionResult> LinkHouseholdMember(Guid id, HouseholdLinkInput request, CancellationToken ct) =>
        await Versioned(id, v => new LinkHouseholdMember(id, v, request?.MemberCaseNumber, request?.Relation), ct);

    /// <summary>Removes a household link on both sides; requires <c>If-Match</c>.</summary>
    [HttpDelete("{id:guid}/household/{memberCaseId:guid}")]
    public async Task<IActionResult> UnlinkHouseholdMember(Guid id, Guid memberCaseId, CancellationToken ct) =>
        await Versioned(id, v => new UnlinkHouseholdMember(id, v, memberCaseId), ct);

    /// <summary>The profile part of the plan as a whole (qualifications, schooling, vocational degree, work experience); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/profile")]
    public async Task<IActionResult> UpdateProfile(Guid id, ProfileInput request, CancellationToken ct) =>
        await Versioned(id, v => new UpdateProfile(id, v, request?.Qualifications, request?.Competences, request?.SchoolYears, request?.SchoolCertificate,
            request?.SchoolCountry, request?.VocationalDegree, request?.WorkExperience), ct);

    /// <summary>A language level (<c>{"language","level":"A1…C2","basis":"Certificate|Estimate","certificate","assessedOn"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/language-levels")]
    public async Task<IActionResult> AssessLanguageLevel(Guid id, LanguageLevelInput request, CancellationToken ct) =>
        await Versioned(id, v => new AssessLanguageLevel(id, v, request?.Language, request?.Level, request?.Basis, request?.Certificate, request?.AssessedOn), ct);

    /// <summary>An individual development (<c>{"date","text"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/developments")]
    public async Task<IActionResult> NoteDevelopment(Guid id, DevelopmentInput request, CancellationToken ct) =>
        await Versioned(id, v => new NoteDevelopment(id, v, request?.Date, request?.Text), ct);

    /// <summary>A referral to a regular service (<c>{"service","serviceName","date","goalId","note"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/referrals")]
    public async Task<IActionResult> MakeReferral(Guid id, ReferralInput request, CancellationToken ct) =>
        await Versioned(id, v => new MakeReferral(id, v, request?.Service, request?.ServiceName, request?.Date, request?.GoalId, request?.Note), ct);

    /// <summary>
    /// Team leads: move cases of the own team to another active manager (<c>{"caseIds":[…],"toManagerId","note"}</c>) —
    /// of the own team at once, of another team as a transfer request that team's lead accepts in the approvals;
    /// all or none; 412 when a case changed meanwhile.
    /// </summary>
    [HttpPost("reassign")]
    [ProducesResponseType<ReassignedResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> Reassign(ReassignInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ReassignCases(request?.CaseIds, request?.ToManagerId, request?.Note), ct);
        return outcome.Succeeded
            ? Ok(new ReassignedResponse(outcome.Value!.Reassigned, outcome.Value.TransferRequested, outcome.Value.TransferId))
            : OutcomeProblem(outcome);
    }

    /// <summary>Team leads: the dashboard figures per manager and for the team, and goal outcomes per field of action (last 12 months).</summary>
    [HttpGet("/api/v1/teams/{teamId:guid}/dashboard")]
    [ProducesResponseType<TeamDashboardView>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<TeamDashboardView> Dashboard(Guid teamId, CancellationToken ct) => await mediator.Send(new GetTeamDashboard(teamId), ct);

    /// <summary>
    /// Team leads: the funding report (Verwendungsnachweis) for a period; without teamId/managerId the
    /// organisation in aggregate. JSON by default; <c>format=csv|xlsx</c> or an <c>Accept</c> header for files.
    /// </summary>
    [HttpGet("/api/v1/reports/funding")]
    [Produces("application/json", Reports.ReportFiles.CsvType, Reports.ReportFiles.XlsxType)]
    [ProducesResponseType<FundingReport>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> FundingReport(LocalDate? from, LocalDate? to, Guid? teamId, Guid? managerId, string? format, CancellationToken ct)
    {
        var outcome = await mediator.Send(new GetFundingReport(from, to, teamId, managerId), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var report = outcome.Value!;
        var accept = Request.Headers.Accept.ToString();
        if (format == "csv" || accept.Contains(Reports.ReportFiles.CsvType, StringComparison.OrdinalIgnoreCase))
        {
            return File(Reports.ReportFiles.Csv(report), Reports.ReportFiles.CsvType + "; charset=utf-8", Reports.ReportFiles.FileName(report, "csv"));
        }

        return format == "xlsx" || accept.Contains(Reports.ReportFiles.XlsxType, StringComparison.OrdinalIgnoreCase)
            ? File(Reports.ReportFiles.Xlsx(report), Reports.ReportFiles.XlsxType, Reports.ReportFiles.FileName(report, "xlsx"))
            : Ok(report);
    }

    /// <summary>Team leads: requests of the own team's managers waiting for a decision, oldest first.</summary>
    [HttpGet("/api/v1/approvals")]
    [ProducesResponseType<IReadOnlyList<PendingApproval>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status403Forbidden)]
    public async Task<IReadOnlyList<PendingApproval>> Approvals(CancellationToken ct) =>
        await mediator.Send(new ListPendingApprovals(), ct);

    /// <summary>Team leads: approve or reject a request (<c>{"decision":"approve|reject","comment"}</c>); returns the case.</summary>
    [HttpPost("/api/v1/approvals/{approvalId:guid}/decision")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> DecideApproval(Guid approvalId, ApprovalDecisionInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new DecideApproval(approvalId, request?.Decision, request?.Comment), ct);
        if (outcome.Value is { Kind: ApprovalKind.Transfer } transfer)
        {
            return Ok(new TransferDecisionResponse(approvalId, request?.Decision == ApprovalDecision.Approve, transfer.Cases));
        }

        return outcome.Succeeded
            ? await Changed(outcome.Value!.CaseId, Outcome<CaseChanged>.Success(new CaseChanged(outcome.Value.CaseId, outcome.Value.Version)), ct)
            : OutcomeProblem(outcome);
    }

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

    /// <summary>
    /// A change's answer: what changed (the case id and its new version, also as <c>ETag</c>); with
    /// <c>Prefer: return=representation</c> (RFC 7240) the whole case as GET returns it. Failures as <see cref="ApiControllerBase.OutcomeProblem{T}"/>.
    /// </summary>
    private async Task<IActionResult> Changed(Guid id, Outcome<CaseChanged> outcome, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        Response.Headers.ETag = ETag(outcome.Value!.Version);
        return WantsRepresentation() ? Ok(await Get(id, ct)) : Ok(new CaseChangeResponse(id, outcome.Value.Version));
    }

    private bool WantsRepresentation() =>
        Request.Headers["Prefer"].Any(p => p?.Contains("return=representation", StringComparison.OrdinalIgnoreCase) == true);

    private static readonly IReadOnlyDictionary<string, string> IntakeFieldNames = new Dictionary<string, string>
    {
        [nameof(OpenCase.HousingType)] = "housing.type",
        [nameof(OpenCase.HousingSince)] = "housing.since",
        [nameof(OpenCase.ResidenceKind)] = "residenceStatus.kind",
        [nameof(OpenCase.ResidenceValidUntil)] = "residenceStatus.validUntil",
        [nameof(OpenCase.Phone)] = "contact.phone",
        [nameof(OpenCase.Email)] = "contact.email",
        [nameof(OpenCase.Street)] = "contact.street",
        [nameof(OpenCase.PostalCode)] = "contact.postalCode",
        [nameof(OpenCase.City)] = "contact.city",
        ["ConsentGivenOn"] = "consent.givenOn",
        ["ConsentScopes"] = "consent.scopes",
        ["ConsentFormVersion"] = "consent.formVersion",
    };

    private static string ETag(long version) => $"\"{version}\"";
}
