using JasperFx.Events.Projections;
using Marten;

namespace CaseManagement.Appointments;

/// <summary>Marten configuration of the appointments (their events are part of the case stream, see <see cref="ClientsStore"/>).</summary>
public static class AppointmentsStore
{
    public static StoreOptions ConfigureAppointments(this StoreOptions opts, int rebuildBatchSize)
    {
        ArgumentNullException.ThrowIfNull(opts);
        opts.Projections.Add<CaseAppointmentsProjection>(ProjectionLifecycle.Inline, rebuild => rebuild.BatchSize = rebuildBatchSize);
        return opts;
    }
}
