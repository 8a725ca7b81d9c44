using CaseManagement.Benchmarks;
using CaseManagement.Organisations;

namespace CaseManagement.Tests.Benchmarks;

/// <summary>
/// The writing scenarios of the benchmark must not pile their goals into a few cases (docs/performance.md, "Measured
/// cases that grew"): each round gets three-year cases of its own, none of the ten the read scenarios use.
/// </summary>
public sealed class WriteCasesTests
{
    [Fact]
    public void Each_round_writes_one_goal_to_each_of_its_own_three_year_cases_and_none_to_the_ten_the_reads_use()
    {
        var context = Context(managers: 300, iterations: 40);
        var size = context.Warmup + 40;
        var reads = context.LongHistoryCases(10).Select(x => x.Case).ToHashSet();

        var first = context.WriteCases(0);
        var second = context.WriteCases(1);

        Assert.Equal(size, first.Count);
        Assert.Equal(size, first.Select(c => c.Case).Distinct().Count());
        Assert.Empty(first.Select(c => c.Case).Intersect(second.Select(c => c.Case)));
        Assert.DoesNotContain(first.Concat(second), c => reads.Contains(c.Case));
        Assert.All(first, c => Assert.Equal(context.Data.LongHistoryCaseByManager[c.Manager.Id], c.Case));
    }

    [Fact]
    public void With_fewer_three_year_cases_than_a_round_needs_the_round_wraps_around_all_of_them()
    {
        var context = Context(managers: 10, iterations: 40);

        var round = context.WriteCases(0);

        Assert.Equal(context.Warmup + 40, round.Count);
        Assert.Equal(10, round.Select(c => c.Case).Distinct().Count());
    }

    private static BenchContext Context(int managers, int iterations)
    {
        var organisation = Guid.NewGuid();
        var users = Enumerable.Range(0, managers).Select(i => new BenchUser(Guid.NewGuid(), $"im{i}@bench.example", organisation, Roles.Manager)).ToList();
        var longCases = users.ToDictionary(u => u.Id, _ => Guid.NewGuid());
        var cases = users.ToDictionary(u => u.Id, u => (IReadOnlyList<Guid>)[longCases[u.Id]]);
        var data = new GeneratedData(users, cases, cases, longCases, 0, TimeSpan.Zero);
        return new BenchContext(new BenchmarkOptions { Iterations = iterations }, "", null!, data);
    }
}
