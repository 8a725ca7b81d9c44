using System.Net.Http.Json;
using System.Text.Json;
using System.Diagnostics;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Organisations;

public sealed class DemoDataTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Seeding_the_demo_data_again_changes_nothing()
    {
        var before = await Counts();

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(DemoData.DefaultPassword);
        }

        Assert.Equal(before, await Counts());
        Assert.Equal((2, 3, DemoData.Users.Count), (before.Organisations, before.Teams, before.Users));
    }

    [Fact]
    public async Task Demo_cases_are_created_through_the_commands_in_different_stages_and_only_once()
    {
        var demoCases = app.Factory.Services.GetRequiredService<DemoCases>();

        var first = await demoCases.SeedAsync();
        var second = await demoCases.SeedAsync();

        Assert.Equal(3 * DemoCases.CasesPerManager, first);
        Assert.Equal(0, second);
        using var session = await app.SignedInAs("im1@musterstadt.example");
        var rows = (await session.GetPageAsync("/faelle")).QuerySelectorAll("tbody.case-group > tr:first-child").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToArray()).ToList();
        Assert.Equal(DemoCases.CasesPerManager, rows.Count);
        Assert.Contains(rows, r => r[3] == "ruhend");
        Assert.Contains(rows, r => r[3] == "abgeschlossen");
        Assert.Contains(rows, r => r[3] == "offen");
        Assert.Contains(rows, r => r[4] == "Einzelfallentscheidung nötig");
        Assert.Contains(rows, r => r[4] == "Zielgruppe");

        using var api = await app.ClientFor("im1@musterstadt.example");
        var ids = (await api.GetFromJsonAsync<JsonElement>("/api/v1/clients")).EnumerateArray().Select(c => c.GetProperty("id").GetGuid());
        var cases = new List<JsonElement>();
        foreach (var id in ids)
        {
            cases.Add(await api.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}"));
        }

        Assert.All(cases, c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("consent").ValueKind));
        Assert.Contains(cases, c => c.GetProperty("goals").GetArrayLength() == 0);
        Assert.Contains(cases, c => c.GetProperty("goals").GetArrayLength() > 0 && c.GetProperty("planSignedOn").ValueKind != JsonValueKind.Null);
        Assert.Contains(cases, c => c.GetProperty("lastReviewOn").ValueKind != JsonValueKind.Null && c.GetProperty("consultations").GetArrayLength() >= 2);
        Assert.Contains(cases, c => c.GetProperty("goals").EnumerateArray().Any(g => g.GetProperty("status").GetString() == "Achieved"));
        Assert.Contains(cases, c => c.GetProperty("referrals").GetArrayLength() > 0 && c.GetProperty("languageLevels").GetArrayLength() > 0);
    }

    [Fact]
    public async Task The_seed_command_refuses_to_run_in_Production_and_creates_nothing()
    {
        var database = await app.Postgres.CreateDatabaseAsync();

        var (exitCode, output) = await RunWebCommand(database, "Production", "seed-demo");

        Assert.Equal(2, exitCode);
        Assert.Contains("Demodaten werden in Production nicht angelegt.", output, StringComparison.Ordinal);
        await using var factory = new CaseManagementFactory(database);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<CaseManagement.Storage.AppDbContext>().Users.CountAsync());
    }

    [Fact]
    public async Task The_migrate_command_brings_a_new_database_up_to_date_and_is_repeatable()
    {
        var database = await app.Postgres.CreateEmptyDatabaseAsync();

        var first = await RunWebCommand(database, "Production", "migrate");
        var second = await RunWebCommand(database, "Production", "migrate");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Migration(en) angewendet", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Datenbankschema ist aktuell.", second.Output, StringComparison.Ordinal);
    }

    private async Task<(int Organisations, int Teams, int Users)> Counts() => await app.WithDb(async db =>
        (await db.Organisations.CountAsync(), await db.Teams.CountAsync(), await db.Users.CountAsync()));

    /// <summary>Runs the application binary with a verb, as an operator would.</summary>
    internal static Task<(int ExitCode, string Output)> RunWebCommand(string connectionString, string environment, params string[] args) =>
        RunWebCommand(connectionString, environment, new Dictionary<string, string>(), args);

    internal static async Task<(int ExitCode, string Output)> RunWebCommand(string connectionString, string environment, IReadOnlyDictionary<string, string> variables, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CaseManagement.Web.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["DOTNET_ENVIRONMENT"] = environment;
        start.Environment["ConnectionStrings__Postgres"] = connectionString;
        start.Environment["Database__MigrationsPath"] = PostgresServer.MigrationsDirectory;
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
