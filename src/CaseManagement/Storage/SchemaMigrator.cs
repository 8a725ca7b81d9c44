using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.Storage;

/// <summary>
/// Applies the reviewed SQL files of <c>migrations/</c> in file-name order, each once, each in its own
/// transaction, under an advisory lock so that several nodes starting at once do not race.
/// An applied file whose content changed afterwards is an error: reviewed SQL is never edited, only added.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    private const long AdvisoryLockKey = 0x43_4D_4D_49_47; // "CMMIG"

    public async Task<IReadOnlyList<string>> ApplyAsync(string migrationsDirectory, CancellationToken ct = default)
    {
        var files = MigrationFile.ReadAll(migrationsDirectory);
        var applied = new List<string>();

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await Execute(connection, "SELECT pg_advisory_lock(" + AdvisoryLockKey + ")", ct);
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS public.schema_migrations (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);

            var known = await ReadApplied(connection, ct);
            foreach (var file in files)
            {
                if (known.TryGetValue(file.Id, out var checksum))
                {
                    if (checksum != file.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {file.Id} was changed after it had been applied. Add a new migration instead.");
                    }

                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(ct);
                await using (var command = new NpgsqlCommand(file.Sql, connection, tx))
                {
                    command.CommandTimeout = 0;
                    await command.ExecuteNonQueryAsync(ct);
                }

                await using (var record = new NpgsqlCommand(
                    "INSERT INTO public.schema_migrations (id, checksum) VALUES ($1, $2)", connection, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = file.Id });
                    record.Parameters.Add(new NpgsqlParameter { Value = file.Checksum });
                    await record.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                LogApplied(logger, file.Id);
                applied.Add(file.Id);
            }
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(" + AdvisoryLockKey + ")", CancellationToken.None);
        }

        return applied;
    }

    /// <summary>Creates the configured database when it does not exist yet (fresh local cluster).</summary>
    public static async Task EnsureDatabaseExistsAsync(string connectionString, CancellationToken ct = default)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var database = target.Database;
        if (string.IsNullOrEmpty(database) || database == "postgres")
        {
            return;
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database });
        if (await exists.ExecuteScalarAsync(ct) is null)
        {
            var quoted = "\"" + database.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand("CREATE DATABASE " + quoted, connection);
            await create.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Finds <c>migrations/</c>: configured path, next to the binaries (container), or up from here (source tree).</summary>
    public static string LocateDirectory(string? configured, string startDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Directory.Exists(configured)
                ? Path.GetFullPath(configured)
                : throw new DirectoryNotFoundException($"Migrations directory '{configured}' does not exist.");
        }

        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "migrations");
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.sql").Any())
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "No migrations directory found. Set Database:MigrationsPath to the repository's migrations/ folder.");
    }

    private static async Task<Dictionary<string, string>> ReadApplied(NpgsqlConnection connection, CancellationToken ct)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("SELECT id, checksum FROM public.schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {MigrationId}")]
    private static partial void LogApplied(ILogger logger, string migrationId);

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed record MigrationFile(string Id, string Sql, string Checksum)
    {
        public static List<MigrationFile> ReadAll(string directory) =>
            Directory.EnumerateFiles(directory, "*.sql")
                .Order(StringComparer.Ordinal)
                .Select(path =>
                {
                    var sql = File.ReadAllText(path).ReplaceLineEndings("\n");
                    var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
                    return new MigrationFile(Path.GetFileNameWithoutExtension(path), sql, checksum);
                })
                .ToList();
    }
}
