using Npgsql;

namespace CaseManagement.Storage;

/// <summary>
/// The two PostgreSQL roles of an installation (docs/operations.md). The <b>owner</b> owns the schemas and
/// changes them: <c>migrate</c>, <c>rebuild-projections</c>, <c>schema-diff</c> connect with
/// <c>ConnectionStrings:PostgresOwner</c>. The <b>application's role</b> (<c>ConnectionStrings:Postgres</c>)
/// owns nothing: it reads and writes rows, uses the sequences and calls the functions — it can neither create,
/// alter nor drop anything.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Name of the owner's connection string (<c>ConnectionStrings__PostgresOwner</c>).</summary>
    public const string OwnerConnectionStringName = "PostgresOwner";

    /// <summary>
    /// Grants <paramref name="applicationRole"/> exactly what the application needs in every schema the connected
    /// (owner) role owns, and takes away anything beyond it (CREATE on the schemas; TRUNCATE, REFERENCES, TRIGGER
    /// on the tables). Repeatable: <c>migrate</c> runs it after every run, so tables of new migrations are covered.
    /// </summary>
    public static async Task<IReadOnlyList<string>> GrantApplicationRoleAsync(NpgsqlDataSource ownerDataSource, string applicationRole, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ownerDataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(applicationRole);
        await using var connection = await ownerDataSource.OpenConnectionAsync(ct);
        var owner = (string)(await Scalar(connection, "SELECT current_user", ct))!;
        if (string.Equals(owner, applicationRole, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Die Rolle der Anwendung ({applicationRole}) ist dieselbe wie die Eigentümerrolle. Bitte eine eigene Rolle für die Anwendung anlegen "
                + "und in ConnectionStrings__Postgres verwenden (docs/operations.md).");
        }

        if (await Scalar(connection, "SELECT 1 FROM pg_roles WHERE rolname = $1", ct, applicationRole) is null)
        {
            throw new InvalidOperationException(
                $"Die Rolle der Anwendung \"{applicationRole}\" gibt es in PostgreSQL nicht. Bitte anlegen, z. B. "
                + $"CREATE ROLE {Quote(applicationRole)} LOGIN PASSWORD '…'; (docs/operations.md).");
        }

        var schemas = new List<string>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT nspname FROM pg_namespace
             WHERE nspowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)
               AND nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema'
             ORDER BY nspname
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                schemas.Add(reader.GetString(0));
            }
        }

        var role = Quote(applicationRole);
        var statements = new List<string> { $"GRANT CONNECT ON DATABASE {Quote(connection.Database)} TO {role}" };
        foreach (var schema in schemas.Select(Quote))
        {
            statements.Add($"GRANT USAGE ON SCHEMA {schema} TO {role}");
            statements.Add($"REVOKE CREATE ON SCHEMA {schema} FROM {role}");
            statements.Add($"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}");
            statements.Add($"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}");
            statements.Add($"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}");
            statements.Add($"GRANT EXECUTE ON ALL ROUTINES IN SCHEMA {schema} TO {role}");
        }

        // Before PostgreSQL 15 everyone may create tables in "public"; where the owner may change that, it does.
        if (await Scalar(connection, "SELECT 1 FROM pg_namespace WHERE nspname = 'public' AND pg_has_role(current_user, nspowner, 'USAGE')", ct) is not null)
        {
            statements.Add("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        }

        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection, tx);
            await command.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return schemas;
    }

    /// <summary>
    /// What the connected role is allowed beyond reading and writing rows: superuser, owner (or member of the
    /// owner) of the database or of a schema, table, sequence, view or function outside PostgreSQL's own schemas.
    /// Empty for a proper application role.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PowersBeyondRowsAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        const string sql = """
            SELECT 'superuser' FROM pg_roles WHERE rolname = current_user AND rolsuper
            UNION ALL
            SELECT 'database ' || datname FROM pg_database WHERE datname = current_database() AND pg_has_role(current_user, datdba, 'USAGE')
            UNION ALL
            SELECT 'schema ' || nspname FROM pg_namespace
             WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' AND pg_has_role(current_user, nspowner, 'USAGE')
            UNION ALL
            SELECT 'relation ' || n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND pg_has_role(current_user, c.relowner, 'USAGE')
            UNION ALL
            SELECT 'function ' || n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname NOT LIKE 'pg\_%' AND n.nspname <> 'information_schema' AND pg_has_role(current_user, p.proowner, 'USAGE')
            LIMIT 20
            """;
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var powers = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            powers.Add(reader.GetString(0));
        }

        return powers;
    }

    /// <summary>The role a connection string signs in as (its <c>Username</c>), or null when it names none.</summary>
    public static string? RoleOf(string? connectionString) =>
        string.IsNullOrWhiteSpace(connectionString) ? null : new NpgsqlConnectionStringBuilder(connectionString).Username is { Length: > 0 } user ? user : null;

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return await command.ExecuteScalarAsync(ct);
    }
}
