using CaseManagement.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Testcontainers.PostgreSql;

[assembly: AssemblyFixture(typeof(CaseManagement.Tests.Infrastructure.PostgresServer))]

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL for the whole test run: a Testcontainers container when a Docker engine answers,
/// otherwise a throwaway local cluster. Every test class gets its own database, copied from a template
/// that has all of migrations/ applied. As in production there are two roles: the owner (owns the databases and
/// every schema object, applies the migrations) and the application's role (reads and writes rows, owns nothing),
/// which the application under test connects as.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string OwnerRole = "casemanagement_owner";
    public const string ApplicationRole = "casemanagement_app";
    private const string TemplateDatabase = "cm_template";
    private readonly string _ownerPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly string _applicationPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private PostgreSqlContainer? _container;
    private LocalPostgresCluster? _cluster;
    private string _serverConnectionString = "";

    public string Kind { get; private set; } = "";

    public static string MigrationsDirectory => SchemaMigrator.LocateDirectory(null, AppContext.BaseDirectory);

    public async ValueTask InitializeAsync()
    {
        if (await TryStartContainerAsync() is { } container)
        {
            _container = container;
            _serverConnectionString = new NpgsqlConnectionStringBuilder(container.GetConnectionString()) { Database = "postgres" }.ConnectionString;
            Kind = "Testcontainers";
        }
        else
        {
            _cluster = await LocalPostgresCluster.StartAsync();
            _serverConnectionString = _cluster.ConnectionString("postgres");
            Kind = "local cluster";
        }

        await using (var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false }.ConnectionString))
        {
            await server.OpenAsync();
            await using var roles = new NpgsqlBatch(server)
            {
                BatchCommands =
                {
                    new($"CREATE ROLE {OwnerRole} LOGIN CREATEDB PASSWORD '{_ownerPassword}'"),
                    new($"CREATE ROLE {ApplicationRole} LOGIN PASSWORD '{_applicationPassword}'"),
                },
            };
            await roles.ExecuteNonQueryAsync();
        }

        // The template is migrated by the owner, who grants the application's role its rights, as `migrate` does;
        // CREATE DATABASE … TEMPLATE copies objects and grants into every test database.
        var template = await CreateEmptyDatabaseAsync(TemplateDatabase);
        await using (var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(template) { Pooling = false }.ConnectionString))
        {
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync(MigrationsDirectory);
            await DatabaseRoles.GrantApplicationRoleAsync(dataSource, ApplicationRole);
        }
    }

    /// <summary>
    /// A fresh database with the current schema (copied from the migrated template); the connection string of the
    /// application's role (<see cref="AsOwner"/> for the owner's).
    /// </summary>
    public async Task<string> CreateDatabaseAsync() => AsApplication(await CreateAsync(NewName(), TemplateDatabase));

    /// <summary>A fresh database without any schema, owned by the owner role; the owner's connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string? name = null) => await CreateAsync(name ?? NewName(), "template0");

    /// <summary>The same database as <paramref name="connectionString"/>, signed in as the owner (migrations, raw DDL).</summary>
    public string AsOwner(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = OwnerRole, Password = _ownerPassword }.ConnectionString;

    /// <summary>The same database as <paramref name="connectionString"/>, signed in as the application's role.</summary>
    public string AsApplication(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = ApplicationRole, Password = _applicationPassword }.ConnectionString;

    private async Task<string> CreateAsync(string name, string template)
    {
        await _createLock.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\" OWNER {OwnerRole}", connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            _createLock.Release();
        }

        return AsOwner(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = name }.ConnectionString);
    }

    private static string NewName() => "test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>
    /// What a PostgreSQL restart does to the connections of one database: every backend of it ends (57P01
    /// admin_shutdown), so every connection an application holds in its pools is dead. Returns how many ended.
    /// </summary>
    public async Task<int> TerminateConnectionsAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_serverConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", connection);
        command.Parameters.Add(new() { Value = database });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The whole database of <paramref name="connectionString"/> as <c>pg_dump</c> writes it (all schemas, schema and data).</summary>
    public async Task<string> DumpAsync(string connectionString)
    {
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        if (_container is not null)
        {
            var result = await _container.ExecAsync(["pg_dump", "-U", "postgres", "-d", database]);
            return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"pg_dump failed: {result.Stderr}");
        }

        return await _cluster!.DumpAsync(database);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }

        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        _createLock.Dispose();
    }

    private static async Task<PostgreSqlContainer?> TryStartContainerAsync()
    {
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(dockerHost) && !File.Exists("/var/run/docker.sock"))
        {
            return null;
        }

        var container = new PostgreSqlBuilder("postgres:15-alpine").Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await container.StartAsync(timeout.Token);
            return container;
        }
#pragma warning disable CA1031 // any failure to reach Docker means: use the local cluster instead
        catch (Exception)
#pragma warning restore CA1031
        {
            await container.DisposeAsync();
            return null;
        }
    }
}
