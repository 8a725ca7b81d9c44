using System.Text.Json;
using System.Text.Json.Nodes;
using CaseManagement.Web.Infrastructure;

namespace CaseManagement.Tests.Api;

/// <summary>
/// The served OpenAPI document tells the truth (issue 16): a walk over it, the versioning rule against the committed
/// <c>docs/openapi/v1.json</c>, and the two linters. The generated clients are <see cref="GeneratedClientTests"/>.
/// </summary>
public sealed class OpenApiDocumentTests(ApiContractFixture api) : IClassFixture<ApiContractFixture>
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    public static string CommittedPath => Path.Combine(ApiContractFixture.RepositoryRoot, "docs", "openapi", "v1.json");

    [Fact]
    public void Every_operation_has_an_id_a_summary_a_tag_security_and_its_error_answers()
    {
        var document = api.Document;
        var problems = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations(document))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            var id = operation["operationId"]?.GetValue<string>();
            if (string.IsNullOrEmpty(id) || !ids.Add(id))
            {
                problems.Add($"{name}: operationId missing or not unique ({id})");
            }

            if (string.IsNullOrWhiteSpace(operation["summary"]?.GetValue<string>()) || operation["tags"] is not JsonArray { Count: 1 })
            {
                problems.Add($"{name}: summary or tag missing");
            }

            var responses = (JsonObject)operation["responses"]!;
            var anonymous = operation["security"] is JsonArray { Count: 0 };
            if (!anonymous && (!responses.ContainsKey("401") || !responses.ContainsKey("403")))
            {
                problems.Add($"{name}: 401/403 not declared");
            }

            if (OpenApiContract.IsVersionedWrite(method.ToUpperInvariant(), path))
            {
                var ifMatch = (operation["parameters"] as JsonArray)?.OfType<JsonObject>()
                    .FirstOrDefault(p => p["name"]?.GetValue<string>() == "If-Match" && p["in"]?.GetValue<string>() == "header");
                if (ifMatch?["required"]?.GetValue<bool>() != true)
                {
                    problems.Add($"{name}: versioned write without a required If-Match");
                }

                problems.AddRange(new[] { "412", "428", "409", "422" }.Where(s => !responses.ContainsKey(s)).Select(s => $"{name}: versioned write without {s}"));
                var success = responses.FirstOrDefault(r => r.Key.StartsWith('2')).Value as JsonObject;
                if (success?["headers"]?["ETag"] is null)
                {
                    problems.Add($"{name}: versioned write without ETag");
                }
            }

            foreach (var (status, response) in responses)
            {
                var content = response?["content"] as JsonObject;
                if (status[0] is '4' or '5' && (content is null || content.Count != 1 || !content.ContainsKey("application/problem+json")))
                {
                    problems.Add($"{name}: {status} is not application/problem+json");
                }
                else if (status[0] == '2' && content is not null && content.Any(c => c.Key is "text/plain" or "text/json"))
                {
                    problems.Add($"{name}: {status} declares text/plain or text/json");
                }
            }
        }

        Assert.True(ids.Count > 50, $"only {ids.Count} operations");
        Assert.Equal(OpenApiContract.BearerSchemeName, document["components"]!["securitySchemes"]!.AsObject().Single().Key);
        Assert.Empty(problems);
    }

    [Fact]
    public void Schemas_are_the_wire_enums_as_strings_dates_as_strings_plain_integers_no_framework_types()
    {
        var document = api.Document;
        var problems = new List<string>();
        foreach (var (where, schema) in Schemas(document, "#"))
        {
            var types = Types(schema);
            if (types.Contains("integer") && types.Contains("string"))
            {
                problems.Add($"{where}: integer or string");
            }

            if (types.SequenceEqual(["integer"]) && schema.ContainsKey("enum"))
            {
                problems.Add($"{where}: integer enum");
            }

            if (types.Contains("integer") && (!schema.ContainsKey("minimum") || !schema.ContainsKey("maximum") || !schema.ContainsKey("format")))
            {
                problems.Add($"{where}: integer without format, minimum and maximum");
            }

            if (types.Contains("string") && !schema.ContainsKey("maxLength") && !schema.ContainsKey("enum") && schema["format"]?.GetValue<string>() != "binary")
            {
                problems.Add($"{where}: string without maxLength");
            }

            if (schema["properties"] is JsonObject properties && (properties.ContainsKey("calendar") || properties.ContainsKey("dayOfYear")))
            {
                problems.Add($"{where}: a date as an object");
            }
        }

        var names = document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToList();
        Assert.DoesNotContain(names, n => n is "LocalDate" or "Instant" or "FileContentResult" or "EntityTagHeaderValue" or "StringSegment" or "ValidationProblemDetails" or "ProblemDetails");
        Assert.Empty(problems);

        // Two samples that broke generated clients: an enum with its values, a date as a string.
        var listItem = document["components"]!["schemas"]!["ClientListItem"]!;
        Assert.Equal("date", listItem["properties"]!["supportEnd"]!["format"]!.GetValue<string>());
        var status = document["components"]!["schemas"]!["CaseStatus"]!;
        Assert.Equal("string", status["type"]!.GetValue<string>());
        Assert.Contains("Paused", status["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public void Request_texts_lists_and_numbers_carry_the_limits_of_input_limits_md()
    {
        var schemas = api.Document["components"]!["schemas"]!;
        Assert.Equal(100, schemas["CreateClientRequest"]!["properties"]!["firstName"]!["maxLength"]!.GetValue<int>());
        Assert.Equal(10, schemas["CreateClientRequest"]!["properties"]!["languages"]!["maxItems"]!.GetValue<int>());
        Assert.Equal(1000, schemas["GoalInput"]!["properties"]!["text"]!["maxLength"]!.GetValue<int>());
        var duration = schemas["ConsultationInput"]!["properties"]!["durationMinutes"]!;
        Assert.Equal((5, 600), (duration["minimum"]!.GetValue<int>(), duration["maximum"]!.GetValue<int>()));
        var problems = new List<string>();
        foreach (var (name, schema) in schemas.AsObject().Where(s => s.Key.EndsWith("Input", StringComparison.Ordinal) || s.Key.EndsWith("Request", StringComparison.Ordinal)))
        {
            foreach (var (where, property) in Schemas(schema!, name).Where(p => Types(p.Schema).Contains("array") && !p.Schema.ContainsKey("maxItems")))
            {
                problems.Add($"{where}: a request list without maxItems");
            }
        }

        Assert.Empty(problems);
    }

    /// <summary>
    /// The versioning rule (docs/api.md): <c>/api/v1</c> changes only additively. Compared with the committed document, the
    /// served one may add operations, optional parameters, optional request fields, response fields and enum values in answers;
    /// anything else is breaking and belongs in <c>/api/v2</c>. After an additive change: <c>UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests</c>.
    /// </summary>
    [Fact]
    public async Task The_served_document_is_the_committed_v1_or_an_additive_change_of_it()
    {
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(CommittedPath)!);
            await File.WriteAllTextAsync(CommittedPath, Pretty(api.DocumentText));
        }

        Assert.True(File.Exists(CommittedPath), $"{CommittedPath} fehlt (UPDATE_OPENAPI=1 schreibt es).");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath))!.AsObject();
        var breaking = OpenApiBreakingChanges.Between(committed, api.Document);
        Assert.True(breaking.Count == 0, "Breaking changes of /api/v1 (make them in /api/v2):\n" + string.Join("\n", breaking));
        Assert.True(JsonNode.DeepEquals(committed, api.Document),
            "The API changed additively: commit the new docs/openapi/v1.json (UPDATE_OPENAPI=1 ./test.sh --filter OpenApiDocumentTests).");
    }

    [Fact]
    public async Task Spectral_with_the_OAS_and_OWASP_rulesets_and_Redocly_find_no_error()
    {
        var spectral = await ApiContractFixture.RunAsync("spectral", $"lint --fail-severity error --ruleset {Path.Combine(ApiContractFixture.ToolsDirectory, ".spectral.yaml")} --format text {api.DocumentPath}", api.WorkDirectory);
        var redocly = await ApiContractFixture.RunAsync("redocly", $"lint --config {Path.Combine(ApiContractFixture.ToolsDirectory, "redocly.yaml")} --max-problems 1000 --format stylish {api.DocumentPath}", api.WorkDirectory);

        Assert.True(spectral.ExitCode == 0, "Spectral:\n" + spectral.Output);
        Assert.True(redocly.ExitCode == 0, "Redocly:\n" + redocly.Output);
    }

    internal static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(m => Methods.Contains(m.Key))
            .Select(m => (path.Key, m.Key, m.Value!.AsObject())));

    internal static List<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue single => [single.GetValue<string>()],
        JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
        _ => [],
    };

    /// <summary>Every schema object in the node, depth first, with where it is.</summary>
    internal static IEnumerable<(string Where, JsonObject Schema)> Schemas(JsonNode node, string where)
    {
        if (node is JsonObject obj)
        {
            if (obj.ContainsKey("type") || obj.ContainsKey("$ref") || obj.ContainsKey("enum"))
            {
                yield return (where, obj);
            }

            foreach (var (key, child) in obj.Where(c => c.Value is not null && c.Key is not ("example" or "examples" or "enum" or "default" or "required")))
            {
                foreach (var found in Schemas(child!, $"{where}/{key}"))
                {
                    yield return found;
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is { } item)
                {
                    foreach (var found in Schemas(item, $"{where}/{i}"))
                    {
                        yield return found;
                    }
                }
            }
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Pretty(string json) => JsonSerializer.Serialize(JsonNode.Parse(json), Indented) + "\n";
}
