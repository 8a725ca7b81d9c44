using JasperFx.Events.Projections;
using Marten;

namespace CaseManagement.DataProtection;

/// <summary>Marten configuration of the data-protection module (its events are part of the case stream, see <see cref="Cases.ClientsStore"/>).</summary>
public static class DataProtectionStore
{
    public static StoreOptions ConfigureDataProtection(this StoreOptions opts)
    {
        ArgumentNullException.ThrowIfNull(opts);
        // The pseudonymous record of an erased case, written in the erasure's transaction.
        opts.Projections.Add<ErasedCaseProjection>(ProjectionLifecycle.Inline);
        return opts;
    }
}
