using System.Diagnostics;
using System.Globalization;
using System.Net;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Benchmarks;

/// <summary>What every scenario works with.</summary>
public sealed record BenchContext(BenchmarkOptions Options, string ConnectionString, IServiceProvider Services, GeneratedData Data)
{
    public int Warmup => Math.Max(3, Options.Iterations / 10);

    public string Today => Options.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Managers with their three-year case, spread over the organisations (at most <paramref name="count"/>).</summary>
    public IReadOnlyList<(BenchUser Manager, Guid Case)> LongHistoryCases(int count) =>
        Data.InRole(Roles.Manager).GroupBy(m => m.OrganisationId).SelectMany(g => g.Select((m, i) => (m, i))).OrderBy(x => x.i).Select(x => x.m)
            .Where(m => Data.LongHistoryCaseByManager.ContainsKey(m.Id)).Take(count).Select(m => (m, Data.LongHistoryCaseByManager[m.Id])).ToList();

    /// <summary>
    /// The three-year cases round <paramref name="round"/> of a writing scenario works on (one per repetition, warm-up
    /// included): a slice of its own, after the ten that the page, export and erasure scenarios use. Each repetition
    /// adds one goal or note to its case, so a case grows by one entry per round and run instead of by a tenth of the
    /// repetitions (ten cases used to collect 700 goals over a day of runs, and the floor's summary with them). With
    /// fewer three-year cases than needed (the small preset) the slice wraps around.
    /// </summary>
    public IReadOnlyList<(BenchUser Manager, Guid Case)> WriteCases(int round)
    {
        var all = LongHistoryCases(int.MaxValue);
        var size = Warmup + Options.Iterations;
        var pool = all.Count >= ReservedForReads + size ? all.Skip(ReservedForReads).ToList() : all;
        return Enumerable.Range(round * size, size).Select(i => pool[i % pool.Count]).ToList();
    }

    /// <summary>The three-year cases read (and at the end erased) by the other scenarios, kept out of <see cref="WriteCases"/>.</summary>
    private const int ReservedForReads = 10;
}

/// <summary>The measured scenarios of issue 7.</summary>
public static partial class Scenarios
{
    /// <summary>
    /// Scenario 1: a goal moved on (Agreed → InProgress) end to end — HTTP POST with If-Match, Mediator, the
    /// write model fetched at the version, the event appended, the inline projection updated, the case returned.
    /// One client, on three-year cases. Returns client-side and server-side (Server-Timing) latencies.
    /// </summary>
    public static async Task<(Samples Client, Samples Server, Samples Floor, Samples Database, Samples Calls)> GoalUpdateAsync(BenchContext context, AppProcess app, int iterations, int round,
        Floor? floor = null, IDictionary<string, Samples>? phases = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        var cases = context.WriteCases(round);
        var clients = new Dictionary<Guid, UserClient>();
        foreach (var (manager, _) in cases.DistinctBy(c => c.Manager.Id))
        {
            clients[manager.Id] = await UserClient.ApiAsync(app.Address, manager.Email);
        }

        try
        {
            var versions = new Dictionary<Guid, long>();
            foreach (var (manager, id) in cases.DistinctBy(c => c.Case))
            {
                versions[id] = (await clients[manager.Id].GetAsync($"/api/v1/clients/{id}")).Version ?? throw new InvalidOperationException("Keine Version.");
            }

            // Set-up (not timed): a fresh goal per repetition, spread over the cases.
            var total = context.Warmup + iterations;
            var goals = new List<(UserClient Client, Guid Case, Guid Goal)>();
            for (var i = 0; i < total; i++)
            {
                var (manager, id) = cases[i % cases.Count];
                var created = await clients[manager.Id].PostAsync($"/api/v1/clients/{id}/goals",
                    new { field = "Language", text = $"Benchmark-Ziel {i}", agreedOn = context.Today, targetDate = context.Options.Today.PlusMonths(6).ToString("yyyy-MM-dd", null) }, versions[id]);
                Expect(created, "Ziel anlegen");
                versions[id] = created.Version ?? created.Json.GetProperty("version").GetInt64();
                goals.Add((clients[manager.Id], id, created.Json.GetProperty("goalId").GetGuid()));
            }

            if (floor is not null)
            {
                await floor.ReadSummariesAsync(goals.Select(g => g.Case).ToList());
            }

            // The floor runs interleaved, one after each request, so that both meet the same machine (shared, noisy).
            var server = new Samples();
            var floorSamples = new Samples();
            var database = new Samples();
            var calls = new Samples();
            var client = await Samples.Reported(context.Warmup, iterations, async i =>
            {
                var (user, id, goal) = goals[i];
                var answer = await user.PostAsync($"/api/v1/clients/{id}/goals/{goal}/status", new { status = "InProgress" }, versions[id]);
                Expect(answer, "Ziel fortschreiben");
                versions[id] = answer.Version!.Value;
                if (floor is not null)
                {
                    var started = Stopwatch.GetTimestamp();
                    await floor.RunAsync(i);
                    if (i >= context.Warmup)
                    {
                        floorSamples.Add(Stopwatch.GetElapsedTime(started));
                    }
                }

                if (i >= context.Warmup && answer.ServerMs is { } ms)
                {
                    server.Add(ms);
                }

                if (i >= context.Warmup && phases is not null)
                {
                    foreach (var (name, phaseMs) in answer.Phases)
                    {
                        (phases.TryGetValue(name, out var samples) ? samples : phases[name] = new Samples()).Add(phaseMs);
                    }
                }

                if (i >= context.Warmup && answer.DatabaseMs is { } db)
                {
                    database.Add(db);
                    calls.Add(answer.DatabaseCalls ?? 0);
                }

                return answer.ClientMs;
            });
            return (client, server, floorSamples, database, calls);
        }
        finally
        {
            foreach (var c in clients.Values)
            {
                c.Dispose();
            }
        }
    }

