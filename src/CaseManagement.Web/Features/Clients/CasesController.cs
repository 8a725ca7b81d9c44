using CaseManagement.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Clients;

public sealed class IntakeForm
{
    [Display(Name = "Vorname")]
    public string? FirstName { get; set; }

    [Display(Name = "Nachname")]
    public string? LastName { get; set; }

    [Display(Name = "Geburtsdatum")]
    public DateOnly? BirthDate { get; set; }

    [Display(Name = "Geschlecht")]
    public Gender? Gender { get; set; }

    [Display(Name = "Staatsangehörigkeit")]
    public string? Nationality { get; set; }

    [Display(Name = "Sprachen")]
    public string? Languages { get; set; }

    [Display(Name = "Dolmetschsprache")]
    public string? InterpreterLanguage { get; set; }

    [Display(Name = "Wohnform")]
    public HousingType? HousingType { get; set; }

    [Display(Name = "Wohnt so seit")]
    public DateOnly? HousingSince { get; set; }

    [Display(Name = "Aufenthaltsstatus")]
    public ResidenceKind? ResidenceKind { get; set; }

    [Display(Name = "Dokument gültig bis")]
    public DateOnly? ResidenceValidUntil { get; set; }

    [Display(Name = "Beginn der Begleitung")]
    public DateOnly? SupportStart { get; set; }

    [Display(Name = "Eingereist am")]
    public DateOnly? ArrivedOn { get; set; }

    [Display(Name = "Telefon")]
    public string? Phone { get; set; }

    [Display(Name = "E-Mail")]
    public string? Email { get; set; }

    [Display(Name = "Straße und Hausnummer")]
    public string? Street { get; set; }

    [Display(Name = "Postleitzahl")]
    public string? PostalCode { get; set; }

    [Display(Name = "Ort")]
    public string? City { get; set; }

    [Display(Name = "Einwilligung erteilt am")]
    public DateOnly? ConsentGivenOn { get; set; }

    public List<ConsentScope> ConsentScopes { get; set; } = [];

    [Display(Name = "Version des Einwilligungsformulars")]
    public string? ConsentFormVersion { get; set; }

    public bool ConfirmPossibleDuplicate { get; set; }

    public bool ShowDuplicateConfirmation { get; set; }

