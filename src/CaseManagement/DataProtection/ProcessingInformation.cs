namespace CaseManagement.DataProtection;

/// <summary>
/// What Art. 15 Abs. 1 lit. a–h DSGVO (and Abs. 2) entitles the data subject to be told besides the data
/// itself, for one case: purposes, categories of data (from what the case holds), recipients (roles and
/// organisation from the access log and the history), storage period, rights, source, automated decisions.
/// The same record is <c>processing</c> in <c>fall.json</c> and the first part of <c>auskunft.html</c>.
/// </summary>
public sealed record ProcessingInformation(
    IReadOnlyList<string> Purposes,
    IReadOnlyList<DataCategory> DataCategories,
    IReadOnlyList<Recipient> Recipients,
    IReadOnlyList<string> RecipientsOutsideTheOrganisation,
    StoragePeriod Storage,
    IReadOnlyList<string> Rights,
    string SupervisoryAuthority,
    IReadOnlyList<string> Sources,
    AutomatedDecisionMaking AutomatedDecisionMaking);

/// <summary>A category of personal data the case holds, and what it consists of.</summary>
public sealed record DataCategory(string Name, string Contents);

/// <summary>A role of an organisation that read or changed the case file (people are not named).</summary>
public sealed record Recipient(string Organisation, string Role, int Reads, int Changes, Instant? FirstReadAt, Instant? LastReadAt);

/// <summary>How long the case is kept: the retention setting of the organisation, and the day that follows for this case.</summary>
public sealed record StoragePeriod(int MonthsAfterClosing, LocalDate? ClosedOn, LocalDate? ErasureDueOn, int AccessLogMonths, string Description);

public sealed record AutomatedDecisionMaking(bool Exists, string Description);

public static class ProcessingInformationRules
{
    public const string SupervisoryAuthority =
        "Landesbeauftragte/r für den Datenschutz und die Informationsfreiheit Baden-Württemberg (Art. 77 DSGVO)";