    /// <summary>
    /// Scenario 1b: the quick note (Kurznotiz) from "Meine Fälle" — the form POST as the browser sends it (cookie,
    /// antiforgery token), the consultation through the gate, the user's defaults remembered, the redirect back to the
    /// list; and the whole step the user waits for (POST + the list it redirects to). On the same three-year cases as
    /// scenario 1 (a slice of its own, <paramref name="round"/>). The case's version is read before each note (not timed).
    /// </summary>
    public static async Task<(Samples Post, Samples Server, Samples PostAndList)> QuickNoteAsync(BenchContext context, AppProcess app, int iterations, int round)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        var cases = context.WriteCases(round);
        var web = new Dictionary<Guid, (UserClient Client, string Token)>();
        var api = new Dictionary<Guid, UserClient>();
        foreach (var (manager, _) in cases)
        {
            if (!web.ContainsKey(manager.Id))
            {
                var client = await UserClient.WebAsync(app.Address, manager.Email);
                var list = await client.GetAsync("/faelle");
                web[manager.Id] = (client, AntiforgeryToken().Match(list.Body).Groups[1].Value);
                api[manager.Id] = await UserClient.ApiAsync(app.Address, manager.Email);
            }
        }

        try
        {
            var server = new Samples();
            var withList = new Samples();
            var post = await Samples.Reported(context.Warmup, iterations, async i =>
            {
                var (manager, id) = cases[i % cases.Count];
                var version = (await api[manager.Id].GetAsync($"/api/v1/clients/{id}")).Version ?? throw new InvalidOperationException("Keine Version.");
                var (client, token) = web[manager.Id];
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/faelle/{id}/kurznotiz")
                {
                    Content = new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
                    {
                        new("__RequestVerificationToken", token), new("Version", version.ToString(CultureInfo.InvariantCulture)), new("FromList", "true"),
                        new("Page", "1"), new("Overdue", "false"), new("Mode", "Phone"), new("DurationMinutes", "15"), new("Date", context.Today),
                        new("Fields", "Language"), new("Note", $"Benchmark-Kurznotiz {i}"),
                    }),
                };
                var answer = await client.SendAsync(request);
                if (answer.Status != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException($"Kurznotiz: {(int)answer.Status}");
                }

                var back = await client.GetAsync("/faelle");
                if (i >= context.Warmup)
                {
                    if (answer.ServerMs is { } ms)
                    {
                        server.Add(ms);
                    }

                    withList.Add(answer.ClientMs + back.ClientMs);
                }

                return answer.ClientMs;
            });
            return (post, server, withList);
        }
        finally
        {
            foreach (var c in web.Values.Select(w => w.Client).Concat(api.Values))
            {
                c.Dispose();
            }
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryToken();

    /// <summary>
    /// The floor of scenario 1: the same database work by hand with raw Npgsql on a pooled connection — read the
    /// stream's version (for update), insert the event row, bump the stream, upsert the read-model row (the summary of
    /// the three-year case the goal update of the same repetition changed), commit. In a tenant of its own, removed afterwards.
    /// </summary>
    public sealed class Floor : IAsyncDisposable
    {
        private const string Tenant = "benchfloor";
        private readonly NpgsqlDataSource dataSource;
        private readonly Marten.ISerializer serializer;
        private readonly List<Guid> streams = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToList();
        private List<string> summaries = [];

        private Floor(NpgsqlDataSource dataSource, Marten.ISerializer serializer)
        {
            this.dataSource = dataSource;
            this.serializer = serializer;
        }

        /// <summary>Mean length of the summaries the floor writes (characters of their JSON).</summary>
        public double SummaryLength => summaries.Count == 0 ? 0 : summaries.Average(s => s.Length);

        /// <summary>The floor of one round of scenario 1, in a tenant of its own; <see cref="ReadSummariesAsync"/> gives it what to write.</summary>
        public static async Task<Floor> StartAsync(BenchContext context, IReadOnlyDictionary<string, string>? settings = null)
        {
            ArgumentNullException.ThrowIfNull(context);
            var dataSource = NpgsqlDataSource.Create(WithConnectionSettings(context.ConnectionString, settings));
            var floor = new Floor(dataSource, context.Services.GetRequiredService<Marten.IDocumentStore>().Options.Serializer());
            await using var setup = dataSource.CreateCommand("insert into marten.mt_streams (tenant_id, id, type, version) select $1, unnest($2::uuid[]), 'client_case', 0");
            setup.Parameters.Add(new() { Value = Tenant });
            setup.Parameters.Add(new() { Value = floor.streams.ToArray() });
            await setup.ExecuteNonQueryAsync();
            return floor;
        }

        /// <summary>
        /// The summaries the goal updates of this round are about to write, as they are now (after the set-up, one goal
        /// status before the change): repetition i of the floor writes the summary of repetition i's case, so that both
        /// write documents of the same size (until 2026-12-06 every repetition wrote the round's first case's summary).
        /// </summary>
        public async Task ReadSummariesAsync(IReadOnlyList<Guid> cases)
        {
            ArgumentNullException.ThrowIfNull(cases);
            await using var read = dataSource.CreateCommand("select s.id, s.data::text from marten.mt_doc_casesummary s where s.id = any($1)");
            read.Parameters.Add(new() { Value = cases.ToArray() });
            var byId = new Dictionary<Guid, string>();
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    byId[reader.GetGuid(0)] = reader.GetString(1);
                }
            }

            summaries = cases.Select(c => byId[c]).ToList();
        }

        /// <summary>
        /// The connection setting of the app's variant (<c>Database__PreparedStatements</c>) applied to the floor's connections
        /// as well, so that both meet PostgreSQL on the same terms.
        /// </summary>
        public static string WithConnectionSettings(string connectionString, IReadOnlyDictionary<string, string>? settings)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (settings?.TryGetValue(Harness.PreparedStatementsSetting, out var prepared) == true)
            {
                builder.MaxAutoPrepare = int.Parse(prepared, System.Globalization.CultureInfo.InvariantCulture);
            }

            return builder.ConnectionString;
        }

        public async Task RunAsync(int i)
        {
            var id = streams[i % streams.Count];
            var data = serializer.ToJson(new GoalStatusChanged(id, Guid.NewGuid(), GoalStatus.InProgress, null, Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant()));
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            long version;
            await using (var select = new NpgsqlCommand("select version from marten.mt_streams where tenant_id = $1 and id = $2 for update", connection, transaction))
            {
                select.Parameters.Add(new() { Value = Tenant });
                select.Parameters.Add(new() { Value = id });
                version = (long)(await select.ExecuteScalarAsync())! + 1;
            }

            await using var batch = new NpgsqlBatch(connection, transaction)
            {
                BatchCommands =
                {
                    new("insert into marten.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) " +
                        "values (nextval('marten.mt_events_sequence'), $1, $2, $3, $4, 'goal_status_changed', now(), $5, 'CaseManagement.Plans.GoalStatusChanged, CaseManagement', false)")
                    {
                        Parameters = { new() { Value = Guid.CreateVersion7() }, new() { Value = id }, new() { Value = version }, new() { Value = data, NpgsqlDbType = NpgsqlDbType.Jsonb }, new() { Value = Tenant } },
                    },
                    new("update marten.mt_streams set version = $1, timestamp = now() where tenant_id = $2 and id = $3")
                    {
                        Parameters = { new() { Value = version }, new() { Value = Tenant }, new() { Value = id } },
                    },
                    new("insert into marten.mt_doc_casesummary (tenant_id, id, data, mt_last_modified, mt_dotnet_type, mt_version) values ($1, $2, $3, now(), 'CaseManagement.Cases.CaseSummary', $4) " +
                        "on conflict (tenant_id, id) do update set data = excluded.data, mt_last_modified = excluded.mt_last_modified, mt_version = excluded.mt_version")
                    {
                        Parameters = { new() { Value = Tenant }, new() { Value = id }, new() { Value = summaries[i % summaries.Count], NpgsqlDbType = NpgsqlDbType.Jsonb }, new() { Value = version } },
                    },
                },
            };
            await batch.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await using (var cleanup = dataSource.CreateBatch())
            {
                foreach (var table in new[] { "mt_events", "mt_doc_casesummary", "mt_streams" })
                {
                    cleanup.BatchCommands.Add(new($"delete from marten.{table} where tenant_id = '{Tenant}'"));
                }

                await cleanup.ExecuteNonQueryAsync();
            }

            await dataSource.DisposeAsync();
        }
    }

    /// <summary>Scenarios 2 and 3: a page as the signed-in user sees it, server time (Server-Timing) and round trip.</summary>
    public static async Task<(Samples Server, Samples Client)> PageAsync(BenchContext context, AppProcess app, IReadOnlyList<(string Email, string Url)> targets, int iterations)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(targets);
        var clients = new List<UserClient>();
        foreach (var (email, _) in targets)
        {
            clients.Add(await UserClient.WebAsync(app.Address, email));
        }

        try
        {
            var roundTrip = new Samples();
            var server = await Samples.Reported(context.Warmup, iterations, async i =>
            {
                var answer = await clients[i % clients.Count].GetAsync(targets[i % targets.Count].Url);
                Expect(answer, targets[i % targets.Count].Url);
                if (i >= context.Warmup)
                {
                    roundTrip.Add(answer.ClientMs);
                }

                return answer.ServerMs ?? answer.ClientMs;
            });
            return (server, roundTrip);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Scenario 2: the Team dashboard's figures and charts as the API serves them (the page adds the caseload).</summary>
    public static async Task<(Samples Server, Samples Client)> DashboardAsync(BenchContext context, AppProcess app, IReadOnlyList<BenchUser> leads, int iterations)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(leads);
        var clients = new List<(UserClient Client, Guid Team)>();
        foreach (var lead in leads)
        {
            var client = await UserClient.ApiAsync(app.Address, lead.Email);
            clients.Add((client, (await client.GetAsync("/api/v1/me")).Json.GetProperty("teamId").GetGuid()));
        }

        try
        {
            var roundTrip = new Samples();
            var server = await Samples.Reported(context.Warmup, iterations, async i =>
            {
                var (client, team) = clients[i % clients.Count];
                var answer = await client.GetAsync($"/api/v1/teams/{team}/dashboard");
                Expect(answer, "Team-Übersicht");
                if (i >= context.Warmup)
                {
                    roundTrip.Add(answer.ClientMs);
                }

                return answer.ServerMs ?? answer.ClientMs;
            });
            return (server, roundTrip);
        }
        finally
        {
            clients.ForEach(c => c.Client.Dispose());
        }
    }

    /// <summary>Scenario 5: the daily reminder run of every organisation, in this process (as a Hangfire worker runs it).</summary>
    public static async Task<(Samples PerOrganisation, TimeSpan Total)> ReminderScanAsync(BenchContext context, int parallelism)
    {
        ArgumentNullException.ThrowIfNull(context);
        var organisations = context.Data.Users.Select(u => u.OrganisationId).Distinct().ToList();
        var samples = new Samples();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(organisations, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (organisation, ct) =>
        {
            await using var scope = context.Services.CreateAsyncScope();
            var one = Stopwatch.GetTimestamp();
            await scope.ServiceProvider.GetRequiredService<ReminderJobs>().ScanOrganisation(organisation, ct);
            lock (samples)
            {
                samples.Add(Stopwatch.GetElapsedTime(one));
            }
        });
        return (samples, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Scenario 6: export (ZIP) and erasure (both steps) of three-year cases by their organisation's DPO.</summary>
    public static async Task<(Samples Export, Samples Erasure)> ExportAndEraseAsync(BenchContext context, AppProcess app, IReadOnlyList<(BenchUser Manager, Guid Case)> cases)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(cases);
        var dpos = new Dictionary<Guid, UserClient>();
        foreach (var organisation in cases.Select(c => c.Manager.OrganisationId).Distinct())
        {
            dpos[organisation] = await UserClient.ApiAsync(app.Address, context.Data.InRole(Roles.DataProtectionOfficer).Single(u => u.OrganisationId == organisation).Email);
        }

        try
        {
            var export = new Samples();
            var erasure = new Samples();
            foreach (var ((manager, id), index) in cases.Select((c, i) => (c, i)))
            {
                // The first case warms the path up (JIT, first ZIP): not counted.
                var timed = index > 0 || cases.Count == 1;
                var dpo = dpos[manager.OrganisationId];
                var (status, zip, exportMs) = await dpo.PostForBytesAsync($"/api/v1/data-protection/subjects/{id}/export", new { purpose = "Benchmark" });
                if ((int)status != 200 || zip.Length < 100)
                {
                    throw new InvalidOperationException($"Export von {id}: {(int)status}");
                }

                if (timed)
                {
                    export.Add(exportMs);
                }

                var started = Stopwatch.GetTimestamp();
                var requested = await dpo.PostAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = "Benchmark", legalBasis = "Art. 17 Abs. 1 lit. a DSGVO" });
                Expect(requested, "Löschung beantragen");
                var confirmed = await dpo.PostAsync($"/api/v1/data-protection/erasures/{requested.Json.GetProperty("erasureId").GetGuid()}/confirm",
                    new { caseNumber = requested.Json.GetProperty("caseNumber").GetString() });
                Expect(confirmed, "Löschung bestätigen");
                if (timed)
                {
                    erasure.Add(Stopwatch.GetElapsedTime(started));
                }
            }

            return (export, erasure);
        }
        finally
        {
            foreach (var c in dpos.Values)
            {
                c.Dispose();
            }
        }
    }

    public static void Expect(Answer answer, string what)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!answer.Ok)
        {
            throw new InvalidOperationException($"{what}: {(int)answer.Status} {answer.Body[..Math.Min(answer.Body.Length, 500)]}");
        }
    }

    /// <summary>Events of a case's stream (for the note beside scenario 3).</summary>
    public static async Task<long> StreamLengthAsync(BenchContext context, Guid caseId)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var dataSource = NpgsqlDataSource.Create(context.ConnectionString);
        await using var command = dataSource.CreateCommand("select version from marten.mt_streams where id = $1");
        command.Parameters.Add(new() { Value = caseId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