    public OpenCase ToCommand() => new(
        FirstName, LastName, Date(BirthDate), Gender, Nationality,
        (Languages ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        InterpreterLanguage, HousingType, Date(HousingSince), ResidenceKind, Date(ResidenceValidUntil), Date(SupportStart), null,
        ConfirmPossibleDuplicate)
    {
        ArrivedOn = Date(ArrivedOn),
        Phone = Phone,
        Email = Email,
        Street = Street,
        PostalCode = PostalCode,
        City = City,
        ConsentGivenOn = Date(ConsentGivenOn),
        ConsentScopes = ConsentScopes,
        ConsentFormVersion = ConsentFormVersion,
    };

    private static LocalDate? Date(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}

public sealed record CaseAsOfPage(Guid CaseId, LocalDate Date, CaseSummary? Case);

public sealed record CaseListPage(CaseList List, string? Search, CaseStatus? Status, EligibilityVerdict? Verdict, bool Overdue, LocalDate Today)
{
    /// <summary>Cases the manager works on today as a deputy.</summary>
    public IReadOnlyList<TeamCase> DeputyCases { get; init; } = [];

    public IReadOnlyList<CaseSummary> Cases => List.Items;

    /// <summary>Query string of the current filters, for the paging links.</summary>
    public string FilterQuery(int page) =>
        $"?search={Uri.EscapeDataString(Search ?? "")}&status={Status}&verdict={Verdict}&overdue={(Overdue ? "true" : "false")}&page={page}";
}

/// <summary>A form on the case page: it carries the case version it was rendered from.</summary>
public abstract class VersionedForm
{
    public long Version { get; set; }
}

public sealed class HousingForm : VersionedForm
{
    [Display(Name = "Neue Wohnform")]
    public HousingType? Type { get; set; }

    [Display(Name = "Wohnt so seit")]
    public DateOnly? Since { get; set; }
}

public sealed class ResidenceForm : VersionedForm
{
    [Display(Name = "Neuer Aufenthaltsstatus")]
    public ResidenceKind? Kind { get; set; }

    [Display(Name = "Dokument gültig bis")]
    public DateOnly? ValidUntil { get; set; }
}

/// <summary>The small forms for lifecycle and requests to the team lead; kept as typed when a submit fails.</summary>
public sealed class LifecycleForm : VersionedForm
{
    public string? Note { get; set; }

    public ClosingReason? Reason { get; set; }

    public DateOnly? ClosedOn { get; set; }

    public string? Justification { get; set; }
}

public sealed class GoalForm : VersionedForm
{
    public FieldOfAction? Field { get; set; }

    public string? Text { get; set; }

    public DateOnly? AgreedOn { get; set; }

    public DateOnly? TargetDate { get; set; }

    public DateOnly? NextReview { get; set; }

    public GoalStatus? Status { get; set; }

    public string? Reason { get; set; }
}

public sealed class ConsultationForm : VersionedForm
{
    public DateOnly? Date { get; set; }

    public int? DurationMinutes { get; set; }

    public ConsultationMode? Mode { get; set; }

    public List<FieldOfAction> Fields { get; set; } = [];

    public string? InterpreterLanguage { get; set; }

    public string? Note { get; set; }
}

public sealed class GoalReviewForm
{
    public Guid GoalId { get; set; }

    public ReviewOutcome Outcome { get; set; }

    public string? NewText { get; set; }

    public DateOnly? NewTargetDate { get; set; }

    public GoalStatus? ClosedAs { get; set; }

    public string? Reason { get; set; }
}

public sealed class ReviewForm : VersionedForm
{
    public DateOnly? Date { get; set; }

    public string? Summary { get; set; }

    public DateOnly? NextReview { get; set; }

    public List<GoalReviewForm> Goals { get; set; } = [];
}

/// <summary>
/// The case page with its forms. The form the user just submitted (if any) is kept as typed, with the
/// case's current version, so that a failed or stale submit can be corrected and sent again.
/// </summary>
public sealed record CasePage(CaseSummary Case, LocalDate Today, string? Message, IReadOnlyList<TimelineEntry> Timeline, VersionedForm? Submitted = null)
{
    /// <summary>Current and coming Vertretungen for the case's manager.</summary>
    public IReadOnlyList<DeputyGrantView> Deputies { get; init; } = [];

    public HousingForm Housing => Form<HousingForm>();

    public ResidenceForm Residence => Form<ResidenceForm>();

    public LifecycleForm Lifecycle => Form<LifecycleForm>();

    public GoalForm Goal => Form<GoalForm>();

    public ConsultationForm Consultation => Form<ConsultationForm>();

    public ReviewForm Review => Form<ReviewForm>();

    public ContactForm Contact => Submitted as ContactForm ?? ContactForm.From(Case);

    public ConsentForm Consent => Form<ConsentForm>();

    public HouseholdForm Household => Form<HouseholdForm>();

    public ProfileForm Profile => Submitted as ProfileForm ?? ProfileForm.From(Case);

    public LanguageLevelForm LanguageLevel => Form<LanguageLevelForm>();

    public DevelopmentForm Development => Form<DevelopmentForm>();

    public ReferralForm Referral => Form<ReferralForm>();

    /// <summary>Why the manager may only read the case (restriction, consent withdrawn); null when not.</summary>
    public string? ReadOnlyReason => CaseManagement.Cases.ProcessingRules.ReadOnlyReason(Case);

    /// <summary>The case takes changes: not closed, not read-only.</summary>
    public bool Writable => Case.Status != CaseStatus.Closed && ReadOnlyReason is null;

    /// <summary>The case can be closed: also after the client withdrew consent (the counselling ends), not while processing is restricted.</summary>
    public bool Closable => Case.Status != CaseStatus.Closed && Case.Restriction is null;

    /// <summary>New consent can be recorded: not closed, processing not restricted (a withdrawal does not block it).</summary>
    public bool ConsentRenewable => Case.Status != CaseStatus.Closed && Case.Restriction is null;

    /// <summary>A withdrawal can be recorded: consent exists for something, processing not restricted.</summary>
    public bool ConsentWithdrawable => Case.Consent is { } consent && Case.Restriction is null
                                       && consent.Scopes.Except(Case.ConsentWithdrawal?.Scopes ?? []).Any();

    public ConsentWithdrawalForm ConsentWithdrawal => Form<ConsentWithdrawalForm>();

    /// <summary>Whether the submitted form was this one (to open its section again).</summary>
    public bool WasSubmitted<T>()
        where T : VersionedForm => Submitted is T;

    private T Form<T>()
        where T : VersionedForm, new()
    {
        var form = Submitted as T ?? new T();
        form.Version = Case.Version;
        return form;
    }
}

/// <summary>"Meine Fälle" and intake for integration managers; the case page also for the lead of the manager's team.</summary>
[Authorize(Roles = Roles.CaseWorkers)]
[Route("faelle")]
public sealed class CasesController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("")]
    [Authorize(Roles = Roles.Manager)]
    public async Task<IActionResult> Index(string? search, CaseStatus? status, EligibilityVerdict? verdict, bool overdue = false, int page = 1, CancellationToken ct = default) =>
        View(new CaseListPage(await mediator.Send(new ListMyCases(search, status, verdict, overdue, page), ct), search, status, verdict, overdue,
            CaseManagement.Common.Time.Today(clock))
        {
            DeputyCases = await mediator.Send(new ListDeputyCases(), ct),
        });

