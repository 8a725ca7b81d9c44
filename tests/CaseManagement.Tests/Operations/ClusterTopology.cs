using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// The multi-node topology of <c>deploy/scripts/cluster.sh</c> started for real: PostgreSQL, HAProxy, two web nodes and a
/// worker as processes of their own, on free ports, under a temporary directory, with the demo data (environment
/// Staging: the error pages of Production, demo data allowed). Everything is stopped on dispose and at process exit,
/// also when a test failed.
/// </summary>
public sealed class ClusterTopology : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cm-cluster-" + Guid.NewGuid().ToString("N")[..10]);
    private int _stopped;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public int BasePort { get; private set; }

    public int PostgresPort { get; private set; }

    public Uri Balancer => new($"http://127.0.0.1:{BasePort}");

    public Uri Node(string name) => new($"http://127.0.0.1:{BasePort + name switch { "web1" => 1, "web2" => 2, "worker" => 3, "worker2" => 4, _ => throw new ArgumentOutOfRangeException(nameof(name)) }}");

    public string Directory => _dir;

    public string PostgresDataDirectory => File.ReadAllText(Path.Combine(_dir, "run", "pgdata")).Trim();

    public string SuperuserPassword => File.ReadAllText(Path.Combine(_dir, "pg-password")).Trim();

    /// <summary>As the superuser, for the checks of the tests (reading event tables, Hangfire's tables).</summary>
    public string SuperuserConnectionString =>
        $"Host=127.0.0.1;Port={PostgresPort};Username=postgres;Password={SuperuserPassword};Database=casemanagement;Pooling=false;Timeout=5";

    /// <summary>What the nodes connect as (the application's role).</summary>
    public string ApplicationConnectionString => NodeSetting("ConnectionStrings__Postgres");

    public string NodeSetting(string key) =>
        key is null ? throw new ArgumentNullException(nameof(key)) : File.ReadAllLines(Path.Combine(_dir, "run", "node.env")).First(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];

    public static string ApplicationDll { get; } = FindApplicationDll();

    public async ValueTask InitializeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
        BasePort = FreePortRange(10);
        PostgresPort = FreePort();
        try
        {
            await ScriptAsync(TimeSpan.FromMinutes(6), "up");
        }
        catch
        {
            Stop();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <c>cluster.sh</c> with this topology's settings; a failure throws with its output.</summary>
    public async Task<string> ScriptAsync(TimeSpan timeout, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot, "deploy", "scripts", "cluster.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["CM_CLUSTER_DIR"] = _dir;
        start.Environment["CM_CLUSTER_PORT"] = BasePort.ToString(CultureInfo.InvariantCulture);
        start.Environment["CM_PG_PORT"] = PostgresPort.ToString(CultureInfo.InvariantCulture);
        start.Environment["CM_APP_DLL"] = ApplicationDll;
        start.Environment["CM_CLUSTER_ENVIRONMENT"] = "Staging";
        start.Environment["CM_CLUSTER_SEED_DEMO"] = "1";
        // Jobs start within a second.
        // Quiet logs: the machine's two cores go to the requests.
        start.Environment["CM_NODE_SETTINGS"] = "Hangfire__QueuePollSeconds=1 Hangfire__SchedulePollingSeconds=1 Logging__LogLevel__Default=Warning";
        foreach (var inherited in new[] { "ConnectionStrings__Postgres", "ConnectionStrings__PostgresOwner", "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        try
        {
            return await RunAsync(start, timeout);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"cluster.sh {string.Join(' ', arguments)}: {e.Message}\n{LogTail("web1")}\n{LogTail("worker")}", e);
        }
    }

    /// <summary>Runs a program to its end and returns what it wrote; a failure or a timeout throws with its output.</summary>
    public static async Task<string> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} took too long: {await error}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }

        return await output + await error;
    }

    public int PidOf(string process) => int.Parse(File.ReadAllText(Path.Combine(_dir, "run", process + ".pid")).Trim(), CultureInfo.InvariantCulture);

    /// <summary><c>kill -9</c> of one process of the topology.</summary>
    public void Kill(string process)
    {
        using var target = Process.GetProcessById(PidOf(process));
        target.Kill(); // SIGKILL on Linux
        target.WaitForExit(10_000);
    }

    public Task StartAsync(string process) => ScriptAsync(TimeSpan.FromMinutes(3), "start", process);

    public string LogTail(string process, int lines = 40)
    {
        var path = Path.Combine(_dir, "logs", process + ".log");
        return File.Exists(path) ? $"--- {process}.log ---\n" + string.Join('\n', File.ReadLines(path).TakeLast(lines)) : "";
    }

    /// <summary><c>pg_ctl &lt;action&gt; -m fast</c> on the topology's PostgreSQL (as the postgres user when root).</summary>
    public async Task PgCtlAsync(string action)
    {
        var pgCtl = Path.Combine(BinDirectory(), "pg_ctl");
        var arguments = new List<string> { "-D", PostgresDataDirectory, "-w", "-t", "60", "-l", Path.Combine(PostgresDataDirectory, "server.log") };
        if (action == "start")
        {
            // The settings cluster.sh started it with (pg_ctl restart reads them from postmaster.opts, start does not).
            arguments.AddRange(["-o", $"-c listen_addresses=127.0.0.1 -p {PostgresPort} -k {PostgresDataDirectory} -c max_connections=300"]);
        }
        else
        {
            arguments.AddRange(["-m", "fast"]);
        }

        arguments.Add(action);
        var start = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "runuser" : pgCtl) { WorkingDirectory = "/" };
        if (Environment.IsPrivilegedProcess)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", pgCtl })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        await RunAsync(start);
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await using var connection = new NpgsqlConnection(SuperuserConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        // A NULL (no row, or a column not yet set — e.g. a Hangfire job whose state is being written) is null for a
        // nullable T; for a value type it is a failure of the drill's own query.
        return await command.ExecuteScalarAsync() switch
        {
            null or DBNull when default(T) is null => default!,
            null or DBNull => throw new InvalidOperationException($"No value for {typeof(T).Name}: {sql}"),
            var value => (T)value,
        };
    }

    /// <summary>
    /// Waits until HAProxy routes to both web nodes again and the balancer answers ready — each drill starts from a whole
    /// topology, whatever the drill before it left behind (a restarted node or database comes back within seconds).
    /// </summary>
    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        while (true)
        {
            try
            {
                if (await BalancerStatusAsync(client, "web1") == "UP" && await BalancerStatusAsync(client, "web2") == "UP"
                    && (await client.GetAsync(new Uri(Balancer, "/health/ready"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (waited.Elapsed < limit)
            {
            }
            catch (TaskCanceledException) when (waited.Elapsed < limit)
            {
            }

            if (waited.Elapsed >= limit)
            {
                throw new TimeoutException($"The topology did not become healthy within {limit.TotalSeconds:0} s.");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>HAProxy's view of one web node (UP, DOWN, "UP 1/2" …) from its statistics page.</summary>
    public async Task<string> BalancerStatusAsync(HttpClient client, string node)
    {
        ArgumentNullException.ThrowIfNull(client);
        var csv = await client.GetStringAsync(new Uri($"http://127.0.0.1:{BasePort + 9}/stats;csv"));
        return csv.Split('\n').Select(l => l.Split(',')).First(f => f.Length > 17 && f[0] == "web" && f[1] == node)[17];
    }

    public static string BinDirectory() =>
        System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .First();

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || !System.IO.Directory.Exists(_dir))
        {
            return;
        }

        try
        {
            ScriptAsync(TimeSpan.FromMinutes(2), "down").GetAwaiter().GetResult();
        }
        catch (InvalidOperationException)
        {
            // Whatever is left is killed below.
        }
        catch (TimeoutException)
        {
        }

        foreach (var pidFile in System.IO.Directory.Exists(Path.Combine(_dir, "run")) ? System.IO.Directory.GetFiles(Path.Combine(_dir, "run"), "*.pid") : Array.Empty<string>())
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
            catch (InvalidOperationException)
            {
            }
            catch (FormatException)
            {
            }
        }

        try
        {
            System.IO.Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CaseManagement.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CaseManagement.sln not found above the test assembly.");
    }

    /// <summary>The web application built with the tests (same configuration: bin/Debug or bin/Release).</summary>
    private static string FindApplicationDll()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(RepositoryRoot, "src", "CaseManagement.Web", "bin", configuration, "net10.0", "CaseManagement.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} fehlt: bitte zuerst die Projektmappe bauen.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free ports.</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var first = System.Security.Cryptography.RandomNumberGenerator.GetInt32(20_000, 30_000);
            if (Enumerable.Range(first, count).All(IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException("No range of free ports found.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
