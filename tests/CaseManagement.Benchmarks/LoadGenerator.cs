using System.Diagnostics;
using CaseManagement.Organisations;

namespace CaseManagement.Benchmarks;

/// <summary>What the load run measured.</summary>
public sealed record LoadResult(long Requests, long Errors, TimeSpan Duration, Samples Latency, double RssMiB, double PeakRssMiB, IReadOnlyDictionary<string, long> ErrorKinds)
{
    public double PerSecond => Requests / Duration.TotalSeconds;
}

/// <summary>
/// Scenario 7: HTTP load on loopback — N connections for a fixed time, 90 % reads (the case file 60 %, the
/// caseload 30 %) and 10 % writes (a consultation, with If-Match). Each connection acts as a manager and writes
/// only its own share of that manager's cases, so a refused write is a real error, not a planned conflict.
/// </summary>
public static class LoadGenerator
{
    private static readonly string[] LanguageOnly = ["Language"];

    public static Task<LoadResult> RunAsync(BenchContext context, AppProcess app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return RunAsync(context, app.Address, app.Memory);
    }

    /// <summary>The load against <paramref name="address"/> (one node, or HAProxy in front of several); <paramref name="memory"/> afterwards.</summary>
    public static async Task<LoadResult> RunAsync(BenchContext context, Uri address, Func<(double Current, double Peak)> memory)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(memory);
        var connections = context.Options.LoadConnections;
        var managers = context.Data.InRole(Roles.Manager).GroupBy(m => m.OrganisationId).SelectMany(g => g.Select((m, i) => (m, i))).OrderBy(x => x.i).Select(x => x.m)
            .Where(m => context.Data.CasesByManager.ContainsKey(m.Id)).Take(connections).ToList();
        using var handler = UserClient.NewHandler();
        var clients = new Dictionary<Guid, UserClient>();
        foreach (var manager in managers)
        {
            clients[manager.Id] = await UserClient.ApiAsync(address, manager.Email, handler);
        }

        // Worker w acts as manager w % managers and writes the cases with index ≡ w (mod workers of that manager).
        var workers = Enumerable.Range(0, connections).Select(w =>
        {
            var manager = managers[w % managers.Count];
            var sharing = Enumerable.Range(0, connections).Count(x => x % managers.Count == w % managers.Count);
            // Open cases only: a closed one takes no consultation (that refusal would be the test's fault, not the app's).
            var own = context.Data.OpenCasesByManager[manager.Id].Where((_, i) => i % sharing == w / managers.Count).ToList();
            return (Client: clients[manager.Id], Cases: context.Data.CasesByManager[manager.Id], Own: own);
        }).ToList();

        var latency = new Samples();
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        long requests = 0;
        var stopAt = Stopwatch.GetTimestamp() + (long)(context.Options.LoadDuration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        var today = context.Today;
        await Task.WhenAll(workers.Select((worker, w) => Task.Run(async () =>
        {
            var random = new Random(context.Options.Seed + w);
            var versions = new Dictionary<Guid, long>();
            var mine = new List<double>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                // A connection without cases of its own to write (more connections than cases) only reads.
                var roll = worker.Own.Count == 0 ? random.Next(90) : random.Next(100);
                var kind = roll < 60 ? "case file" : roll < 90 ? "caseload" : "consultation";
                Answer answer;
                try
                {
                    if (roll < 60)
                    {
                        answer = await worker.Client.GetAsync($"/api/v1/clients/{worker.Cases[random.Next(worker.Cases.Count)]}");
                    }
                    else if (roll < 90)
                    {
                        answer = await worker.Client.GetAsync($"/api/v1/clients?page={1 + random.Next(3)}");
                    }
                    else
                    {
                        var id = worker.Own[random.Next(worker.Own.Count)];
                        if (!versions.TryGetValue(id, out var version))
                        {
                            var current = await worker.Client.GetAsync($"/api/v1/clients/{id}");
                            version = current.Version ?? 0;
                        }

                        answer = await worker.Client.PostAsync($"/api/v1/clients/{id}/consultations",
                            new { date = today, durationMinutes = 30, mode = "Phone", fields = LanguageOnly, note = "Lasttest" }, version);
                        if (answer.Version is { } next)
                        {
                            versions[id] = next;
                        }
                        else
                        {
                            versions.Remove(id);
                        }
                    }
                }
                catch (HttpRequestException e)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                    continue;
                }

                Interlocked.Increment(ref requests);
                mine.Add(answer.ClientMs);
                if (!answer.Ok)
                {
                    errors.AddOrUpdate($"{(int)answer.Status} {kind}", 1, (_, n) => n + 1);
                }
            }

            lock (latency)
            {
                mine.ForEach(latency.Add);
            }
        })));
        var duration = Stopwatch.GetElapsedTime(started);
        var (rss, peak) = memory();
        foreach (var c in clients.Values)
        {
            c.Dispose();
        }

        return new LoadResult(requests, errors.Values.Sum(), duration, latency, rss, peak, errors);
    }
}
