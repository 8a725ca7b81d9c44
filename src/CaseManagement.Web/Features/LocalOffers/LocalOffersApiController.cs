using CaseManagement.LocalOffers;
using CaseManagement.Organisations;
using CaseManagement.Web.Features.Api;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.LocalOffers;

/// <summary>An offer of the directory as the API shows it (<c>source</c> null for the organisation's own entries).</summary>
public sealed record LocalOfferOutput(
    Guid Id, OfferCategory Category, string Name, string? Address, string? OpeningHours, string? Contact, IReadOnlyList<string> Languages,
    string? Source, DateTimeOffset? RefreshedAt, IReadOnlyDictionary<string, string> Names)
{
    public static LocalOfferOutput Of(LocalOfferView o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(o.Id, o.Category, o.Name, o.Address, o.OpeningHours, o.Contact, o.Languages, o.Source, o.RefreshedAt, o.Names);
    }
}

/// <summary>An offer to add or change; <c>languages</c> as ISO 639-1 codes.</summary>
public sealed record LocalOfferInput(OfferCategory? Category, string? Name, string? Address, string? OpeningHours, string? Contact, IReadOnlyList<string>? Languages);

/// <summary>Angebote vor Ort: the organisation's directory of local services (docs/local-offers.md).</summary>
[Route("api/v1/offers")]
[Tags("LocalOffers")]
public sealed class LocalOffersApiController(IMediator mediator) : ApiControllerBase
{
    /// <summary>Everyone of the organisation except the DPO: the directory (own and imported offers), ordered by name; referrals take an <c>offerId</c> from it.</summary>
    [HttpGet]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.CaseWorkers + "," + Roles.Administrator)]
    [ProducesResponseType<IReadOnlyList<LocalOfferOutput>>(StatusCodes.Status200OK)]
    public async Task<IActionResult> ListOffers(CancellationToken ct) =>
        Ok((await mediator.Send(new ListLocalOffers(), ct)).Select(LocalOfferOutput.Of).ToList());

    /// <summary>Administrators: adds an offer to the directory.</summary>
    [HttpPost]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType<LocalOfferOutput>(StatusCodes.Status201Created)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> CreateOffer(LocalOfferInput request, CancellationToken ct) => Save(null, request, ct);

    /// <summary>Administrators: changes an offer (an imported one is overwritten again by the next Integreat refresh).</summary>
    [HttpPut("{offerId:guid}")]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType<LocalOfferOutput>(StatusCodes.Status200OK)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    [ProducesResponseType<ValidationProblemDetails>(StatusCodes.Status422UnprocessableEntity)]
    public Task<IActionResult> ChangeOffer(Guid offerId, LocalOfferInput request, CancellationToken ct) => Save(offerId, request, ct);

    /// <summary>Administrators: deletes an offer; referrals made to it keep the name of the place.</summary>
    [HttpDelete("{offerId:guid}")]
    [Authorize(AuthenticationSchemes = BearerScheme, Roles = Roles.Administrator)]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound)]
    public async Task<IActionResult> DeleteOffer(Guid offerId, CancellationToken ct)
    {
        await mediator.Send(new DeleteLocalOffer(offerId), ct);
        return NoContent();
    }

    private async Task<IActionResult> Save(Guid? id, LocalOfferInput? request, CancellationToken ct)
    {
        var languages = request?.Languages is { } list ? string.Join(',', list) : null;
        if (request?.Languages is { Count: > LocalOfferDirectory.MaxLanguages })
        {
            return InputProblem([new InputError("languages", LocalOfferDirectory.LanguagesRule)]);
        }

        var outcome = await mediator.Send(new SaveLocalOffer(id, request?.Category, request?.Name, request?.Address, request?.OpeningHours, request?.Contact, languages), ct);
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        var saved = (await mediator.Send(new GetLocalOffers([outcome.Value]), ct))[outcome.Value];
        return id is null
            ? Created($"/api/v1/offers/{saved.Id}", LocalOfferOutput.Of(saved))
            : Ok(LocalOfferOutput.Of(saved));
    }
}
