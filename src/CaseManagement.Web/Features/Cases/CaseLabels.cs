using CaseManagement.Web.Infrastructure;

namespace CaseManagement.Web.Features.Cases;

/// <summary>German labels of the case module's values.</summary>
public static class CaseLabels
{
    public static string Gender(Gender gender) => gender switch
    {
        global::CaseManagement.Cases.Gender.Female => "weiblich",
        global::CaseManagement.Cases.Gender.Male => "männlich",
        global::CaseManagement.Cases.Gender.Diverse => "divers",
        _ => "unbekannt",
    };

    public static string Status(CaseStatus status) => status switch
    {
        CaseStatus.Open => "offen",
        CaseStatus.Paused => "ruhend",
        _ => "abgeschlossen",
    };

    public static string Verdict(EligibilityVerdict verdict) => CaseHistory.Verdict(verdict);

    /// <summary>The verdict as the case shows it: an approved individual decision makes the client part of the target group.</summary>
    public static string Eligibility(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.IndividualDecisionApproved ? "Zielgruppe (Einzelfallentscheidung)" : Verdict(c.Verdict);
    }

    /// <summary>The CSS class of the verdict as the case shows it.</summary>
    public static string VerdictClass(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return "verdict-" + (c.IndividualDecisionApproved ? "eligible" : c.Verdict.ToString().ToLowerInvariant());
    }

    public static ApprovalDecisionView? LatestDecision(CaseSummary c, ApprovalKind kind)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Decisions.LastOrDefault(d => d.Kind == kind);
    }

    public static string DecisionText(ApprovalDecisionView d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return $"{ApprovalLabels.Kind(d.Kind)} am {Dates.Moment(d.DecidedAt)} von der Teamleitung {(d.Approved ? "genehmigt" : "abgelehnt")}"
               + (d.Comment is null ? "." : $": {d.Comment}");
    }

    public static string Closing(ClosingReason reason) => CaseHistory.Closing(reason);
}
