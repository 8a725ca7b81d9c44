using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using CaseManagement.Web.Features.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> as the wire is (docs/api.md): NodaTime values as ISO strings, enums as strings
/// with their values, limits of docs/input-limits.md, the concurrency contract (<c>If-Match</c>, <c>ETag</c>, 412/428),
/// one problem+json schema, files as binary, operation ids from the action names, bearer security, tags.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemSchema = "Problem";
    public const string BearerSchemeName = "bearer";
    public const string TotalCountHeader = "X-Total-Count";
    private const string ProblemJson = "application/problem+json";
    private const string Json = "application/json";

    /// <summary>What each tag (one per API controller's capability) covers.</summary>
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Auth"] = "Anmeldung mit E-Mail und Passwort, Erneuerung (Refresh-Token, einmal verwendbar) und Abmeldung; der angemeldete Benutzer.",
        ["Cases"] = "Fälle: Aufnahme, eigene Fallliste, Fallakte und Verlauf, Lebenslage (Wohnen, Aufenthalt, Kontakt, Einwilligung, Haushalt) und Fallstatus.",
        ["Plans"] = "Integrationsplan: Profil, Sprachstände, Entwicklungen, Ziele und Schritte, Vermittlungen, Fortschreibungen, Unterschrift und der Plan als PDF.",
        ["Consultations"] = "Beratungskontakte eines Falls.",
        ["Caseloads"] = "Teamleitung: Team-Übersicht und Umverteilung von Fällen.",
        ["Approvals"] = "Teamleitung: Freigaben (Einzelfallentscheidungen, Verlängerungen, Übergaben) und Entscheidungen.",
        ["Reporting"] = "Förderbericht (Verwendungsnachweis) als JSON, CSV oder XLSX.",
        ["Reminders"] = "Eigene Erinnerungen und die tägliche Zusammenfassung per E-Mail.",
        ["DataProtection"] = "Datenschutzbeauftragte: Betroffenensuche, Auskunft, Löschung, Einschränkung, Widerruf, Aufbewahrung, Zugriffsprotokoll.",
        ["Problems"] = "Beschreibungen der Problemtypen (type-URIs) der Fehlerantworten.",
    };

    public static void Configure(OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // NodaTime values are strings on the wire: no component of their own (an object with calendar, era … would be wrong).
        var defaultReferenceId = options.CreateSchemaReferenceId;
        options.CreateSchemaReferenceId = type => IsNodaTime(type.Type) ? null : defaultReferenceId(type);
        options.AddSchemaTransformer(TransformSchema);
        options.AddOperationTransformer(TransformOperation);
        options.AddDocumentTransformer(TransformDocument);
    }

    private static bool IsNodaTime(Type type) => (Nullable.GetUnderlyingType(type) ?? type).Namespace == "NodaTime";

    private static Task TransformSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var nullable = Nullable.GetUnderlyingType(type) is not null || (schema.Type is { } t && t.HasFlag(JsonSchemaType.Null));
        if (underlying.Namespace == "NodaTime")
        {
            var (format, pattern, description) = NodaTimeShape(underlying);
            schema.Properties?.Clear();
            schema.Required?.Clear();
            schema.AdditionalPropertiesAllowed = true;
            schema.Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0);
            schema.Format = format;
            schema.Pattern = pattern;
            schema.MaxLength = underlying == typeof(Instant) ? 35 : 40;
            schema.Description ??= description;
        }

        if (underlying.IsEnum && schema.Enum is { Count: > 0 })
        {
            // Enums travel as their names (JsonStringEnumConverter); reading ignores case ("female" = "Female").
            // A nullable use is oneOf [null, the enum]: the enum itself has no null (else every use would accept it).
            schema.Type = JsonSchemaType.String;
            foreach (var none in schema.Enum.Where(v => v is null).ToList())
            {
                schema.Enum.Remove(none);
            }
        }

        if (schema.Items is null && context.JsonTypeInfo.ElementType is { } element && IsNodaTime(element))
        {
            var (format, pattern, description) = NodaTimeShape(Nullable.GetUnderlyingType(element) ?? element);
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = format, Pattern = pattern, MaxLength = 40, Description = description };
        }

        if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && context.JsonPropertyInfo is null && schema.Properties is { Count: > 0 })
        {
            Required(schema, context.JsonTypeInfo);
        }

        ApiInputLimits.Apply(schema, context.JsonPropertyInfo?.DeclaringType, context.JsonPropertyInfo?.Name);

        return Task.CompletedTask;
    }

    /// <summary>
    /// Required exactly where the wire has it: an answer always carries every field (null included); a request needs
    /// only the fields the JSON reader cannot do without (the use case answers 422 for a missing value it needs).
    /// </summary>
    private static void Required(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        var request = type.Type.Name.EndsWith("Input", StringComparison.Ordinal) || type.Type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Type.Name == "GoalReview";
        var parameters = type.Type.GetConstructors().SelectMany(c => c.GetParameters()).ToList();
        schema.Required = new HashSet<string>(type.Properties
            .Where(p => p.Get is not null && schema.Properties!.ContainsKey(p.Name))
            .Where(p => !request || (!p.IsSetNullable && Nullable.GetUnderlyingType(p.PropertyType) is null
                                     && !parameters.Any(c => string.Equals(c.Name, p.Name, StringComparison.OrdinalIgnoreCase) && c.HasDefaultValue)))
            .Select(p => p.Name), StringComparer.Ordinal);
    }

    private static (string? Format, string? Pattern, string Description) NodaTimeShape(Type type) =>
        type == typeof(LocalDate) ? ("date", null, "Kalendertag (ISO 8601, YYYY-MM-DD).")
        : type == typeof(Instant) ? ("date-time", null, "Zeitpunkt in UTC (ISO 8601, z. B. 2026-05-17T08:30:00Z).")
        : type == typeof(LocalTime) ? (null, @"^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$", "Uhrzeit ohne Zeitzone (HH:mm[:ss]).")
        : type == typeof(Period) ? ("duration", null, "Zeitraum (ISO 8601, z. B. P6W).")
        : (null, null, "NodaTime-Wert als ISO-8601-Zeichenkette.");

    private static Task TransformOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor is not ControllerActionDescriptor action)
        {
            return Task.CompletedTask;
        }

        operation.OperationId = JsonNamingPolicyCamel(action.MethodInfo.Name);
        operation.Tags = new HashSet<OpenApiTagReference> { new(TagOf(action), context.Document) };
        var (summary, description) = XmlDocs.Of(action.MethodInfo);
        operation.Summary = summary;
        operation.Description = description;

        // Bodies: application/json only — or multipart/form-data for a file upload.
        if (operation.RequestBody?.Content is { } requestContent)
        {
            KeepOnly(requestContent, requestContent.ContainsKey("multipart/form-data") ? "multipart/form-data" : Json);
        }

        var anonymous = action.EndpointMetadata.OfType<IAllowAnonymous>().Any();
        var method = context.Description.HttpMethod ?? "GET";
        var path = "/" + (context.Description.RelativePath ?? "");
        var versioned = IsVersionedWrite(method, path);
        operation.Responses ??= [];

        foreach (var (status, response) in operation.Responses.ToList())
        {
            if (response is not OpenApiResponse r || r.Content is null)
            {
                continue;
            }

            if (status.StartsWith('4') || status.StartsWith('5'))
            {
                r.Content.Clear();
                r.Content[ProblemJson] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) };
            }
            else
            {
                foreach (var key in r.Content.Keys.Where(k => k is "text/plain" or "text/json").ToList())
                {
                    r.Content.Remove(key);
                }

                // Files: declared as bytes of their type, never as a framework JSON type or base64.
                foreach (var (_, content) in r.Content.Where(c => c.Key != Json))
                {
                    content.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                }

                if (r.Content.Count > 1 && r.Content.TryGetValue(Json, out var json)
                    && (json.Schema is OpenApiSchemaReference { Reference.Id: "FileContentResult" } || json.Schema is OpenApiSchema { Format: "byte" }))
                {
                    r.Content.Remove(Json);
                }
            }
        }

        if (versioned)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = true,
                Description = "Die Version des Falls, die Sie gelesen haben: das ETag aus GET /api/v1/clients/{id} (z. B. \"7\").",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^(W/)?\"[0-9]{1,19}\"$", MaxLength = 23 },
            });
            operation.Parameters.Add(PreferParameter("{id, version}"));
            if (!operation.Responses.ContainsKey("201"))
            {
                // The answer of a change: {id, version} (Prefer: return=representation gives the case file instead).
                operation.Responses["200"] = new OpenApiResponse
                {
                    Description = "Geändert: der Fall und seine neue Version (auch im ETag).",
                    Content = new Dictionary<string, OpenApiMediaType> { [Json] = new() { Schema = new OpenApiSchemaReference(nameof(CaseChangeResponse), context.Document) } },
                };
            }

            Problem(operation, context, "404", "Den Fall gibt es nicht oder er gehört nicht zu Ihnen (type …/not-found).");
            Problem(operation, context, "409", "Der Fall nimmt diese Änderung jetzt nicht an (type …/refused, code: restricted, consent-withdrawn, closed, erased, invalid-transition).");
            Problem(operation, context, "412", "Jemand anderes hat den Fall inzwischen geändert (type …/stale, currentVersion); nichts wurde gespeichert.");
            Problem(operation, context, "422", "Eingaben unvollständig oder außerhalb ihrer Grenzen (type …/validation, errors je Feld).");
            Problem(operation, context, "428", "If-Match fehlt (type …/precondition-required).");
        }

        if (action.EndpointMetadata.OfType<OffersRepresentationAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(PreferParameter("ApprovalDecisionResponse"));
            Problem(operation, context, "409", "Die Anfrage ist überholt oder der Fall nimmt die Entscheidung jetzt nicht an (type …/refused, code).");
        }

        if (action.EndpointMetadata.OfType<IdempotentAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Ein Schlüssel je neuer Anfrage (z. B. eine UUID): dieselbe Anfrage mit demselben Schlüssel innerhalb von 24 Stunden "
                              + "erhält die erste Antwort (Header Idempotent-Replayed: true) statt einer zweiten Anlage; derselbe Schlüssel mit anderem Inhalt: 422.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Za-z0-9._:-]{1,100}$", MinLength = 1, MaxLength = IdempotencyFilter.MaxKeyLength },
            });
        }

        if (IsCaseWrite(method, path) || method is "PUT")
        {
            Problem(operation, context, "422", "Eingaben unvollständig oder außerhalb ihrer Grenzen (type …/validation, errors je Feld).");
        }

        if (method != "GET" && operation.RequestBody is not null)
        {
            Problem(operation, context, "400", "Der Body ist kein gültiges JSON oder ein Wert hat den falschen Typ (type …/bad-request).");
            Problem(operation, context, "413", "Der Body ist größer als 1 MB (type …/too-large).");
        }

        foreach (var (status, response) in operation.Responses)
        {
            if (response is OpenApiResponse r && status is "200" or "201" && IsVersionCarrying(operation, r, path, method))
            {
                r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                r.Headers["ETag"] = new OpenApiHeader { Description = "Die Version des Falls (für If-Match).", Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 23 } };
            }

            if (response is OpenApiResponse created && status == "201")
            {
                created.Headers ??= new Dictionary<string, IOpenApiHeader>();
                created.Headers["Location"] = new OpenApiHeader { Description = "Die Adresse des Falls.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 200 } };
            }
        }

        if (action.EndpointMetadata.OfType<PagedAttribute>().Any() && operation.Responses.TryGetValue("200", out var paged) && paged is OpenApiResponse page)
        {
            page.Headers ??= new Dictionary<string, IOpenApiHeader>();
            page.Headers[TotalCountHeader] = new OpenApiHeader
            {
                Description = "Gesamtzahl der Treffer über alle Seiten.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = int.MaxValue.ToString(CultureInfo.InvariantCulture) },
            };
        }

        if (anonymous)
        {
            operation.Security = [];
        }
        else
        {
            Problem(operation, context, "401", "Nicht angemeldet, Token abgelaufen oder Sitzung beendet (type …/unauthorized).");
            Problem(operation, context, "403", "Ihre Rolle erlaubt diese Aktion nicht (type …/forbidden).");
        }

        Problem(operation, context, "500", "Interner Fehler (type …/server-error); er wurde protokolliert.");
        Problem(operation, context, "503", "Datenbank vorübergehend nicht erreichbar (type …/unavailable); nach Retry-After Sekunden erneut versuchen.");
        foreach (var response in operation.Responses.Values.OfType<OpenApiResponse>())
        {
            response.Description = string.IsNullOrEmpty(response.Description) || response.Description is "OK" or "Created" or "Accepted" or "No Content"
                ? Describe(operation.Responses.First(r => r.Value == response).Key)
                : response.Description;
        }

        return Task.CompletedTask;
    }

    /// <summary><c>Prefer</c> (RFC 7240): a change of one case may answer with the whole case file instead of its short answer.</summary>
    private static OpenApiParameter PreferParameter(string shortAnswer) => new()
    {
        Name = "Prefer",
        In = ParameterLocation.Header,
        Required = false,
        Description = $"return=representation: die Antwort ist dann die ganze Fallakte (Schema ClientResponse) statt {shortAnswer}.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("return=representation"), JsonValue.Create("return=minimal")] },
    };

    private static string Describe(string status) => status switch
    {
        "200" => "Erfolg.",
        "201" => "Angelegt.",
        "202" => "Angenommen.",
        "204" => "Erledigt, ohne Inhalt.",
        _ => "Antwort.",
    };

    /// <summary>A change of an existing case: it needs <c>If-Match</c> (POST/DELETE under <c>/api/v1/clients/{id}/</c>).</summary>
    public static bool IsVersionedWrite(string method, string path) =>
        method is "POST" or "DELETE" && path.StartsWith("/api/v1/clients/{id}/", StringComparison.Ordinal);

    private static bool IsCaseWrite(string method, string path) => method is "POST" or "DELETE" && !path.StartsWith("/api/v1/auth/", StringComparison.Ordinal);

    private static bool IsVersionCarrying(OpenApiOperation operation, OpenApiResponse response, string path, string method) =>
        IsVersionedWrite(method, path) || operation.OperationId is "getCase" or "createCase";

    private static void Problem(OpenApiOperation operation, OpenApiOperationTransformerContext context, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing) && existing is OpenApiResponse { Content.Count: > 0 })
        {
            ((OpenApiResponse)existing).Description = description;
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) } },
        };
        if (status == "429" && operation.Responses[status] is OpenApiResponse tooMany)
        {
            tooMany.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Sekunden bis zum nächsten Versuch.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" } },
            };
        }
    }

    private static void KeepOnly(IDictionary<string, OpenApiMediaType> content, string mediaType)
    {
        foreach (var key in content.Keys.Where(k => k != mediaType).ToList())
        {
            content.Remove(key);
        }
    }

    private static string TagOf(ControllerActionDescriptor action) =>
        action.ControllerTypeInfo.GetCustomAttribute<Microsoft.AspNetCore.Http.TagsAttribute>()?.Tags[0]
        ?? action.ControllerName.Replace("Api", "", StringComparison.Ordinal);

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    private static Task TransformDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "CaseManagement API",
            Version = "1",
            Description = "JSON-API des Integrationsmanagements (Baden-Württemberg). Anmeldung: POST /api/v1/auth/login, dann "
                + "Authorization: Bearer <accessToken>; POST /api/v1/auth/refresh erneuert beide Tokens. Fehler sind RFC 9457 "
                + "ProblemDetails (application/problem+json) mit stabilem type. Änderungen eines Falls brauchen If-Match mit dem ETag. "
                + "/api/v1 ändert sich nur additiv; eine brechende Änderung bekommt /api/v2 daneben (docs/api.md).",
            // No invented address and no licence: the project states none (README); the contract's own page is docs/api.md.
            Contact = new OpenApiContact { Name = "CaseManagement – Betrieb und Entwicklung (docs/api.md)" },
        };
        document.Servers =
        [
            new OpenApiServer
            {
                Url = "/",
                Description = "Die Anwendung, die dieses Dokument ausliefert (production, staging oder local): die Adresse des Dokuments ohne /openapi/v1.json.",
                Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(JsonValue.Create(false)) },
            },
        ];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
        {
            [BearerSchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "Das accessToken aus POST /api/v1/auth/login oder /api/v1/auth/refresh (eine Stunde gültig, undurchsichtig).",
            },
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSchemeName, document)] = [] }];
        document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = ProblemDetailsSchema();
        document.Components.Schemas[nameof(CaseChangeResponse)] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Was eine Änderung bewirkt hat: der Fall und seine neue Version (auch das ETag).",
            Required = new HashSet<string> { "id", "version" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", MaxLength = 36 },
                ["version"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Minimum = "1", Maximum = long.MaxValue.ToString(CultureInfo.InvariantCulture) },
            },
        };
        RemoveUnreferencedSchemas(document);
        return Task.CompletedTask;
    }

    private static OpenApiSchema ProblemDetailsSchema()
    {
        static OpenApiSchema Text(int max, string description, bool nullable = false) =>
            new() { Type = JsonSchemaType.String | (nullable ? JsonSchemaType.Null : 0), MaxLength = max, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 ProblemDetails mit deutschem title/detail und stabilem type (GET auf die type-URI beschreibt ihn).",
            Required = new HashSet<string> { "type", "title", "status" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 200,
                    Description = "/api/v1/problems/<name>: validation (422), stale (412), refused (409), not-found (404), forbidden (403), unauthorized (401), bad-request (400), precondition-required (428), too-large (413), too-many-requests (429), server-error (500), unavailable (503) …",
                },
                ["title"] = Text(200, "Kurzbeschreibung auf Deutsch."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
                ["detail"] = Text(InputLimits.MaxTextLength, "Erklärung auf Deutsch.", nullable: true),
                ["instance"] = Text(2000, "Der Pfad der Anfrage.", nullable: true),
                ["traceId"] = Text(200, "Kennung der Anfrage im Protokoll.", nullable: true),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "validation: die deutschen Meldungen je JSON-Feld (z. B. housing.since).",
                    MaxProperties = 1000,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, MaxItems = 100, Items = Text(2000, "Meldung.") },
                },
                ["currentVersion"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer, Format = "int64", Minimum = "0", Maximum = long.MaxValue.ToString(CultureInfo.InvariantCulture),
                    Description = "stale: die jetzige Version des Falls.",
                },
                ["code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Description = "refused: der Grund.",
                    Enum = [.. Enum.GetValues<RefusalCode>().Select(c => (JsonNode)JsonValue.Create(ProblemTypes.Code(c))!)],
                },
                ["existingCaseId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", MaxLength = 36, Description = "refused/possible-duplicate: der schon vorhandene Fall." },
            },
        };
    }

    /// <summary>Framework types (FileContentResult, EntityTagHeaderValue …) and replaced schemas disappear with their last reference.</summary>
    private static void RemoveUnreferencedSchemas(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        var text = SerializedWithoutSchemas(document);
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(schemas.Keys.Where(k => text.Contains($"\"#/components/schemas/{k}\"", StringComparison.Ordinal)));
        while (queue.TryDequeue(out var name))
        {
            if (!reachable.Add(name) || !schemas.TryGetValue(name, out var schema))
            {
                continue;
            }

            var own = Serialize(schema);
            foreach (var other in schemas.Keys.Where(k => !reachable.Contains(k) && own.Contains($"\"#/components/schemas/{k}\"", StringComparison.Ordinal)))
            {
                queue.Enqueue(other);
            }
        }

        foreach (var name in schemas.Keys.Where(k => !reachable.Contains(k)).ToList())
        {
            schemas.Remove(name);
        }
    }

    private static string SerializedWithoutSchemas(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas;
        document.Components.Schemas = null;
        try
        {
            return Serialize(document);
        }
        finally
        {
            document.Components.Schemas = schemas;
        }
    }

    private static string Serialize(IOpenApiSerializable element)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        element.SerializeAsV31(new OpenApiJsonWriter(writer));
        return writer.ToString();
    }
}