    [HttpGet("neu")]
    [Authorize(Roles = Roles.Manager)]
    public IActionResult Create() =>
        View(new IntakeForm { SupportStart = CaseManagement.Common.Time.Today(clock).ToDateOnly() });

    [HttpPost("neu")]
    [Authorize(Roles = Roles.Manager)]
    public async Task<IActionResult> Create(IntakeForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var outcome = await mediator.Send(form.ToCommand(), ct);
        if (outcome.Succeeded)
        {
            return RedirectToAction(nameof(Show), new { id = outcome.Value!.CaseId });
        }

        form.ShowDuplicateConfirmation = outcome.Code == CaseManagement.Common.RefusalCode.PossibleDuplicate;
        // The duplicate warning stands next to the confirmation it asks for; everything else next to its field.
        ModelState.AddInputErrors(form.ShowDuplicateConfirmation
            ? [new CaseManagement.Common.InputError(nameof(OpenCase.ConfirmPossibleDuplicate), outcome.Message)]
            : outcome.Errors);
        return View(form);
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Show(Guid id, CancellationToken ct) =>
        View(await Page(id, this.Confirmation(), ct));

    /// <summary>The Integrationsplan for printing on A4 with signature lines.</summary>
    [HttpGet("{id:guid}/druck")]
    public async Task<IActionResult> Print(Guid id, string? language, CancellationToken ct) =>
        await mediator.Send(new GetCase(id, "Druck"), ct) is var plan && Plans.Print.PlanPrint.Language(language, plan) is { } printed
            ? View(Plans.Print.PlanPrintPage.View, new Plans.Print.PlanPrintPage(plan, CaseManagement.Common.Time.Today(clock), printed))
            : BadRequest();

    /// <summary>The Integrationsplan as an A4 PDF (same document as <c>GET /api/v1/clients/{id}/plan.pdf</c>).</summary>
    [HttpGet("{id:guid}/plan.pdf")]
    public async Task<IActionResult> Pdf(Guid id, string? language, CancellationToken ct) =>
        await mediator.Send(new GetCase(id, "PDF"), ct) is var plan && Plans.Print.PlanPrint.Language(language, plan) is { } printed
            ? Plans.Print.PlanDocument.Download(plan, printed, CaseManagement.Common.Time.Today(clock))
            : BadRequest();

    [HttpPost("{id:guid}/unterschrift")]
    public async Task<IActionResult> RecordSignature(Guid id, LifecycleForm form, DateOnly? signedOn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new RecordPlanSignature(id, form.Version, Date(signedOn)), ct);
        return await AfterChange(id, outcome, "Die Unterschrift unter dem Integrationsplan ist erfasst.", ct, form);
    }

