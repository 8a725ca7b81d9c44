using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

public sealed class ReferralForm : VersionedForm
{
    public RegularService? Service { get; set; }

    public string? ServiceName { get; set; }

    public DateOnly? Date { get; set; }

    public Guid? GoalId { get; set; }

    public string? Note { get; set; }

    public Guid? OfferId { get; set; }
}

/// <summary>Referrals to the regular services (Regeldienste), optionally for a goal of the plan.</summary>
[Route("faelle")]
public sealed class ReferralsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/vermittlungen")]
    public async Task<IActionResult> MakeReferral(Guid id, ReferralForm form, CancellationToken ct) =>
        await Change(id, new MakeReferral(id, form.Version, form.Service, form.ServiceName, Date(form.Date), form.GoalId, form.Note, form.OfferId),
            "Die Vermittlung ist erfasst.", new CasePlace(CaseTab.Plan, "referrals-title"), ct, form);
}
