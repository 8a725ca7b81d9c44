using CaseManagement.Common;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.DataProtection;

public sealed record SubjectSearchInput(string? Query, string? Purpose);

/// <summary>A case found by the subject search, or (<c>erased</c>) the record that the case with this number was erased.</summary>
public sealed record SubjectItem(
    Guid ClientId, string CaseNumber, string? FirstName, string? LastName, LocalDate? BirthDate, string Status, bool Restricted, bool Erased,
    Guid? ErasureId = null, DateTimeOffset? ErasedAt = null);

public sealed record ExportInput(string? Password, string? Purpose);

public sealed record ErasureInput(string? Reason, string? LegalBasis);

public sealed record ErasureAccepted(Guid ErasureId, Guid ClientId, string CaseNumber, string Status);

public sealed record ConfirmErasureInput(string? CaseNumber);

public sealed record ErasureDone(Guid ErasureId, Guid ClientId, string CaseNumber, string Status, Instant CompletedAt);

public sealed record RestrictionInput(string? Reason);

public sealed record RestrictionResponse(Guid ClientId, bool Restricted, long Version);

public sealed record HoldInput(string? Reason);

/// <summary>
/// <c>/api/v1/data-protection</c> for the organisation's data-protection officers (everyone else 403; cases of
/// other organisations 404). Subject search, export (ZIP), erasure in two steps, restriction, consent
/// withdrawal, the erasure audit and the retention list.
/// </summary>
[Route("api/v1/data-protection")]
[Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.DataProtectionOfficer)]
public sealed class DataProtectionApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>
    /// Subject search by name, birth date (TT.MM.JJJJ or YYYY-MM-DD) or case number, with the purpose in
    /// <c>purpose</c> or the <c>X-Access-Purpose</c> header; logged (without the search words).
    /// <c>POST …/subjects/search</c> takes the same in the body and keeps names out of URLs.
    /// </summary>
    [HttpGet("subjects")]
    [ProducesResponseType<IReadOnlyList<SubjectItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> SearchSubjects(string? query, string? purpose, CancellationToken ct) =>
        await Search(query, purpose ?? Request.Headers[CaseAccessLog.PurposeHeader].ToString(), ct);

    /// <summary>Subject search with the search words and the purpose in the body (<c>{"query","purpose"}</c>), so that names stay out of URLs; logged (without the words).</summary>
    [HttpPost("subjects/search")]
    [ProducesResponseType<IReadOnlyList<SubjectItem>>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> SearchSubjectsByBody(SubjectSearchInput request, CancellationToken ct) =>
        await Search(request?.Query, request?.Purpose, ct);

    /// <summary>The subject page's overview of one case (logged as a read with the <c>X-Access-Purpose</c> header).</summary>
    [HttpGet("subjects/{clientId:guid}")]
    [ProducesResponseType<SubjectOverview>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<SubjectOverview> GetSubject(Guid clientId, CancellationToken ct) => await mediator.Send(new GetSubject(clientId), ct);

    /// <summary>Everything about the person as a ZIP (<c>fall.json</c>, <c>auskunft.html</c>); <c>{"password"}</c> encrypts it (AES-256).</summary>
    [HttpPost("subjects/{clientId:guid}/export")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/zip")]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ExportSubject(Guid clientId, [FromBody] ExportInput? request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ExportSubject(clientId, request?.Password, request?.Purpose), ct);
        return outcome.Succeeded ? File(outcome.Value!.Content, "application/zip", outcome.Value.FileName) : OutcomeProblem(outcome);
    }

    /// <summary>First step of an erasure (<c>{"reason","legalBasis"}</c>) → 202 with the erasure id; nothing is erased yet.</summary>
    [HttpPost("subjects/{clientId:guid}/erasure")]
    [ProducesResponseType<ErasureAccepted>(StatusCodes.Status202Accepted)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> RequestErasure(Guid clientId, ErasureInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new RequestErasure(clientId, request?.Reason, request?.LegalBasis), ct);
        return outcome.Succeeded
            ? Accepted($"/api/v1/data-protection/erasures/{outcome.Value!.ErasureId}",
                new ErasureAccepted(outcome.Value.ErasureId, clientId, outcome.Value.CaseNumber, "Requested"))
            : OutcomeProblem(outcome);
    }

    /// <summary>Second step (<c>{"caseNumber"}</c>, typed again): the case is erased; 200 when done.</summary>
    [HttpPost("erasures/{erasureId:guid}/confirm")]
    [ProducesResponseType<ErasureDone>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> ConfirmErasure(Guid erasureId, ConfirmErasureInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ConfirmErasure(erasureId, request?.CaseNumber), ct);
        return outcome.Succeeded
            ? Ok(new ErasureDone(erasureId, outcome.Value!.CaseId, outcome.Value.CaseNumber, "Completed", outcome.Value.CompletedAt))
            : OutcomeProblem(outcome);
    }

    /// <summary>Drops a requested, unconfirmed erasure.</summary>
    [HttpDelete("erasures/{erasureId:guid}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> CancelErasure(Guid erasureId, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CancelErasure(erasureId), ct);
        return outcome.Succeeded ? NoContent() : OutcomeProblem(outcome);
    }

    /// <summary>The audit of every erasure of the organisation (no client data).</summary>
    [HttpGet("erasures")]
    [ProducesResponseType<IReadOnlyList<ErasureView>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<ErasureView>> ListErasures(CancellationToken ct) => await mediator.Send(new ListErasures(), ct);

    /// <summary>Restricts processing (<c>{"reason"}</c>): the case becomes read-only for managers, reminders rest.</summary>
    [HttpPost("subjects/{clientId:guid}/restriction")]
    [ProducesResponseType<RestrictionResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> RestrictProcessing(Guid clientId, RestrictionInput request, CancellationToken ct) =>
        Restriction(clientId, true, await mediator.Send(new SetProcessingRestriction(clientId, true, request?.Reason), ct));

    /// <summary>Lifts the restriction.</summary>
    [HttpDelete("subjects/{clientId:guid}/restriction")]
    [ProducesResponseType<RestrictionResponse>(StatusCodes.Status200OK)]
    public async Task<IActionResult> LiftRestriction(Guid clientId, CancellationToken ct) =>
        Restriction(clientId, false, await mediator.Send(new SetProcessingRestriction(clientId, false, null), ct));

    /// <summary>Records the client's withdrawal of consent (<c>{"withdrawnOn","scopes"}</c>).</summary>
    [HttpPost("subjects/{clientId:guid}/consent-withdrawal")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> RecordConsentWithdrawal(Guid clientId, Cases.ConsentWithdrawalInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new WithdrawConsent(clientId, null, request?.WithdrawnOn, request?.Scopes), ct);
        return outcome.Succeeded ? NoContent() : OutcomeProblem(outcome);
    }

    /// <summary>Cases announced for erasure by the retention rule, soonest first.</summary>
    [HttpGet("retention")]
    [ProducesResponseType<IReadOnlyList<RetentionNoticeView>>(StatusCodes.Status200OK)]
    public async Task<IReadOnlyList<RetentionNoticeView>> ListRetentionNotices(CancellationToken ct) => await mediator.Send(new ListRetentionNotices(), ct);

    /// <summary>Keeps an announced case from being erased (<c>{"reason"}</c>).</summary>
    [HttpPost("retention/{clientId:guid}/hold")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public async Task<IActionResult> HoldRetention(Guid clientId, HoldInput request, CancellationToken ct)
    {
        var outcome = await mediator.Send(new HoldRetention(clientId, true, request?.Reason), ct);
        return outcome.Succeeded ? NoContent() : OutcomeProblem(outcome);
    }

    /// <summary>Releases a hold: the retention rule applies to the case again.</summary>
    [HttpDelete("retention/{clientId:guid}/hold")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    public async Task<IActionResult> ReleaseRetentionHold(Guid clientId, CancellationToken ct)
    {
        await mediator.Send(new HoldRetention(clientId, false, null), ct);
        return NoContent();
    }

    private async Task<IActionResult> Search(string? query, string? purpose, CancellationToken ct)
    {
        var outcome = await mediator.Send(new FindSubjects(query, string.IsNullOrWhiteSpace(purpose) ? null : purpose), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var found = outcome.Value!;
        return Ok(found.Cases.Select(c => new SubjectItem(c.CaseId, c.CaseNumber, c.FirstName, c.LastName, c.BirthDate, c.Status.ToString(), c.Restricted, false))
            .Concat(found.Erased.Select(e => new SubjectItem(e.CaseId, e.CaseNumber, null, null, null, "Erased", false, true, e.Id, e.CompletedAt)))
            .ToList());
    }

    private IActionResult Restriction(Guid clientId, bool restricted, Outcome<CaseChanged> outcome) =>
        outcome.Succeeded ? Ok(new RestrictionResponse(clientId, restricted, outcome.Value!.Version)) : OutcomeProblem(outcome);
}
