using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

public sealed class HouseholdForm : VersionedForm
{
    public string? MemberCaseNumber { get; set; }

    public HouseholdRelation? Relation { get; set; }
}

/// <summary>The household: the cases of the client's household members, linked both ways.</summary>
[Route("faelle")]
public sealed class HouseholdController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/haushalt")]
    public async Task<IActionResult> Link(Guid id, HouseholdForm form, CancellationToken ct) =>
        await Change(id, new LinkHouseholdMember(id, form.Version, form.MemberCaseNumber, form.Relation), "Das Haushaltsmitglied ist verknüpft.", new CasePlace(CaseTab.Overview, "household-title"), ct, form);

    [HttpPost("{id:guid}/haushalt/{memberCaseId:guid}/loesen")]
    public async Task<IActionResult> Unlink(Guid id, Guid memberCaseId, long version, CancellationToken ct) =>
        await Change(id, new UnlinkHouseholdMember(id, version, memberCaseId), "Die Verknüpfung ist gelöst.", new CasePlace(CaseTab.Overview, "household-title"), ct);
}
