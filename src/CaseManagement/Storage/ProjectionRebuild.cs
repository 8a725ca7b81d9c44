using JasperFx.Events.Daemon;
using Marten;

namespace CaseManagement.Storage;

/// <summary>
/// Rebuilds the read models and the write-model snapshots from the events — after a release changed what a
/// projection keeps (new fields of <see cref="CaseSummary"/> are filled for old cases too). Run with the
/// application stopped or idle: the read model is rewritten while the rebuild runs.
/// </summary>
public static class ProjectionRebuild
{
    /// <summary>Every projection of the store, by name, with its rebuild.</summary>
    public static readonly IReadOnlyList<(string Name, Func<IProjectionDaemon, TimeSpan, CancellationToken, Task> Rebuild)> Projections =
    [
        ("CaseSummary", (daemon, timeout, ct) => daemon.RebuildProjectionAsync<CaseSummaryProjection>(timeout, ct)),
        ("ClientCase (write model)", (daemon, timeout, ct) => daemon.RebuildProjectionAsync<ClientCase>(timeout, ct)),
        ("CaseAppointments", (daemon, timeout, ct) => daemon.RebuildProjectionAsync<Appointments.CaseAppointmentsProjection>(timeout, ct)),
        ("ErasedCase", (daemon, timeout, ct) => daemon.RebuildProjectionAsync<DataProtection.ErasedCaseProjection>(timeout, ct)),
    ];

    public static async Task RebuildAllAsync(IDocumentStore store, TimeSpan shardTimeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        using var daemon = await store.BuildProjectionDaemonAsync();
        foreach (var (_, rebuild) in Projections)
        {
            await rebuild(daemon, shardTimeout, ct);
        }

        // The Team dashboard's rows follow the case summaries by a trigger; derived once more here in case the trigger was
        // missing when the summaries were written (a database restored without it, a summary table copied in by hand).
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await Caseloads.CaseFiguresReadModel.RebuildAsync(connection, ct);
    }
}
