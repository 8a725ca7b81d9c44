using Npgsql;

namespace CaseManagement.Cases;

/// <summary>
/// Case numbers "JJJJ-NNNN", counted per organisation and year (e.g. 2026-0042). Allocated atomically by a
/// single upsert, so concurrent intakes never get the same number; a number whose intake then fails is not
/// reused (a gap, never a duplicate).
/// </summary>
public static class CaseNumbers
{
    public static async Task<string> NextAsync(NpgsqlDataSource dataSource, string tenantId, int year, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO cases.case_number_series (tenant_id, year, last_number) VALUES ($1, $2, 1)
            ON CONFLICT (tenant_id, year) DO UPDATE SET last_number = cases.case_number_series.last_number + 1
            RETURNING last_number
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = year });
        var number = (int)(await command.ExecuteScalarAsync(ct))!;
        return Format(year, number);
    }

    /// <summary>The next <paramref name="count"/> numbers in one upsert (an import's batch).</summary>
    public static async Task<IReadOnlyList<string>> NextRangeAsync(NpgsqlDataSource dataSource, string tenantId, int year, int count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        await using var command = dataSource.CreateCommand("""
            INSERT INTO cases.case_number_series (tenant_id, year, last_number) VALUES ($1, $2, $3)
            ON CONFLICT (tenant_id, year) DO UPDATE SET last_number = cases.case_number_series.last_number + $3
            RETURNING last_number
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = tenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = year });
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var last = (int)(await command.ExecuteScalarAsync(ct))!;
        return Enumerable.Range(last - count + 1, count).Select(n => Format(year, n)).ToList();
    }

    public static string Format(int year, int number) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{year}-{number:0000}");
}
