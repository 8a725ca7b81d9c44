namespace CaseManagement.Cases;

/// <summary>Wohnform of the client (API contract names).</summary>
public enum HousingType
{
    /// <summary>Anschlussunterbringung (AU, §§ 17, 18 FlüAG) — municipal follow-up housing.</summary>
    FollowUpAccommodation,

    /// <summary>Vorläufige Unterbringung — the district's initial housing.</summary>
    PreliminaryAccommodation,

    /// <summary>Privatwohnung.</summary>
    PrivateHousing,

    /// <summary>Sonstige Wohnform.</summary>
    Other,
}

/// <summary>Aufenthaltsstatus of the client (API contract names).</summary>
public enum ResidenceKind
{
    /// <summary>Asylberechtigung (Art. 16a GG).</summary>
    AsylumEntitlement,

    /// <summary>Flüchtlingsschutz (§ 3 AsylG).</summary>
    RefugeeProtection,

    /// <summary>Subsidiärer Schutz (§ 4 AsylG).</summary>
    SubsidiaryProtection,

    /// <summary>Nationales Abschiebungsverbot (§ 60 Abs. 5/7 AufenthG).</summary>
    DeportationBan,

    /// <summary>Vorübergehender Schutz (§ 24 AufenthG), e.g. people displaced from Ukraine.</summary>
    TemporaryProtection,

    /// <summary>Niederlassungserlaubnis.</summary>
    SettlementPermit,

    /// <summary>Sonstige Aufenthaltserlaubnis (e.g. §§ 25a, 25b, 104c AufenthG).</summary>
    OtherResidencePermit,

    /// <summary>Aufenthaltsgestattung — asylum procedure pending.</summary>
    AsylumProcedurePending,

    /// <summary>Ausbildungsduldung (§ 60c AufenthG).</summary>
    TrainingToleration,

    /// <summary>Beschäftigungsduldung (§ 60d AufenthG).</summary>
    EmploymentToleration,

    /// <summary>Duldung (other than §§ 60c, 60d).</summary>
    Toleration,

    /// <summary>Ausreisepflichtig.</summary>
    ObligedToLeave,
}

public enum EligibilityVerdict
{
    Eligible,
    NeedsIndividualDecision,
    NotEligible,
}

/// <summary>What a residence status means for the Bleibeperspektive (one row of the rules table).</summary>
public enum ResidenceRule
{
    /// <summary>Bleibeperspektive gegeben.</summary>
    Met,

    /// <summary>Given when the nationality is on the list of countries with a high protection rate, else individual decision.</summary>
    MetIfHighProtectionRate,

    /// <summary>Einzelfallentscheidung: written justification and the team lead's approval.</summary>
    IndividualDecision,

    /// <summary>Keine Bleibeperspektive.</summary>
    NotMet,
}

/// <summary>
/// The eligibility rules table (configuration section <c>Eligibility</c>). The ministry's reading of the
/// target group changes, so the table lives in configuration; the defaults and their sources are documented
/// in <c>docs/eligibility-rules.md</c>.
/// </summary>
public sealed class EligibilityRules
{
    public const string Section = "Eligibility";

    /// <summary>Residence status → Bleibeperspektive (ministry notice on the target group, DESIGN.md §3).</summary>
    public Dictionary<ResidenceKind, ResidenceRule> Residence { get; init; } = DefaultResidence();

    /// <summary>
    /// Countries (ISO 3166-1 alpha-2) with a high protection rate: a pending asylum procedure counts as
    /// Bleibeperspektive for their nationals (the list used for admission to integration courses).
    /// </summary>
    public List<string> HighProtectionRateCountries { get; init; } = [.. DefaultHighProtectionRateCountries];

    /// <summary>The list used for admission to integration courses (DESIGN.md §3).</summary>
    public static readonly IReadOnlyList<string> DefaultHighProtectionRateCountries = ["SY", "ER", "SO", "AF"];

    /// <summary>
    /// Continue support after a move out of the Anschlussunterbringung while the support period runs.
    /// Off by default: the programme's rule is that only AU residents belong to the target group.
    /// </summary>
    public bool ContinueAfterMoveOutWithinSupportPeriod { get; init; }

    public static Dictionary<ResidenceKind, ResidenceRule> DefaultResidence() => new()
    {
        [ResidenceKind.AsylumEntitlement] = ResidenceRule.Met,
        [ResidenceKind.RefugeeProtection] = ResidenceRule.Met,
        [ResidenceKind.SubsidiaryProtection] = ResidenceRule.Met,
        [ResidenceKind.DeportationBan] = ResidenceRule.Met,
        [ResidenceKind.TemporaryProtection] = ResidenceRule.Met,
        [ResidenceKind.SettlementPermit] = ResidenceRule.Met,
        [ResidenceKind.OtherResidencePermit] = ResidenceRule.Met,
        [ResidenceKind.AsylumProcedurePending] = ResidenceRule.MetIfHighProtectionRate,
        [ResidenceKind.TrainingToleration] = ResidenceRule.IndividualDecision,
        [ResidenceKind.EmploymentToleration] = ResidenceRule.IndividualDecision,
        [ResidenceKind.Toleration] = ResidenceRule.NotMet,
        [ResidenceKind.ObligedToLeave] = ResidenceRule.NotMet,
    };

