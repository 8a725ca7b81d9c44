using CaseManagement.LocalOffers;
using CaseManagement.Plans.Translations;
using Mediator;
using NodaTime;

namespace CaseManagement.Web.Features.Plans.Print;

/// <summary>
/// One of the client's next steps on the print: an open step of a goal still being worked on, or an open referral; with
/// the place to go when the referral chose an offer of the organisation's directory.
/// </summary>
public sealed record NextStep(string Text, string? ClientText, LocalDate? Due, string? Where, LocalOfferView? Offer);

/// <summary>The print view of the plan: the case, the day, the language printed beside German and the choices offered.</summary>
public sealed record PlanPrintPage(CaseSummary Case, LocalDate Today, PlanLanguage Language)
{
    public const string View = "~/Features/Plans/Print/Print.cshtml";

    /// <summary>German, with the organisation's own wording of single texts.</summary>
    public PlanLanguage German { get; init; } = PlanTranslations.German;

    public IReadOnlyList<NextStep> NextSteps { get; init; } = [];

    public bool Bilingual => Language.Code != "de";

    /// <summary>The German text of a fixed text, and the client's when the print is bilingual.</summary>
    public (string German, string? Client) Text(string key) => (German[key], Bilingual ? Language[key] : null);

    /// <summary>The offer's name in the client's language, when the directory has it and it differs from the German one.</summary>
    public string? ClientName(LocalOfferView offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return Bilingual && offer.NameIn(Language.Code) is { } name && name != offer.Name ? name : null;
    }

    /// <summary>"Name, Anschrift. Öffnungszeiten: …" of an offer, in German.</summary>
    public string Place(LocalOfferView offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var text = offer.Address is null ? offer.Name : $"{offer.Name}, {offer.Address}";
        return offer.OpeningHours is null ? text : $"{text}. {German["OpeningHours"]}: {offer.OpeningHours}";
    }
}

public static class PlanPrint
{
    /// <summary>Referrals without a goal count as open for this long after they were made.</summary>
    public const int OpenReferralDays = 183;

    /// <summary>
    /// The language to print: the one asked for (ISO 639-1, <c>de</c> for German only), else the case's first language the
    /// plan prints in, else German. Null when the one asked for is not supported.
    /// </summary>
    public static PlanLanguage? Language(string? requested, CaseSummary plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.IsNullOrWhiteSpace(requested) ? PlanTranslations.Preferred(plan.Languages) : PlanTranslations.Find(requested);
    }

    /// <summary>The print with the organisation's text overrides and the client's next steps with the places of the offers.</summary>
    public static async Task<PlanPrintPage> Page(IMediator mediator, CaseSummary plan, PlanLanguage language, LocalDate today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(mediator);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(language);
        var german = PlanTranslations.German.WithOverrides(await mediator.Send(new GetPlanTextOverrides("de"), ct));
        var client = language.Code == "de" ? german : language.WithOverrides(await mediator.Send(new GetPlanTextOverrides(language.Code), ct));
        var open = plan.Goals.Where(g => !Goals.IsFinal(g.Status)).ToDictionary(g => g.Id);
        var referrals = plan.Referrals
            .Where(r => r.GoalId is { } goal ? open.ContainsKey(goal) : r.Date >= today.PlusDays(-OpenReferralDays))
            .ToList();
        var offerIds = referrals.Select(r => r.OfferId).OfType<Guid>().ToList();
        var offers = offerIds.Count == 0 ? new Dictionary<Guid, LocalOfferView>() : await mediator.Send(new GetLocalOffers(offerIds), ct);
        var bilingual = client.Code != "de";
        var steps = open.Values
            .SelectMany(g => g.Steps.Where(s => s.CompletedOn is null))
            .Select(s => s.Responsible == StepResponsible.OtherService && s.Service is not null
                ? new NextStep(s.Text, null, s.DueDate, s.Service, null)
                : new NextStep($"{s.Text} ({german.Responsible(s.Responsible)})", bilingual ? client.Responsible(s.Responsible) : null, s.DueDate, null, null))
            .Concat(referrals.OrderBy(r => r.Date).Select(r =>
            {
                var offer = r.OfferId is { } id ? offers.GetValueOrDefault(id) : null;
                return new NextStep(Referrals.ServiceLabel(r.Service) + (r.ServiceName is null ? "" : $" ({r.ServiceName})"), null, null, offer is null ? r.ServiceName : null, offer);
            }))
            .OrderBy(s => s.Due ?? LocalDate.MaxIsoValue)
            .ToList();
        return new PlanPrintPage(plan, today, client) { German = german, NextSteps = steps };
    }
}
