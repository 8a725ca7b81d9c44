using Xunit.Sdk;
using Xunit.v3;

[assembly: TestCollectionOrderer(typeof(CaseManagement.Tests.Infrastructure.LongCollectionsFirst))]

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// Starts the collections that mostly wait — the cluster fault drills (real processes, restarts, sleeps) — first, so the
/// rest of the suite runs beside them instead of after them (xunit.runner.json allows one more collection at a time than
/// there are cores for that reason). The other collections keep xunit's default order.
/// </summary>
public sealed class LongCollectionsFirst : ITestCollectionOrderer
{
    private static readonly string[] First = [Operations.ClusterDrills.Name];

    public IReadOnlyCollection<TTestCollection> OrderTestCollections<TTestCollection>(IReadOnlyCollection<TTestCollection> testCollections)
        where TTestCollection : ITestCollection
    {
        var ordered = DefaultTestCollectionOrderer.Instance.OrderTestCollections(testCollections);
        return [.. ordered.OrderBy(c => First.Contains(c.TestCollectionDisplayName, StringComparer.Ordinal) ? 0 : 1)];
    }
}
