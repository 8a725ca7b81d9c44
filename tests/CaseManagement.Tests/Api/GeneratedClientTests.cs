using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using CaseManagement.Demo;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;
using NSwag.CodeGeneration.OperationNameGenerators;

namespace CaseManagement.Tests.Api;

/// <summary>
/// Issue 16, "Prove it in CI" item 2: a C# client (NSwag, settings of <c>tools/openapi/nswag.json</c>) and a TypeScript
/// client (openapi-typescript + openapi-fetch) are generated from the served document, compiled, and each runs one scenario
/// against the app on its Kestrel port: sign in, create a case, add a goal, read the case (typed enums and dates), a 412 with
/// the typed problem (<c>currentVersion</c>), the plan PDF as bytes. No JSON is written by hand (docs/api.md, "Generated clients").
/// </summary>
public sealed class GeneratedClientTests(ApiContractFixture api) : IClassFixture<ApiContractFixture>
{
    private const string Email = "im1@musterstadt.example";

    private static string ScenarioDirectory => Path.Combine(ApiContractFixture.RepositoryRoot, "tests", "CaseManagement.Tests", "Api", "GeneratedClients");

    [Fact]
    public async Task The_NSwag_CSharp_client_compiles_and_runs_the_scenario()
    {
        var clock = Stopwatch.StartNew();
        var document = await NSwag.OpenApiDocument.FromJsonAsync(api.DocumentText, TestContext.Current.CancellationToken);
        var code = new CSharpClientGenerator(document, CSharpSettings()).GenerateFile();
        await File.WriteAllTextAsync(Path.Combine(api.WorkDirectory, "CaseManagementClient.g.cs"), code, TestContext.Current.CancellationToken);
        var generated = clock.Elapsed;

        var assembly = Compile(code, await File.ReadAllTextAsync(Path.Combine(ScenarioDirectory, "CSharpScenario.cs"), TestContext.Current.CancellationToken));
        var compiled = clock.Elapsed;
        var run = assembly.GetType("CaseManagement.GeneratedClient.CSharpScenario")!.GetMethod("RunAsync")!;
        var steps = await (Task<List<string>>)run.Invoke(null, [api.BaseAddress.ToString().TrimEnd('/'), Email, DemoData.DefaultPassword])!;

        TestContext.Current.SendDiagnosticMessage($"NSwag {generated.TotalSeconds:F1} s, Roslyn {(compiled - generated).TotalSeconds:F1} s, scenario {(clock.Elapsed - compiled).TotalSeconds:F1} s: {string.Join(" | ", steps)}");
        Assert.Collection(
            steps,
            s => Assert.Equal("signed-in", s),
            s => Assert.StartsWith("created ", s),
            s => Assert.StartsWith("goal added version ", s),
            s => Assert.Contains("Open RefugeeProtection born 1990-05-17 goal Language until 2026-12-31", s, StringComparison.Ordinal),
            s => Assert.StartsWith("412 ", s),
            s => Assert.StartsWith("pdf ", s));
    }

