using Microsoft.AspNetCore.Mvc.ModelBinding;
using NodaTime;

namespace CaseManagement.Web.Features.Cases;

/// <summary>A form on the case page: it carries the case version it was rendered from.</summary>
public abstract class VersionedForm
{
    public long Version { get; set; }
}

/// <summary>
/// What the user may do on the case page, decided once: from the processing rules (which changes the case still
/// takes) and the state of the case. The views only read these.
/// </summary>
public sealed record CaseActions
{
    /// <summary>The counselling itself: person, situation, plan, consultations, referrals, household.</summary>
    public bool Work { get; init; }

    public bool Pause { get; init; }

    public bool Resume { get; init; }

    /// <summary>Also after the client withdrew consent (the counselling ends), not while processing is restricted.</summary>
    public bool Close { get; init; }

    public bool Reopen { get; init; }

    /// <summary>New consent: not closed, processing not restricted (a withdrawal does not block it).</summary>
    public bool RecordConsent { get; init; }

    /// <summary>A withdrawal: consent exists for something not yet withdrawn, processing not restricted.</summary>
    public bool WithdrawConsent { get; init; }

    public bool RequestIndividualDecision { get; init; }

    public bool RequestExtension { get; init; }

    /// <summary>Sign or review the plan: it has goals.</summary>
    public bool SignOrReviewPlan { get; init; }

    public static CaseActions For(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var work = ProcessingRules.Takes(c, CaseChangeKind.Work);
        return new CaseActions
        {
            Work = work,
            Pause = work && c.Status == CaseStatus.Open,
            Resume = work && c.Status == CaseStatus.Paused,
            Close = c.Status != CaseStatus.Closed && ProcessingRules.Takes(c, CaseChangeKind.Close),
            Reopen = c.Status == CaseStatus.Closed && ProcessingRules.Takes(c, CaseChangeKind.Reopen),
            RecordConsent = ProcessingRules.Takes(c, CaseChangeKind.RecordConsent),
            WithdrawConsent = c.Restriction is null && ConsentStillGiven(c).Any(),
            RequestIndividualDecision = work && !c.IndividualDecisionPending && !c.IndividualDecisionApproved
                                        && c.Verdict == EligibilityVerdict.NeedsIndividualDecision,
            RequestExtension = work && !c.ExtensionPending && CaseLabels.LatestDecision(c, ApprovalKind.SupportExtension) is not { Approved: true },
            SignOrReviewPlan = work && c.Goals.Count > 0,
        };
    }

    /// <summary>The goal takes steps (planned and ticked off): the case takes work and the goal is not final.</summary>
    public bool WorkOn(GoalView goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        return Work && !Goals.IsFinal(goal.Status);
    }

    /// <summary>The statuses the goal can move to now (none when the case takes no work).</summary>
    public IReadOnlyList<GoalStatus> NextStatuses(GoalView goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        return Work ? Goals.NextStatuses(goal.Status) : [];
    }

    /// <summary>The scopes of the consent that are not withdrawn.</summary>
    public static IReadOnlyList<ConsentScope> ConsentStillGiven(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Consent is { } consent ? consent.Scopes.Except(c.ConsentWithdrawal?.Scopes ?? []).ToList() : [];
    }
}

/// <summary>The sections of the case page, each on its own URL (<c>/faelle/{id}</c> is the overview).</summary>
public enum CaseTab
{
    Overview,
    Plan,
    Consultations,
    Appointments,
    Reminders,
    Documents,
    History,
    DataProtection,
}

/// <summary>The URL part and the German name of each section of the case page.</summary>
public static class CaseTabs
{
    /// <summary>Entries per page in the long lists of the case page (consultations, history).</summary>
    public const int PageSize = 20;

    public static IReadOnlyList<CaseTab> All { get; } = Enum.GetValues<CaseTab>();

