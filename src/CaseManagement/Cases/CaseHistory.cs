using static CaseManagement.Common.Time;

namespace CaseManagement.Cases;

/// <summary>German one-line descriptions of case events, for the timeline and the "what changed" message.</summary>
public static class CaseHistory
{
    public static string Describe(object e) => e switch
    {
        CaseOpened { Imported: { } import } opened =>
            $"Fall {opened.CaseNumber} aufgenommen durch Import aus „{import.FileName}“, Zeile {import.Row} (bisheriges Aktenzeichen {import.Reference})",
        CaseOpened opened => $"Fall {opened.CaseNumber} aufgenommen",
        HousingChanged changed => $"Wohnsituation geändert: {EligibilityCheck.HousingLabel(changed.Housing.Type)} seit {Format(changed.Housing.Since)}",
        ResidenceStatusChanged changed => $"Aufenthaltsstatus geändert: {EligibilityCheck.ResidenceLabel(changed.Residence.Kind)}"
                                          + (changed.Residence.ValidUntil is { } until ? $", gültig bis {Format(until)}" : ""),
        EligibilityEvaluated evaluated => $"Eignung geprüft: {Verdict(evaluated.Verdict)}",
        IndividualDecisionRequested => "Einzelfallentscheidung bei der Teamleitung beantragt",
        SupportExtensionRequested => "Verlängerung des Förderzeitraums beantragt",
        CasePaused => "Fall ruht",
        CaseResumed => "Fall fortgesetzt",
        CaseClosed closed => $"Fall abgeschlossen ({Closing(closed.Reason)})",
        CaseReopened => "Fall wieder eröffnet",
        ConsultationRecorded c => $"Beratungskontakt am {Format(c.Date)} ({c.DurationMinutes} Min., {RecordConsultationHandler.ModeLabel(c.Mode)})",
        AppointmentScheduled a => $"Termin geplant am {Format(a.Start.Date)} um {a.Start:HH:mm} Uhr ({a.DurationMinutes} Min., {AppointmentRules.PlaceLabel(a.Place)})",
        AppointmentChanged a => $"Termin verlegt auf {Format(a.Start.Date)} um {a.Start:HH:mm} Uhr ({a.DurationMinutes} Min., {AppointmentRules.PlaceLabel(a.Place)})",
        AppointmentCancelled => "Termin abgesagt",
        AppointmentMissed => "Termin versäumt",
        AppointmentTookPlace => "Termin wahrgenommen",
        StepPlanned step => $"Schritt geplant ({GoalSteps.ResponsibleLabel(step.Responsible, step.Service)}): {step.Text}",
        StepCompleted step => $"Schritt erledigt am {Format(step.CompletedOn)}",
        PlanReviewed review => $"Fortschreibung am {Format(review.Date)}: {review.Summary}",
        PlanSigned signed => $"Integrationsplan von der Klientin / dem Klienten unterschrieben am {Format(signed.SignedOn)}",
        GoalAgreed goal => $"Ziel vereinbart ({Goals.FieldLabel(goal.Field)}): {goal.Text}",
        GoalStatusChanged goal => $"Ziel „{Goals.StatusLabel(goal.Status)}“" + (goal.Reason is null ? "" : $" – {goal.Reason}"),
        ContactDetailsChanged => "Kontaktdaten und Anschrift geändert",
        ConsentRecorded consent => $"Einwilligung erfasst (vom {Format(consent.Consent.GivenOn)}, Formular {consent.Consent.FormVersion})",
        HouseholdMemberLinked link => $"Haushaltsmitglied verknüpft: Fall {link.MemberCaseNumber} ({HouseholdRules.RelationLabel(link.Relation)})",
        HouseholdMemberUnlinked link => $"Verknüpfung mit Fall {link.MemberCaseNumber} gelöst",
        ProfileUpdated => "Profil (Qualifikationen, Schule, Beruf) aktualisiert",
        LanguageLevelAssessed level => $"Sprachniveau {level.Language}: {level.Level} ({ProfileLabels.Basis(level.Basis)})",
        DevelopmentNoted development => $"Entwicklung am {Format(development.Date)} notiert",
        ReferralMade referral => $"Vermittelt an {Referrals.ServiceLabel(referral.Service)}" + (referral.ServiceName is null ? "" : $" ({referral.ServiceName})"),
        ApprovalDecided decided => $"{ApprovalLabels.Kind(decided.Kind)} {(decided.Approved ? "genehmigt" : "abgelehnt")} durch die Teamleitung"
                                   + (decided.Comment is null ? "" : $": {decided.Comment}"),
        CaseReassigned => "Fall umverteilt",
        TransferRequested t => "Übergabe an ein anderes Team angefragt" + (t.Note is null ? "" : $": {t.Note}"),
        TransferDecided t => $"Übergabe {(t.Accepted ? "angenommen" : "abgelehnt")}" + (t.Comment is null ? "" : $": {t.Comment}"),
        DataProtection.ConsentWithdrawn w => $"Einwilligung widerrufen am {Format(w.WithdrawnOn)} für: {string.Join("; ", w.Scopes.Select(ContactRules.ScopeLabel))}",
        DataProtection.ProcessingRestricted r => $"Verarbeitung eingeschränkt (Art. 18 DSGVO): {r.Reason}",
        DataProtection.ProcessingRestrictionLifted => "Einschränkung der Verarbeitung aufgehoben",
        DataProtection.CaseErased => "Fall gelöscht (Art. 17 DSGVO)",
        DocumentAttached d => $"Dokument angefügt ({AttachDocumentHandler.KindLabel(d.Kind)}, {Format(d.Date)}): {d.Title}",
        DocumentDeleted d => $"Dokument „{d.Title}“ gelöscht" + (d.Reason is null ? "" : $": {d.Reason}"),
        _ => "Änderung",
    };

    public static string Verdict(EligibilityVerdict verdict) => verdict switch
    {
        EligibilityVerdict.Eligible => "Zielgruppe",
        EligibilityVerdict.NeedsIndividualDecision => "Einzelfallentscheidung nötig",
        _ => "nicht Zielgruppe",
    };

    public static string Closing(ClosingReason reason) => reason switch
    {
        ClosingReason.GoalsReached => "Ziele erreicht",
        ClosingReason.MovedAway => "weggezogen",
        ClosingReason.NoLongerEligible => "nicht mehr in der Zielgruppe",
        ClosingReason.ContactLost => "Kontakt abgebrochen",
        _ => "sonstiger Grund",
    };
}