    [Fact]
    public async Task The_openapi_fetch_TypeScript_client_compiles_strictly_and_runs_the_scenario()
    {
        var clock = Stopwatch.StartNew();
        var work = Path.Combine(api.WorkDirectory, "ts");
        Directory.CreateDirectory(work);
        File.Copy(Path.Combine(ScenarioDirectory, "scenario.mts"), Path.Combine(work, "scenario.mts"), overwrite: true);
        File.Copy(Path.Combine(ScenarioDirectory, "tsconfig.json"), Path.Combine(work, "tsconfig.json"), overwrite: true);
        // node resolves openapi-fetch from the tools' node_modules.
        var modules = Path.Combine(work, "node_modules");
        if (!Directory.Exists(modules))
        {
            Directory.CreateSymbolicLink(modules, Path.Combine(ApiContractFixture.ToolsDirectory, "node_modules"));
        }

        var types = await ApiContractFixture.RunAsync("openapi-typescript", $"{api.DocumentPath} --default-non-nullable false --output {Path.Combine(work, "api.d.ts")}", work);
        Assert.True(types.ExitCode == 0, "openapi-typescript:\n" + types.Output);
        var generated = clock.Elapsed;
        var tsc = await ApiContractFixture.RunAsync("tsc", "--project tsconfig.json", work);
        Assert.True(tsc.ExitCode == 0, "tsc:\n" + tsc.Output);
        var compiled = clock.Elapsed;
        var run = await ApiContractFixture.RunAsync("node", "out/scenario.mjs", work, new Dictionary<string, string>
        {
            ["CM_BASE_URL"] = api.BaseAddress.ToString().TrimEnd('/'),
            ["CM_EMAIL"] = Email,
            ["CM_PASSWORD"] = DemoData.DefaultPassword,
        });
        Assert.True(run.ExitCode == 0, "scenario.mts:\n" + run.Output);

        TestContext.Current.SendDiagnosticMessage($"openapi-typescript {generated.TotalSeconds:F1} s, tsc {(compiled - generated).TotalSeconds:F1} s, scenario {(clock.Elapsed - compiled).TotalSeconds:F1} s: {run.Output.Trim()}");
        var summary = JsonNode.Parse(run.Output.Trim().Split('\n')[^1])!;
        Assert.True(summary["signedIn"]!.GetValue<bool>());
        Assert.Matches("^[A-Z0-9-]+", summary["caseNumber"]!.GetValue<string>());
        Assert.True(summary["goalVersion"]!.GetValue<long>() > summary["createdVersion"]!.GetValue<long>());
        Assert.Equal("Open", summary["status"]!.GetValue<string>());
        Assert.Equal("1990-05-17", summary["birthDate"]!.GetValue<string>());
        Assert.Equal("Language", summary["goalField"]!.GetValue<string>());
        Assert.Equal(412, summary["staleStatus"]!.GetValue<int>());
        Assert.Equal(summary["goalVersion"]!.GetValue<long>(), summary["currentVersion"]!.GetValue<long>());
        Assert.Equal("%PDF", summary["pdfStart"]!.GetValue<string>());
        Assert.True(summary["pdfBytes"]!.GetValue<int>() > 1000);
    }

    /// <summary>The generator settings of <c>tools/openapi/nswag.json</c> (the same file runs with <c>nswag run</c>).</summary>
    internal static CSharpClientGeneratorSettings CSharpSettings()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(ApiContractFixture.ToolsDirectory, "nswag.json")));
        var c = config.RootElement.GetProperty("codeGenerators").GetProperty("openApiToCSharpClient");
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = c.GetProperty("className").GetString()!,
            GenerateClientInterfaces = c.GetProperty("generateClientInterfaces").GetBoolean(),
            UseBaseUrl = c.GetProperty("useBaseUrl").GetBoolean(),
            OperationNameGenerator = c.GetProperty("operationGenerationMode").GetString() == "SingleClientFromOperationId"
                ? new SingleClientFromOperationIdOperationNameGenerator()
                : throw new InvalidOperationException("nswag.json: operationGenerationMode SingleClientFromOperationId expected"),
        };
        settings.CSharpGeneratorSettings.Namespace = c.GetProperty("namespace").GetString()!;
        settings.CSharpGeneratorSettings.JsonLibrary = Enum.Parse<CSharpJsonLibrary>(c.GetProperty("jsonLibrary").GetString()!);
        settings.CSharpGeneratorSettings.DateType = c.GetProperty("dateType").GetString()!;
        settings.CSharpGeneratorSettings.DateTimeType = c.GetProperty("dateTimeType").GetString()!;
        settings.CSharpGeneratorSettings.GenerateNullableReferenceTypes = c.GetProperty("generateNullableReferenceTypes").GetBoolean();
        return settings;
    }

    /// <summary>Compiles the sources against the running framework (warnings allowed, errors fail) and loads the result.</summary>
    private static Assembly Compile(params string[] sources)
    {
        const string usings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;";
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.Append(usings).Select(s => CSharpSyntaxTree.ParseText(s, options)).ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "CaseManagement.GeneratedClient." + Guid.NewGuid().ToString("N"),
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).ToList();
        Assert.True(result.Success, "The generated C# client does not compile:\n" + string.Join("\n", errors));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