    public static string Slug(CaseTab tab) => tab switch
    {
        CaseTab.Plan => "plan",
        CaseTab.Consultations => "beratungen",
        CaseTab.Appointments => "termine",
        CaseTab.Reminders => "erinnerungen",
        CaseTab.Documents => "dokumente",
        CaseTab.History => "verlauf",
        CaseTab.DataProtection => "datenschutz",
        _ => "",
    };

    public static string Label(CaseTab tab) => tab switch
    {
        CaseTab.Plan => "Plan",
        CaseTab.Consultations => "Beratungen",
        CaseTab.Appointments => "Termine",
        CaseTab.Reminders => "Erinnerungen",
        CaseTab.Documents => "Dokumente",
        CaseTab.History => "Verlauf",
        CaseTab.DataProtection => "Datenschutz",
        _ => "Überblick",
    };

    /// <summary>The section's URL, e.g. <c>/faelle/{id}/plan</c>; a page of a long list as <c>?page=2</c>.</summary>
    public static string Url(Guid caseId, CaseTab tab, int page = 1)
    {
        var slug = Slug(tab);
        var url = slug.Length == 0 ? $"/faelle/{caseId}" : $"/faelle/{caseId}/{slug}";
        return page > 1 ? $"{url}?page={page}" : url;
    }
}

/// <summary>Where on the case page a saved change is shown: the section and the element (its id, the URL's fragment).</summary>
public sealed record CasePlace(CaseTab Tab, string? Anchor = null)
{
    /// <summary>The goal's element in the plan section (<c>#ziel-{id}</c>).</summary>
    public static CasePlace Goal(Guid goalId) => new(CaseTab.Plan, GoalAnchor(goalId));

    public static string GoalAnchor(Guid goalId) => $"ziel-{goalId}";
}

/// <summary>One page of a long list on the case page, newest first.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, int Page, int Pages, int Total)
{
    public static ListPage<T> Of(IEnumerable<T> all, int page)
    {
        ArgumentNullException.ThrowIfNull(all);
        var list = all as IReadOnlyList<T> ?? all.ToList();
        var pages = Math.Max(1, (list.Count + CaseTabs.PageSize - 1) / CaseTabs.PageSize);
        var current = Paging.Page(page);
        return new ListPage<T>(list.Skip(Paging.Offset(current, CaseTabs.PageSize)).Take(CaseTabs.PageSize).ToList(), current, pages, list.Count);
    }
}

/// <summary>
/// The model of one capability's part of the case page (a partial): the case, today, what the user may do, and the
/// form the user just submitted, kept as typed with the case's current version, with its messages per field.
/// </summary>
public sealed record CaseSection(CaseSummary Case, LocalDate Today, CaseActions Can, VersionedForm? Submitted)
{
    /// <summary>The first message per field of the submitted form.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

    /// <summary>The id of the element the user just saved (shown highlighted once), or null.</summary>
    public string? JustSaved { get; init; }

    /// <summary>The page of the long list the user asked for (consultations, history).</summary>
    public int ListPage { get; init; } = 1;

    /// <summary>"just-saved" for the element that was just saved, else empty.</summary>
    public string SavedClass(string anchor) => JustSaved == anchor ? "just-saved" : "";

    /// <summary>The organisation's directory of local offers (Angebote vor Ort) for the referral form; empty for who cannot work on the case.</summary>
    public IReadOnlyList<CaseManagement.LocalOffers.LocalOfferView> Offers { get; init; } = [];

    /// <summary>Whether the submitted form was this one (to open its section again).</summary>
    public bool WasSubmitted<T>()
        where T : VersionedForm => Submitted is T;

    /// <summary>The form of this kind: as the user submitted it, else empty; always at the case's current version.</summary>
    public T Form<T>()
        where T : VersionedForm, new() => Form(_ => new T());

    /// <summary>The form of this kind: as the user submitted it, else filled from the case; always at the case's current version.</summary>
    public T Form<T>(Func<CaseSummary, T> fromCase)
        where T : VersionedForm
    {
        ArgumentNullException.ThrowIfNull(fromCase);
        var form = Submitted as T ?? fromCase(Case);
        form.Version = Case.Version;
        return form;
    }

