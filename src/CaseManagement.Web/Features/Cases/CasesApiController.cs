using System.Text.Json;
using System.Text.Json.Serialization;
using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Clients;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

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

public sealed record NoteInput(string? Note);

public sealed record CloseInput(ClosingReason? Reason, LocalDate? ClosedOn, string? Note);

public sealed record JustificationInput(string? Justification);

public sealed record CreatedClientResponse(Guid Id, string CaseNumber, long Version, EligibilityResponse Eligibility);

public sealed record ClientListItem(Guid Id, string CaseNumber, string FirstName, string LastName, CaseStatus Status, EligibilityVerdict Verdict, LocalDate SupportEnd);

/// <summary>
/// Cases (<c>/api/v1/clients</c>): intake, the own caseload, the case file and its history, the situation
/// (housing, residence, contact, consent, household) and the lifecycle with its requests to the team lead.
/// </summary>
[Route("api/v1/clients")]
public sealed class CasesApiController(IMediator mediator) : CaseApiControllerBase(mediator)
{
    /// <summary>Registers a client and opens the case; the eligibility check runs at once.</summary>
    [HttpPost("")]
    [ProducesResponseType<CreatedClientResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> CreateCase(CreateClientRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var outcome = await Mediator.Send(new OpenCase(
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
        Response.Headers.ETag = ETag(opened.Version);
        // Stored: if the database is gone before the answer is read, 201 with id and version (the case file follows with GET).
        return await ReadAfterCommit(() => Mediator.Send(new GetCase(opened.CaseId), ct).AsTask()) is { } summary
            ? CreatedAtAction(nameof(GetCase), new { id = opened.CaseId },
                new CreatedClientResponse(opened.CaseId, opened.CaseNumber, opened.Version, new EligibilityResponse(summary.Verdict, summary.EligibilityReasons)))
            : CreatedAtAction(nameof(GetCase), new { id = opened.CaseId }, new CaseChangeResponse(opened.CaseId, opened.Version));
    }

    /// <summary>
    /// The own caseload ("Meine Fälle"), filtered by name/case number, status, eligibility and overdue reviews;
    /// 25 per page, the total in <c>X-Total-Count</c>.
    /// </summary>
    [HttpGet("")]
    [Paged]
    [ProducesResponseType<IReadOnlyList<ClientListItem>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<ClientListItem>> ListCases(
        string? search, CaseStatus? status, EligibilityVerdict? eligibility, bool overdue = false, int page = 1, CancellationToken ct = default)
    {
        var list = await Mediator.Send(new ListMyCases(search, status, eligibility, overdue, page), ct);
        Response.Headers[OpenApiContract.TotalCountHeader] = list.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return list.Items.Select(c => new ClientListItem(c.Id, c.CaseNumber, c.FirstName, c.LastName, c.Status, c.Verdict, c.SupportEnd)).ToList();
    }

    /// <summary>One case: eligibility with reasons, support period, goals; the version is also the ETag.</summary>
    [HttpGet("{id:guid}")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<ClientResponse> GetCase(Guid id, CancellationToken ct) => await CaseFile(id, ct);

    /// <summary>Every change of the case with moment and author, newest first.</summary>
    [HttpGet("{id:guid}/history")]
    [ProducesResponseType<IReadOnlyList<TimelineEntry>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IReadOnlyList<TimelineEntry>> GetCaseHistory(Guid id, CancellationToken ct) =>
        await Mediator.Send(new GetCaseTimeline(id), ct);

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

    /// <summary>Pauses the case (<c>{"note"}</c>); reminders rest until it resumes; requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/pause")]
    public async Task<IActionResult> PauseCase(Guid id, NoteInput request, CancellationToken ct) =>
        await Versioned(id, v => new PauseCase(id, v, request?.Note), ct);

    /// <summary>Resumes a paused case; requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/resume")]
    public async Task<IActionResult> ResumeCase(Guid id, CancellationToken ct) =>
        await Versioned(id, v => new ResumeCase(id, v), ct);

    /// <summary>Closes the case (<c>{"reason","closedOn","note"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/close")]
    public async Task<IActionResult> CloseCase(Guid id, CloseInput request, CancellationToken ct) =>
        await Versioned(id, v => new CloseCase(id, v, request?.Reason, request?.ClosedOn, request?.Note), ct);

    /// <summary>Reopens a closed case (<c>{"note"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/reopen")]
    public async Task<IActionResult> ReopenCase(Guid id, NoteInput request, CancellationToken ct) =>
        await Versioned(id, v => new ReopenCase(id, v, request?.Note), ct);

    /// <summary>Asks the team lead for an individual decision on eligibility (<c>{"justification"}</c>, 20–4,000 characters); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/individual-decision")]
    public async Task<IActionResult> RequestIndividualDecision(Guid id, JustificationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RequestIndividualDecision(id, v, request?.Justification), ct);

    /// <summary>Asks the team lead to extend the support period (<c>{"justification"}</c>, 20–4,000 characters); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/support-extension")]
    public async Task<IActionResult> RequestSupportExtension(Guid id, JustificationInput request, CancellationToken ct) =>
        await Versioned(id, v => new RequestSupportExtension(id, v, request?.Justification), ct);

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
}
