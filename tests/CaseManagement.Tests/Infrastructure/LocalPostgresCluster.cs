using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster started from the installed binaries (initdb/pg_ctl) in a temporary
/// directory, listening on 127.0.0.1 only. PostgreSQL refuses to run as root, so as root the server
/// runs as the unprivileged 'postgres' user. Stopped and removed on dispose and at process exit;
/// leftovers of killed runs are removed at the next start.
/// </summary>
public sealed class LocalPostgresCluster : IAsyncDisposable
{
    private const string DirectoryPrefix = "cm-test-pg-";
    private readonly string _root;
    private readonly string _binDir;
    private int _stopped;

    private LocalPostgresCluster(string root, string binDir, int port, string password)
    {
        _root = root;
        _binDir = binDir;
        Port = port;
        Password = password;
    }

    public int Port { get; }

    public string Password { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password};Database={database};Include Error Detail=true";

    public static async Task<LocalPostgresCluster> StartAsync()
    {
        var binDir = FindBinDirectory()
            ?? throw new InvalidOperationException(
                "PostgreSQL-Programme (initdb, pg_ctl) nicht gefunden. ./test.sh installiert sie, oder PG_BINDIR setzen.");
        RemoveLeftovers(binDir);

        var root = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(root);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var cluster = new LocalPostgresCluster(root, binDir, FreePort(), password);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop();
        try
        {
            await cluster.InitAndStartAsync();
        }
        catch
        {
            cluster.Stop();
            throw;
        }

        return cluster;
    }

    private async Task InitAndStartAsync()
    {
        var passwordFile = Path.Combine(_root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, Password + "\n");
        if (RunningAsRoot)
        {
            await RunAsync("chown", ["-R", "postgres:", _root], asPostgres: false);
        }

        await RunAsync(Path.Combine(_binDir, "initdb"),
            ["-D", DataDirectory, "-U", "postgres", "--auth=scram-sha-256", $"--pwfile={passwordFile}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
        File.Delete(passwordFile);

        // Durability is irrelevant for a throwaway test database; speed is not.
        var serverOptions = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_root} -c fsync=off -c synchronous_commit=off " +
                            "-c full_page_writes=off -c max_connections=400 -c shared_buffers=128MB";
        await RunAsync(Path.Combine(_binDir, "pg_ctl"),
            ["-D", DataDirectory, "-w", "-t", "60", "-l", Path.Combine(_root, "server.log"), "-o", serverOptions, "start"]);
    }

    /// <summary>The whole database as <c>pg_dump</c> writes it (schema and data of every schema, plain SQL).</summary>
    public Task<string> DumpAsync(string database) =>
        RunAsync(Path.Combine(_binDir, "pg_dump"), ["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", database],
            asPostgres: false, password: Password);

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                RunAsync(Path.Combine(_binDir, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
            }
        }
        finally
        {
            TryDelete(_root);
        }
    }

    private static bool RunningAsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs a program (as the postgres user when root) and returns what it wrote; a failure throws with its output.</summary>
    private static async Task<string> RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres = true, string? password = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (password is not null)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        if (asPostgres && RunningAsRoot)
        {
            start.FileName = "runuser";
            foreach (var argument in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(argument);
            }
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }

        return await output;
    }

    private static string? FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PG_BINDIR");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "initdb")))
        {
            return configured;
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        if (installed is not null)
        {
            return installed;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    /// <summary>Clusters of test runs that were killed before they could clean up.</summary>
    private static void RemoveLeftovers(string binDir)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var pidText = Path.GetFileName(dir)[DirectoryPrefix.Length..].Split('-')[0];
            if (int.TryParse(pidText, out var pid) && IsAlive(pid))
            {
                continue;
            }

            var data = Path.Combine(dir, "data");
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                try
                {
                    RunAsync(Path.Combine(binDir, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]).GetAwaiter().GetResult();
                }
                catch (InvalidOperationException)
                {
                    // Already stopped.
                }
            }

            TryDelete(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
