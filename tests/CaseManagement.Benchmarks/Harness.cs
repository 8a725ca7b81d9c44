using System.Diagnostics;
using System.Globalization;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseManagement.Benchmarks;

/// <summary>One run of the harness: data, scenarios 1–7, the report.</summary>
public static class Harness
{
    /// <summary>Marten options measured against each other in scenario 1 (configuration of the web app).</summary>
    public static readonly IReadOnlyList<(string Name, IReadOnlyDictionary<string, string> Settings)> Variants =
    [
        ("Quick + identity map + write cache (default)", new Dictionary<string, string> { ["Database__AppendMode"] = "Quick", ["Database__IdentityMapForAggregates"] = "true" }),
        ("Rich + identity map + write cache (the default until 2026-12-06)", new Dictionary<string, string> { ["Database__AppendMode"] = "Rich", ["Database__IdentityMapForAggregates"] = "true" }),
        ("Quick append", new Dictionary<string, string> { ["Database__AppendMode"] = "Quick", ["Database__IdentityMapForAggregates"] = "false" }),
        ("Rich append without identity map (before issue 15 item 6)", new Dictionary<string, string> { ["Database__AppendMode"] = "Rich", ["Database__IdentityMapForAggregates"] = "false" }),
        ("the default, the session checked in the database on every request (before the session cache)",
            new Dictionary<string, string> { ["Database__AppendMode"] = "Rich", ["Database__IdentityMapForAggregates"] = "true", ["Sessions__CacheSeconds"] = "0" }),
        ("the default, the thread pool's idle workers not spinning",
            new Dictionary<string, string> { ["Database__AppendMode"] = "Rich", ["Database__IdentityMapForAggregates"] = "true", ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" }),
        ("Quick + identity map, the thread pool's idle workers not spinning",
            new Dictionary<string, string> { ["Database__AppendMode"] = "Quick", ["Database__IdentityMapForAggregates"] = "true", ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" }),
        ("the default, statements prepared on each connection (app and floor)",
            new Dictionary<string, string> { ["Database__AppendMode"] = "Rich", ["Database__IdentityMapForAggregates"] = "true", [PreparedStatementsSetting] = "64" }),
        ("the default without the write cache (every change reads its case)",
            new Dictionary<string, string> { ["Database__AppendMode"] = "Quick", ["Database__IdentityMapForAggregates"] = "true", ["Database__WriteCacheCases"] = "0" }),
    ];

    /// <summary>Rich append with the write cache: a change decided on the kept case still reads the stream's state in a call of its own.</summary>
    private static readonly (string Name, IReadOnlyDictionary<string, string> Settings) RichWithCache = Variants[1];

    /// <summary>The app's setting of statements prepared per connection; a variant that sets it gets it for the floor too.</summary>
    public const string PreparedStatementsSetting = "Database__PreparedStatements";

    /// <summary>The phases of a change the server names in Server-Timing (Infrastructure/ServerTiming.cs).</summary>
    private static readonly string[] ChangePhases = ["pipeline", "load", "decide", "commit"];

    public static async Task<Report> RunAsync(BenchmarkOptions options, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var connectionString = BenchDatabase.For(options.ConnectionString, options.Preset);
        var applicationConnectionString = BenchDatabase.For(options.ApplicationConnectionString, options.Preset);
        var report = new Report(Report.Machine(options, await PostgresVersionAsync(options.ConnectionString)));

        var reuse = options.Reuse && await BenchDatabase.ExistsWithDataAsync(connectionString);
        if (!reuse)
        {
            await log.WriteLineAsync($"==> Datenbank bench_{options.Preset.Name} neu anlegen und migrieren");
            await BenchDatabase.RecreateAsync(connectionString);
        }
        else
        {
            await BenchDatabase.MigrateAsync(connectionString); // migrations added since the data was generated
        }

        await BenchDatabase.GrantAsync(connectionString, applicationConnectionString);

        await using var services = AppServices.Build(connectionString, options.Quiet);
        GeneratedData data;
        if (reuse)
        {
            await log.WriteLineAsync("==> Vorhandene Daten wiederverwenden (--reuse)");
            data = await LoadAsync(services.Services, connectionString);
        }
        else
        {
            await log.WriteLineAsync($"==> Daten erzeugen: {options.Preset.Organisations} Träger, {options.Preset.Managers} Integrationsmanager:innen, {Format.Number(options.Preset.Cases)} Fälle");
            data = await DataGenerator.GenerateAsync(services.Services, options, CancellationToken.None);
            report.Add(new ResultRow("–", "data generation (COPY)", "", "", $"{Format.Number(data.Events)} events in {Format.Seconds(data.Took)} ({Format.Number(data.Events / data.Took.TotalSeconds)}/s)", "", null));
        }

        report.Update(report.Facts with { Events = data.Events, Cases = data.CasesByManager.Values.Sum(c => c.Count) });
        var context = new BenchContext(options, connectionString, services.Services, data);
        if (options.Only == "import")
        {
            await log.WriteLineAsync("==> 8: Import von 10.000 Zeilen (allein, --only import)");
            foreach (var row in await ImportScenario.RunAsync(services.Services, data, log))
            {
                report.Add(row);
            }

            return report;
        }

        if (options.Only == "write")
        {
            await WriteCostAsync(options, applicationConnectionString, services.Services, context, connectionString, report, log);
            return report;
        }

        if (options.Only == "quicknote")
        {
            // The read models of the generated events, then scenario 1 and the quick note side by side (same app, same cases).
            using (var daemon = await services.Services.GetRequiredService<Marten.IDocumentStore>().BuildProjectionDaemonAsync())
            {
                foreach (var (_, rebuild) in ProjectionRebuild.Projections)
                {
                    await rebuild(daemon, TimeSpan.FromHours(2), CancellationToken.None);
                }
            }

            await AnalyzeAsync(connectionString);
            await WithApp(options, applicationConnectionString, Variants[0].Settings, log, async app =>
            {
                await log.WriteLineAsync("==> 1: Ziel fortschreiben (HTTP) und Kurznotiz (--only quicknote)");
                var (goal, goalServer, _, _, _) = await Scenarios.GoalUpdateAsync(context, app, options.Iterations, round: 0);
                report.Add(ResultRow.Latency("1 goal update", "HTTP POST → append → inline projection, round trip", goal, note: $"server {Format.Ms(goalServer.P50)} / {Format.Ms(goalServer.P95)}"));
                await QuickNoteAsync(context, app, options.Iterations, goal, report, log);
            });
            return report;
        }

        if (options.Only == "reads")
        {
            // Issue 21: the team dashboard, the daily reminder run and the load, each beside what it replaced in the same run.
            if (!reuse)
            {
                await log.WriteLineAsync("==> 4: Lesemodelle neu aufbauen");
                await ProjectionRebuild.RebuildAllAsync(services.Services.GetRequiredService<Marten.IDocumentStore>(), TimeSpan.FromHours(2), CancellationToken.None);
            }

            await AnalyzeAsync(connectionString);
            var leads = data.InRole(Roles.TeamLead).Where(l => l.Email.StartsWith("lead1@", StringComparison.Ordinal)).Take(10).ToList();
            var (old, fresh) = await ReadScenarios.DashboardFiguresAsync(context, leads, options.Iterations);
            report.Add(ResultRow.Latency("2 dashboard figures, before", "in-process: the team's caseload (light shape) + CaseFigures in memory", old));
            report.Add(ResultRow.Latency("2 dashboard figures, after", "in-process: one aggregate query over cases.case_figures", fresh,
                note: $"ratio p95 before ÷ after {old.P95 / fresh.P95:0.0}×"));
            await WithApp(options, applicationConnectionString, Variants[0].Settings, log, async app =>
            {
                await DashboardRowsAsync(context, app, report, log);
                await RemindersAsync(context, report, log, forgetPlansFirst: true);
                await LoadAsync(context, app, report, log);
                await TwoNodeLoadAsync(context, app, applicationConnectionString, report, log);
            });
            return report;
        }

        // Scenario 4 first: it builds the read models of the generated events.
        await log.WriteLineAsync("==> 4: Lesemodelle neu aufbauen");
        using (var daemon = await services.Services.GetRequiredService<Marten.IDocumentStore>().BuildProjectionDaemonAsync())
        {
            foreach (var (name, rebuild) in ProjectionRebuild.Projections)
            {
                var started = Stopwatch.GetTimestamp();
                await rebuild(daemon, TimeSpan.FromHours(2), CancellationToken.None);
                var rebuilt = Stopwatch.GetElapsedTime(started);
                if (name == "ErasedCase")
                {
                    continue; // no erased cases yet: nothing to read
                }

                var perSecond = data.Events / rebuilt.TotalSeconds;
                report.Add(new ResultRow("4 projection rebuild", name, "", "", $"{Format.Number(perSecond)} events/s ({Format.Number(data.Events)} in {Format.Seconds(rebuilt)})",
                    "≥ 20,000 events/s", perSecond >= 20_000));
            }
        }

        await AnalyzeAsync(connectionString);
        if (options.Variants)
        {
            // The case summaries again: warm (the first rebuild above includes the JIT), then with Marten's other rebuild
            // options (Marten's default batch of 500 only at the small sizes: at the state size it takes long).
            var rebuildVariants = new List<(string Name, Dictionary<string, string?> Settings)>
            {
                ("the same settings again, warm", new()),
                ("optimized rebuilds, batch 20,000", new() { ["Database:OptimizedRebuilds"] = "true" }),
            };
            if (options.Preset != Preset.State)
            {
                rebuildVariants.Add(("Marten's default batch of 500", new() { ["Database:RebuildBatchSize"] = "500" }));
            }

            foreach (var (name, settings) in rebuildVariants)
            {
                await using var variant = AppServices.Build(connectionString, options.Quiet, settings);
                using var daemon = await variant.Services.GetRequiredService<Marten.IDocumentStore>().BuildProjectionDaemonAsync();
                var started = Stopwatch.GetTimestamp();
                await ProjectionRebuild.Projections[0].Rebuild(daemon, TimeSpan.FromHours(2), CancellationToken.None);
                var perSecond = data.Events / Stopwatch.GetElapsedTime(started).TotalSeconds;
                report.Add(new ResultRow("4 projection rebuild, variant", $"CaseSummary, {name}", "", "", $"{Format.Number(perSecond)} events/s", "", null));
            }
        }

        await WithApp(options, applicationConnectionString, Variants[0].Settings, log, async app =>
        {
            await log.WriteLineAsync("==> 1: Ziel fortschreiben (HTTP) und Untergrenze (Npgsql)");
            Samples goal, goalServer, floor, goalDatabase, goalCalls;
            await using (var floorRun = await Scenarios.Floor.StartAsync(context))
            {
                (goal, goalServer, floor, goalDatabase, goalCalls) = await Scenarios.GoalUpdateAsync(context, app, options.Iterations, round: 0, floorRun);
            }

            report.Add(ResultRow.Latency("1 goal update", "HTTP POST → append → inline projection, round trip", goal, targetP50: 2 * floor.P50,
                note: $"server {Format.Ms(goalServer.P50)} / {Format.Ms(goalServer.P95)}"));
            report.Add(ResultRow.Latency("1 floor", "raw Npgsql: version, event row, stream, read-model upsert, commit", floor));
            report.Add(ResultRow.Latency("1 goal update, breakdown", $"of the server time: waiting for PostgreSQL ({goalCalls.P50:0} calls, Server-Timing db)", goalDatabase,
                note: $"the rest in .NET p50 about {Format.Ms(goalServer.P50 - goalDatabase.P50)}"));
            report.Add(new ResultRow("1 ratio", "goal update ÷ floor (p50)", (goal.P50 / floor.P50).ToString("0.0", CultureInfo.InvariantCulture) + "×", "", "", "≤ 2×", goal.P50 <= 2 * floor.P50));
            await QuickNoteAsync(context, app, options.Iterations, goal, report, log);

            await log.WriteLineAsync("==> 2: Meine Fälle und Team-Übersicht");
            var managers = context.LongHistoryCases(10).Select(x => x.Manager).ToList();
            var (myCases, myCasesTrip) = await Scenarios.PageAsync(context, app, managers.Select(m => (m.Email, "/faelle")).ToList(), options.Iterations);
            report.Add(ResultRow.Latency("2 Meine Fälle", $"page, {options.Preset.CasesPerManager} cases, server time", myCases, targetP95: 25, note: $"round trip p95 {Format.Ms(myCasesTrip.P95)}"));
            await DashboardRowsAsync(context, app, report, log);

            await log.WriteLineAsync("==> 3: Fallseite mit drei Jahren Verlauf");
            var longCases = context.LongHistoryCases(10);
            var length = await Scenarios.StreamLengthAsync(context, longCases[0].Case);
            var (casePage, casePageTrip) = await Scenarios.PageAsync(context, app, longCases.Select(x => (x.Manager.Email, $"/faelle/{x.Case}")).ToList(), options.Iterations);
            report.Add(ResultRow.Latency("3 case page", $"three-year case (~{length} events), server time", casePage, targetP95: 50, note: $"round trip p95 {Format.Ms(casePageTrip.P95)}"));

            await RemindersAsync(context, report, log, forgetPlansFirst: false);
            await LoadAsync(context, app, report, log);
        });

        if (options.Variants)
        {
            foreach (var ((name, settings), round) in Variants.Select((v, i) => (v, i + 2)))
            {
                await log.WriteLineAsync($"==> 1 (Variante): {name}");
                await WithApp(options, applicationConnectionString, settings, log, async app =>
                {
                    var (client, server, _, _, _) = await Scenarios.GoalUpdateAsync(context, app, Math.Max(5, options.Iterations / 2), round);
                    report.Add(ResultRow.Latency("1 goal update, variant", name, client, note: $"server p50 {Format.Ms(server.P50)}"));
                });
            }
        }

        // Last, because it erases cases the other scenarios use.
        await WithApp(options, applicationConnectionString, Variants[0].Settings, log, async app =>
        {
            await log.WriteLineAsync("==> 6: Export und Löschung dreijähriger Fälle");
            var (export, erasure) = await Scenarios.ExportAndEraseAsync(context, app, context.LongHistoryCases(Math.Min(10, options.Preset.Managers)).Skip(1).ToList());
            report.Add(ResultRow.Latency("6 export", "ZIP (JSON + HTML) of a three-year case, round trip", export));
            report.Add(ResultRow.Latency("6 erasure", "request + confirm (masking, pseudonymous record, clean-up), round trip", erasure));
        });

        return report;
    }

    /// <summary>Scenario 2: the team dashboard over the API and the Team page, server time.</summary>
    private static async Task DashboardRowsAsync(BenchContext context, AppProcess app, Report report, TextWriter log)
    {
        var options = context.Options;
        await log.WriteLineAsync("==> 2: Team-Übersicht");
        var leads = context.Data.InRole(Roles.TeamLead).Where(l => l.Email.StartsWith("lead1@", StringComparison.Ordinal)).Take(10).ToList();
        var managersInTeam = Math.Min(10, options.Preset.ManagersPerOrganisation);
        var (dashboard, dashboardTrip) = await Scenarios.DashboardAsync(context, app, leads, options.Iterations);
        report.Add(ResultRow.Latency("2 team dashboard", $"GET /api/v1/teams/{{id}}/dashboard, team of {managersInTeam} managers, server time", dashboard, targetP95: 25,
            note: $"round trip p95 {Format.Ms(dashboardTrip.P95)}"));
        var (team, teamTrip) = await Scenarios.PageAsync(context, app, leads.Select(l => (l.Email, "/team")).ToList(), options.Iterations);
        report.Add(ResultRow.Latency("2 Team page", $"dashboard + the team's whole caseload ({managersInTeam * options.Preset.CasesPerManager} rows) + Vertretungen, server time", team,
            note: $"round trip p95 {Format.Ms(teamTrip.P95)}"));
    }

    /// <summary>
    /// Scenario 5: the daily reminder run of every organisation — first with every case evaluated (the first run; with
    /// <paramref name="forgetPlansFirst"/> also on a database that had run before: what every daily run did before issue 21),
    /// then the daily run (only what changed or fell due), one organisation after another and four at a time.
    /// </summary>
    private static async Task RemindersAsync(BenchContext context, Report report, TextWriter log, bool forgetPlansFirst)
    {
        await log.WriteLineAsync("==> 5: Tägliche Erinnerungsprüfung");
        if (forgetPlansFirst)
        {
            await ReadScenarios.ForgetPlansAsync(context);
        }

        var (firstPer, firstTotal) = await Scenarios.ReminderScanAsync(context, 1);
        report.Add(ResultRow.Latency("5 reminder scan, every case", $"per organisation (the first run; every daily run before issue 21); all {firstPer.Count} one after another: {Format.Seconds(firstTotal)}", firstPer));
        var (dailyPer, dailyTotal) = await Scenarios.ReminderScanAsync(context, 1);
        report.Add(new ResultRow("5 reminder scan, daily run", $"all {dailyPer.Count} organisations one after another (p50/p95 per organisation)", Format.Ms(dailyPer.P50), Format.Ms(dailyPer.P95),
            $"total {Format.Seconds(dailyTotal)}", "≤ 2 s", dailyTotal.TotalSeconds <= 2));
        var (_, parallelTotal) = await Scenarios.ReminderScanAsync(context, 4);
        report.Add(new ResultRow("5 reminder scan, daily run", "4 organisations at a time (Hangfire workers)", "", "", $"total {Format.Seconds(parallelTotal)}", "≤ 2 s", parallelTotal.TotalSeconds <= 2));
    }

    /// <summary>Scenario 7: load over HTTP and the application's memory.</summary>
    private static async Task LoadAsync(BenchContext context, AppProcess app, Report report, TextWriter log)
    {
        var options = context.Options;
        await log.WriteLineAsync($"==> 7: Last über HTTP ({options.LoadConnections} Verbindungen, {Format.Seconds(options.LoadDuration)})");
        var load = await LoadGenerator.RunAsync(context, app);
        report.Add(new ResultRow("7 load", $"{options.LoadConnections} connections, 90 % reads / 10 % writes", Format.Ms(load.Latency.P50), Format.Ms(load.Latency.P95),
            Describe(load),
            "≥ 1,000 req/s, p99 ≤ 100 ms, no errors", load.PerSecond >= 1000 && load.Latency.P99 <= 100 && load.Errors == 0));
        await LogServerErrorsAsync(load, app, log);
        report.Add(new ResultRow("7 memory", "resident set size of the app", "", "", $"now {load.RssMiB:0} MiB, peak {load.PeakRssMiB:0} MiB", "≤ 400 MB", load.PeakRssMiB * 1.048576 <= 400));
    }

    /// <summary>An answer 5xx in a load: what the application logged about it, into the run's log.</summary>
    private static async Task LogServerErrorsAsync(LoadResult load, AppProcess app, TextWriter log)
    {
        if (load.ErrorKinds.Keys.Any(k => k.StartsWith('5')))
        {
            await log.WriteLineAsync("Die Anwendung meldete Fehler:\n" + app.Failures());
        }
    }

    /// <summary>Throughput, p99 and errors (by kind) of a load run.</summary>
    private static string Describe(LoadResult load) =>
        $"{Format.Number(load.PerSecond)} req/s, p99 {Format.Ms(load.Latency.P99)}, {Format.Number(load.Errors)} errors"
        + (load.ErrorKinds.Count == 0 ? "" : " (" + string.Join(", ", load.ErrorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")");

    /// <summary>
    /// Scenario 7 through HAProxy and two application processes on the same database and the same two cores (issue 21:
    /// "report honestly what two nodes on two cores give"). The first node is the one the other scenarios ran on.
    /// </summary>
    private static async Task TwoNodeLoadAsync(BenchContext context, AppProcess first, string connectionString, Report report, TextWriter log)
    {
        var options = context.Options;
        await using var second = await AppProcess.StartAsync(options, connectionString, Variants[0].Settings);
        await using var balancer = await Balancer.StartAsync(first.Address, second.Address);
        if (balancer is null)
        {
            await log.WriteLineAsync("    HAProxy ist nicht installiert: die Last über zwei Knoten entfällt.");
            return;
        }

        await log.WriteLineAsync($"==> 7: Last über HAProxy und zwei Knoten ({options.LoadConnections} Verbindungen, {Format.Seconds(options.LoadDuration)})");
        var load = await LoadGenerator.RunAsync(context, balancer.Address, () =>
        {
            var (a, b) = (first.Memory(), second.Memory());
            return (a.Current + b.Current, Math.Max(a.Peak, b.Peak));
        });
        report.Add(new ResultRow("7 load, two nodes", "the same through HAProxy (deploy/haproxy/haproxy.cfg) and two app processes on the same two cores", Format.Ms(load.Latency.P50), Format.Ms(load.Latency.P95),
            $"{Describe(load)}, both nodes' RSS {load.RssMiB:0} MiB, nodes marked down by HAProxy: {balancer.Downs.Count}"
            + (balancer.Downs.Count == 0 ? "" : " (" + string.Join("; ", balancer.Downs.Take(4)) + ")"),
            "", null));
    }

    /// <summary>Runs scenarios against a fresh application process; a failure shows what the application logged.</summary>
    /// <summary>Scenario 1b: the quick note from "Meine Fälle"; its p95 within the goal update's (issue 19).</summary>
    private static async Task QuickNoteAsync(BenchContext context, AppProcess app, int iterations, Samples goal, Report report, TextWriter log)
    {
        await log.WriteLineAsync("==> 1b: Kurznotiz aus Meine Fälle (Formular, HTTP)");
        var (post, server, withList) = await Scenarios.QuickNoteAsync(context, app, iterations, round: 1);
        report.Add(ResultRow.Latency("1b quick note", "form POST → gate → append → defaults → redirect, round trip", post, targetP95: goal.P95,
            note: $"server {Format.Ms(server.P50)} / {Format.Ms(server.P95)}"));
        report.Add(ResultRow.Latency("1b quick note + list", "POST and the list it returns to (what the user waits for), round trip", withList));
    }

    /// <summary>
    /// <c>--only write</c>: scenario 1 with the floor interleaved and the server's breakdown, after a round that is not
    /// reported (warm caches), alternating the default (Quick append with the write cache), Rich append with the write cache
    /// and the default without the write cache: default, Rich, default, without, default, Rich — each in a fresh app process
    /// and on three-year cases of its own (<see cref="BenchContext.WriteCases"/>); then the load scenario with the default,
    /// without the write cache, and the default again. The variants measured before (the session checked in the database,
    /// the thread pool's spinning, statements prepared) stay in <see cref="Variants"/>; docs/performance.md has their figures.
    /// </summary>
    private static async Task WriteCostAsync(BenchmarkOptions options, string applicationConnectionString, IServiceProvider services, BenchContext context,
        string connectionString, Report report, TextWriter log)
    {
        // Generated data gets its read models here; reused data has them from the run that generated it (every change since
        // went through the inline projections), so a rebuild of 4.9 million events would only cost minutes.
        if (!options.Reuse)
        {
            await ProjectionRebuild.RebuildAllAsync(services.GetRequiredService<Marten.IDocumentStore>(), TimeSpan.FromHours(2), CancellationToken.None);
        }

        await AnalyzeAsync(connectionString);
        var variants = new[] { Variants[0], RichWithCache, Variants[0], Variants[^1], Variants[0], RichWithCache };

        // A round that is not reported first: bench.sh has just started PostgreSQL, and the first round used to come out
        // kindest (its floor slow on cold caches; docs/performance.md, "The floor per repetition"). Its cases follow those of
        // the reported rounds (at the state size the slice wraps around into the first round's: one goal more there).
        await WithApp(options, applicationConnectionString, Variants[0].Settings, log, async app =>
        {
            await log.WriteLineAsync("==> 1: Aufwärmrunde (nicht berichtet)");
            await using var floorRun = await Scenarios.Floor.StartAsync(context, Variants[0].Settings);
            await Scenarios.GoalUpdateAsync(context, app, options.Iterations, variants.Length, floorRun);
        });

        foreach (var ((name, settings), round) in variants.Select((v, i) => (v, i)))
        {
            await WithApp(options, applicationConnectionString, settings, log, async app =>
            {
                await log.WriteLineAsync($"==> 1: Ziel fortschreiben und Untergrenze ({name})");
                var phases = new Dictionary<string, Samples>();
                Samples goal, server, floor, database, calls;
                double summaryLength;
                await using (var floorRun = await Scenarios.Floor.StartAsync(context, settings))
                {
                    (goal, server, floor, database, calls) = await Scenarios.GoalUpdateAsync(context, app, options.Iterations, round, floorRun, phases);
                    summaryLength = floorRun.SummaryLength;
                }

                report.Add(ResultRow.Latency("1 goal update", $"{name}: round trip", goal, targetP50: 2 * floor.P50, note: $"server {Format.Ms(server.P50)} / {Format.Ms(server.P95)}"));
                report.Add(ResultRow.Latency("1 floor", $"{name}: raw Npgsql, same run", floor, note: $"summaries of {summaryLength / 1024:0.0} KB on average"));
                report.Add(new ResultRow("1 ratio", $"{name}: goal update ÷ floor (p50)", (goal.P50 / floor.P50).ToString("0.0", CultureInfo.InvariantCulture) + "×", "", "", "≤ 2×", goal.P50 <= 2 * floor.P50));
                report.Add(ResultRow.Latency("1 breakdown", $"{name}: waiting for PostgreSQL ({calls.P50:0} calls besides the commit)", database));
                foreach (var phase in ChangePhases.Where(phases.ContainsKey))
                {
                    report.Add(ResultRow.Latency("1 breakdown", $"{name}: {phase}", phases[phase]));
                }

                var accounted = ChangePhases.Where(phases.ContainsKey).Sum(p => phases[p].P50);
                report.Add(new ResultRow("1 breakdown", $"{name}: the rest (binding, handler, answer; p50 of the server minus the phases' p50)",
                    Format.Ms(server.P50 - accounted), "", "", "", null));
            });
        }

        foreach (var (name, settings) in new[] { Variants[0], Variants[^1], Variants[0] })
        {
            await WithApp(options, applicationConnectionString, settings, log, async app =>
            {
                await log.WriteLineAsync($"==> 7: Last über HTTP ({options.LoadConnections} Verbindungen, {Format.Seconds(options.LoadDuration)}, {name})");
                var load = await LoadGenerator.RunAsync(context, app);
                report.Add(new ResultRow("7 load", $"{name}: {options.LoadConnections} connections, 90 % reads / 10 % writes", Format.Ms(load.Latency.P50), Format.Ms(load.Latency.P95),
                    Describe(load), "", null));
                await LogServerErrorsAsync(load, app, log);
            });
        }
    }

    private static async Task WithApp(BenchmarkOptions options, string connectionString, IReadOnlyDictionary<string, string> settings, TextWriter log, Func<AppProcess, Task> scenarios)
    {
        await using var app = await AppProcess.StartAsync(options, connectionString, settings);
        try
        {
            await scenarios(app);
        }
        catch (InvalidOperationException)
        {
            await log.WriteLineAsync("Die Anwendung meldete zuletzt:\n" + app.Tail());
            throw;
        }
    }

    private static async Task<string> PostgresVersionAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return "PostgreSQL " + connection.PostgreSqlVersion.ToString();
    }

    private static async Task AnalyzeAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("analyze");
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>With <c>--reuse</c>: users and cases of the data generated before (same seed).</summary>
    private static async Task<GeneratedData> LoadAsync(IServiceProvider services, string connectionString)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = await (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.Email!.EndsWith(".bench.example")
                           orderby u.Email
                           select new BenchUser(u.Id, u.Email!, u.OrganisationId, r.Name!)).ToListAsync();
        var cases = new Dictionary<Guid, List<(Guid Id, string Start, string Status)>>();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var command = dataSource.CreateCommand("select id, (data->>'managerId')::uuid, data->>'supportStart', data->>'status' from marten.mt_doc_casesummary order by id"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var manager = reader.GetGuid(1);
                (cases.TryGetValue(manager, out var list) ? list : cases[manager] = []).Add((reader.GetGuid(0), reader.GetString(2), reader.GetString(3)));
            }
        }

        long events;
        await using (var count = dataSource.CreateCommand("select count(*) from marten.mt_events"))
        {
            events = (long)(await count.ExecuteScalarAsync())!;
        }

        return new GeneratedData(users,
            cases.ToDictionary(c => c.Key, c => (IReadOnlyList<Guid>)c.Value.Select(x => x.Id).ToList()),
            cases.ToDictionary(c => c.Key, c => (IReadOnlyList<Guid>)c.Value.Where(x => x.Status == "Open").Select(x => x.Id).ToList()),
            cases.Where(c => c.Value.Any(x => x.Status == "Open")).ToDictionary(c => c.Key, c => c.Value.Where(x => x.Status == "Open").MinBy(x => x.Start).Id),
            events, TimeSpan.Zero);
    }
}
