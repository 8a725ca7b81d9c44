using System.Diagnostics;
using System.Text.Json.Nodes;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Api;

/// <summary>
/// The application on a real Kestrel port with demo data, its served OpenAPI document (read once per run and written to
/// a work folder), and the npm tools of <c>tools/openapi</c> (installed by <c>./test.sh</c> from the lock file).
/// </summary>
public sealed class ApiContractFixture(PostgresServer postgres) : IAsyncLifetime
{
    private CaseManagementFactory? _factory;

    public Uri BaseAddress { get; private set; } = null!;

    public string DocumentText { get; private set; } = "";

    public JsonObject Document => (JsonObject)JsonNode.Parse(DocumentText)!;

    /// <summary>A folder of this run for generated clients and the document (<c>openapi.json</c>).</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("cm-openapi-").FullName;

    public string DocumentPath => Path.Combine(WorkDirectory, "openapi.json");

    public static string RepositoryRoot { get; } = FindRoot();

    public static string ToolsDirectory => Path.Combine(RepositoryRoot, "tools", "openapi");

    public async ValueTask InitializeAsync()
    {
        _factory = new CaseManagementFactory(await postgres.CreateDatabaseAsync());
        BaseAddress = await _factory.StartOnKestrelWithDemoDataAsync();

        using var http = new HttpClient { BaseAddress = BaseAddress };
        DocumentText = await http.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        await File.WriteAllTextAsync(DocumentPath, DocumentText);
    }

    /// <summary>Runs a program of <c>tools/openapi/node_modules/.bin</c> (or node) in the work folder; the output on failure.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, string arguments, string workingDirectory, IDictionary<string, string>? environment = null)
    {
        var bin = Path.Combine(ToolsDirectory, "node_modules", ".bin", program);
        if (program != "node" && !File.Exists(bin))
        {
            throw new InvalidOperationException(
                $"{bin} fehlt: ./test.sh installiert die Werkzeuge (npm ci in tools/openapi), oder von Hand: npm ci --prefix tools/openapi");
        }

        var start = new ProcessStartInfo(program == "node" ? "node" : bin, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["SCARF_ANALYTICS"] = "false";
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CaseManagement.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CaseManagement.sln not found above the test binaries.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
