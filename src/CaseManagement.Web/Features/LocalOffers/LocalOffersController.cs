using CaseManagement.LocalOffers;
using CaseManagement.Organisations;
using CaseManagement.Plans.Translations;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.LocalOffers;

public sealed class LocalOfferForm
{
    public OfferCategory? Category { get; set; }

    public string? Name { get; set; }

    public string? Address { get; set; }

    public string? OpeningHours { get; set; }

    public string? Contact { get; set; }

    public string? Languages { get; set; }

    public static LocalOfferForm Of(LocalOfferView offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return new()
        {
            Category = offer.Category, Name = offer.Name, Address = offer.Address, OpeningHours = offer.OpeningHours, Contact = offer.Contact,
            Languages = string.Join(", ", offer.Languages),
        };
    }
}

public sealed class IntegreatForm
{
    public string? Region { get; set; }

    public string? BaseUrl { get; set; }
}

/// <summary>The directory page: the offers, the form for a new one, the Integreat connection; <see cref="Editing"/> is the offer whose form was refused.</summary>
public sealed record LocalOffersPage(IReadOnlyList<LocalOfferView> Offers, IntegreatConnectionView? Connection, string? Message)
{
    public LocalOfferForm NewForm { get; init; } = new();

    public Guid? Editing { get; init; }

    public LocalOfferForm? EditForm { get; init; }

    /// <summary>Which form was refused: "new", "edit", "integreat" or "refresh".</summary>
    public string? Refused { get; init; }

    public IntegreatForm? IntegreatForm { get; init; }

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public string? Error(string form, string field) => Refused == form ? Errors.GetValueOrDefault(field) : null;
}

public sealed record PlanTextsPage(PlanLanguage Language, IReadOnlyList<PlanTextRow> Rows, string? Message)
{
    public string? RefusedKey { get; init; }

    public string? RefusedText { get; init; }

    public string? Error { get; init; }
}

/// <summary>
/// Angebote vor Ort: administrators keep the organisation's directory of local services (own entries and places
/// imported from Integreat) and the organisation's own wording of the client-language print (docs/local-offers.md).
/// </summary>
[Authorize(Roles = Roles.Administrator)]
public sealed class LocalOffersController(IMediator mediator) : Controller
{
    private const string IndexView = "~/Features/LocalOffers/Index.cshtml";
    private const string TextsView = "~/Features/LocalOffers/PlanTexts.cshtml";

    [HttpGet("verwaltung/angebote")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(IndexView, await Page(this.Confirmation(), ct));

    [HttpPost("verwaltung/angebote")]
    public Task<IActionResult> Create(LocalOfferForm form, CancellationToken ct) => Save(null, form, ct);

    [HttpPost("verwaltung/angebote/{offerId:guid}")]
    public Task<IActionResult> Change(Guid offerId, LocalOfferForm form, CancellationToken ct) => Save(offerId, form, ct);

    [HttpPost("verwaltung/angebote/{offerId:guid}/loeschen")]
    public async Task<IActionResult> Delete(Guid offerId, CancellationToken ct)
    {
        await mediator.Send(new DeleteLocalOffer(offerId), ct);
        return this.Confirmed("Das Angebot ist gelöscht.", nameof(Index));
    }

    [HttpPost("verwaltung/angebote/integreat")]
    public async Task<IActionResult> Connect(IntegreatForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SaveIntegreatConnection(form.Region, form.BaseUrl), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Die Verbindung zu Integreat ist gespeichert.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(IndexView, await Page(null, ct) with { Refused = "integreat", IntegreatForm = form, Errors = Cases.CaseSection.FirstErrors(ModelState) });
    }

    /// <summary>Fills and refreshes the directory from the connected Integreat region now (GET requests only; nothing of ours is sent).</summary>
    [HttpPost("verwaltung/angebote/integreat/aktualisieren")]
    public async Task<IActionResult> Refresh(CancellationToken ct)
    {
        var outcome = await mediator.Send(new RefreshLocalOffers(), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed(outcome.Value!, nameof(Index));
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        ModelState.AddInputErrors(outcome.Errors);
        return View(IndexView, await Page(null, ct) with { Refused = "refresh", Errors = Cases.CaseSection.FirstErrors(ModelState) });
    }

    [HttpGet("verwaltung/plan-texte")]
    public async Task<IActionResult> PlanTexts(string? sprache, CancellationToken ct)
    {
        var language = PlanTranslations.Find(string.IsNullOrWhiteSpace(sprache) ? "de" : sprache);
        return language is null ? NotFound() : View(TextsView, new PlanTextsPage(language, await mediator.Send(new ListPlanTextOverrides(language.Code), ct), this.Confirmation()));
    }

    [HttpPost("verwaltung/plan-texte")]
    public async Task<IActionResult> SavePlanText(string? language, string? key, string? text, CancellationToken ct)
    {
        var outcome = await mediator.Send(new SavePlanTextOverride(language, key, text), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed("Der Text des Ausdrucks ist gespeichert.", nameof(PlanTexts), new { sprache = language });
        }

        var shown = PlanTranslations.Find(language);
        if (shown is null || outcome.Errors.Any(e => e.Field == nameof(SavePlanTextOverride.Key)))
        {
            return NotFound();
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(TextsView, new PlanTextsPage(shown, await mediator.Send(new ListPlanTextOverrides(shown.Code), ct), null)
        {
            RefusedKey = key, RefusedText = text, Error = outcome.Errors[0].Message,
        });
    }

    private async Task<IActionResult> Save(Guid? id, LocalOfferForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SaveLocalOffer(id, form.Category, form.Name, form.Address, form.OpeningHours, form.Contact, form.Languages), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed(id is null ? "Das Angebot ist im Verzeichnis." : "Das Angebot ist gespeichert.", nameof(Index));
        }

        ModelState.AddInputErrors(outcome.Errors);
        return View(IndexView, await Page(null, ct) with
        {
            Refused = id is null ? "new" : "edit",
            Editing = id,
            NewForm = id is null ? form : new LocalOfferForm(),
            EditForm = id is null ? null : form,
            Errors = Cases.CaseSection.FirstErrors(ModelState),
        });
    }

    private async Task<LocalOffersPage> Page(string? message, CancellationToken ct) =>
        new(await mediator.Send(new ListLocalOffers(), ct), await mediator.Send(new GetIntegreatConnection(), ct), message);
}

/// <summary>The fields of an offer's form (new or change), with the id suffix of its inputs and its messages.</summary>
public sealed record OfferFields(LocalOfferForm Form, string Id, IReadOnlyDictionary<string, string> Errors);
