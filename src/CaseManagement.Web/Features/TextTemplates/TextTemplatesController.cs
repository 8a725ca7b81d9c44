using CaseManagement.Organisations;
using CaseManagement.TextTemplates;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.TextTemplates;

public sealed class TextTemplateForm
{
    public string? Name { get; set; }

    public string? Text { get; set; }
}

/// <summary>The templates of one scope with the form for a new one; <see cref="Editing"/> is the template whose form was refused.</summary>
public sealed record TextTemplatesPage(TextTemplateScope Scope, IReadOnlyList<TextTemplateView> Templates, string? Message)
{
    public TextTemplateForm NewForm { get; init; } = new();

    public Guid? Editing { get; init; }

    public TextTemplateForm? EditForm { get; init; }

    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    public bool NewFormRefused => Editing is null && Errors.Count > 0;

    public string Title => Scope == TextTemplateScope.Organisation ? "Textbausteine der Organisation" : "Meine Textbausteine";
}

/// <summary>
/// Textbausteine: administrators manage the organisation's under Verwaltung, every case worker their own under the
/// profile; everyone signed in fetches the ones they can insert (own and the organisation's) as JSON for the
/// insertion script (js/text-templates.js). The texts are never logged.
/// </summary>
public sealed class TextTemplatesController(IMediator mediator) : Controller
{
    private const string View_ = "~/Features/TextTemplates/TextTemplates/Index.cshtml";

    [Authorize(Roles = Roles.Administrator)]
    [HttpGet("verwaltung/textbausteine")]
    public Task<IActionResult> Organisation(CancellationToken ct) => Index(TextTemplateScope.Organisation, ct);

    [Authorize(Roles = Roles.Administrator)]
    [HttpPost("verwaltung/textbausteine")]
    public Task<IActionResult> CreateForOrganisation(TextTemplateForm form, CancellationToken ct) => Save(TextTemplateScope.Organisation, null, form, ct);

    [Authorize(Roles = Roles.Administrator)]
    [HttpPost("verwaltung/textbausteine/{templateId:guid}")]
    public Task<IActionResult> ChangeForOrganisation(Guid templateId, TextTemplateForm form, CancellationToken ct) => Save(TextTemplateScope.Organisation, templateId, form, ct);

    [Authorize(Roles = Roles.Administrator)]
    [HttpPost("verwaltung/textbausteine/{templateId:guid}/loeschen")]
    public Task<IActionResult> DeleteForOrganisation(Guid templateId, CancellationToken ct) => Delete(TextTemplateScope.Organisation, templateId, ct);

    [Authorize(Roles = Roles.CaseWorkers)]
    [HttpGet("profil/textbausteine")]
    public Task<IActionResult> Personal(CancellationToken ct) => Index(TextTemplateScope.Personal, ct);

    [Authorize(Roles = Roles.CaseWorkers)]
    [HttpPost("profil/textbausteine")]
    public Task<IActionResult> CreatePersonal(TextTemplateForm form, CancellationToken ct) => Save(TextTemplateScope.Personal, null, form, ct);

    [Authorize(Roles = Roles.CaseWorkers)]
    [HttpPost("profil/textbausteine/{templateId:guid}")]
    public Task<IActionResult> ChangePersonal(Guid templateId, TextTemplateForm form, CancellationToken ct) => Save(TextTemplateScope.Personal, templateId, form, ct);

    [Authorize(Roles = Roles.CaseWorkers)]
    [HttpPost("profil/textbausteine/{templateId:guid}/loeschen")]
    public Task<IActionResult> DeletePersonal(Guid templateId, CancellationToken ct) => Delete(TextTemplateScope.Personal, templateId, ct);

    /// <summary>The templates the signed-in case worker can insert (own first, then the organisation's), for the insertion script.</summary>
    [Authorize(Roles = Roles.CaseWorkers)]
    [HttpGet("profil/textbausteine/einfuegbar")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Insertable(CancellationToken ct) =>
        Json((await mediator.Send(new GetInsertableTextTemplates(), ct)).Select(t => new { name = t.Name, text = t.Text, personal = t.Scope == TextTemplateScope.Personal }));

    private async Task<IActionResult> Index(TextTemplateScope scope, CancellationToken ct) =>
        View(View_, new TextTemplatesPage(scope, await mediator.Send(new ListTextTemplates(scope), ct), this.Confirmation()));

    private async Task<IActionResult> Save(TextTemplateScope scope, Guid? id, TextTemplateForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await mediator.Send(new SaveTextTemplate(scope, id, form.Name, form.Text), ct);
        if (outcome.Succeeded)
        {
            return this.Confirmed(id is null ? "Der Textbaustein ist angelegt." : "Der Textbaustein ist gespeichert.", IndexAction(scope));
        }

        ModelState.AddInputErrors(outcome.Errors);
        var page = new TextTemplatesPage(scope, await mediator.Send(new ListTextTemplates(scope), ct), null)
        {
            Errors = Cases.CaseSection.FirstErrors(ModelState),
            Editing = id,
            NewForm = id is null ? form : new TextTemplateForm(),
            EditForm = id is null ? null : form,
        };
        return View(View_, page);
    }

    private async Task<IActionResult> Delete(TextTemplateScope scope, Guid id, CancellationToken ct)
    {
        await mediator.Send(new DeleteTextTemplate(scope, id), ct);
        return this.Confirmed("Der Textbaustein ist gelöscht.", IndexAction(scope));
    }

    private static string IndexAction(TextTemplateScope scope) => scope == TextTemplateScope.Organisation ? nameof(Organisation) : nameof(Personal);
}
