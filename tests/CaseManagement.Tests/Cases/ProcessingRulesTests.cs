using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Storage;
using NodaTime;

namespace CaseManagement.Tests.Cases;

/// <summary>The one table of the processing rules, without a database; and its documentation says the same.</summary>
public sealed class ProcessingRulesTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 1, 9, 0);

    private static ClientCase OpenCase() => ClientCase.Create(new CaseOpened(
        Guid.NewGuid(), "2026-0001", new PersonalData("A", "B", new LocalDate(1990, 1, 1), Gender.Unknown, "SY", [], null),
        new Housing(HousingType.FollowUpAccommodation, new LocalDate(2026, 1, 1)), new ResidenceStatus(ResidenceKind.RefugeeProtection, null),
        new LocalDate(2026, 2, 1), Guid.NewGuid(), Guid.NewGuid(), Now));

    [Fact]
    public void An_open_case_takes_every_kind_of_change()
    {
        var state = OpenCase();
        Assert.All(Enum.GetValues<CaseChangeKind>(), kind => Assert.Null(ProcessingRules.Refusal(state, kind)));
    }

    [Fact]
    public void A_restricted_case_takes_only_the_DPO_s_steps_a_withdrawal_a_new_manager_and_erasure()
    {
        var state = OpenCase() with { Restricted = true };
        Assert.Equal(RefusalCode.Restricted, ProcessingRules.Refusal(state, CaseChangeKind.Work)!.Value.Code);
        Assert.Equal(RefusalCode.Restricted, ProcessingRules.Refusal(state, CaseChangeKind.ApprovalDecision)!.Value.Code);
        Assert.Null(ProcessingRules.Refusal(state, CaseChangeKind.Responsibility));
        Assert.Null(ProcessingRules.Refusal(state, CaseChangeKind.Restriction));
        Assert.Null(ProcessingRules.Refusal(state, CaseChangeKind.WithdrawConsent));
    }

    [Fact]
    public void The_strongest_state_is_named_when_a_case_is_in_several()
    {
        var state = OpenCase() with { Restricted = true, CounsellingConsentWithdrawn = true, Status = CaseStatus.Closed };
        Assert.Equal(RefusalCode.Restricted, ProcessingRules.Refusal(state, CaseChangeKind.Work)!.Value.Code);
        // Closing is allowed after a withdrawal, but not while restricted.
        Assert.Equal(RefusalCode.Restricted, ProcessingRules.Refusal(state, CaseChangeKind.Close)!.Value.Code);
        Assert.Equal(RefusalCode.Erased, ProcessingRules.Refusal(state with { Erased = true }, CaseChangeKind.Restriction)!.Value.Code);
    }

    [Fact]
    public void A_decision_refuses_a_step_that_does_not_follow_from_the_state_with_invalid_transition()
    {
        var paused = OpenCase() with { Status = CaseStatus.Paused };
        var refused = Assert.Throws<CaseRuleException>(() => ClientCaseDecisions.Pause(paused, null, Guid.NewGuid(), Now));
        Assert.Equal(RefusalCode.InvalidTransition, refused.Code);

        // Input that does not fit is invalid, not a refusal.
        var invalid = Assert.Throws<CaseRuleException>(() => ClientCaseDecisions.Close(OpenCase(), ClosingReason.Other, null, new LocalDate(2026, 3, 1), new LocalDate(2026, 12, 1), Guid.NewGuid(), Now));
        Assert.Null(invalid.Code);
    }

    [Fact]
    public void The_table_in_docs_processing_rules_md_is_the_table_in_the_code()
    {
        var docs = Path.Combine(Path.GetDirectoryName(SchemaMigrator.LocateDirectory(null, AppContext.BaseDirectory))!, "docs", "processing-rules.md");
        var lines = File.ReadAllLines(docs);
        var header = lines.First(l => l.StartsWith("| state (`code`)", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[2..^1];
        var kinds = header.Select(Enum.Parse<CaseChangeKind>).ToList();
        Assert.Equal(Enum.GetValues<CaseChangeKind>().Order(), kinds.Order());

        var rows = 0;
        foreach (var line in lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains("(`", StringComparison.Ordinal) && !l.StartsWith("| state", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries)[1..^1];
            var code = cells[0][(cells[0].IndexOf("(`", StringComparison.Ordinal) + 2)..cells[0].IndexOf("`)", StringComparison.Ordinal)];
            var state = Enum.GetValues<RefusalCode>().Single(c => CaseManagement.Web.Infrastructure.ProblemTypes.Code(c) == code);
            for (var i = 0; i < kinds.Count; i++)
            {
                Assert.True(ProcessingRules.Allows(state, kinds[i]) == (cells[i + 1] == "yes"), $"{code} / {kinds[i]}: docs say {cells[i + 1]}");
            }

            rows++;
        }

        Assert.Equal(4, rows);
    }
}
