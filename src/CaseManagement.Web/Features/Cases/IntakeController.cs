using CaseManagement.Web.Infrastructure;
using System.ComponentModel.DataAnnotations;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Administration;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

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

    /// <summary>The chosen languages (codes from the list) or, typed, names or codes separated by commas.</summary>
    [Display(Name = "Sprachen")]
    public List<string> Languages { get; set; } = [];

    /// <summary>The languages as codes, for the list to keep what was chosen.</summary>
    public IReadOnlySet<string> LanguageCodes =>
        Entries().Select(l => LanguageNames.Code(l) ?? l).ToHashSet(StringComparer.Ordinal);

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
        Entries().ToList(),
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

    private IEnumerable<string> Entries() =>
        Languages.SelectMany(l => (l ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static LocalDate? Date(DateOnly? value) => value is { } d ? LocalDate.FromDateOnly(d) : null;
}

/// <summary>Intake: an integration manager takes on a new client (<c>/faelle/neu</c>).</summary>
[Authorize(Roles = Roles.Manager)]
[Route("faelle")]
public sealed class IntakeController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("neu")]
    public IActionResult Create() =>
        View(new IntakeForm { SupportStart = Time.Today(clock).ToDateOnly() });

    [HttpPost("neu")]
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
            return this.Confirmed("Der Fall ist angelegt.", nameof(CasesController.Show), "Cases", new { id = outcome.Value!.CaseId });
        }

        form.ShowDuplicateConfirmation = outcome.Code == RefusalCode.PossibleDuplicate;
        // The duplicate warning stands next to the confirmation it asks for; everything else next to its field.
        ModelState.AddInputErrors(form.ShowDuplicateConfirmation
            ? [new InputError(nameof(OpenCase.ConfirmPossibleDuplicate), outcome.Message)]
            : outcome.Errors);
        return View(form);
    }
}