    /// <summary>The message for a field of the form of this kind, when that form was the one submitted.</summary>
    public string? Error<T>(string field)
        where T : VersionedForm => Submitted is T ? Errors.GetValueOrDefault(field) : null;

    /// <summary>How much of the support period has passed, in percent (0–100).</summary>
    public int SupportElapsedPercent
    {
        get
        {
            var total = Period.Between(Case.SupportStart, Case.SupportEnd.PlusDays(1), PeriodUnits.Days).Days;
            var elapsed = Math.Clamp(Period.Between(Case.SupportStart, Today, PeriodUnits.Days).Days, 0, total);
            return total == 0 ? 0 : elapsed * 100 / total;
        }
    }

    public static IReadOnlyDictionary<string, string> FirstErrors(ModelStateDictionary modelState)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        return modelState.Where(e => e.Value is { Errors.Count: > 0 })
            .ToDictionary(e => e.Key, e => e.Value!.Errors[0].ErrorMessage, StringComparer.Ordinal);
    }
}

/// <summary>A Vertretung for the case's manager; <paramref name="ForYou"/> when the signed-in user is the deputy and it runs today.</summary>
public sealed record DeputyNotice(DeputyGrantView Grant, bool ForYou);

/// <summary>
/// The case page: a composition of the capabilities' sections. The form the user just submitted (if any) is kept
/// as typed, with the case's current version, so that a failed or stale submit can be corrected and sent again.
/// </summary>
public sealed record CasePage(CaseSection Section, string? Message, IReadOnlyList<TimelineEntry> Timeline)
{
    /// <summary>The section shown.</summary>
    public CaseTab Tab { get; init; }

    /// <summary>The case's responsible integration manager.</summary>
    public string ManagerName { get; init; } = "–";

    /// <summary>The signed-in user's open reminders for this case (the Erinnerungen section).</summary>
    public IReadOnlyList<CaseManagement.Reminders.InboxItem> Reminders { get; init; } = [];

    /// <summary>The next thing due on the case: a step, a goal's review, the plan's review or the end of the support period.</summary>
    public (LocalDate Day, string What)? NextDue
    {
        get
        {
            if (Case.Status == CaseStatus.Closed)
            {
                return null;
            }

            var due = new List<(LocalDate Day, string What)> { (Case.SupportEnd, "Ende des Förderzeitraums") };
            if (Case.NextReviewOn is { } review)
            {
                due.Add((review, "Fortschreibung des Plans"));
            }

            foreach (var goal in Case.Goals.Where(g => !Goals.IsFinal(g.Status)))
            {
                if (goal.NextReview is { } goalReview)
                {
                    due.Add((goalReview, "Überprüfung eines Ziels"));
                }

                due.AddRange(goal.Steps.Where(s => s.CompletedOn is null && s.DueDate is not null).Select(s => (s.DueDate!.Value, "Schritt fällig")));
            }

            return due.MinBy(d => d.Day);
        }
    }

    public CaseSummary Case => Section.Case;

    public LocalDate Today => Section.Today;

    /// <summary>Managers go back to "Meine Fälle", team leads to the approvals.</summary>
    public bool BackToCaseload { get; init; }

    /// <summary>Current and coming Vertretungen for the case's manager.</summary>
    public IReadOnlyList<DeputyNotice> Deputies { get; init; } = [];

    /// <summary>Why the manager may only read the case (restriction, consent withdrawn); null when not.</summary>
    public string? ReadOnlyReason => ProcessingRules.ReadOnlyReason(Case);

    /// <summary>The quick note at the top of the page (when the case takes work), else null.</summary>
    public Consultations.QuickNoteBox? QuickNote { get; init; }
}

/// <summary>The page links under a long list of the case page (plain links, no JavaScript).</summary>
public sealed record CaseListPages(Guid CaseId, CaseTab Tab, int Page, int Pages, int Total);
