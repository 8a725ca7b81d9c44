using Microsoft.Extensions.Configuration;
using NodaTime;

namespace CaseManagement.Tests.Cases;

public sealed class EligibilityCheckTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly EligibilityRules Defaults = new();

    private static ClientFacts InFollowUpAccommodation(ResidenceKind residence, string? nationality = "IQ", LocalDate? validUntil = null) =>
        new(HousingType.FollowUpAccommodation, null, residence, validUntil, nationality, Today.PlusYears(2));

    [Theory]
    [InlineData(ResidenceKind.AsylumEntitlement, EligibilityVerdict.Eligible, "Asylberechtigung (Art. 16a GG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.RefugeeProtection, EligibilityVerdict.Eligible, "Flüchtlingsschutz (§ 3 AsylG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.SubsidiaryProtection, EligibilityVerdict.Eligible, "Subsidiärer Schutz (§ 4 AsylG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.DeportationBan, EligibilityVerdict.Eligible, "Nationales Abschiebungsverbot (§ 60 Abs. 5/7 AufenthG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.TemporaryProtection, EligibilityVerdict.Eligible, "Vorübergehender Schutz (§ 24 AufenthG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.SettlementPermit, EligibilityVerdict.Eligible, "Niederlassungserlaubnis: Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.OtherResidencePermit, EligibilityVerdict.Eligible, "Sonstige Aufenthaltserlaubnis (z. B. §§ 25a, 25b, 104c AufenthG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).")]
    [InlineData(ResidenceKind.AsylumProcedurePending, EligibilityVerdict.NeedsIndividualDecision, "Aufenthaltsgestattung (Asylverfahren läuft), Staatsangehörigkeit Irak nicht auf der Liste der Länder mit hoher Schutzquote: Bleibeperspektive nur durch Einzelfallentscheidung.")]
    [InlineData(ResidenceKind.TrainingToleration, EligibilityVerdict.NeedsIndividualDecision, "Ausbildungsduldung (§ 60c AufenthG): Bleibeperspektive nur durch Einzelfallentscheidung.")]
    [InlineData(ResidenceKind.EmploymentToleration, EligibilityVerdict.NeedsIndividualDecision, "Beschäftigungsduldung (§ 60d AufenthG): Bleibeperspektive nur durch Einzelfallentscheidung.")]
    [InlineData(ResidenceKind.Toleration, EligibilityVerdict.NotEligible, "Duldung: keine Bleibeperspektive (Bedingung 2 nicht erfüllt).")]
    [InlineData(ResidenceKind.ObligedToLeave, EligibilityVerdict.NotEligible, "Ausreisepflichtig: keine Bleibeperspektive (Bedingung 2 nicht erfüllt).")]
    public void Every_row_of_the_default_rules_table_gives_its_verdict_with_a_German_reason(ResidenceKind residence, EligibilityVerdict expected, string reason)
    {
        var result = EligibilityCheck.Evaluate(InFollowUpAccommodation(residence), Defaults, Today);

        Assert.Equal(expected, result.Verdict);
        Assert.Contains("Wohnt in der Anschlussunterbringung (§§ 17, 18 FlüAG): Bedingung 1 erfüllt.", result.Reasons);
        Assert.Contains(reason, result.Reasons);
    }

    [Fact]
    public void The_default_table_has_a_rule_for_every_residence_status()
    {
        Assert.Empty(Defaults.Problems());
        Assert.Equal(Enum.GetValues<ResidenceKind>().Order(), Defaults.Residence.Keys.Order());
    }

    [Theory]
    [InlineData("SY")]
    [InlineData("ER")]
    [InlineData("SO")]
    [InlineData("AF")]
    [InlineData("sy")]
    public void A_pending_asylum_procedure_counts_for_nationals_of_high_protection_rate_countries(string nationality)
    {
        var result = EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.AsylumProcedurePending, nationality), Defaults, Today);

        Assert.Equal(EligibilityVerdict.Eligible, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Contains($"Staatsangehörigkeit {CountryNames.Name(nationality)} mit hoher Schutzquote", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pending_asylum_procedure_without_a_recorded_nationality_needs_an_individual_decision()
    {
        var result = EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.AsylumProcedurePending, nationality: null), Defaults, Today);

        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Contains("Staatsangehörigkeit nicht erfasst", StringComparison.Ordinal));
    }

    [Fact]
    public void The_list_of_high_protection_rate_countries_comes_from_configuration()
    {
        var rules = new EligibilityRules { HighProtectionRateCountries = ["IQ"] };

        Assert.Equal(EligibilityVerdict.Eligible, EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.AsylumProcedurePending, "IQ"), rules, Today).Verdict);
        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.AsylumProcedurePending, "SY"), rules, Today).Verdict);
    }

    [Fact]
    public void A_changed_reading_of_the_ministry_is_a_configuration_change()
    {
        var residence = EligibilityRules.DefaultResidence();
        residence[ResidenceKind.Toleration] = ResidenceRule.IndividualDecision;
        var rules = new EligibilityRules { Residence = residence };

        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.Toleration), rules, Today).Verdict);
    }

    [Theory]
    [InlineData(HousingType.PreliminaryAccommodation, "vorläufigen Unterbringung")]
    [InlineData(HousingType.PrivateHousing, "Wohnt privat")]
    [InlineData(HousingType.Other, "Wohnt nicht in der Anschlussunterbringung")]
    public void Outside_the_follow_up_accommodation_nobody_is_eligible_whatever_the_residence_status(HousingType housing, string reason)
    {
        var facts = new ClientFacts(housing, null, ResidenceKind.RefugeeProtection, null, "SY", Today.PlusYears(1));

        var result = EligibilityCheck.Evaluate(facts, Defaults, Today);

        Assert.Equal(EligibilityVerdict.NotEligible, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Contains(reason, StringComparison.Ordinal) && r.EndsWith("Bedingung 1 nicht erfüllt.", StringComparison.Ordinal));
        Assert.Equal("Gehört nicht zur Zielgruppe des Integrationsmanagements.", result.Reasons[0]);
    }

    [Fact]
    public void After_a_move_out_of_the_AU_support_continues_within_the_support_period_only_when_configured()
    {
        var movedOut = new ClientFacts(HousingType.PrivateHousing, Today.PlusDays(-30), ResidenceKind.SubsidiaryProtection, null, "SY", Today.PlusMonths(6));
        var continuing = new EligibilityRules { ContinueAfterMoveOutWithinSupportPeriod = true };

        Assert.Equal(EligibilityVerdict.NotEligible, EligibilityCheck.Evaluate(movedOut, Defaults, Today).Verdict);
        var result = EligibilityCheck.Evaluate(movedOut, continuing, Today);
        Assert.Equal(EligibilityVerdict.Eligible, result.Verdict);
        Assert.Contains(result.Reasons, r => r.Contains("im laufenden Förderzeitraum bis", StringComparison.Ordinal));

        var periodOver = movedOut with { SupportPeriodEnd = Today.PlusDays(-1) };
        Assert.Equal(EligibilityVerdict.NotEligible, EligibilityCheck.Evaluate(periodOver, continuing, Today).Verdict);
        var neverInAu = movedOut with { LivedInFollowUpAccommodationUntil = null };
        Assert.Equal(EligibilityVerdict.NotEligible, EligibilityCheck.Evaluate(neverInAu, continuing, Today).Verdict);
    }

    [Fact]
    public void An_expired_residence_document_turns_a_positive_status_into_an_individual_decision()
    {
        var expired = InFollowUpAccommodation(ResidenceKind.SubsidiaryProtection, validUntil: Today.PlusDays(-1));
        var lastDay = InFollowUpAccommodation(ResidenceKind.SubsidiaryProtection, validUntil: Today);

        var result = EligibilityCheck.Evaluate(expired, Defaults, Today);

        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, result.Verdict);
        Assert.Contains("Das Aufenthaltsdokument ist seit dem 22.11.2026 abgelaufen: bitte den aktuellen Aufenthaltsstatus erfassen; bis dahin Einzelfallentscheidung.", result.Reasons);
        Assert.Equal(EligibilityVerdict.Eligible, EligibilityCheck.Evaluate(lastDay, Defaults, Today).Verdict);
    }

    [Fact]
    public void An_expired_document_never_makes_a_negative_status_better()
    {
        var result = EligibilityCheck.Evaluate(InFollowUpAccommodation(ResidenceKind.ObligedToLeave, validUntil: Today.PlusDays(-10)), Defaults, Today);

        Assert.Equal(EligibilityVerdict.NotEligible, result.Verdict);
    }

    [Fact]
    public void The_verdict_depends_on_the_day_it_is_evaluated()
    {
        var facts = InFollowUpAccommodation(ResidenceKind.TemporaryProtection, validUntil: new LocalDate(2027, 3, 4));

        Assert.Equal(EligibilityVerdict.Eligible, EligibilityCheck.Evaluate(facts, Defaults, new LocalDate(2027, 3, 4)).Verdict);
        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, EligibilityCheck.Evaluate(facts, Defaults, new LocalDate(2027, 3, 5)).Verdict);
    }

    [Fact]
    public void An_incomplete_or_malformed_configured_table_is_reported_in_German()
    {
        var residence = EligibilityRules.DefaultResidence();
        residence.Remove(ResidenceKind.Toleration);
        var rules = new EligibilityRules { Residence = residence, HighProtectionRateCountries = ["SYR"] };

        Assert.Equal(
            ["Eligibility:Residence: keine Regel für Toleration.", "Eligibility:HighProtectionRateCountries: „SYR“ ist kein zweistelliger Ländercode (ISO 3166-1 alpha-2)."],
            rules.Problems());
    }
}

