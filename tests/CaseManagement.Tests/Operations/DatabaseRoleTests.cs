using System.Net;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Tests.Organisations;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// The application connects as a role that owns nothing and may only read and write rows; the owner migrates
/// (docs/operations.md). Every other test runs the application on that role too.
/// </summary>
public sealed class DatabaseRoleTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task The_application_connects_as_a_role_that_owns_nothing()
    {
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using (var whoAmI = dataSource.CreateCommand("SELECT current_user"))
        {
            Assert.Equal(PostgresServer.ApplicationRole, await whoAmI.ExecuteScalarAsync());
        }

        // Straight from the catalog: nothing in the database belongs to the role, and it is no superuser.
        await using var owned = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
                 + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
                 + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
                 + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
                 + (SELECT count(*) FROM pg_database WHERE datdba = r.oid),
                   r.rolsuper, r.rolcreaterole, r.rolcreatedb
              FROM pg_roles r WHERE r.rolname = current_user
            """);
        await using var row = await owned.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal((0L, false, false, false), (row.GetInt64(0), row.GetBoolean(1), row.GetBoolean(2), row.GetBoolean(3)));
        await row.DisposeAsync();
        Assert.Empty(await DatabaseRoles.PowersBeyondRowsAsync(dataSource));

        // The owner, by contrast, owns every table of the application.
        await using var owner = NpgsqlDataSource.Create(app.OwnerConnectionString);
        await using var tables = owner.CreateCommand("""
            SELECT count(*) FILTER (WHERE tableowner <> current_user), count(*) FROM pg_tables
             WHERE schemaname IN ('marten', 'identity', 'cases', 'hangfire')
            """);
        await using var counts = await tables.ExecuteReaderAsync();
        await counts.ReadAsync();
        Assert.Equal(0L, counts.GetInt64(0));
        Assert.True(counts.GetInt64(1) > 20, $"{counts.GetInt64(1)} tables");
    }

    [Theory]
    [InlineData("CREATE TABLE marten.intruder (id int)")]
    [InlineData("CREATE TABLE identity.intruder (id int)")]
    [InlineData("CREATE TABLE public.intruder (id int)")]
    [InlineData("CREATE SCHEMA intruder")]
    [InlineData("CREATE FUNCTION cases.intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'")]
    [InlineData("DROP TABLE marten.mt_events")]
    [InlineData("DROP TABLE identity.\"AspNetUsers\" CASCADE")]
    [InlineData("DROP SCHEMA hangfire CASCADE")]
    [InlineData("ALTER TABLE cases.reminders ADD COLUMN intruder text")]
    [InlineData("ALTER TABLE marten.mt_doc_casesummary DISABLE TRIGGER ALL")]
    [InlineData("CREATE INDEX intruder ON marten.mt_events (data)")]
    [InlineData("TRUNCATE marten.mt_events")]
    [InlineData("ALTER SEQUENCE marten.mt_events_sequence RESTART")]
    [InlineData("DROP FUNCTION marten.mt_quick_append_events")]
    public async Task The_application_role_cannot_create_drop_or_alter_schema_objects(string sql)
    {
        // The application's own connection string, as the application uses it.
        await using var connection = new NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task Migrate_runs_as_the_owner_and_grants_the_application_role_which_the_application_then_works_with()
    {
        var owner = await app.Postgres.CreateEmptyDatabaseAsync();
        var application = app.Postgres.AsApplication(owner);
        var roles = new Dictionary<string, string> { ["ConnectionStrings__PostgresOwner"] = owner };

        var migrated = await DemoDataTests.RunWebCommand(application, "Production", roles, "migrate");
        var again = await DemoDataTests.RunWebCommand(application, "Production", roles, "migrate");
        var rebuilt = await DemoDataTests.RunWebCommand(application, "Production", roles, "rebuild-projections");

        Assert.True(migrated.ExitCode == 0, migrated.Output);
        Assert.Contains($"Rechte der Anwendungsrolle {PostgresServer.ApplicationRole} gesetzt (Schemas cases, hangfire, identity, marten)", migrated.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("Datenbankschema ist aktuell.", again.Output, StringComparison.Ordinal);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Output);
        await using (var dataSource = NpgsqlDataSource.Create(owner))
        await using (var foreign = dataSource.CreateCommand("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('marten', 'identity', 'cases', 'hangfire') AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
            """))
        {
            Assert.Equal(0L, await foreign.ExecuteScalarAsync());
        }

        // The application on the application role: demo data, sign-in, a new case (Marten append, EF, Hangfire enqueue).
        await using var factory = new CaseManagementFactory(application);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(DemoData.DefaultPassword);
        }

        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await CaseManagement.Tests.Api.ApiAuthenticationTests.TokenFor(client, "im1@musterstadt.example"));
        var id = await CaseApi.NewCase(client);
        using var read = await client.GetAsync($"/api/v1/clients/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task In_Production_a_node_that_connects_as_the_owner_or_creates_schema_on_the_fly_does_not_start()
    {
        WebApplicationFactory<Program> InProduction(string connectionString, params (string Key, string Value)[] settings) =>
            app.Factory.WithWebHostBuilder(builder =>
            {
                builder.UseEnvironment("Production");
                builder.UseSetting("AllowedHosts", "localhost");
                builder.UseSetting("ConnectionStrings:Postgres", connectionString);
                foreach (var (key, value) in settings)
                {
                    builder.UseSetting(key, value);
                }
            });

        await using (var asOwner = InProduction(app.OwnerConnectionString))
        {
            var refused = KeyRingProtectionTests.Messages(Assert.ThrowsAny<Exception>(() => asOwner.CreateClient()));
            Assert.Contains($"verbindet sich als Rolle \"{PostgresServer.OwnerRole}\", die mehr darf als Zeilen lesen und schreiben", refused, StringComparison.Ordinal);
        }

        await using (var autoCreate = InProduction(app.Factory.ConnectionString, ("Database:AutoCreateSchema", "true")))
        {
            var refused = KeyRingProtectionTests.Messages(Assert.ThrowsAny<Exception>(() => autoCreate.CreateClient()));
            Assert.Contains("Database__AutoCreateSchema=true ist in Production nicht erlaubt", refused, StringComparison.Ordinal);
        }

        await using var asApplication = InProduction(app.Factory.ConnectionString);
        using var client = asApplication.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
}
