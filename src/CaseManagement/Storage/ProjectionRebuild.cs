using CaseManagement.Clients;
using Marten;

namespace CaseManagement.Storage;

/// <summary>
/// Rebuilds the read models and the write-model snapshots from the events — after a release changed what a
/// projection keeps (new fields of <see cref="CaseSummary"/> are filled for old cases too). Run with the application stopped or
/// idle: the read model is rewritten while the rebuild runs.
/// </summary>
public static class ProjectionRebuild
{
    public static async Task RebuildAllAsync(IDocumentStore store, TimeSpan shardTimeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<CaseSummaryProjection>(shardTimeout, ct);
        await daemon.RebuildProjectionAsync<ClientCase>(shardTimeout, ct);
        await daemon.RebuildProjectionAsync<DataProtection.ErasedCaseProjection>(shardTimeout, ct);
    }
}
