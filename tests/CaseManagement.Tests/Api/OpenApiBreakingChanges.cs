using System.Text.Json.Nodes;

namespace CaseManagement.Tests.Api;

/// <summary>
/// The breaking differences between two OpenAPI documents of one API version, in the spirit of oasdiff's rules: what
/// a client generated from the old document would trip over. Additive changes (new operations, optional parameters,
/// optional request fields, new response fields, new response enum values, wider limits) are not listed.
/// </summary>
public static class OpenApiBreakingChanges
{
    public static IReadOnlyList<string> Between(JsonObject before, JsonObject after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var found = new List<string>();
        var now = OpenApiDocumentTests.Operations(after).ToDictionary(o => $"{o.Method.ToUpperInvariant()} {o.Path}", o => o.Operation);
        foreach (var (path, method, old) in OpenApiDocumentTests.Operations(before))
        {
            var name = $"{method.ToUpperInvariant()} {path}";
            if (!now.TryGetValue(name, out var current))
            {
                found.Add($"{name}: operation removed");
                continue;
            }

            if (Text(old["operationId"]) != Text(current["operationId"]))
            {
                found.Add($"{name}: operationId {Text(old["operationId"])} → {Text(current["operationId"])}");
            }

            Parameters(name, old, current, found);
            if (old["requestBody"]?["content"]?["application/json"]?["schema"] is { } oldBody
                && current["requestBody"]?["content"]?["application/json"]?["schema"] is { } newBody)
            {
                Compare($"{name} body", Resolve(before, oldBody), Resolve(after, newBody), before, after, request: true, found, []);
            }
            else if (old["requestBody"] is null && current["requestBody"]?["required"]?.GetValue<bool>() == true)
            {
                found.Add($"{name}: a required body added");
            }

            foreach (var (status, response) in old["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')))
            {
                var now2 = current["responses"]?[status];
                if (now2 is null)
                {
                    found.Add($"{name}: answer {status} removed");
                    continue;
                }

                foreach (var (mediaType, media) in (response?["content"] as JsonObject ?? []))
                {
                    if (now2["content"]?[mediaType] is not { } nowMedia)
                    {
                        found.Add($"{name}: answer {status} no longer {mediaType}");
                    }
                    else if (media?["schema"] is { } oldSchema && nowMedia["schema"] is { } newSchema)
                    {
                        Compare($"{name} {status}", Resolve(before, oldSchema), Resolve(after, newSchema), before, after, request: false, found, []);
                    }
                }
            }
        }

        return found;
    }

    private static void Parameters(string name, JsonObject old, JsonObject current, List<string> found)
    {
        static string Key(JsonNode? p) => $"{Text(p?["in"])}:{Text(p?["name"])}";
        var oldParameters = (old["parameters"] as JsonArray ?? []).ToDictionary(Key, p => p!);
        foreach (var parameter in current["parameters"] as JsonArray ?? [])
        {
            var key = Key(parameter);
            if (!oldParameters.TryGetValue(key, out var was))
            {
                if (parameter?["required"]?.GetValue<bool>() == true)
                {
                    found.Add($"{name}: required parameter {key} added");
                }
            }
            else if (was["required"]?.GetValue<bool>() != true && parameter?["required"]?.GetValue<bool>() == true)
            {
                found.Add($"{name}: parameter {key} became required");
            }
            else if (Text(was["schema"]?["type"]) != Text(parameter?["schema"]?["type"]))
            {
                found.Add($"{name}: parameter {key} changed its type");
            }
        }

        foreach (var key in oldParameters.Keys.Where(k => (current["parameters"] as JsonArray ?? []).All(p => Key(p) != k)))
        {
            found.Add($"{name}: parameter {key} removed");
        }
    }

    /// <summary>A request schema may only get looser; a response schema may only promise more.</summary>
    private static void Compare(string where, JsonNode? old, JsonNode? now, JsonObject before, JsonObject after, bool request, List<string> found, HashSet<string> seen)
    {
        if (old is not JsonObject was || now is not JsonObject @is || !seen.Add(where) || where.Length > 600)
        {
            return;
        }

        var oldTypes = OpenApiDocumentTests.Types(was).Where(t => t != "null").ToHashSet();
        var newTypes = OpenApiDocumentTests.Types(@is).Where(t => t != "null").ToHashSet();
        if (!oldTypes.SetEquals(newTypes))
        {
            found.Add($"{where}: type {string.Join("|", oldTypes)} → {string.Join("|", newTypes)}");
            return;
        }

        var oldNull = OpenApiDocumentTests.Types(was).Contains("null");
        var newNull = OpenApiDocumentTests.Types(@is).Contains("null");
        if (request ? oldNull && !newNull : !oldNull && newNull)
        {
            found.Add($"{where}: {(request ? "no longer accepts" : "may now send")} null");
        }

        if (Text(was["format"]) != Text(@is["format"]))
        {
            found.Add($"{where}: format {Text(was["format"])} → {Text(@is["format"])}");
        }

        var oldEnum = (was["enum"] as JsonArray ?? []).Select(Text).ToHashSet();
        var newEnum = (@is["enum"] as JsonArray ?? []).Select(Text).ToHashSet();
        if (request ? oldEnum.Except(newEnum).Any() || (oldEnum.Count == 0 && newEnum.Count > 0) : newEnum.Count > 0 && oldEnum.Count == 0)
        {
            found.Add($"{where}: enum values removed or a choice restricted");
        }

        if (request)
        {
            Narrower(where, "maxLength", was, @is, found, smallerIsNarrower: true);
            Narrower(where, "maxItems", was, @is, found, smallerIsNarrower: true);
            Narrower(where, "maximum", was, @is, found, smallerIsNarrower: true);
            Narrower(where, "minLength", was, @is, found, smallerIsNarrower: false);
            Narrower(where, "minimum", was, @is, found, smallerIsNarrower: false);
        }

        var oldRequired = (was["required"] as JsonArray ?? []).Select(Text).ToHashSet();
        var newRequired = (@is["required"] as JsonArray ?? []).Select(Text).ToHashSet();
        foreach (var field in request ? newRequired.Except(oldRequired) : oldRequired.Except(newRequired))
        {
            found.Add($"{where}.{field}: {(request ? "now required" : "no longer always sent")}");
        }

        var oldProperties = was["properties"] as JsonObject ?? [];
        var newProperties = @is["properties"] as JsonObject ?? [];
        foreach (var (property, schema) in oldProperties)
        {
            if (!newProperties.ContainsKey(property))
            {
                found.Add($"{where}.{property}: removed");
            }
            else
            {
                Compare($"{where}.{property}", Resolve(before, schema!), Resolve(after, newProperties[property]!), before, after, request, found, seen);
            }
        }

        if (was["items"] is { } oldItems && @is["items"] is { } newItems)
        {
            Compare($"{where}[]", Resolve(before, oldItems), Resolve(after, newItems), before, after, request, found, seen);
        }
    }

    private static void Narrower(string where, string keyword, JsonObject was, JsonObject now, List<string> found, bool smallerIsNarrower)
    {
        var old = Number(was[keyword]);
        var current = Number(now[keyword]);
        if (current is { } c && (old is not { } o || (smallerIsNarrower ? c < o : c > o)))
        {
            found.Add($"{where}: {keyword} {old?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} → {c.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }

    private static decimal? Number(JsonNode? node) => node is JsonValue value && decimal.TryParse(value.ToString(), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>The schema a <c>$ref</c> points to (one level; nullable references are <c>oneOf</c> null and the reference).</summary>
    private static JsonNode? Resolve(JsonObject document, JsonNode schema)
    {
        if (schema["oneOf"] is JsonArray oneOf && oneOf.FirstOrDefault(s => s?["$ref"] is not null) is { } referenced)
        {
            schema = referenced;
        }

        return Text(schema["$ref"]) is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
            ? document["components"]?["schemas"]?[reference["#/components/schemas/".Length..]]
            : schema;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : node?.ToJsonString();
}
