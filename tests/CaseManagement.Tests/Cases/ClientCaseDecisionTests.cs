using NodaTime;
using static CaseManagement.Cases.ClientCaseDecisions;

namespace CaseManagement.Tests.Cases;

public sealed class ClientCaseDecisionTests
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 30);
    private static readonly Guid Manager = Guid.NewGuid();
    private static readonly EligibilityRules Rules = new();
    private static readonly PersonalData Person = new("Amal", "Haddad", new LocalDate(1990, 5, 17), Gender.Female, "SY", ["ar", "de"], "ar");

    /// <summary>Builds the write model the way Marten would: from the events the decisions produced.</summary>
    private static ClientCase Replay(IEnumerable<object> events)
    {
        ClientCase? state = null;
        foreach (var e in events)
        {
            state = e switch
            {
                CaseOpened opened => ClientCase.Create(opened),
                HousingChanged x => state!.Apply(x),
                ResidenceStatusChanged x => state!.Apply(x),
                EligibilityEvaluated x => state!.Apply(x),
                IndividualDecisionRequested x => state!.Apply(x),
                SupportExtensionRequested x => state!.Apply(x),
                CasePaused x => state!.Apply(x),
                CaseResumed x => state!.Apply(x),
                CaseClosed x => state!.Apply(x),
                CaseReopened x => state!.Apply(x),
                GoalAgreed x => state!.Apply(x),
                GoalStatusChanged x => state!.Apply(x),
                ApprovalDecided x => state!.Apply(x),
                _ => throw new InvalidOperationException(e.GetType().Name),
            };
        }

        return state!;
    }

    private static List<object> Opened(ResidenceKind residence = ResidenceKind.SubsidiaryProtection, HousingType housing = HousingType.FollowUpAccommodation, LocalDate? supportStart = null) =>
        [.. Open(Guid.NewGuid(), "MU-2026-0001", Person, new Housing(housing, Today.PlusMonths(-3)), new ResidenceStatus(residence, Today.PlusYears(2)),
            supportStart ?? Today.PlusMonths(-1), Manager, Rules, Today, Manager, Now)];

    [Fact]
    public void Opening_a_case_records_the_intake_and_the_eligibility_verdict_with_reasons()
    {
        var events = Opened();

        var opened = Assert.IsType<CaseOpened>(events[0]);
        var evaluated = Assert.IsType<EligibilityEvaluated>(events[1]);
        Assert.Equal(Person, opened.Person);
        Assert.Equal((Manager, Now), (opened.OpenedBy, opened.OpenedAt));
        Assert.Equal(EligibilityVerdict.Eligible, evaluated.Verdict);
        Assert.Equal(Today, evaluated.EvaluatedOn);
        Assert.Contains("Subsidiärer Schutz (§ 4 AsylG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).", evaluated.Reasons);
        var state = Replay(events);
        Assert.Equal((CaseStatus.Open, EligibilityVerdict.Eligible), (state.Status, state.Verdict));
    }

    [Fact]
    public void A_change_of_residence_status_re_evaluates_eligibility()
    {
        var events = Opened();

        var changed = ChangeResidenceStatus(Replay(events), new ResidenceStatus(ResidenceKind.Toleration, null), Rules, Today, Manager, Now);

        Assert.IsType<ResidenceStatusChanged>(changed[0]);
        Assert.Equal(EligibilityVerdict.NotEligible, Assert.IsType<EligibilityEvaluated>(changed[1]).Verdict);
        Assert.Equal(EligibilityVerdict.NotEligible, Replay([.. events, .. changed]).Verdict);
    }

    [Fact]
    public void A_move_out_of_the_AU_re_evaluates_and_remembers_the_last_day_in_the_AU()
    {
        var events = Opened();
        var movedOn = Today.PlusDays(-2);

        var changed = ChangeHousing(Replay(events), new Housing(HousingType.PrivateHousing, movedOn), Rules, Today, Manager, Now);
        var state = Replay([.. events, .. changed]);

        Assert.Equal(EligibilityVerdict.NotEligible, state.Verdict);
        Assert.Equal(movedOn.PlusDays(-1), state.LeftFollowUpAccommodationOn);
        var continuing = new EligibilityRules { ContinueAfterMoveOutWithinSupportPeriod = true };
        Assert.Equal(EligibilityVerdict.Eligible, EligibilityCheck.Evaluate(state.Facts, continuing, Today).Verdict);
    }

    [Fact]
    public void Unchanged_or_backdated_housing_is_refused()
    {
        var state = Replay(Opened());

        Assert.Equal("Die Wohnsituation ist unverändert.",
            Assert.Throws<CaseRuleException>(() => ChangeHousing(state, state.Housing, Rules, Today, Manager, Now)).Message);
        Assert.StartsWith("Die neue Wohnsituation kann nicht vor der bisherigen",
            Assert.Throws<CaseRuleException>(() => ChangeHousing(state, new Housing(HousingType.PrivateHousing, state.Housing.Since.PlusDays(-1)), Rules, Today, Manager, Now)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void An_individual_decision_is_requested_with_a_written_justification_only_when_the_check_asks_for_it()
    {
        var eligible = Replay(Opened());
        Assert.Throws<CaseRuleException>(() => RequestIndividualDecision(eligible, "Ausbildung läuft seit zwei Jahren erfolgreich.", Manager, Now));

        var events = Opened(ResidenceKind.TrainingToleration);
        var state = Replay(events);
        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, state.Verdict);
        Assert.Equal("Bitte schriftlich begründen (mindestens 20 Zeichen).",
            Assert.Throws<CaseRuleException>(() => RequestIndividualDecision(state, "  kurz ", Manager, Now)).Message);

        var requested = RequestIndividualDecision(state, "  Ausbildung zur Pflegefachkraft läuft, Abschluss 2027.  ", Manager, Now);
        Assert.Equal("Ausbildung zur Pflegefachkraft läuft, Abschluss 2027.", Assert.IsType<IndividualDecisionRequested>(Assert.Single(requested)).Justification);
        var pending = Replay([.. events, .. requested]);
        Assert.True(pending.IndividualDecisionPending);
        Assert.Equal("Die Einzelfallentscheidung liegt der Teamleitung bereits vor.",
            Assert.Throws<CaseRuleException>(() => RequestIndividualDecision(pending, "Noch einmal mit mehr als zwanzig Zeichen.", Manager, Now)).Message);
    }

    [Fact]
    public void A_new_verdict_ends_a_pending_individual_decision()
    {
        var events = Opened(ResidenceKind.EmploymentToleration);
        events.AddRange(RequestIndividualDecision(Replay(events), "Beschäftigung seit 18 Monaten, Arbeitgeber bestätigt.", Manager, Now));

        events.AddRange(ChangeResidenceStatus(Replay(events), new ResidenceStatus(ResidenceKind.OtherResidencePermit, Today.PlusYears(2)), Rules, Today, Manager, Now));

        var state = Replay(events);
        Assert.Equal(EligibilityVerdict.Eligible, state.Verdict);
        Assert.False(state.IndividualDecisionPending);
    }

    [Fact]
    public void The_support_period_is_three_years_and_an_extension_to_four_needs_a_justification_once()
    {
        var start = new LocalDate(2025, 2, 1);
        var events = Opened(supportStart: start);
        var state = Replay(events);
        Assert.Equal(new LocalDate(2028, 1, 31), state.SupportEnd);

        Assert.Throws<CaseRuleException>(() => RequestSupportExtension(state, "zu kurz", Manager, Now));
        var requested = RequestSupportExtension(state, "Anerkennungsverfahren läuft noch, Abschluss absehbar.", Manager, Now);
        var pending = Replay([.. events, .. requested]);
        Assert.True(pending.ExtensionPending);
        Assert.Equal("Die Verlängerung liegt der Teamleitung bereits vor.",
            Assert.Throws<CaseRuleException>(() => RequestSupportExtension(pending, "Anerkennungsverfahren läuft noch, Abschluss absehbar.", Manager, Now)).Message);
        Assert.Equal(new LocalDate(2029, 1, 31), (state with { Extended = true }).SupportEnd);
        Assert.StartsWith("Der Förderzeitraum ist bereits auf 4 Jahre verlängert",
            Assert.Throws<CaseRuleException>(() => RequestSupportExtension(state with { Extended = true }, "Anerkennungsverfahren läuft noch.", Manager, Now)).Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Lifecycle_open_paused_resumed_closed_reopened_with_invalid_transitions_refused()
    {
        var events = Opened();
        Assert.Throws<CaseRuleException>(() => Resume(Replay(events), Manager, Now));
        Assert.Throws<CaseRuleException>(() => Reopen(Replay(events), null, Today, Manager, Now));

        events.AddRange(Pause(Replay(events), "  Krankenhausaufenthalt ", Manager, Now));
        Assert.Equal("Krankenhausaufenthalt", events.OfType<CasePaused>().Single().Note);
        Assert.Equal("Der Fall ruht bereits.", Assert.Throws<CaseRuleException>(() => Pause(Replay(events), null, Manager, Now)).Message);

        events.AddRange(Resume(Replay(events), Manager, Now));
        events.AddRange(Close(Replay(events), ClosingReason.GoalsReached, null, Today, Today, Manager, Now));
        var closed = Replay(events);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Equal("Der Fall ist abgeschlossen; bitte zuerst wieder eröffnen.",
            Assert.Throws<CaseRuleException>(() => ChangeHousing(closed, new Housing(HousingType.PrivateHousing, Today), Rules, Today, Manager, Now)).Message);
        Assert.Throws<CaseRuleException>(() => Pause(closed, null, Manager, Now));
        Assert.Throws<CaseRuleException>(() => Close(closed, ClosingReason.Other, "doppelt", Today, Today, Manager, Now));

        events.AddRange(Reopen(closed, "Neue Fragen zur Anerkennung", Today, Manager, Now));
        Assert.Equal(CaseStatus.Open, Replay(events).Status);
    }

    [Fact]
    public void Closing_needs_a_valid_reason_a_note_for_other_and_a_date_that_is_neither_future_nor_before_the_start()
    {
        var state = Replay(Opened());

        Assert.Equal("Bei „Sonstiges“ bitte den Grund kurz beschreiben.",
            Assert.Throws<CaseRuleException>(() => Close(state, ClosingReason.Other, " ", Today, Today, Manager, Now)).Message);
        Assert.Equal("Ein Fall kann nicht in der Zukunft abgeschlossen werden.",
            Assert.Throws<CaseRuleException>(() => Close(state, ClosingReason.MovedAway, null, Today.PlusDays(1), Today, Manager, Now)).Message);
        Assert.Equal("Der Abschluss kann nicht vor dem Beginn der Begleitung liegen.",
            Assert.Throws<CaseRuleException>(() => Close(state, ClosingReason.ContactLost, null, state.SupportStart.PlusDays(-1), Today, Manager, Now)).Message);
        Assert.Equal("Bitte einen Grund für den Abschluss wählen.",
            Assert.Throws<CaseRuleException>(() => Close(state, (ClosingReason)99, null, Today, Today, Manager, Now)).Message);
    }

    [Fact]
    public void A_closed_case_cannot_be_reopened_after_its_support_period_ended()
    {
        var events = Opened(supportStart: new LocalDate(2023, 1, 1));
        events.AddRange(Close(Replay(events), ClosingReason.GoalsReached, null, new LocalDate(2025, 6, 30), Today, Manager, Now));

        var error = Assert.Throws<CaseRuleException>(() => Reopen(Replay(events), null, new LocalDate(2026, 1, 1), Manager, Now));

        Assert.Equal("Der Förderzeitraum ist am 31.12.2025 abgelaufen; der Fall kann nicht wieder eröffnet werden.", error.Message);
    }

    [Fact]
    public void Re_evaluation_after_a_document_expired_records_only_a_changed_verdict()
    {
        var events = Opened();
        var state = Replay(events);

        Assert.Empty(Reevaluate(state, Rules, Today, Manager, Now));
        var afterExpiry = Reevaluate(state, Rules, state.Residence.ValidUntil!.Value.PlusDays(1), Manager, Now);

        Assert.Equal(EligibilityVerdict.NeedsIndividualDecision, Assert.IsType<EligibilityEvaluated>(Assert.Single(afterExpiry)).Verdict);
    }

    [Fact]
    public void A_goal_is_agreed_with_dates_that_make_sense()
    {
        var state = Replay(Opened());
        var goalId = Guid.NewGuid();

        var agreed = Assert.IsType<GoalAgreed>(Assert.Single(Goals.Agree(state, goalId, FieldOfAction.Language, "  B1-Prüfung bestehen ", Today, Today.PlusMonths(6), Today.PlusMonths(2), Today, Manager, Now)));

        Assert.Equal(("B1-Prüfung bestehen", FieldOfAction.Language), (agreed.Text, agreed.Field));
        Assert.Equal("Der Zieltermin darf nicht vor dem Tag der Vereinbarung liegen.",
            Assert.Throws<CaseRuleException>(() => Goals.Agree(state, goalId, FieldOfAction.Language, "Text", Today, Today.PlusDays(-1), null, Today, Manager, Now)).Message);
        Assert.Equal("Ein Ziel kann nicht in der Zukunft vereinbart worden sein.",
            Assert.Throws<CaseRuleException>(() => Goals.Agree(state, goalId, FieldOfAction.Language, "Text", Today.PlusDays(1), Today.PlusDays(9), null, Today, Manager, Now)).Message);
        Assert.Equal("Bitte das Ziel beschreiben.",
            Assert.Throws<CaseRuleException>(() => Goals.Agree(state, goalId, FieldOfAction.Language, " ", Today, Today, null, Today, Manager, Now)).Message);
    }

    public static TheoryData<GoalStatus, GoalStatus, bool> Transitions()
    {
        var allowed = new HashSet<(GoalStatus, GoalStatus)>
        {
            (GoalStatus.Agreed, GoalStatus.InProgress), (GoalStatus.Agreed, GoalStatus.Dropped),
            (GoalStatus.InProgress, GoalStatus.Achieved), (GoalStatus.InProgress, GoalStatus.PartlyAchieved),
            (GoalStatus.InProgress, GoalStatus.NotAchieved), (GoalStatus.InProgress, GoalStatus.Dropped),
        };
        var data = new TheoryData<GoalStatus, GoalStatus, bool>();
        foreach (var from in Enum.GetValues<GoalStatus>())
        {
            foreach (var to in Enum.GetValues<GoalStatus>())
            {
                data.Add(from, to, allowed.Contains((from, to)));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Transitions))]
    public void Every_goal_status_transition_is_allowed_or_refused_with_a_German_message(GoalStatus from, GoalStatus to, bool allowed)
    {
        var goalId = Guid.NewGuid();
        var state = Replay(Opened()) with { Goals = new Dictionary<Guid, GoalStatus> { [goalId] = from } };

        if (allowed)
        {
            var changed = Assert.IsType<GoalStatusChanged>(Assert.Single(Goals.ChangeStatus(state, goalId, to, "weil es so ist", Manager, Now)));
            Assert.Equal(to, changed.Status);
        }
        else
        {
            var error = Assert.Throws<CaseRuleException>(() => Goals.ChangeStatus(state, goalId, to, "weil es so ist", Manager, Now));
            Assert.True(error.Message.StartsWith("Von „", StringComparison.Ordinal) || error.Message.StartsWith("Das Ziel ist bereits", StringComparison.Ordinal), error.Message);
        }
    }

    [Fact]
    public void Dropping_a_goal_needs_a_reason_and_an_unknown_goal_is_refused()
    {
        var goalId = Guid.NewGuid();
        var state = Replay(Opened()) with { Goals = new Dictionary<Guid, GoalStatus> { [goalId] = GoalStatus.InProgress } };

        Assert.Equal("Bitte angeben, warum das Ziel aufgegeben wird.",
            Assert.Throws<CaseRuleException>(() => Goals.ChangeStatus(state, goalId, GoalStatus.Dropped, " ", Manager, Now)).Message);
        Assert.Equal("Dieses Ziel gibt es im Integrationsplan nicht.",
            Assert.Throws<CaseRuleException>(() => Goals.ChangeStatus(state, Guid.NewGuid(), GoalStatus.InProgress, null, Manager, Now)).Message);
    }

    [Fact]
    public void The_lead_decides_only_the_pending_request_and_a_rejection_needs_a_comment()
    {
        var events = Opened(ResidenceKind.TrainingToleration);
        events.AddRange(RequestIndividualDecision(Replay(events), "Ausbildung begonnen, gute Prognose für den Abschluss.", Manager, Now));
        var state = Replay(events);
        var request = state.PendingDecisionRequest!.Value;

        Assert.Equal("Bitte die Ablehnung kurz begründen.", Assert.Throws<CaseRuleException>(() => DecideApproval(state, request, false, null, Manager, Now)).Message);
        Assert.StartsWith("Dieser Antrag liegt nicht mehr zur Entscheidung vor",
            Assert.Throws<CaseRuleException>(() => DecideApproval(state, Guid.NewGuid(), true, null, Manager, Now)).Message, StringComparison.Ordinal);

        var decided = Assert.IsType<ApprovalDecided>(Assert.Single(DecideApproval(state, request, true, null, Manager, Now)));
        Assert.Equal((ApprovalKind.IndividualDecision, true), (decided.Kind, decided.Approved));
        events.Add(decided);
        var approved = Replay(events);
        Assert.True(approved.IndividualDecisionApproved);
        Assert.False(approved.IndividualDecisionPending);
        Assert.Throws<CaseRuleException>(() => DecideApproval(approved, request, true, null, Manager, Now));

        // New facts need a new approval.
        events.AddRange(ChangeResidenceStatus(approved, new ResidenceStatus(ResidenceKind.EmploymentToleration, null), Rules, Today, Manager, Now));
        Assert.False(Replay(events).IndividualDecisionApproved);
    }

    [Fact]
    public void An_approved_extension_makes_the_support_period_four_years_a_rejected_one_does_not()
    {
        foreach (var approve in new[] { true, false })
        {
            var events = Opened(supportStart: new LocalDate(2024, 3, 1));
            events.AddRange(RequestSupportExtension(Replay(events), "Sprachkurs unterbrochen, Abschluss in Sicht.", Manager, Now));
            var state = Replay(events);
            events.AddRange(DecideApproval(state, state.PendingExtensionRequest!.Value, approve, approve ? null : "Nicht begründet genug.", Manager, Now));

            var decided = Replay(events);
            Assert.Equal(approve ? new LocalDate(2028, 2, 29) : new LocalDate(2027, 2, 28), decided.SupportEnd);
            Assert.False(decided.ExtensionPending);
        }
    }
}