    /// <summary>The case and its plan as they were at the end of a chosen day.</summary>
    [HttpGet("{id:guid}/stand")]
    public async Task<IActionResult> AsOf(Guid id, DateOnly? am, CancellationToken ct)
    {
        if (am is not { } day)
        {
            return RedirectToAction(nameof(Show), new { id });
        }

        var date = LocalDate.FromDateOnly(day);
        return View(new CaseAsOfPage(id, date, await mediator.Send(new GetCaseAsOf(id, date), ct)));
    }

    [HttpPost("{id:guid}/wohnen")]
    public async Task<IActionResult> ChangeHousing(Guid id, HousingForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new ChangeHousing(id, form.Version, form.Type, Date(form.Since)), ct);
        return await AfterChange(id, outcome, "Die Wohnsituation wurde geändert; die Eignung ist neu geprüft.", ct, form);
    }

    [HttpPost("{id:guid}/aufenthalt")]
    public async Task<IActionResult> ChangeResidence(Guid id, ResidenceForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new ChangeResidenceStatus(id, form.Version, form.Kind, Date(form.ValidUntil)), ct);
        return await AfterChange(id, outcome, "Der Aufenthaltsstatus wurde geändert; die Eignung ist neu geprüft.", ct, form);
    }

    [HttpPost("{id:guid}/ziele")]
    public async Task<IActionResult> AgreeGoal(Guid id, GoalForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new AgreeGoal(id, form.Version, Guid.CreateVersion7(), form.Field, form.Text,
            Date(form.AgreedOn), Date(form.TargetDate), Date(form.NextReview)), ct);
        return await AfterChange(id, outcome, "Das Ziel ist im Integrationsplan.", ct, form);
    }

    [HttpPost("{id:guid}/ziele/{goalId:guid}/status")]
    public async Task<IActionResult> ChangeGoalStatus(Guid id, Guid goalId, GoalForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new ChangeGoalStatus(id, form.Version, goalId, form.Status, form.Reason), ct);
        return await AfterChange(id, outcome, "Der Stand des Ziels ist gespeichert.", ct);
    }

    [HttpPost("{id:guid}/ziele/{goalId:guid}/schritte")]
    public async Task<IActionResult> PlanStep(Guid id, Guid goalId, long version, string? text, StepResponsible? responsible, string? service, DateOnly? dueDate, CancellationToken ct)
    {
        var outcome = await mediator.Send(new PlanStep(id, version, goalId, text, responsible, service, Date(dueDate)), ct);
        return await AfterChange(id, outcome, "Der Schritt ist geplant.", ct);
    }

    [HttpPost("{id:guid}/ziele/{goalId:guid}/schritte/{stepId:guid}/erledigt")]
    public async Task<IActionResult> CompleteStep(Guid id, Guid goalId, Guid stepId, long version, CancellationToken ct)
    {
        var outcome = await mediator.Send(new CompleteStep(id, version, goalId, stepId, null), ct);
        return await AfterChange(id, outcome, "Der Schritt ist erledigt.", ct);
    }

    [HttpPost("{id:guid}/fortschreibung")]
    public async Task<IActionResult> Review(Guid id, ReviewForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var goals = form.Goals.Select(g => new GoalReview(g.GoalId, g.Outcome, g.NewText, Date(g.NewTargetDate), g.ClosedAs, g.Reason)).ToList();
        var outcome = await mediator.Send(new ReviewPlan(id, form.Version, Date(form.Date), form.Summary, goals, Date(form.NextReview)), ct);
        return await AfterChange(id, outcome, "Die Fortschreibung ist gespeichert.", ct, form);
    }

    [HttpPost("{id:guid}/kontakte")]
    public async Task<IActionResult> RecordConsultation(Guid id, ConsultationForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new RecordConsultation(id, form.Version, Date(form.Date), form.DurationMinutes, form.Mode, form.Fields,
            form.InterpreterLanguage, form.Note), ct);
        return await AfterChange(id, outcome, "Der Beratungskontakt ist erfasst.", ct, form);
    }

    [HttpPost("{id:guid}/kontakt")]
    public async Task<IActionResult> ChangeContact(Guid id, ContactForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new ChangeContactDetails(id, form.Version, form.Phone, form.Email, form.Street, form.PostalCode, form.City), ct);
        return await AfterChange(id, outcome, "Die Kontaktdaten sind gespeichert.", ct, form);
    }

    [HttpPost("{id:guid}/einwilligung")]
    public async Task<IActionResult> RecordConsent(Guid id, ConsentForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new RecordConsent(id, form.Version, Date(form.GivenOn), form.Scopes, form.FormVersion), ct);
        return await AfterChange(id, outcome, "Die Einwilligung ist erfasst.", ct, form);
    }

    [HttpPost("{id:guid}/einwilligung/widerruf")]
    public async Task<IActionResult> WithdrawConsent(Guid id, ConsentWithdrawalForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new CaseManagement.DataProtection.WithdrawConsent(id, form.Version, Date(form.WithdrawnOn), form.Scopes), ct);
        return await AfterChange(id, outcome, "Der Widerruf der Einwilligung ist erfasst.", ct, form);
    }

    [HttpPost("{id:guid}/haushalt")]
    public async Task<IActionResult> LinkHouseholdMember(Guid id, HouseholdForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new LinkHouseholdMember(id, form.Version, form.MemberCaseNumber, form.Relation), ct);
        return await AfterChange(id, outcome, "Das Haushaltsmitglied ist verknüpft.", ct, form);
    }

    [HttpPost("{id:guid}/haushalt/{memberCaseId:guid}/loesen")]
    public async Task<IActionResult> UnlinkHouseholdMember(Guid id, Guid memberCaseId, long version, CancellationToken ct)
    {
        var outcome = await mediator.Send(new UnlinkHouseholdMember(id, version, memberCaseId), ct);
        return await AfterChange(id, outcome, "Die Verknüpfung ist gelöst.", ct);
    }

    [HttpPost("{id:guid}/profil")]
    public async Task<IActionResult> UpdateProfile(Guid id, ProfileForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new UpdateProfile(id, form.Version, form.Qualifications, form.Competences, form.SchoolYears, form.SchoolCertificate,
            form.SchoolCountry, form.VocationalDegree, form.WorkExperience), ct);
        return await AfterChange(id, outcome, "Das Profil ist gespeichert.", ct, form);
    }

    [HttpPost("{id:guid}/sprachniveau")]
    public async Task<IActionResult> AssessLanguageLevel(Guid id, LanguageLevelForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new AssessLanguageLevel(id, form.Version, form.Language, form.Level, form.Basis, form.Certificate, Date(form.AssessedOn)), ct);
        return await AfterChange(id, outcome, "Das Sprachniveau ist erfasst.", ct, form);
    }

    [HttpPost("{id:guid}/entwicklungen")]
    public async Task<IActionResult> NoteDevelopment(Guid id, DevelopmentForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new NoteDevelopment(id, form.Version, Date(form.Date), form.Text), ct);
        return await AfterChange(id, outcome, "Die Entwicklung ist notiert.", ct, form);
    }

    [HttpPost("{id:guid}/vermittlungen")]
    public async Task<IActionResult> MakeReferral(Guid id, ReferralForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new MakeReferral(id, form.Version, form.Service, form.ServiceName, Date(form.Date), form.GoalId, form.Note), ct);
        return await AfterChange(id, outcome, "Die Vermittlung ist erfasst.", ct, form);
    }

    [HttpPost("{id:guid}/ruhen")]
    public async Task<IActionResult> Pause(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new PauseCase(id, form.Version, form.Note), "Der Fall ruht.", ct);

    [HttpPost("{id:guid}/fortsetzen")]
    public async Task<IActionResult> Resume(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new ResumeCase(id, form.Version), "Der Fall wird fortgesetzt.", ct);

    [HttpPost("{id:guid}/abschliessen")]
    public async Task<IActionResult> Close(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new CloseCase(id, form.Version, form.Reason, Date(form.ClosedOn), form.Note), "Der Fall ist abgeschlossen.", ct);

    [HttpPost("{id:guid}/wiedereroeffnen")]
    public async Task<IActionResult> Reopen(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new ReopenCase(id, form.Version, form.Note), "Der Fall ist wieder eröffnet.", ct);

    [HttpPost("{id:guid}/einzelfallentscheidung")]
    public async Task<IActionResult> RequestDecision(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new RequestIndividualDecision(id, form.Version, form.Justification),
            "Die Einzelfallentscheidung ist bei der Teamleitung beantragt.", ct);

    [HttpPost("{id:guid}/verlaengerung")]
    public async Task<IActionResult> RequestExtension(Guid id, LifecycleForm form, CancellationToken ct) =>
        await Lifecycle(id, form, new RequestSupportExtension(id, form.Version, form.Justification),
            "Die Verlängerung ist bei der Teamleitung beantragt.", ct);

    private async Task<IActionResult> Lifecycle(Guid id, LifecycleForm form, ICommand<CaseManagement.Common.Outcome<CaseChanged>> command, string message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(command, ct);
        return await AfterChange(id, outcome, message, ct, form);
    }

    /// <summary>Success: back to the case (PRG). Otherwise the case page with the messages and the user's input kept.</summary>
    private async Task<IActionResult> AfterChange(
        Guid id, CaseManagement.Common.Outcome<CaseChanged> outcome, string message, CancellationToken ct, VersionedForm? submitted = null)
    {
        if (outcome.Succeeded)
        {
            return this.Confirmed(message, nameof(Show), new { id });
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(nameof(Show), await Page(id, null, ct, submitted));
    }

    private async Task<CasePage> Page(Guid id, string? message, CancellationToken ct, VersionedForm? submitted = null)
    {
        var summary = await mediator.Send(new GetCase(id), ct);
        if (submitted is not null)
        {
            submitted.Version = summary.Version;
        }

        return new CasePage(summary, CaseManagement.Common.Time.Today(clock), message, await mediator.Send(new GetCaseTimeline(id, What: null), ct), submitted)
        {
            Deputies = await mediator.Send(new GetCaseDeputies(id), ct),
        };
    }

    private static LocalDate? Date(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}

/// <summary>German labels of the case module's values.</summary>
public static class CaseLabels
{
    public static string Gender(Gender gender) => gender switch
    {
        global::CaseManagement.Cases.Gender.Female => "weiblich",
        global::CaseManagement.Cases.Gender.Male => "männlich",
        global::CaseManagement.Cases.Gender.Diverse => "divers",
        _ => "unbekannt",
    };

    public static string Status(CaseStatus status) => status switch
    {
        CaseStatus.Open => "offen",
        CaseStatus.Paused => "ruhend",
        _ => "abgeschlossen",
    };

    public static string Verdict(EligibilityVerdict verdict) => CaseHistory.Verdict(verdict);

    /// <summary>The verdict as the case shows it: an approved individual decision makes the client part of the target group.</summary>
    public static string Eligibility(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.IndividualDecisionApproved ? "Zielgruppe (Einzelfallentscheidung)" : Verdict(c.Verdict);
    }

    public static ApprovalDecisionView? LatestDecision(CaseSummary c, ApprovalKind kind)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Decisions.LastOrDefault(d => d.Kind == kind);
    }

    public static string DecisionText(ApprovalDecisionView d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return $"{ApprovalLabels.Kind(d.Kind)} am {Moment(d.DecidedAt)} von der Teamleitung {(d.Approved ? "genehmigt" : "abgelehnt")}"
               + (d.Comment is null ? "." : $": {d.Comment}");
    }

    public static string Moment(Instant instant) =>
        instant.InZone(CaseManagement.Common.Time.Berlin).ToString("dd.MM.yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static string Closing(ClosingReason reason) => CaseHistory.Closing(reason);

    public static string Date(LocalDate date) => date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);
}
