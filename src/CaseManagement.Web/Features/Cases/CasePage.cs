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

/// <summary>
/// The model of one capability's part of the case page (a partial): the case, today, what the user may do, and the
/// form the user just submitted, kept as typed with the case's current version, with its messages per field.
/// </summary>
public sealed record CaseSection(CaseSummary Case, LocalDate Today, CaseActions Can, VersionedForm? Submitted)
{
    /// <summary>The first message per field of the submitted form.</summary>
    public IReadOnlyDictionary<string, string> Errors { get; init; } = new Dictionary<string, string>();

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
