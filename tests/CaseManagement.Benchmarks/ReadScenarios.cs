using System.Diagnostics;
using CaseManagement.Caseloads;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseManagement.Benchmarks;

/// <summary>Scenario 2 and 5 of issue 21 side by side with what they replaced, in the same run (same data, same load on the machine).</summary>
public static class ReadScenarios
{
    /// <summary>
    /// The team dashboard's figures in this process, interleaved: the old computation (the team's caseload in the light
    /// shape, <see cref="CaseFigures"/> in memory) and the read model (<see cref="CaseFiguresReadModel"/>), for the teams of
    /// the given leads; also checks that both give the same figures.
    /// </summary>
    public static async Task<(Samples Old, Samples New)> DashboardFiguresAsync(BenchContext context, IReadOnlyList<BenchUser> leads, int iterations)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(leads);
        var teams = new List<(string Tenant, IReadOnlyList<Guid> Managers)>();
        await using (var scope = context.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            foreach (var lead in leads)
            {
                var team = await EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Id == lead.Id).Select(u => u.TeamId));
                teams.Add((TenantIds.For(lead.OrganisationId), team is { } t ? await TeamRoster.ManagerIds(db, lead.OrganisationId, t, CancellationToken.None) : []));
            }
        }

        var store = context.Services.GetRequiredService<IDocumentStore>();
        var dataSource = context.Services.GetRequiredService<NpgsqlDataSource>();
        var settings = new DashboardSettings();
        var today = context.Options.Today;
        var old = new Samples();
        var fresh = new Samples();
        for (var i = 0; i < context.Warmup + iterations; i++)
        {
            var (tenant, managers) = teams[i % teams.Count];
            var started = Stopwatch.GetTimestamp();
            await using var session = store.QuerySession(tenant);
            var cases = await CaseCards.OfManagersAsync(session, dataSource, managers, CancellationToken.None);
            var oracle = managers.Select(m => CaseFigures.Row(m, "", cases.Where(c => c.ManagerId == m).ToList(), today, settings)).ToList();
            _ = CaseFigures.Outcomes(cases, today);
            var oldTook = Stopwatch.GetElapsedTime(started);
            started = Stopwatch.GetTimestamp();
            var (rows, _) = await CaseFiguresReadModel.ReadAsync(dataSource, tenant, managers, today, settings, CancellationToken.None);
            var newTook = Stopwatch.GetElapsedTime(started);
            if (oracle.Any(r => Enum.GetValues<CaseFigure>().Any(f => r.Figures[f] != rows[r.ManagerId!.Value][f])))
            {
                throw new InvalidOperationException("Das Lesemodell der Team-Übersicht weicht von der Berechnung aus dem Fallbestand ab.");
            }

            if (i >= context.Warmup)
            {
                old.Add(oldTook);
                fresh.Add(newTook);
            }
        }

        return (old, fresh);
    }

    /// <summary>Every case's reminder plan forgotten: the next daily run evaluates every case, as the daily run did before issue 21.</summary>
    public static async Task ForgetPlansAsync(BenchContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var command = context.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("delete from cases.reminder_plans");
        await command.ExecuteNonQueryAsync();
    }
}
