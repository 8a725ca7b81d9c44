using CaseManagement.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using CaseManagement.Common;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.DataProtection;

public sealed class SubjectSearchForm
{
    [Display(Name = "Name, Geburtsdatum oder Fallnummer")]
    public string? Query { get; set; }

    [Display(Name = "Zweck der Suche")]
    public string? Purpose { get; set; }
}

public sealed record SubjectSearchPage(SubjectSearchForm Form, SubjectSearchResult? Result);

/// <summary>The forms of the subject page; the one just submitted is kept as typed.</summary>
public sealed class SubjectForms
{
    public string? ExportPurpose { get; set; }

    public string? RestrictionReason { get; set; }

    public string? LiftNote { get; set; }

    public DateOnly? WithdrawnOn { get; set; }

    public List<ConsentScope> Scopes { get; set; } = [];

    public string? ErasureReason { get; set; }

    public string? LegalBasis { get; set; }
}

public sealed record SubjectPage(SubjectOverview Overview, LocalDate Today, string? Message, SubjectForms Forms);

/// <summary>The confirmation before a restriction is lifted, at the version of the case checked.</summary>
public sealed record LiftConfirmPage(SubjectOverview Overview, long Version, string? Note);

public sealed record ErasureConfirmPage(ErasureView Erasure, string? TypedCaseNumber);

public sealed record ErasureListPage(IReadOnlyList<ErasureView> Erasures, string? Message);

public sealed record RetentionPage(IReadOnlyList<RetentionNoticeView> Notices, RetentionSettings Settings, string? Message);

/// <summary>
/// The data-protection officer's pages: subject search (POST, so that no name appears in a URL), the subject
/// page with export, restriction, consent withdrawal and the erasure request, the erasure confirmation
/// (the case number typed again), the audit list of erasures and the retention list.
/// </summary>
[Authorize(Roles = Roles.DataProtectionOfficer)]
[Route("datenschutz")]
public sealed class SubjectsController(IMediator mediator, IClock clock, RetentionSettings retention) : Controller
{
    /// <summary>The purpose stated for the last search: the subject page opened from its results is logged with it.</summary>
    private const string PurposeKey = "dp-purpose";

    [HttpGet("betroffene")]
    public IActionResult Search() => View(new SubjectSearchPage(new SubjectSearchForm(), null));

    [HttpPost("betroffene")]
    public async Task<IActionResult> Search(SubjectSearchForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new FindSubjects(form.Query, form.Purpose), ct);
        if (!outcome.Succeeded)
        {
            ModelState.AddInputErrors(outcome.Errors);
            return View(new SubjectSearchPage(form, null));
        }