    /// <summary>The information for a case, from its current state, its history, its reminders and the access log.</summary>
    public static ProcessingInformation For(
        CaseSummary c,
        string organisation,
        IReadOnlyList<ExportedEvent> history,
        IReadOnlyList<ExportedRead> reads,
        int reminders,
        RetentionSettings retention,
        AccessLogSettings accessLog)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(reads);
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentNullException.ThrowIfNull(accessLog);
        return new ProcessingInformation(
            Purposes(c),
            Categories(c, reads.Count, reminders),
            Recipients(organisation, history, reads),
            Outside(c),
            Storage(c, retention, accessLog),
            Rights,
            SupervisoryAuthority,
            Sources(c, history),
            Automated(c));
    }

    private static List<string> Purposes(CaseSummary c)
    {
        List<string> purposes =
        [
            "Beratung und Begleitung im Integrationsmanagement (Pakt für Integration, VwV Integrationsmanagement): den Integrationsplan "
            + "mit Ihnen vereinbaren, fortschreiben und überprüfen, Beratungskontakte und Vermittlungen dokumentieren.",
            "Prüfung, ob Sie zur Zielgruppe des Integrationsmanagements gehören (Anschlussunterbringung und Bleibeperspektive), "
            + "und Verwaltung des Förderzeitraums.",
            "Fristen im Blick behalten: Erinnerungen an die Mitarbeitenden (Ziele, Überprüfungen, Gültigkeit des Aufenthaltstitels, Einwilligung, Kontakt).",
            "Verwendungsnachweis an die Förderbehörde: es werden nur Zahlen ohne Personenbezug gemeldet.",
            "Nachweis, wer die Fallakte wann gelesen oder geändert hat, und Bearbeitung von Anträgen zum Datenschutz (Art. 5 Abs. 2 DSGVO).",
        ];
        if (c.Consent is { } consent)
        {
            var withdrawn = c.ConsentWithdrawal?.Scopes ?? [];
            var given = consent.Scopes.Where(s => !withdrawn.Contains(s)).Select(ContactRules.ScopeLabel).ToList();
            purposes.Add($"Ihre Einwilligung vom {Time.Format(consent.GivenOn)} (Formular {consent.FormVersion}) gilt für: "
                         + (given.Count > 0 ? string.Join("; ", given) : "nichts mehr")
                         + (withdrawn.Count > 0 ? $". Widerrufen am {Time.Format(c.ConsentWithdrawal!.WithdrawnOn)}: {string.Join("; ", withdrawn.Select(ContactRules.ScopeLabel))}." : "."));
        }

        return purposes;
    }

    private static List<DataCategory> Categories(CaseSummary c, int reads, int reminders)
    {
        var fields = c.Goals.Select(g => g.Field).Concat(c.Consultations.SelectMany(k => k.Fields)).ToHashSet();
        var categories = new List<(bool Holds, string Name, string Contents)>
        {
            (true, "Stammdaten", "Name, Geburtsdatum, Geschlecht, Fallnummer"),
            (c.Nationality is not null, "Staatsangehörigkeit", "Staatsangehörigkeit"),
            (c.Languages.Count > 0 || c.InterpreterLanguage is not null, "Sprachen", "gesprochene Sprachen und Bedarf an Dolmetschung"),
            (c.ArrivedOn is not null, "Einreise", "Tag der Einreise"),
            (true, "Wohnsituation", "Wohnform und seit wann"),
            (true, "Aufenthaltsstatus", "Aufenthaltsstatus" + (c.ResidenceValidUntil is null ? "" : " und Gültigkeit")),
            (true, "Zielgruppe und Förderzeitraum", "Ergebnis der Zielgruppenprüfung mit Begründung, Beginn und Ende der Begleitung, Stand des Falls"),
            (!c.Contact.IsEmpty, "Kontaktdaten", "Telefon, E-Mail-Adresse, Anschrift (soweit angegeben)"),
            (c.Consent is not null, "Einwilligungen", "Tag, Umfang, Formularversion, Widerrufe"),
            (c.Profile != ClientProfile.Empty, "Bildung und Beruf", "Qualifikationen, Kompetenzen, Schulbesuch, Berufsabschluss, Berufserfahrung"),
            (c.LanguageLevels.Count > 0, "Sprachkenntnisse", "Sprachniveaus mit Grundlage und Zertifikat"),
            (c.Developments.Count > 0, "Individuelle Entwicklungen", "Einträge mit Datum (Freitext)"),
            (c.Goals.Count > 0, "Integrationsplan", "Ziele nach Handlungsfeld, Schritte, Termine, Stand, Überprüfungen"),
            (c.Consultations.Count > 0, "Beratungskontakte", "Datum, Dauer, Art, Themen, Dolmetschung, Notizen"),
            (c.Referrals.Count > 0, "Vermittlungen", "an welche Stelle, wann, Notiz"),
            (c.Household.Count > 0, "Haushalt", "Verknüpfung mit den Fällen von Haushaltsangehörigen (nur Fallnummer und Beziehung)"),
            (c.Decisions.Count > 0 || c.PendingRequests.Count > 0, "Entscheidungen der Teamleitung", "Anträge (Einzelfallentscheidung, Verlängerung) mit Begründung und Entscheidung"),
            (c.Restriction is not null, "Einschränkung der Verarbeitung", "seit wann und warum"),
            (fields.Contains(FieldOfAction.Health), "Gesundheit (Art. 9 DSGVO)",
                "Ziele oder Beratungen im Handlungsfeld Gesundheit können Angaben zu Ihrer Gesundheit enthalten"),
            (reminders > 0, "Erinnerungen", "Fristen, die den Mitarbeitenden angezeigt werden"),
            (reads > 0, "Zugriffsprotokoll", "wer (nach Rolle) die Fallakte wann, über welchen Weg und zu welchem Zweck gelesen hat"),
            (true, "Verlauf", "jede Änderung der Fallakte mit Zeitpunkt und Rolle der ändernden Person"),
        };
        return categories.Where(x => x.Holds).Select(x => new DataCategory(x.Name, x.Contents)).ToList();
    }

    private static List<Recipient> Recipients(string organisation, IReadOnlyList<ExportedEvent> history, IReadOnlyList<ExportedRead> reads)
    {
        var changes = history.Where(e => !e.AuthorRole.StartsWith("System", StringComparison.Ordinal))
            .GroupBy(e => e.AuthorRole).ToDictionary(g => g.Key, g => g.Count());
        var readBy = reads.GroupBy(r => r.Role).ToDictionary(g => g.Key, g => g.ToList());
        return readBy.Keys.Union(changes.Keys)
            .Order(StringComparer.Ordinal)
            .Select(role => new Recipient(
                organisation,
                role,
                readBy.GetValueOrDefault(role)?.Count ?? 0,
                changes.GetValueOrDefault(role),
                readBy.GetValueOrDefault(role)?.Min(r => r.At),
                readBy.GetValueOrDefault(role)?.Max(r => r.At)))
            .ToList();
    }

    private static List<string> Outside(CaseSummary c)
    {
        List<string> outside =
        [
            "Die Anwendung übermittelt keine Angaben aus Ihrer Fallakte an Stellen außerhalb des Trägers; andere Träger sehen sie nicht.",
            "Förderbehörde (Regierungspräsidium Stuttgart): nur Zahlen ohne Personenbezug im Verwendungsnachweis.",
            "Keine Übermittlung in Drittländer oder an internationale Organisationen (Art. 15 Abs. 2 DSGVO).",
        ];
        if (c.Referrals.Count > 0)
        {
            outside.Add("Stellen, an die Sie vermittelt wurden (ein Austausch mit ihnen setzt Ihre Einwilligung voraus): "
                        + string.Join(", ", c.Referrals.Select(r => r.Label).Distinct(StringComparer.Ordinal)) + ".");
        }

        return outside;
    }

    private static StoragePeriod Storage(CaseSummary c, RetentionSettings retention, AccessLogSettings accessLog)
    {
        var closed = c.Status == CaseStatus.Closed ? c.ClosedOn : null;
        var due = closed is { } day ? RetentionRules.DueOn(day, retention) : (LocalDate?)null;
        var description =
            $"Die Fallakte wird {retention.MonthsAfterClosing} Monate nach dem Abschluss des Falls gelöscht "
            + (due is { } d ? $"(dieser Fall wurde am {Time.Format(closed!.Value)} abgeschlossen: Löschung am {Time.Format(d)}). " : "(dieser Fall ist nicht abgeschlossen). ")
            + "Die/der Datenschutzbeauftragte kann die Löschung mit Begründung zurückhalten, etwa solange ein Verfahren läuft; "
            + "auf Ihren Antrag wird früher gelöscht (Art. 17 DSGVO). "
            + $"Einträge im Zugriffsprotokoll werden nach {accessLog.RetentionMonths} Monaten gelöscht. "
            + "Nach der Löschung bleibt für die Statistik ein Datensatz ohne Namen, Kontaktdaten und Texte "
            + "(Geschlecht, Geburtsjahr, Staatsangehörigkeit, Aufenthaltsstatus, Wohnform, Förderzeitraum, Abschluss, Zahl der Beratungen und Ziele).";
        return new StoragePeriod(retention.MonthsAfterClosing, closed, due, accessLog.RetentionMonths, description);
    }

    public static readonly IReadOnlyList<string> Rights =
    [
        "Auskunft über Ihre Daten (Art. 15 DSGVO) – dieses Dokument.",
        "Berichtigung unrichtiger Daten (Art. 16 DSGVO).",
        "Löschung (Art. 17 DSGVO).",
        "Einschränkung der Verarbeitung (Art. 18 DSGVO).",
        "Datenübertragbarkeit (Art. 20 DSGVO) – die Datei fall.json.",
        "Widerspruch gegen die Verarbeitung (Art. 21 DSGVO).",
        "Widerruf einer erteilten Einwilligung jederzeit, mit Wirkung für die Zukunft (Art. 7 Abs. 3 DSGVO).",
        "Beschwerde bei der Aufsichtsbehörde (Art. 77 DSGVO).",
    ];

    private static List<string> Sources(CaseSummary c, IReadOnlyList<ExportedEvent> history)
    {
        bool Has(string type) => history.Any(e => e.Type == type);
        var sources = new List<(bool Holds, string Text)>
        {
            (true, "Von Ihnen selbst: im Erstgespräch (Aufnahme des Falls) und in den Beratungen, erfasst von Ihrer Integrationsmanagerin oder Ihrem Integrationsmanager."),
            (c.LanguageLevels.Any(l => l.Certificate is not null), "Aus Nachweisen, die Sie vorgelegt haben (z. B. Sprachzertifikate)."),
            (c.Household.Count > 0 || Has(nameof(HouseholdMemberLinked)),
                "Haushalt: die Verknüpfung mit den Fällen Ihrer Haushaltsangehörigen hat die Integrationsmanagerin oder der Integrationsmanager eingetragen."),
            (true, "Von der Anwendung abgeleitet: das Ergebnis der Zielgruppenprüfung (aus Wohnform, Aufenthaltsstatus und Staatsangehörigkeit), das Ende des Förderzeitraums und die Erinnerungen."),
            (c.Decisions.Count > 0, "Von der Teamleitung: Entscheidungen über Einzelfallentscheidung oder Verlängerung."),
            (Has(nameof(ProcessingRestricted)), "Von der/dem Datenschutzbeauftragten: die Einschränkung der Verarbeitung."),
        };
        return sources.Where(s => s.Holds).Select(s => s.Text).ToList();
    }

    private static AutomatedDecisionMaking Automated(CaseSummary c) => new(
        false,
        "Es gibt keine automatisierte Entscheidung im Sinne von Art. 22 DSGVO und kein Profiling. Die Anwendung prüft anhand einer "
        + "festgelegten Regeltabelle (Wohnform, Aufenthaltsstatus, Staatsangehörigkeit), ob die Voraussetzungen der Zielgruppe vorliegen, "
        + $"und zeigt das Ergebnis mit Begründung an (derzeit: {CaseHistory.Verdict(c.Verdict)}). Dieses Ergebnis ist ein Vorschlag: Es beendet "
        + "keine Begleitung und verweigert keine Leistung. Ob Sie begleitet werden, entscheidet Ihre Integrationsmanagerin oder Ihr "
        + "Integrationsmanager; eine Einzelfallentscheidung trifft die Teamleitung. Erinnerungen an Fristen sind Hinweise an die Mitarbeitenden.");
}