    /// <summary>
    /// Reads the table from configuration; every key not given keeps its documented default. A value
    /// that is not understood stops the application at start with a German message (never a silent default).
    /// </summary>
    public static EligibilityRules FromConfiguration(Microsoft.Extensions.Configuration.IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var problems = new List<string>();
        var residence = DefaultResidence();
        foreach (var row in section.GetSection(nameof(Residence)).GetChildren())
        {
            if (!Enum.TryParse<ResidenceKind>(row.Key, ignoreCase: false, out var kind))
            {
                problems.Add($"Eligibility:Residence: unbekannter Aufenthaltsstatus „{row.Key}“.");
            }
            else if (!Enum.TryParse<ResidenceRule>(row.Value, ignoreCase: false, out var rule) || !Enum.IsDefined(rule))
            {
                problems.Add($"Eligibility:Residence:{row.Key}: „{row.Value}“ ist keine Regel (erlaubt: {string.Join(", ", Enum.GetNames<ResidenceRule>())}).");
            }
            else
            {
                residence[kind] = rule;
            }
        }

        var countries = section.GetSection(nameof(HighProtectionRateCountries)).GetChildren().Select(c => c.Value ?? "").ToList();
        var continueText = section[nameof(ContinueAfterMoveOutWithinSupportPeriod)];
        var continueAfterMoveOut = false;
        if (continueText is not null && !bool.TryParse(continueText, out continueAfterMoveOut))
        {
            problems.Add($"Eligibility:{nameof(ContinueAfterMoveOutWithinSupportPeriod)}: „{continueText}“ ist weder true noch false.");
        }

        var rules = new EligibilityRules
        {
            Residence = residence,
            HighProtectionRateCountries = countries.Count > 0 ? countries.Select(c => c.Trim().ToUpperInvariant()).ToList() : [.. DefaultHighProtectionRateCountries],
            ContinueAfterMoveOutWithinSupportPeriod = continueAfterMoveOut,
        };
        problems.AddRange(rules.Problems());
        return problems.Count == 0
            ? rules
            : throw new InvalidOperationException("Die Regeln der Eignungsprüfung sind fehlerhaft konfiguriert: " + string.Join(" ", problems));
    }

    /// <summary>German problems with a configured table (empty when it is complete and valid).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Enum.GetValues<ResidenceKind>()
            .Where(kind => !Residence.ContainsKey(kind))
            .Select(kind => $"Eligibility:Residence: keine Regel für {kind}.")
            .ToList();
        problems.AddRange(HighProtectionRateCountries
            .Where(code => code.Length != 2 || !code.All(char.IsAsciiLetter))
            .Select(code => $"Eligibility:HighProtectionRateCountries: „{code}“ ist kein zweistelliger Ländercode (ISO 3166-1 alpha-2)."));
        return problems;
    }
}

/// <summary>The facts about a client that the target-group check looks at.</summary>
/// <param name="Housing">Current housing.</param>
/// <param name="LivedInFollowUpAccommodationUntil">Last day in the AU when the client has moved out of it, else null.</param>
/// <param name="Residence">Current residence status.</param>
/// <param name="ResidenceValidUntil">Validity of the residence document, if it has one.</param>
/// <param name="Nationality">ISO 3166-1 alpha-2, if known.</param>
/// <param name="SupportPeriodEnd">Last day of the running support period, if support has started.</param>
public sealed record ClientFacts(
    HousingType Housing,
    LocalDate? LivedInFollowUpAccommodationUntil,
    ResidenceKind Residence,
    LocalDate? ResidenceValidUntil,
    string? Nationality,
    LocalDate? SupportPeriodEnd);

/// <summary>The verdict with its reasons, in German, as the case page shows them.</summary>
public sealed record EligibilityResult(EligibilityVerdict Verdict, IReadOnlyList<string> Reasons);

/// <summary>
/// The target-group check (DESIGN.md §3): two independent conditions — living in the municipal
/// Anschlussunterbringung and having a Bleibeperspektive. Pure: same facts, rules and day, same verdict.
/// </summary>
public static class EligibilityCheck
{
    public static EligibilityResult Evaluate(ClientFacts facts, EligibilityRules rules, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(rules);

        var (housingMet, housingReason) = Housing(facts, rules, today);
        var (residence, residenceReasons) = Residence(facts, rules, today);

        var verdict = !housingMet || residence == ResidenceRule.NotMet ? EligibilityVerdict.NotEligible
            : residence == ResidenceRule.IndividualDecision ? EligibilityVerdict.NeedsIndividualDecision
            : EligibilityVerdict.Eligible;
        var summary = verdict switch
        {
            EligibilityVerdict.Eligible => "Gehört zur Zielgruppe des Integrationsmanagements.",
            EligibilityVerdict.NeedsIndividualDecision =>
                "Einzelfallentscheidung nötig: bitte schriftlich begründen; die Teamleitung entscheidet.",
            _ => "Gehört nicht zur Zielgruppe des Integrationsmanagements.",
        };
        return new EligibilityResult(verdict, [summary, housingReason, .. residenceReasons]);
    }