/// <summary>A list answer that is paged: the total over all pages is in <c>X-Total-Count</c>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PagedAttribute : Attribute;

/// <summary>A write outside <c>/api/v1/clients/{id}/</c> that also honours <c>Prefer: return=representation</c> (declared as such).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OffersRepresentationAttribute : Attribute;

/// <summary>Summaries and descriptions of the API actions from the XML documentation file (GenerateDocumentationFile).</summary>
internal static class XmlDocs
{
    private static readonly Lazy<Dictionary<string, string>> Members = new(Load);
    private static readonly string[] SentenceEnds = [". ", "; ", " ("];

    /// <summary>The first sentence as summary, the whole text as description.</summary>
    public static (string? Summary, string? Description) Of(MethodInfo method)
    {
        var name = $"M:{method.DeclaringType!.FullName}.{method.Name}";
        var text = Members.Value.FirstOrDefault(m => m.Key == name || m.Key.StartsWith(name + "(", StringComparison.Ordinal)).Value;
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null);
        }

        var end = SentenceEnds.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(text.Length).Min();
        var summary = text[..end].TrimEnd('.');
        summary = summary.Length <= 120 ? summary : summary[..117] + "…";
        return (summary.Trim(), text);
    }

    private static Dictionary<string, string> Load()
    {
        var file = Path.ChangeExtension(typeof(XmlDocs).Assembly.Location, ".xml");
        if (!File.Exists(file))
        {
            return [];
        }

        return XDocument.Load(file).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .GroupBy(m => m.Attribute("name")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Flatten(g.First().Element("summary")!), StringComparer.Ordinal);
    }

    private static string Flatten(XElement summary) =>
        string.Join(" ", string.Concat(summary.Nodes().Select(n => n is XElement e ? (e.Attribute("cref")?.Value.Split('.').Last() ?? e.Value) : n.ToString()))
            .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
}
