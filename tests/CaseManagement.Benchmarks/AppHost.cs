using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CaseManagement.Storage;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CaseManagement.Benchmarks;

/// <summary>Where the sources and the built web application are.</summary>
public static class Locations
{
    public static string RepositoryRoot { get; } = Find(AppContext.BaseDirectory);

    public static string WebProject => Path.Combine(RepositoryRoot, "src", "CaseManagement.Web");

    /// <summary>The web application's dll, built in the same configuration as this program.</summary>
    public static string WebAssembly(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.WebAssembly is { } configured)
        {
            return configured;
        }

        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(WebProject, "bin", configuration, "net10.0", "CaseManagement.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} fehlt: bitte zuerst bauen (dotnet build -c {configuration}).");
    }

    private static string Find(string from)
    {
        for (var dir = new DirectoryInfo(from); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseManagement.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CaseManagement.sln nicht gefunden.");
    }
}

/// <summary>The application's services in this process (no web server): generation, rebuild, reminder scan.</summary>
public static class AppServices
{
    public static WebApplication Build(string connectionString, bool quiet, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = Locations.WebProject });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Hangfire:Server"] = "false",
            ["Hangfire:Schedule"] = "false",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Logging.ClearProviders();
        if (!quiet)
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        }

        builder.AddCaseManagement();
        return builder.Build();
    }
}

/// <summary>The web application as its own process on a loopback port, as operators run it (Production).</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly System.Text.StringBuilder output;

    private AppProcess(Process process, Uri address, System.Text.StringBuilder output)
    {
        this.process = process;
        this.output = output;
        Address = address;
    }

    /// <summary>The last lines the application wrote (for a failed scenario).</summary>
    public string Tail(int lines = 60)
    {
        lock (output)
        {
            return string.Join('\n', output.ToString().Split('\n').TakeLast(lines));
        }
    }

    /// <summary>
    /// The application's error messages so far ("fail:"/"crit:" and the lines after each, at most <paramref name="linesEach"/>):
    /// what a 5xx of a scenario was (our logs carry no case content; LogCanaryTests).
    /// </summary>
    public string Failures(int linesEach = 12)
    {
        string[] lines;
        lock (output)
        {
            lines = output.ToString().Split('\n');
        }

        var picked = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("fail:", StringComparison.Ordinal) || lines[i].StartsWith("crit:", StringComparison.Ordinal))
            {
                picked.AddRange(lines.Skip(i).Take(linesEach));
            }
        }

        return string.Join('\n', picked);
    }

    public Uri Address { get; }

    public int ProcessId => process.Id;

    /// <summary>Production needs a certificate for the key ring: one per harness run, removed at its end.</summary>
    private static readonly Lazy<(string Path, string Password)> KeyRingCertificate = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("cm-bench-certificate-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var path = Path.Combine(folder, "dataprotection.pfx");
        File.WriteAllBytes(path, KeyRingProtection.CreateSelfSigned(NodaTime.SystemClock.Instance.GetCurrentInstant(), password));
        return (path, password);
    });

    public static async Task<AppProcess> StartAsync(BenchmarkOptions options, string connectionString, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Locations.WebProject,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList = { Locations.WebAssembly(options) },
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["AllowedHosts"] = "127.0.0.1",
                ["ConnectionStrings__Postgres"] = connectionString,
                ["ConnectionStrings__PostgresOwner"] = "",
                ["DataProtection__Certificate__Path"] = KeyRingCertificate.Value.Path,
                ["DataProtection__Certificate__Password"] = KeyRingCertificate.Value.Password,
                ["Hangfire__Server"] = "false",
                ["Hangfire__Schedule"] = "false",
                ["Diagnostics__ServerTiming"] = "true",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
                ["DOTNET_gcServer"] = "0",
            },
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Die Anwendung ließ sich nicht starten.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}"), output);
        if (await Readiness.WaitAsync(app.Address, TimeSpan.FromSeconds(120), () => process.HasExited))
        {
            return app;
        }

        var exited = process.HasExited;
        await app.DisposeAsync();
        throw new InvalidOperationException(exited ? $"Die Anwendung ist beim Start beendet worden:\n{output}" : $"Die Anwendung wurde nicht bereit:\n{output}");
    }

    /// <summary>Resident set size now and at its peak (VmRSS, VmHWM from /proc), in MiB.</summary>
    public (double Current, double Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{process.Id}/status");
        double Field(string name) =>
            double.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The benchmark's database: <c>bench_&lt;preset&gt;</c> on the given server, dropped and migrated afresh.</summary>
public static class BenchDatabase
{
    public static string For(string serverConnectionString, Preset preset) =>
        new Npgsql.NpgsqlConnectionStringBuilder(serverConnectionString) { Database = $"bench_{preset.Name}", CommandTimeout = 600 }.ConnectionString;

    public static async Task<bool> ExistsWithDataAsync(string connectionString)
    {
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var exists = new Npgsql.NpgsqlCommand("select 1 from pg_database where datname = $1", connection) { Parameters = { new() { Value = Database(connectionString) } } };
        if (await exists.ExecuteScalarAsync() is null)
        {
            return false;
        }

        await using var data = new Npgsql.NpgsqlConnection(connectionString);
        await data.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("select exists (select 1 from marten.mt_doc_casesummary)", data);
        return (bool)(await count.ExecuteScalarAsync())!;
    }

    public static async Task RecreateAsync(string connectionString)
    {
        var admin = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using (var connection = new Npgsql.NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database(connectionString)}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await SchemaMigrator.EnsureDatabaseExistsAsync(connectionString);
        await MigrateAsync(connectionString);
    }

    /// <summary>Applies the migrations not applied yet (each once).</summary>
    public static async Task MigrateAsync(string connectionString)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance)
            .ApplyAsync(SchemaMigrator.LocateDirectory(null, Locations.RepositoryRoot));
    }

    /// <summary>What <c>migrate</c> does after the migrations: the application's role may read and write the rows.</summary>
    public static async Task GrantAsync(string ownerConnectionString, string applicationConnectionString)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(ownerConnectionString);
        await DatabaseRoles.GrantApplicationRoleAsync(dataSource, DatabaseRoles.RoleOf(applicationConnectionString)
            ?? throw new UsageException("Die Verbindung der Anwendung nennt keinen Benutzer (Username)."));
    }

    private static string Database(string connectionString) => new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
}

