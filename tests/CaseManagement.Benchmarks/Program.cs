namespace CaseManagement.Benchmarks;

/// <summary>
/// The benchmark and load harness (README "Performance"):
/// <c>dotnet run -c Release --project tests/CaseManagement.Benchmarks -- --preset small|state [--reuse] [--load-seconds 60] …</c>,
/// or <c>./bench.sh small|state</c>, which also starts a private PostgreSQL.
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = BenchmarkOptions.Parse(args);
            var report = await Harness.RunAsync(options, Console.Error);
            var (markdown, json) = await report.WriteAsync(options.ResultsDirectory);
            Console.WriteLine(report.Markdown());
            Console.WriteLine($"Ergebnisse: {markdown}, {json}");
            return 0;
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync("Fehler: " + e.Message);
            return 2;
        }
    }
}
