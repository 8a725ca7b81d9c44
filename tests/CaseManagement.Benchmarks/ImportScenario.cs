using System.Diagnostics;
using System.Text;
using CaseManagement.CaseImports;
using CaseManagement.Organisations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Benchmarks;

/// <summary>
/// Scenario 8 (issue 18): a 10,000-row caseload file imported as an administrator would, the job run in this process the
/// way a Hangfire worker runs it. Measured: the job's wall time (target ≤ 20 s on the 2-core machine) and the managed heap
/// peak, once for 2,000 and once for 10,000 rows, so that growth with the file shows.
/// </summary>
public static class ImportScenario
{
    public const double TargetSeconds = 20;

    public static async Task<IReadOnlyList<ResultRow>> RunAsync(IServiceProvider services, GeneratedData data, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(log);
        var admin = data.InRole(Roles.Administrator).First();
        var managers = data.InRole(Roles.Manager).Where(m => m.OrganisationId == admin.OrganisationId).Select(m => m.Email).ToList();
        var rows = new List<ResultRow>();
        // A prefix of its own per run, so that a run on a kept database (--reuse) imports new people again.
        var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        foreach (var (size, prefix) in new[] { (2_000, "K" + run), (10_000, "L" + run) })
        {
            var content = File(size, prefix, managers);
            Guid id;
            await using (var scope = services.CreateAsyncScope())
            {
                var principal = await scope.ServiceProvider.PrincipalForAsync(admin.Email) ?? throw new InvalidOperationException("No bench administrator.");
                scope.ServiceProvider.ActAs(principal);
                var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
                var draft = await mediator.Send(new UploadImport($"Bench-{size}.csv", content));
                id = (await mediator.Send(new StartImport(draft.Value!.Id, DryRun: false))).Value;
            }

            GC.Collect();
            var before = GC.GetGCMemoryInfo().HeapSizeBytes;
            long peak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(false));
                    await Task.Delay(50, CancellationToken.None);
                }
            });
            using var self = Process.GetCurrentProcess();
            var cpuBefore = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await using (var scope = services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<ImportJobs>().Run(id, CancellationToken.None);
            }

            watch.Stop();
            // The process's CPU time besides the wall time: on a machine shared with other builds the wall time says more about them.
            self.Refresh();
            var cpu = self.TotalProcessorTime - cpuBefore;
            await sampling.CancelAsync();
            await sampler;
            ImportView view;
            await using (var scope = services.CreateAsyncScope())
            {
                scope.ServiceProvider.ActAs((await scope.ServiceProvider.PrincipalForAsync(admin.Email))!);
                view = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetImport(id));
            }

            var seconds = watch.Elapsed.TotalSeconds;
            await log.WriteLineAsync($"    {size} Zeilen: {seconds:0.0} s, {view.Created} angelegt, {view.Rejected} abgewiesen, Heap-Spitze {peak / 1024 / 1024} MB (vorher {before / 1024 / 1024} MB), CPU-Zeit des Prozesses {cpu.TotalSeconds:0.0} s");
            rows.Add(new ResultRow("8", $"import {Format.Number(size)} rows (job)", "", "",
                $"{Format.Seconds(watch.Elapsed)}, {Format.Number(size / seconds)} rows/s, created {Format.Number(view.Created)}, rejected {Format.Number(view.Rejected)}, managed heap peak {Format.Number(peak / 1024.0 / 1024)} MB, process CPU {Format.Seconds(cpu)}",
                size == 10_000 ? $"≤ {TargetSeconds:0} s" : "", size == 10_000 ? seconds <= TargetSeconds : null));
        }

        return rows;
    }

    /// <summary>The template's columns, one new person per row (no probable duplicates), the managers in turn.</summary>
    public static byte[] File(int size, string prefix, IReadOnlyList<string> managers)
    {
        ArgumentNullException.ThrowIfNull(managers);
        var csv = new StringBuilder("Aktenzeichen;Nachname;Vorname;Geburtsdatum;Geschlecht;Staatsangehörigkeit;Sprachen;Aufenthaltsstatus;Aufenthalt gültig bis;Wohnform;Wohnform seit;Förderbeginn;Zuständig (E-Mail)\r\n");
        for (var i = 0; i < size; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{prefix}-{i:00000};Import{prefix}{i};Person;{1 + (i % 28):00}.{1 + (i % 12):00}.{1960 + (i % 40)};weiblich;UA;uk;TemporaryProtection;;AU;15.06.2024;01.07.2024;{managers[i % managers.Count]}\r\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