        TempData[PurposeKey] = string.IsNullOrWhiteSpace(form.Purpose) ? null : form.Purpose.Trim();
        return View(new SubjectSearchPage(form, outcome.Value));
    }

    [HttpGet("betroffene/{id:guid}")]
    public async Task<IActionResult> Show(Guid id, CancellationToken ct) => View(await Page(id, this.Confirmation(), new SubjectForms(), ct));

    /// <summary>The export as a download (ZIP); with a password the entries are AES-256 encrypted.</summary>
    [HttpPost("betroffene/{id:guid}/export")]
    public async Task<IActionResult> Export(Guid id, SubjectForms form, string? password, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new ExportSubject(id, password, string.IsNullOrWhiteSpace(form.ExportPurpose) ? null : form.ExportPurpose.Trim()), ct);
        return outcome.Succeeded
            ? File(outcome.Value!.Content, "application/zip", outcome.Value.FileName)
            : await Failed(id, outcome.Errors, form, ct);
    }

    [HttpPost("betroffene/{id:guid}/einschraenkung")]
    public async Task<IActionResult> Restrict(Guid id, SubjectForms form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SetProcessingRestriction(id, true, form.RestrictionReason), ct);
        return outcome.Succeeded
            ? this.Confirmed("Die Verarbeitung ist eingeschränkt; der Fall ist für das Integrationsmanagement schreibgeschützt.", nameof(Show), new { id })
            : await Failed(id, outcome.Errors.Select(e => e with { Field = e.Field.Length == 0 ? nameof(SubjectForms.RestrictionReason) : e.Field }), form, ct);
    }

    [HttpPost("betroffene/{id:guid}/einschraenkung/aufheben")]
    public async Task<IActionResult> Lift(Guid id, SubjectForms form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        // First step: every check runs, nothing changes; the confirmation page says what lifting does.
        var check = await mediator.Send(new SetProcessingRestriction(id, false, form.LiftNote) { CheckOnly = true }, ct);
        return check.Succeeded
            ? View("ConfirmLift", new LiftConfirmPage(await mediator.Send(new GetSubject(id, TempData.Peek(PurposeKey) as string), ct), check.Value!.Version, form.LiftNote))
            : await Failed(id, check.Errors, form, ct);
    }

    /// <summary>The confirmed lift, at the version the confirmation page showed.</summary>
    [HttpPost("betroffene/{id:guid}/einschraenkung/aufheben/bestaetigen")]
    public async Task<IActionResult> ConfirmLift(Guid id, long version, SubjectForms form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SetProcessingRestriction(id, false, form.LiftNote) { ExpectedVersion = version }, ct);
        return outcome.Succeeded
            ? this.Confirmed("Die Einschränkung ist aufgehoben.", nameof(Show), new { id })
            : await Failed(id, outcome.Errors, form, ct);
    }

    [HttpPost("betroffene/{id:guid}/widerruf")]
    public async Task<IActionResult> WithdrawConsent(Guid id, SubjectForms form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new WithdrawConsent(id, null, form.WithdrawnOn is { } d ? LocalDate.FromDateOnly(d) : null, form.Scopes), ct);
        return outcome.Succeeded
            ? this.Confirmed("Der Widerruf der Einwilligung ist erfasst.", nameof(Show), new { id })
            : await Failed(id, outcome.Errors, form, ct);
    }

    /// <summary>First step of an erasure; the second is the confirmation page.</summary>
    [HttpPost("betroffene/{id:guid}/loeschung")]
    public async Task<IActionResult> RequestErasure(Guid id, SubjectForms form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new RequestErasure(id, form.ErasureReason, form.LegalBasis), ct);
        return outcome.Succeeded
            ? LocalRedirect($"/datenschutz/loeschungen/{outcome.Value!.ErasureId}")
            : await Failed(id, outcome.Errors.Select(e => e with { Field = e.Field == "Reason" ? nameof(SubjectForms.ErasureReason) : e.Field }), form, ct);
    }

    [HttpGet("loeschungen")]
    public async Task<IActionResult> Erasures(CancellationToken ct) => View(new ErasureListPage(await mediator.Send(new ListErasures(), ct), this.Confirmation()));

    [HttpGet("loeschungen/{erasureId:guid}", Name = "erasure")]
    public async Task<IActionResult> Confirm(Guid erasureId, CancellationToken ct) =>
        View(new ErasureConfirmPage(await Erasure(erasureId, ct), null));

    [HttpPost("loeschungen/{erasureId:guid}/bestaetigen", Name = "erasure-confirm")]
    public async Task<IActionResult> Confirm(Guid erasureId, string? caseNumber, CancellationToken ct)
    {
        var outcome = await mediator.Send(new ConfirmErasure(erasureId, caseNumber), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed($"Fall {outcome.Value!.CaseNumber} ist gelöscht. Es bleibt nur ein pseudonymer Datensatz für die Statistik.", nameof(Erasures));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(new ErasureConfirmPage(await Erasure(erasureId, ct), caseNumber));
    }

    [HttpPost("loeschungen/{erasureId:guid}/verwerfen")]
    public async Task<IActionResult> Cancel(Guid erasureId, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CancelErasure(erasureId), ct);
        return this.Confirmed(outcome.Succeeded ? "Der Löschantrag ist verworfen; es wurde nichts gelöscht." : outcome.Errors[0].Message, nameof(Erasures));
    }

    [HttpGet("aufbewahrung")]
    public async Task<IActionResult> Retention(CancellationToken ct) =>
        View(new RetentionPage(await mediator.Send(new ListRetentionNotices(), ct), retention, this.Confirmation()));

    [HttpPost("aufbewahrung/{caseId:guid}/zurueckhalten")]
    public async Task<IActionResult> Hold(Guid caseId, string? reason, CancellationToken ct)
    {
        var outcome = await mediator.Send(new HoldRetention(caseId, true, reason), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Der Fall wird zurückgehalten und nicht automatisch gelöscht.", nameof(Retention));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Retention), new RetentionPage(await mediator.Send(new ListRetentionNotices(), ct), retention, null));
    }

    [HttpPost("aufbewahrung/{caseId:guid}/freigeben")]
    public async Task<IActionResult> Release(Guid caseId, CancellationToken ct)
    {
        await mediator.Send(new HoldRetention(caseId, false, null), ct);
        return this.Confirmed("Der Fall wird zum angekündigten Termin gelöscht.", nameof(Retention));
    }

    private async Task<ErasureView> Erasure(Guid erasureId, CancellationToken ct) =>
        (await mediator.Send(new ListErasures(), ct)).FirstOrDefault(e => e.Id == erasureId) ?? throw new NotFoundException("Erasure");

    private async Task<SubjectPage> Page(Guid id, string? message, SubjectForms forms, CancellationToken ct) =>
        new(await mediator.Send(new GetSubject(id, TempData.Peek(PurposeKey) as string), ct), CaseManagement.Common.Time.Today(clock), message, forms);

    private async Task<IActionResult> Failed(Guid id, IEnumerable<InputError> errors, SubjectForms form, CancellationToken ct)
    {
        ModelState.AddInputErrors(errors);
        return View(nameof(Show), await Page(id, null, form, ct));
    }
}

/// <summary>German labels of the erasure audit.</summary>
public static class ErasureLabels
{
    public static string Status(ErasureStatus status) => status switch
    {
        ErasureStatus.Requested => "beantragt, wartet auf Bestätigung",
        ErasureStatus.Completed => "gelöscht",
        _ => "verworfen",
    };

    public static string Trigger(ErasureTrigger trigger) => trigger == ErasureTrigger.Retention ? "Aufbewahrungsfrist" : "Antrag";
}
