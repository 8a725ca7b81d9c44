using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

public sealed class ContactForm : VersionedForm
{
    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Street { get; set; }

    public string? PostalCode { get; set; }

    public string? City { get; set; }

    public static ContactForm From(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new()
        {
            Version = c.Version, Phone = c.Contact.Phone, Email = c.Contact.Email, Street = c.Contact.Street, PostalCode = c.Contact.PostalCode, City = c.Contact.City,
        };
    }
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

/// <summary>The person and their situation: contact details and address, housing, residence status (the eligibility is checked again).</summary>
[Route("faelle")]
public sealed class PersonController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/kontakt")]
    public async Task<IActionResult> ChangeContact(Guid id, ContactForm form, CancellationToken ct) =>
        await Change(id, new ChangeContactDetails(id, form.Version, form.Phone, form.Email, form.Street, form.PostalCode, form.City),
            "Die Kontaktdaten sind gespeichert.", new CasePlace(CaseTab.Overview, "person-title"), ct, form);

    [HttpPost("{id:guid}/wohnen")]
    public async Task<IActionResult> ChangeHousing(Guid id, HousingForm form, CancellationToken ct) =>
        await Change(id, new ChangeHousing(id, form.Version, form.Type, Date(form.Since)),
            "Die Wohnsituation wurde geändert; die Eignung ist neu geprüft.", new CasePlace(CaseTab.Overview, "situation-title"), ct, form);

    [HttpPost("{id:guid}/aufenthalt")]
    public async Task<IActionResult> ChangeResidence(Guid id, ResidenceForm form, CancellationToken ct) =>
        await Change(id, new ChangeResidenceStatus(id, form.Version, form.Kind, Date(form.ValidUntil)),
            "Der Aufenthaltsstatus wurde geändert; die Eignung ist neu geprüft.", new CasePlace(CaseTab.Overview, "situation-title"), ct, form);
}
