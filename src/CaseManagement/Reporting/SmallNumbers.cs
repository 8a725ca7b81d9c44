namespace CaseManagement.Reporting;

/// <summary>A counted cell of a published table: its value (e.g. goals) and how many distinct persons stand behind it.</summary>
public sealed record CountCell(int Value, int Persons);

/// <summary>An additive relation of a table: <c>cells[Total] = Σ cells[Parts]</c> (a row total or a column total).</summary>
public sealed record CellRelation(int Total, IReadOnlyList<int> Parts);

/// <summary>
/// Small-number suppression (Geheimhaltung kleiner Fallzahlen, docs/outcomes-report.md) — a pure function over the cells
/// of one table and its additive relations.
/// <list type="number">
/// <item>Primary: a cell counting 1 to 4 persons (fewer than <see cref="Threshold"/>) is suppressed; 0 is shown.</item>
/// <item>Secondary: in every relation (total and its parts) with exactly one suppressed cell, the smallest other
/// non-zero cell (a part before the total) is suppressed too, so a subtraction from the total yields at most a sum of two
/// hidden cells. Repeated until no relation changes, because a secondary suppression can open another relation.</item>
/// </list>
/// </summary>
public static class SmallNumbers
{
    /// <summary>Cells counting fewer persons than this (and more than none) are not shown.</summary>
    public const int Threshold = 5;

    /// <summary>The indexes of the cells to hide.</summary>
    public static IReadOnlySet<int> Suppress(IReadOnlyList<CountCell> cells, IReadOnlyList<CellRelation> relations)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(relations);
        var hidden = new HashSet<int>(Enumerable.Range(0, cells.Count).Where(i => IsSmall(cells[i])));
        bool changed;
        do
        {
            changed = false;
            foreach (var relation in relations)
            {
                var members = relation.Parts.Append(relation.Total).Distinct().ToList();
                if (members.Count(hidden.Contains) != 1)
                {
                    continue;
                }

                // Parts come first in `members`, so on equal values a part is chosen before the total.
                var next = members.Where(i => !hidden.Contains(i) && cells[i].Value > 0)
                    .Select((index, order) => (index, order))
                    .OrderBy(c => cells[c.index].Value).ThenBy(c => c.order)
                    .Select(c => (int?)c.index).FirstOrDefault();
                if (next is { } cell)
                {
                    hidden.Add(cell);
                    changed = true;
                }
            }
        }
        while (changed);

        return hidden;
    }

    /// <summary>Primary rule: 1 to 4 persons.</summary>
    public static bool IsSmall(CountCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Persons is > 0 and < Threshold;
    }
}
