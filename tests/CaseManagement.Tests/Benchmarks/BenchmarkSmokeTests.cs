using System.Text.Json;
using CaseManagement.Benchmarks;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Benchmarks;

/// <summary>The benchmark harness at the tiny size, so that it cannot rot: every scenario runs and reports.</summary>
public sealed class BenchmarkSmokeTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_harness_generates_data_runs_every_scenario_and_writes_the_table_and_the_machine_facts()
    {
        var results = Directory.CreateTempSubdirectory("cm-bench-").FullName;
        try
        {
            var server = await postgres.CreateEmptyDatabaseAsync();
            var options = new BenchmarkOptions
            {
                Preset = Preset.Tiny,
                ConnectionString = server,
                ApplicationConnectionString = postgres.AsApplication(server),
                Iterations = 5,
                LoadDuration = TimeSpan.FromSeconds(2),
                LoadConnections = 4,
                // The four Marten variants of scenario 1 and the rebuild variants each start the app again (about half of
                // this test's time); they are the same code path with other settings, measured by ./bench.sh only.
                Variants = false,
                ResultsDirectory = results,
                Quiet = true,
            };
            using var log = new StringWriter();

            var report = await Harness.RunAsync(options, log);

            var scenarios = report.Rows.Select(r => r.Scenario).ToList();
            foreach (var expected in new[] { "1 goal update", "1 floor", "1 ratio", "2 Meine Fälle", "2 team dashboard", "3 case page", "4 projection rebuild",
                         "5 reminder scan, daily run", "6 export", "6 erasure", "7 load", "7 memory" })
            {
                Assert.Contains(expected, scenarios);
            }

            Assert.Equal(20, report.Facts.Cases);
            Assert.True(report.Facts.Events > 20 * 10, $"{report.Facts.Events} events");
            Assert.Contains(report.Rows, r => r.Scenario == "7 load" && r.Other.Contains(" 0 errors", StringComparison.Ordinal));

            var (markdown, json) = await report.WriteAsync(results);
            Assert.StartsWith("## CaseManagement benchmark – preset `tiny`", await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
            var machine = JsonDocument.Parse(await File.ReadAllTextAsync(json)).RootElement.GetProperty("machine");
            Assert.Equal(Environment.ProcessorCount, machine.GetProperty("cores").GetInt32());
            Assert.StartsWith("PostgreSQL", machine.GetProperty("postgreSql").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }
}
