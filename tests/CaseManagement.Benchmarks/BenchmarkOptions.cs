using System.Globalization;
using NodaTime;

namespace CaseManagement.Benchmarks;

/// <summary>The size of the generated data.</summary>
public sealed record Preset(string Name, int Organisations, int ManagersPerOrganisation, int CasesPerManager)
{
    /// <summary>1 organisation, 2 managers, 20 cases: the smoke run of the test suite.</summary>
    public static readonly Preset Tiny = new("tiny", 1, 2, 10);

    /// <summary>1 organisation, 10 managers, 600 cases.</summary>
    public static readonly Preset Small = new("small", 1, 10, 60);

    /// <summary>The whole state: 100 organisations, 1,200 managers, 72,000 cases, about 5 million events.</summary>
    public static readonly Preset State = new("state", 100, 12, 60);

    public int Managers => Organisations * ManagersPerOrganisation;

    public int Cases => Managers * CasesPerManager;

    public static Preset Parse(string name) => name switch
    {
        "tiny" => Tiny,
        "small" => Small,
        "state" => State,
        _ => throw new UsageException($"Unbekannte Größe „{name}“ (tiny, small, state)."),
    };
}

/// <summary>What one run does (command-line options of the harness).</summary>
public sealed record BenchmarkOptions
{
    public Preset Preset { get; init; } = Preset.Small;

    /// <summary>
    /// Server connection string of the owner role, which creates, migrates and fills the database (database name ignored:
    /// the harness uses <c>bench_&lt;preset&gt;</c>).
    /// </summary>
    public string ConnectionString { get; init; } = "";

    /// <summary>
    /// The application's role (owns nothing, reads and writes rows), as which the measured web application connects,
    /// like in production; database name ignored.
    /// </summary>
    public string ApplicationConnectionString { get; init; } = "";

    /// <summary>Generation seed: the same seed and day give the same data.</summary>
    public int Seed { get; init; } = 20261130;

    /// <summary>The day the generated histories end ("today" of the data).</summary>
    public LocalDate Today { get; init; } = SystemClock.Instance.GetCurrentInstant().InZone(CaseManagement.Common.Time.Berlin).Date;

    /// <summary>Keep an already generated database of this preset (same seed) instead of generating again.</summary>
    public bool Reuse { get; init; }

    /// <summary>Timed repetitions per latency scenario (after a warm-up).</summary>
    public int Iterations { get; init; } = 200;

    public TimeSpan LoadDuration { get; init; } = TimeSpan.FromSeconds(60);

    public int LoadConnections { get; init; } = 32;

    /// <summary>Also measure scenario 1 with each Marten option (one app restart per variant).</summary>
    public bool Variants { get; init; } = true;

    public string ResultsDirectory { get; init; } = "benchmark-results";

    /// <summary>The web application's dll (found next to the sources when empty).</summary>
    public string? WebAssembly { get; init; }

    public bool Quiet { get; init; }

    /// <summary>One scenario alone (<c>--only import</c>: scenario 8 after the data generation, nothing else; <c>--only quicknote</c>: scenarios 1 and 1b; <c>--only reads</c>: scenarios 2, 5 and 7 of issue 21, each beside what it replaced; <c>--only write</c>: scenario 1 with its floor and the breakdown, once as now and once as before issue 15 item 6, then scenario 7).</summary>
    public string? Only { get; init; }

    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // As for the application: ConnectionStrings__PostgresOwner is the owner, ConnectionStrings__Postgres the application's role.
        var owner = Environment.GetEnvironmentVariable("ConnectionStrings__PostgresOwner");
        var application = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? "";
        var options = string.IsNullOrWhiteSpace(owner)
            ? new BenchmarkOptions { ConnectionString = application }
            : new BenchmarkOptions { ConnectionString = owner, ApplicationConnectionString = application };
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{args[i]} braucht einen Wert.");
            options = args[i] switch
            {
                "--preset" => options with { Preset = Preset.Parse(Next()) },
                "--connection" => options with { ConnectionString = Next() },
                "--app-connection" => options with { ApplicationConnectionString = Next() },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--today" => options with { Today = NodaTime.Text.LocalDatePattern.Iso.Parse(Next()).GetValueOrThrow() },
                "--reuse" => options with { Reuse = true },
                "--iterations" => options with { Iterations = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--load-seconds" => options with { LoadDuration = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--connections" => options with { LoadConnections = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-variants" => options with { Variants = false },
                "--out" => options with { ResultsDirectory = Next() },
                "--web" => options with { WebAssembly = Next() },
                "--quiet" => options with { Quiet = true },
                "--only" => options with { Only = Next() is ("import" or "quicknote" or "reads" or "write") and var only ? only : throw new UsageException("--only kennt nur: import, quicknote, reads, write.") },
                _ => throw new UsageException($"Unbekannte Option {args[i]}."),
            };
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new UsageException("Keine Datenbank: ConnectionStrings__PostgresOwner setzen oder --connection angeben (./bench.sh tut das).");
        }

        return string.IsNullOrWhiteSpace(options.ApplicationConnectionString)
            ? throw new UsageException(
                "Keine Rolle für die Anwendung: ConnectionStrings__Postgres (Rolle der Anwendung) und ConnectionStrings__PostgresOwner (Eigentümerrolle) "
                + "setzen oder --app-connection angeben (./bench.sh tut das; docs/operations.md).")
            : options;
    }
}

/// <summary>The command line was not understood (German message for the operator).</summary>
public sealed class UsageException(string message) : Exception(message);
