using CaseManagement.Web.Features.Api;
using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Features.Clients;
using Mediator;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

public sealed record ProfileInput(
    string? Qualifications, string? Competences, int? SchoolYears, string? SchoolCertificate, string? SchoolCountry, string? VocationalDegree, string? WorkExperience);

public sealed record LanguageLevelInput(string? Language, CefrLevel? Level, LevelBasis? Basis, string? Certificate, LocalDate? AssessedOn);

public sealed record DevelopmentInput(LocalDate? Date, string? Text);

public sealed record ReferralInput(RegularService? Service, string? ServiceName, LocalDate? Date, Guid? GoalId, string? Note, Guid? OfferId = null);

public sealed record GoalInput(FieldOfAction? Field, string? Text, LocalDate? AgreedOn, LocalDate? TargetDate, LocalDate? NextReview, string? ClientSummary = null);

public sealed record SignatureInput(LocalDate? SignedOn);

public sealed record StepInput(string? Text, StepResponsible? Responsible, string? Service, LocalDate? DueDate);

public sealed record StepDoneInput(LocalDate? CompletedOn);

public sealed record ReviewInput(LocalDate? Date, string? Summary, LocalDate? NextReview, IReadOnlyList<GoalReview>? Goals);

public sealed record GoalStatusInput(GoalStatus? Status, string? Reason);

public sealed record CreatedGoalResponse(Guid GoalId, long Version);

/// <summary>
/// The Integrationsplan of a case (<c>/api/v1/clients/{id}/…</c>): profile, language levels, developments, goals and
/// their steps, referrals, reviews (Fortschreibung), the signature and the plan as PDF.
/// </summary>
[Route("api/v1/clients")]
public sealed class PlansApiController(IMediator mediator, IClock clock) : CaseApiControllerBase(mediator)
{
    /// <summary>Agrees a goal (<c>{"field","text","agreedOn","targetDate","nextReview"}</c>); requires <c>If-Match</c>; returns the goal id.</summary>
    [HttpPost("{id:guid}/goals")]
    [ProducesResponseType<CreatedGoalResponse>(StatusCodes.Status201Created)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    [Idempotent]
    public async Task<IActionResult> AddGoal(Guid id, GoalInput request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IfMatchVersion() is not { } version)
        {
            return VersionRequired();
        }

        var goalId = Guid.CreateVersion7();
        var outcome = await Mediator.Send(new AgreeGoal(id, version, goalId, request.Field, request.Text, request.AgreedOn, request.TargetDate, request.NextReview, request.ClientSummary), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        Response.Headers.ETag = ETag(outcome.Value!.Version);
        return CreatedAtAction(nameof(CasesApiController.GetCase), "CasesApi", new { id }, new CreatedGoalResponse(goalId, outcome.Value.Version));
    }

    /// <summary>Moves a goal on (<c>{"status","reason"}</c>); invalid transitions are refused with a German message.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/status")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ChangeGoalStatus(Guid id, Guid goalId, GoalStatusInput request, CancellationToken ct) =>
        await Versioned(id, v => new ChangeGoalStatus(id, v, goalId, request?.Status, request?.Reason), ct);

    /// <summary>Fortschreibung: date, summary, next review and per open goal continue / change / close; requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/reviews")]
    [ProducesResponseType<ClientResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status412PreconditionFailed)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ReviewPlan(Guid id, ReviewInput request, CancellationToken ct) =>
        await Versioned(id, v => new ReviewPlan(id, v, request?.Date, request?.Summary, request?.Goals, request?.NextReview), ct);

    /// <summary>Records the day the client signed the printed plan (<c>{"signedOn"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/plan-signature")]
    public async Task<IActionResult> RecordPlanSignature(Guid id, SignatureInput request, CancellationToken ct) =>
        await Versioned(id, v => new RecordPlanSignature(id, v, request?.SignedOn), ct);

    /// <summary>Plans a step towards a goal (<c>{"text","responsible","service","dueDate"}</c>); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/steps")]
    public async Task<IActionResult> AddStep(Guid id, Guid goalId, StepInput request, CancellationToken ct) =>
        await Versioned(id, v => new PlanStep(id, v, goalId, request?.Text, request?.Responsible, request?.Service, request?.DueDate), ct);

    /// <summary>Ticks a step off (<c>{"completedOn"}</c>, default today); requires <c>If-Match</c>.</summary>
    [HttpPost("{id:guid}/goals/{goalId:guid}/steps/{stepId:guid}/done")]
    public async Task<IActionResult> CompleteStep(Guid id, Guid goalId, Guid stepId, StepDoneInput request, CancellationToken ct) =>
        await Versioned(id, v => new CompleteStep(id, v, goalId, stepId, request?.CompletedOn), ct);

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

    /// <summary>
    /// A referral to a regular service (<c>{"service","serviceName","date","goalId","note","offerId"}</c>); with <c>offerId</c> (an offer of
    /// <c>GET /api/v1/offers</c>) service and name may be left out. Requires <c>If-Match</c>.
    /// </summary>
    [HttpPost("{id:guid}/referrals")]
    public async Task<IActionResult> MakeReferral(Guid id, ReferralInput request, CancellationToken ct) =>
        await Versioned(id, v => new MakeReferral(id, v, request?.Service, request?.ServiceName, request?.Date, request?.GoalId, request?.Note, request?.OfferId), ct);

    /// <summary>
    /// The Integrationsplan as an A4 PDF for the client's signature, every fixed text in German and in the client's
    /// language: <c>language</c> (ISO 639-1; <c>de</c> for German only; without it the case's first supported language).
    /// Another language answers 422 with the supported list. The file name carries the case number only.
    /// </summary>
    [HttpGet("{id:guid}/plan.pdf")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/pdf")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> GetPlanPdf(Guid id, [FromQuery] string? language, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(language) && CaseManagement.Plans.Translations.PlanTranslations.Find(language) is null)
        {
            var problem = InputProblem([new InputError("language", CaseManagement.Plans.Translations.PlanTranslations.Unsupported(language))]);
            ((ValidationProblemDetails)problem.Value!).Extensions["supportedLanguages"] = CaseManagement.Plans.Translations.PlanTranslations.SupportedCodes;
            return problem;
        }

        var plan = await Mediator.Send(new GetCase(id, "PDF"), ct);
        return Print.PlanDocument.Download(await Print.PlanPrint.Page(Mediator, plan, Print.PlanPrint.Language(language, plan)!, CaseManagement.Common.Time.Today(clock), ct));
    }
}