public sealed class EligibilityConfigurationTests
{
    private static EligibilityRules Read(params (string Key, string Value)[] settings) =>
        EligibilityRules.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("Eligibility:" + s.Key, s.Value)))
            .Build()
            .GetSection(EligibilityRules.Section));

    [Fact]
    public void Without_configuration_the_documented_defaults_apply()
    {
        var rules = Read();

        Assert.Equal(EligibilityRules.DefaultResidence(), rules.Residence);
        Assert.Equal(["SY", "ER", "SO", "AF"], rules.HighProtectionRateCountries);
        Assert.False(rules.ContinueAfterMoveOutWithinSupportPeriod);
    }

    [Fact]
    public void Configured_rows_and_lists_replace_the_defaults_and_the_rest_stays()
    {
        var rules = Read(
            ("Residence:Toleration", "IndividualDecision"),
            ("HighProtectionRateCountries:0", "sy"),
            ("HighProtectionRateCountries:1", "IQ"),
            ("ContinueAfterMoveOutWithinSupportPeriod", "true"));

        Assert.Equal(ResidenceRule.IndividualDecision, rules.Residence[ResidenceKind.Toleration]);
        Assert.Equal(ResidenceRule.Met, rules.Residence[ResidenceKind.RefugeeProtection]);
        Assert.Equal(["SY", "IQ"], rules.HighProtectionRateCountries);
        Assert.True(rules.ContinueAfterMoveOutWithinSupportPeriod);
    }

    [Fact]
    public void A_value_that_is_not_understood_stops_the_start_with_a_German_message()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Residence:Toleration", "Vielleicht"), ("Residence:Unbekannt", "Met")));

        Assert.Contains("Eligibility:Residence:Toleration: „Vielleicht“ ist keine Regel", error.Message, StringComparison.Ordinal);
        Assert.Contains("unbekannter Aufenthaltsstatus „Unbekannt“", error.Message, StringComparison.Ordinal);
    }
}
