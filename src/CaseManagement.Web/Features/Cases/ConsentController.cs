using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

public sealed class ConsentForm : VersionedForm
{
    public DateOnly? GivenOn { get; set; }

    public List<ConsentScope> Scopes { get; set; } = [];

    public string? FormVersion { get; set; }
}

public sealed class ConsentWithdrawalForm : VersionedForm
{
    public DateOnly? WithdrawnOn { get; set; }

    public List<ConsentScope> Scopes { get; set; } = [];
}

/// <summary>The client's consent to the processing: given (again) and withdrawn, as the manager records it.</summary>
[Route("faelle")]
public sealed class ConsentController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/einwilligung")]
    public async Task<IActionResult> RecordConsent(Guid id, ConsentForm form, CancellationToken ct) =>
        await Change(id, new RecordConsent(id, form.Version, Date(form.GivenOn), form.Scopes, form.FormVersion), "Die Einwilligung ist erfasst.", new CasePlace(CaseTab.DataProtection, "consent-title"), ct, form);

    [HttpPost("{id:guid}/einwilligung/widerruf")]
    public async Task<IActionResult> WithdrawConsent(Guid id, ConsentWithdrawalForm form, CancellationToken ct) =>
        await Change(id, new CaseManagement.DataProtection.WithdrawConsent(id, form.Version, Date(form.WithdrawnOn), form.Scopes),
            "Der Widerruf der Einwilligung ist erfasst.", new CasePlace(CaseTab.DataProtection, "consent-title"), ct, form);
}
