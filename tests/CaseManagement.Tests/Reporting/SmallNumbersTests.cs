using NodaTime;

namespace CaseManagement.Tests.Reporting;

/// <summary>Small-number suppression as a pure function, and the report builder's use of it (docs/outcomes-report.md).</summary>
public sealed class SmallNumbersTests
{
    private static CountCell C(int value, int? persons = null) => new(value, persons ?? value);

    [Fact]
    public void A_cell_of_one_to_four_persons_is_hidden_but_zero_and_five_are_shown()
    {
        var cells = new[] { C(0), C(1), C(4), C(5), C(9, 4) };
        var hidden = SmallNumbers.Suppress(cells, []);
        Assert.Equal([1, 2, 4], hidden.Order());
    }

    [Fact]
    public void A_single_hidden_part_takes_the_next_smallest_part_with_it_so_the_total_does_not_reveal_it()
    {
        // total 20 = 3 + 6 + 11 + 0: the 3 is hidden, so the 6 (smallest non-zero part) is hidden too; the zero does not help.
        var cells = new[] { C(20), C(3), C(6), C(11), C(0) };
        var hidden = SmallNumbers.Suppress(cells, [new CellRelation(0, [1, 2, 3, 4])]);
        Assert.Equal([1, 2], hidden.Order());
    }

    [Fact]
    public void With_two_hidden_parts_nothing_more_is_hidden()
    {
        var cells = new[] { C(20), C(3), C(2), C(15) };
        Assert.Equal([1, 2], SmallNumbers.Suppress(cells, [new CellRelation(0, [1, 2, 3])]).Order());
    }

    [Fact]
    public void When_every_other_part_is_zero_the_total_is_hidden_as_well()
    {
        // total 3 = 3 + 0: the total counts the same three persons, so it is hidden by the primary rule already.
        var cells = new[] { C(3), C(3), C(0) };
        Assert.Equal([0, 1], SmallNumbers.Suppress(cells, [new CellRelation(0, [1, 2])]).Order());

        // total 7 (seven persons) = 7 + 0 where the part counts goals of three persons: the total is the only cell left to hide.
        var goals = new[] { C(7), C(7, 3), C(0) };
        Assert.Equal([0, 1], SmallNumbers.Suppress(goals, [new CellRelation(0, [1, 2])]).Order());
    }

    [Fact]
    public void A_secondary_suppression_in_a_row_carries_on_into_its_column()
    {
        // Two rows (groups A and B) and their total, columns x and y with the row totals t = x + y:
        //        t   x   y
        //  A    12   2  10      A.x is small → A.y (10) hidden in row A
        //  B    30  15  15      column x: 17 = 2 + 15, one hidden → B.x hidden; column y: 25 = 10 + 15 → B.y hidden
        //  T    42  17  25      row B now has two hidden cells, every relation two or none → stable
        var cells = new[] { C(12), C(2), C(10), C(30), C(15), C(15), C(42), C(17), C(25) };
        CellRelation[] relations =
        [
            new(0, [1, 2]), new(3, [4, 5]), new(6, [7, 8]),
            new(6, [0, 3]), new(7, [1, 4]), new(8, [2, 5]),
        ];
        var hidden = SmallNumbers.Suppress(cells, relations);
        Assert.Equal([1, 2, 4, 5], hidden.Order());
        // No relation is left with exactly one hidden cell: no subtraction reveals a hidden value.
        Assert.All(relations, r => Assert.NotEqual(1, r.Parts.Append(r.Total).Count(hidden.Contains)));
    }

    [Fact]
    public void The_report_hides_a_small_status_and_the_next_smallest_one_of_the_same_row()
    {
        var from = new LocalDate(2025, 1, 1);
        var to = new LocalDate(2025, 12, 31);
        var cases = Enumerable.Range(0, 7).Select(i => new CaseSummary
        {
            Id = Guid.NewGuid(),
            SupportStart = from,
            Goals = [new GoalView(Guid.NewGuid(), FieldOfAction.Housing, "", from.PlusDays(10), to, null, i < 2 ? GoalStatus.Dropped : GoalStatus.InProgress, null)
            {
                FinishedOn = i < 2 ? from.PlusDays(20) : null,
            }],
        }).ToList();

        var row = OutcomesReportBuilder.Build(cases, from, to, OutcomeGrouping.Field, _ => new OutcomeGroup("", "x")).Single(r => r.Field == FieldOfAction.Housing);

        Assert.Equal(7, row.Agreed);
        Assert.Null(row.Dropped);
        Assert.Null(row.InProgress);
        Assert.Equal(0, row.Achieved);
        Assert.True(row.Suppressed);
        Assert.Equal(["inProgress", "dropped"], row.SuppressedFigures);
    }

    [Fact]
    public void The_median_of_an_even_count_is_the_mean_of_the_two_middle_values()
    {
        Assert.Equal(5m, OutcomesReportBuilder.Median([9, 1, 5]));
        Assert.Equal(4.5m, OutcomesReportBuilder.Median([1, 4, 5, 30]));
    }
}