    private static (bool Met, string Reason) Housing(ClientFacts facts, EligibilityRules rules, LocalDate today)
    {
        if (facts.Housing == HousingType.FollowUpAccommodation)
        {
            return (true, "Wohnt in der Anschlussunterbringung (§§ 17, 18 FlüAG): Bedingung 1 erfüllt.");
        }

        var movedOutWithinSupport = facts.LivedInFollowUpAccommodationUntil is { } leftOn
            && facts.SupportPeriodEnd is { } end && leftOn <= end && today <= end;
        if (rules.ContinueAfterMoveOutWithinSupportPeriod && movedOutWithinSupport)
        {
            return (true, $"Aus der Anschlussunterbringung ausgezogen ({CaseManagement.Common.Time.Format(facts.LivedInFollowUpAccommodationUntil!.Value)}); "
                          + $"die Begleitung wird im laufenden Förderzeitraum bis {CaseManagement.Common.Time.Format(facts.SupportPeriodEnd!.Value)} fortgesetzt: Bedingung 1 erfüllt.");
        }

        var reason = facts.Housing switch
        {
            HousingType.PreliminaryAccommodation =>
                "Wohnt in der vorläufigen Unterbringung des Landkreises, nicht in der Anschlussunterbringung: Bedingung 1 nicht erfüllt.",
            HousingType.PrivateHousing => "Wohnt privat, nicht in der Anschlussunterbringung: Bedingung 1 nicht erfüllt.",
            _ => "Wohnt nicht in der Anschlussunterbringung: Bedingung 1 nicht erfüllt.",
        };
        return (false, reason);
    }

    private static (ResidenceRule Outcome, IReadOnlyList<string> Reasons) Residence(ClientFacts facts, EligibilityRules rules, LocalDate today)
    {
        var label = ResidenceLabel(facts.Residence);
        var rule = rules.Residence.TryGetValue(facts.Residence, out var configured) ? configured : ResidenceRule.IndividualDecision;
        var reasons = new List<string>();
        switch (rule)
        {
            case ResidenceRule.Met:
                reasons.Add($"{label}: Bleibeperspektive gegeben (Bedingung 2 erfüllt).");
                break;
            case ResidenceRule.MetIfHighProtectionRate when IsHighProtectionRate(facts.Nationality, rules):
                rule = ResidenceRule.Met;
                reasons.Add($"{label}, Staatsangehörigkeit {CountryNames.Name(facts.Nationality)} mit hoher Schutzquote: Bleibeperspektive gegeben (Bedingung 2 erfüllt).");
                break;
            case ResidenceRule.MetIfHighProtectionRate:
                rule = ResidenceRule.IndividualDecision;
                reasons.Add(string.IsNullOrWhiteSpace(facts.Nationality)
                    ? $"{label}, Staatsangehörigkeit nicht erfasst: Bleibeperspektive nur durch Einzelfallentscheidung."
                    : $"{label}, Staatsangehörigkeit {CountryNames.Name(facts.Nationality)} nicht auf der Liste der Länder mit hoher Schutzquote: Bleibeperspektive nur durch Einzelfallentscheidung.");
                break;
            case ResidenceRule.IndividualDecision:
                reasons.Add($"{label}: Bleibeperspektive nur durch Einzelfallentscheidung.");
                break;
            default:
                reasons.Add($"{label}: keine Bleibeperspektive (Bedingung 2 nicht erfüllt).");
                break;
        }

        if (facts.ResidenceValidUntil is { } validUntil && validUntil < today && rule != ResidenceRule.NotMet)
        {
            rule = ResidenceRule.IndividualDecision;
            reasons.Add($"Das Aufenthaltsdokument ist seit dem {CaseManagement.Common.Time.Format(validUntil)} abgelaufen: bitte den aktuellen Aufenthaltsstatus erfassen; bis dahin Einzelfallentscheidung.");
        }

        return (rule, reasons);
    }

    private static bool IsHighProtectionRate(string? nationality, EligibilityRules rules) =>
        !string.IsNullOrWhiteSpace(nationality)
        && rules.HighProtectionRateCountries.Contains(nationality.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>German label with the legal basis, as forms and reasons show it.</summary>
    public static string ResidenceLabel(ResidenceKind kind) => Labels.Of(kind);

    public static string HousingLabel(HousingType type) => Labels.Of(type);
}
