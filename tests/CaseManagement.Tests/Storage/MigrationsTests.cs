using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CaseManagement.Tests.Storage;

public sealed class MigrationsTests(PostgresServer postgres)
{
    [Fact]
    public async Task Migrations_applied_to_an_empty_database_leave_no_difference_to_Marten_or_the_EF_model()
    {
        var migrated = await postgres.CreateEmptyDatabaseAsync();
        await Migrate(migrated, PostgresServer.MigrationsDirectory);

        // Marten as the application configures it (all modules), compared with the migrated database.
        await using (var app = new CaseManagementFactory(migrated))
        {
            var store = app.Services.GetRequiredService<IDocumentStore>();
            await store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
        }

        // EF: the schema EF itself would create from the model, compared catalog by catalog.
        var reference = await postgres.CreateEmptyDatabaseAsync();
        await using (var db = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(reference).Options))
        {
            await db.Database.EnsureCreatedAsync();
        }

        foreach (var schema in new[] { AppDbContext.Schema, AppDbContext.CasesSchema })
        {
            Assert.Equal(await Catalog(reference, schema), await Catalog(migrated, schema));
        }
    }

    [Fact]
    public async Task Migrating_twice_changes_nothing_and_an_edited_applied_migration_is_refused()
    {
        var directory = Directory.CreateTempSubdirectory("cm-migrations-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(PostgresServer.MigrationsDirectory, "*.sql"))
            {
                File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
            }

            var database = await postgres.CreateEmptyDatabaseAsync();
            var first = await Migrate(database, directory);
            var second = await Migrate(database, directory);
            Assert.Equal(Directory.GetFiles(directory, "*.sql").Select(Path.GetFileNameWithoutExtension).Order(), first);
            Assert.Empty(second);

            await File.AppendAllTextAsync(Path.Combine(directory, "0001_identity.sql"), "\n-- nachträglich geändert\n");
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrate(database, directory));
            Assert.Contains("0001_identity", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Two_nodes_migrating_at_the_same_time_apply_each_migration_once()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();

        var results = await Task.WhenAll(Migrate(database, PostgresServer.MigrationsDirectory), Migrate(database, PostgresServer.MigrationsDirectory));

        Assert.Equal(Directory.GetFiles(PostgresServer.MigrationsDirectory, "*.sql").Length, results.Sum(r => r.Count));
    }

    private static async Task<IReadOnlyList<string>> Migrate(string connectionString, string directory)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        return await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync(directory);
    }

    /// <summary>Tables, columns, constraints and indexes of a schema as comparable lines.</summary>
    private static async Task<List<string>> Catalog(string connectionString, string schema)
    {
        const string sql = """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                   || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable
                   || ' identity=' || is_identity || ' default=' || coalesce(column_default, '')
              FROM information_schema.columns WHERE table_schema = @schema
            UNION ALL
            SELECT 'constraint ' || rel.relname || '.' || con.conname || ' ' || pg_get_constraintdef(con.oid)
              FROM pg_constraint con
              JOIN pg_class rel ON rel.oid = con.conrelid
              JOIN pg_namespace ns ON ns.oid = rel.relnamespace
             WHERE ns.nspname = @schema
            UNION ALL
            SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = @schema
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", schema);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        lines.Sort(StringComparer.Ordinal);
        Assert.NotEmpty(lines);
        return lines;
    }
}
