using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Benchmarks;
using CaseManagement.Caseloads;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;

namespace CaseManagement.Tests.Caseloads;

/// <summary>
/// The Team dashboard's read model (<c>cases.case_figures</c>) against the old computation over the team's caseload
/// (<see cref="CaseFigures"/>, kept as the oracle): on generated three-year histories for several days, after the
/// trigger and after the verb's rebuild, and on a team whose cases are reassigned, transferred, closed and reopened.
/// </summary>
public sealed class CaseFiguresReadModelTests(PostgresServer postgres, AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly DashboardSettings Settings = new();

    /// <summary>Compares the read model with the oracle for the given managers and day; returns the oracle's total (to see that it is not all zero).</summary>
    private static async Task<int> AssertSameAsync(IServiceProvider services, string tenant, IReadOnlyList<Guid> managers, LocalDate day)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession(tenant);
        var cases = await CaseCards.OfManagersAsync(session, dataSource, managers, CancellationToken.None);
        var (rows, outcomes) = await CaseFiguresReadModel.ReadAsync(dataSource, tenant, managers, day, Settings, CancellationToken.None);
        var total = 0;
        foreach (var manager in managers)
        {
            var expected = CaseFigures.Row(manager, "", cases.Where(c => c.ManagerId == manager).ToList(), day, Settings).Figures;
            Assert.Equal(Show(expected), Show(rows[manager]));
            total += expected.Values.Sum();
        }

        Assert.Equal(CaseFigures.Outcomes(cases, day), outcomes);
        return total;
    }

    private static string Show(IReadOnlyDictionary<CaseFigure, int> figures) => string.Join(", ", Enum.GetValues<CaseFigure>().Select(f => $"{f}={figures[f]}"));

    [Fact]
    public async Task On_generated_histories_the_read_model_gives_the_figures_of_the_old_computation_on_every_day_also_after_a_rebuild()
    {
        var today = new LocalDate(2026, 3, 20);
        var preset = new Preset("figures", 2, 3, 12);
        var server = await postgres.CreateEmptyDatabaseAsync();
        var connectionString = BenchDatabase.For(server, preset);
        await BenchDatabase.RecreateAsync(connectionString);
        await using var services = AppServices.Build(connectionString, quiet: true);
        var data = await DataGenerator.GenerateAsync(services.Services, new BenchmarkOptions { Preset = preset, ConnectionString = server, Today = today, Quiet = true }, CancellationToken.None);
        var store = services.Services.GetRequiredService<IDocumentStore>();
        using (var daemon = await store.BuildProjectionDaemonAsync())
        {
            // Only the case summaries: their trigger writes the read model.
            await ProjectionRebuild.Projections[0].Rebuild(daemon, TimeSpan.FromMinutes(5), CancellationToken.None);
        }

        var days = new[] { today, new LocalDate(2026, 3, 1), new LocalDate(2026, 2, 28), today.PlusDays(-45), today.PlusMonths(-13), today.PlusDays(40), today.PlusYears(-2) };
        async Task CompareAll()
        {
            var total = 0;
            foreach (var organisation in data.Users.GroupBy(u => u.OrganisationId))
            {
                var managers = organisation.Where(u => u.Role == CaseManagement.Organisations.Roles.Manager).Select(u => u.Id).ToList();
                Assert.NotEmpty(managers);
                foreach (var day in days)
                {
                    total += await AssertSameAsync(services.Services, CaseManagement.Organisations.TenantIds.For(organisation.Key), managers, day);
                }
            }

            Assert.True(total > 100, $"figures sum {total}: the generated histories should give figures");
        }

        await CompareAll();

        // The verb's rebuild derives the same rows again (here from an emptied table).
        await using (var connection = await services.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync())
        {
            await using (var clear = new NpgsqlCommand("delete from cases.case_figures", connection))
            {
                await clear.ExecuteNonQueryAsync();
            }

            Assert.Equal(preset.Cases, await CaseFiguresReadModel.RebuildAsync(connection, CancellationToken.None));
        }

        await CompareAll();
    }

    private async Task<Guid> UserId(string email) => await app.WithDb(db => Task.FromResult(db.Users.Where(u => u.Email == email).Select(u => u.Id).Single()));

    private static async Task<JsonElement> Post(HttpClient client, string url, object body)
    {
        using var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<IReadOnlyList<Guid>> TeamOf(string leadEmail) =>
        await app.AsUser(leadEmail, async s => await CaseManagement.Organisations.TeamRoster.OfSignedInLead(
            s.GetRequiredService<AppDbContext>(), s.GetRequiredService<ICurrentUser>(), CancellationToken.None));

    /// <summary>The dashboard over the API equals the oracle for the lead's team (also the total).</summary>
    private async Task AssertDashboardIsTheOracle(string leadEmail)
    {
        var team = await TeamOf(leadEmail);
        await app.AsUser(leadEmail, async s =>
        {
            var user = s.GetRequiredService<ICurrentUser>();
            await AssertSameAsync(app.Factory.Services, CaseManagement.Organisations.TenantIds.For(user.OrganisationId), team, app.Factory.Clock.Today());
            return 0;
        });
        using var lead = await app.ClientFor(leadEmail);
        var teamId = await app.AsUser(leadEmail, s => Task.FromResult(s.GetRequiredService<ICurrentUser>().TeamId!.Value));
        var dashboard = await lead.GetFromJsonAsync<JsonElement>($"/api/v1/teams/{teamId}/dashboard");
        var oracle = await app.AsUser(leadEmail, async s =>
        {
            await using var session = s.GetRequiredService<IDocumentStore>().QuerySession(CaseManagement.Organisations.TenantIds.For(s.GetRequiredService<ICurrentUser>().OrganisationId));
            var cases = await CaseCards.OfManagersAsync(session, s.GetRequiredService<NpgsqlDataSource>(), team, CancellationToken.None);
            return CaseFigures.Row(null, "", cases, app.Factory.Clock.Today(), Settings).Figures;
        });
        var total = dashboard.GetProperty("total").GetProperty("figures").EnumerateObject().ToDictionary(p => Enum.Parse<CaseFigure>(p.Name), p => p.Value.GetInt32());
        Assert.Equal(Show(oracle), Show(total));
    }

    [Fact]
    public async Task After_a_reassignment_a_transfer_and_a_closing_the_dashboards_of_both_teams_are_the_old_computation()
    {
        var im1 = await app.ClientFor("im1@musterstadt.example");
        using (im1)
        {
            var cases = new List<Guid>();
            for (var i = 0; i < 4; i++)
            {
                cases.Add(await CaseApi.NewCase(im1, supportStart: "2026-01-0" + (i + 1)));
            }

            var version = (await im1.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{cases[3]}")).GetProperty("version").GetInt64();
            var (closed, _) = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{cases[3]}/close", new { reason = "MovedAway", closedOn = app.Factory.Clock.Today().ToString("yyyy-MM-dd", null) }, version);
            Assert.Equal(HttpStatusCode.OK, closed);

            await AssertDashboardIsTheOracle("lead@musterstadt.example");
            var before = await ActiveOf("lead@musterstadt.example", await UserId("im1@musterstadt.example"));

            // Within the team: one case from im1 to im2.
            using var lead = await app.ClientFor("lead@musterstadt.example");
            await Post(lead, "/api/v1/clients/reassign", new { caseIds = new[] { cases[0] }, toManagerId = await UserId("im2@musterstadt.example") });
            await AssertDashboardIsTheOracle("lead@musterstadt.example");
            Assert.Equal(before - 1, await ActiveOf("lead@musterstadt.example", await UserId("im1@musterstadt.example")));

            // To the other team: requested (the cases stay), then accepted (they leave the team).
            var southBefore = await ActiveOf("lead-sued@musterstadt.example", await UserId("im3@musterstadt.example"));
            var transfer = await Post(lead, "/api/v1/clients/reassign", new { caseIds = new[] { cases[1], cases[2] }, toManagerId = await UserId("im3@musterstadt.example") });
            Assert.Equal(before - 1, await ActiveOf("lead@musterstadt.example", await UserId("im1@musterstadt.example")));
            using var south = await app.ClientFor("lead-sued@musterstadt.example");
            await Post(south, $"/api/v1/approvals/{transfer.GetProperty("transferId").GetGuid()}/decision", new { decision = "approve" });

            await AssertDashboardIsTheOracle("lead@musterstadt.example");
            await AssertDashboardIsTheOracle("lead-sued@musterstadt.example");
            Assert.Equal(before - 3, await ActiveOf("lead@musterstadt.example", await UserId("im1@musterstadt.example")));
            Assert.Equal(southBefore + 2, await ActiveOf("lead-sued@musterstadt.example", await UserId("im3@musterstadt.example")));
        }
    }

    private async Task<int> ActiveOf(string leadEmail, Guid manager) =>
        await app.AsUser(leadEmail, async s =>
        {
            var view = await s.GetRequiredService<Mediator.IMediator>().Send(new GetTeamDashboard());
            return view.Managers.Single(r => r.ManagerId == manager).Figures[CaseFigure.Active];
        });
}
