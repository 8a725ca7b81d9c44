using System.Globalization;
using CaseManagement.Web.Features.Administration;
using CaseManagement.Web.Features.Caseloads;
using CaseManagement.Web.Features.Cases;
using CaseManagement.Web.Infrastructure;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Consultations;

/// <summary>
/// The quick note as posted: the consultation's fields, where it was sent from (<see cref="FromList"/>: "Meine Fälle",
/// else the case page) and, from the list, the list's position (filters and page) to go back to.
/// </summary>
public sealed class QuickNoteForm : ConsultationFields
{
    public bool FromList { get; set; }

    public string? Search { get; set; }

    public CaseStatus? Status { get; set; }

    public EligibilityVerdict? Verdict { get; set; }

    public bool Overdue { get; set; }

    public int Page { get; set; } = 1;

    /// <summary>The list's route values (as <see cref="CaseListPage.PageRoute"/>), for the way back.</summary>
    public IDictionary<string, string> ListRoute() => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["search"] = Search ?? "",
        ["status"] = Status?.ToString() ?? "",
        ["verdict"] = Verdict?.ToString() ?? "",
        ["overdue"] = Overdue ? "true" : "false",
        ["page"] = Page.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// One quick note form (Kurznotiz) for one case, on "Meine Fälle" (one per row) or at the top of the case page: the
/// last used mode and duration preset, today's date, keyboard-first.
/// </summary>
public sealed record QuickNoteBox(Guid CaseId, long Version, string FirstName, string LastName, LocalDate Today, QuickNotePresets Presets)
{
    /// <summary>The form as the user submitted it (after a refusal), else null.</summary>
    public QuickNoteForm? Submitted { get; init; }

    /// <summary>The first message per field of the submitted form.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>On "Meine Fälle" (else at the top of the case page).</summary>
    public bool OnList { get; init; }

    /// <summary>The list's position, posted back with the form (list only).</summary>
    public CaseListPage? List { get; init; }

    /// <summary>Ids of this box's fields: unique on the list page, where every case row has its own box.</summary>
    public string Id(string field) => OnList ? $"qn-{CaseId:N}-{field}" : $"quick-note-{field}";

    public string? Error(string field) => Errors.GetValueOrDefault(field);

    public DateOnly Date => Submitted?.Date ?? Today.ToDateOnly();

    public int? DurationMinutes => Submitted is null ? Presets.DurationMinutes : Submitted.DurationMinutes;

    public ConsultationMode? Mode => Submitted is null ? Presets.Mode : Submitted.Mode;

    public static QuickNoteBox For(CaseSummary c, LocalDate today, QuickNotePresets presets)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new QuickNoteBox(c.Id, c.Version, c.FirstName, c.LastName, today, presets);
    }
}

/// <summary>The quick note: a consultation in one step, from "Meine Fälle" or the top of the case page.</summary>
[Route("faelle")]
public sealed class QuickNotesController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    public const string Saved = "Die Kurznotiz ist als Beratungskontakt erfasst.";

    [HttpPost("{id:guid}/kurznotiz")]
    public async Task<IActionResult> Record(Guid id, QuickNoteForm form, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(form);
        var outcome = await Mediator.Send(new RecordQuickNote(form.ToCommand(id)), ct);
        if (!form.FromList)
        {
            return await AfterChange(id, outcome, Saved, new CasePlace(CaseTab.Overview), ct, form);
        }

        if (outcome.Succeeded)
        {
            this.Confirm(Saved);
            return RedirectToAction(nameof(MyCasesController.Index), "MyCases", form.ListRoute(), $"fall-{id:N}");
        }

        // Back on the list, where the user was, with this case's quick note open and the messages next to its fields.
        ModelState.AddInputErrors(outcome.Errors);
        var page = await MyCasesController.Page(Mediator, Clock, form.Search, form.Status, form.Verdict, form.Overdue, form.Page, ct);
        return View(MyCasesController.IndexView, page with
        {
            QuickNoteFor = id,
            QuickNote = form,
            QuickNoteErrors = CaseSection.FirstErrors(ModelState),
        });
    }
}