/// <summary>Waits for <c>GET /health/ready</c> of an address to answer 2xx.</summary>
internal static class Readiness
{
    /// <summary>True once it does within <paramref name="timeout"/>; false when it does not, or at once when <paramref name="gaveUp"/> says so (the process ended).</summary>
    public static async Task<bool> WaitAsync(Uri address, TimeSpan timeout, Func<bool> gaveUp)
    {
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = Stopwatch.StartNew(); deadline.Elapsed < timeout && !gaveUp(); await Task.Delay(250))
        {
            try
            {
                using var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (ready.IsSuccessStatusCode)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
        }

        return false;
    }
}

/// <summary>
/// HAProxy (the Debian package) with the operators' configuration, <c>deploy/haproxy/haproxy.cfg</c>, as
/// deploy/scripts/cluster.sh runs it, in front of two application processes on loopback (round robin, health checks on
/// <c>/health/ready</c>). For the load scenario through two nodes (issue 21).
/// </summary>
public sealed class Balancer : IAsyncDisposable
{
    private static readonly string[] Installed = ["/usr/sbin/haproxy", "/usr/bin/haproxy"];
    private readonly Process process;

    /// <summary>Each time HAProxy marked a node down, with its reason (e.g. "Layer7 timeout").</summary>
    public IReadOnlyCollection<string> Downs => downs;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> downs = new();

    private Balancer(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Null when HAProxy is not installed (bench.sh installs it; the row is then left out).</summary>
    public static async Task<Balancer?> StartAsync(Uri web1, Uri web2)
    {
        ArgumentNullException.ThrowIfNull(web1);
        ArgumentNullException.ThrowIfNull(web2);
        var haproxy = Installed.FirstOrDefault(File.Exists);
        if (haproxy is null)
        {
            return null;
        }

        var port = AppProcess.FreePort();
        var start = new ProcessStartInfo(haproxy)
        {
            ArgumentList = { "-db", "-f", Path.Combine(Locations.RepositoryRoot, "deploy", "haproxy", "haproxy.cfg") },
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["CM_HTTP_BIND"] = $"127.0.0.1:{port}",
                ["CM_STATS_BIND"] = $"127.0.0.1:{AppProcess.FreePort()}",
                ["CM_WEB1"] = $"{web1.Host}:{web1.Port}",
                ["CM_WEB2"] = $"{web2.Host}:{web2.Port}",
                // The benchmark's app allows the host 127.0.0.1 only (AllowedHosts).
                ["CM_HEALTH_HOST"] = web1.Host,
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("HAProxy ließ sich nicht starten.");
        var balancer = new Balancer(process, new Uri($"http://127.0.0.1:{port}"));
        // HAProxy's own messages say when it marks a node down and why (no request content: its request log lines are not kept).
        void Watch(string? line)
        {
            if (line is not null && line.Contains(" is DOWN", StringComparison.Ordinal))
            {
                balancer.downs.Enqueue(line[(line.IndexOf("Server ", StringComparison.Ordinal) is var at and >= 0 ? at : 0)..]);
            }
        }

        process.OutputDataReceived += (_, e) => Watch(e.Data);
        process.ErrorDataReceived += (_, e) => Watch(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (await Readiness.WaitAsync(balancer.Address, TimeSpan.FromSeconds(30), () => process.HasExited))
        {
            // HAProxy answers once one node is up; both are after their checks (rise 2, every second).
            await Task.Delay(TimeSpan.FromSeconds(3));
            return balancer;
        }

        await balancer.DisposeAsync();
        throw new InvalidOperationException("HAProxy wurde nicht bereit.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
