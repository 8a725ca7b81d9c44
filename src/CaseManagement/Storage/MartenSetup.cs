using CaseManagement.Appointments;
using CaseManagement.DataProtection;
using JasperFx;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using Marten;
using NodaTime.Serialization.SystemTextJson;
using Weasel.Core;

namespace CaseManagement.Storage;

/// <summary>Event store and document configuration shared by the web app, the tests and the tools.</summary>
public static class MartenSetup
{
    /// <summary>PostgreSQL schema of Marten's event and document tables.</summary>
    public const string Schema = "marten";

    public static StoreOptions ConfigureCaseManagement(this StoreOptions opts, DatabaseOptions database)
    {
        ArgumentNullException.ThrowIfNull(opts);
        ArgumentNullException.ThrowIfNull(database);
        var autoCreateSchema = database.AutoCreateSchema;
        opts.Events.AppendMode = database.AppendMode;
        opts.Events.UseIdentityMapForAggregates = database.IdentityMapForAggregates;
        opts.Events.UseOptimizedProjectionRebuilds = database.OptimizedRebuilds;

        opts.DatabaseSchemaName = Schema;
        opts.Events.DatabaseSchemaName = Schema;

        // Organisations are separate data controllers: every event and document carries its tenant.
        opts.Events.TenancyStyle = TenancyStyle.Conjoined;
        opts.Policies.AllDocumentsAreMultiTenanted();
        opts.Events.StreamIdentity = StreamIdentity.AsGuid;

        // Required by DistributedLock.Postgres 1.3.1 (our shim for Patched.DistributedLock.Postgres)
        // for the HotCold daemon's leader election — see DESIGN.md §7.
        opts.Events.UseAdvisoryLockTransaction = true;

        opts.UseSystemTextJsonForSerialization(
            EnumStorage.AsString,
            Casing.CamelCase,
            json => json.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb));

        opts.ConfigureClients(database.RebuildBatchSize);
        opts.ConfigureDataProtection();
        opts.ConfigureAppointments(database.RebuildBatchSize);

        // Production never creates schema objects on the fly: migrations/ holds the reviewed SQL.
        opts.AutoCreateSchemaObjects = autoCreateSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;

        return opts;
    }
}
