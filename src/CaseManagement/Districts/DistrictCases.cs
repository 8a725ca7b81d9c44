using Marten;

namespace CaseManagement.Districts;

/// <summary>The case read models of the district's members (Marten; kept apart from EF Core's query extensions).</summary>
internal static class DistrictCases
{
    /// <summary>Every case of each member (live and erased), read in the member's own tenant.</summary>
    public static async Task<IReadOnlyList<MemberCases>> Read(IDocumentStore store, IReadOnlyList<(Guid Id, string Name)> members, CancellationToken ct)
    {
        var result = new List<MemberCases>();
        foreach (var (id, name) in members)
        {
            await using var session = store.QuerySession(TenantIds.For(id));
            var live = await session.Query<CaseSummary>().ToListAsync(ct);
            var erased = (await session.Query<DataProtection.ErasedCase>().ToListAsync(ct)).Select(e => e.Record.ToStatistics(e.Id));
            result.Add(new MemberCases(id, name, [.. live, .. erased]));
        }

        return result;
    }
}
