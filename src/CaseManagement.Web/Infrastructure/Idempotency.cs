using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseManagement.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Npgsql;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// A creating API request (<c>POST</c>) may carry <c>Idempotency-Key</c> (1–100 characters: letters, digits,
/// <c>-</c>, <c>_</c>, <c>.</c>, <c>:</c>; a UUID is the usual choice). The same user sending the same key again within
/// 24 hours gets the first answer (status, <c>Location</c>, <c>ETag</c>, body; header <c>Idempotent-Replayed: true</c>)
/// instead of a second creation; the same key with another request is a 422, a key whose first request still runs a
/// 409. Only successful answers are kept: after a failure the same key may be sent again. Usable on any POST action,
/// also a multipart upload (documents, imports): its parts are compared, not its boundary.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class IdempotentAttribute() : TypeFilterAttribute(typeof(IdempotencyFilter));

/// <summary>The work behind <see cref="IdempotentAttribute"/> (table <c>cases.idempotency_keys</c>, migrations/0023).</summary>
public sealed partial class IdempotencyFilter(NpgsqlDataSource dataSource, ILogger<IdempotencyFilter> logger) : IAsyncResourceFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 100;

    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)
            || !Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            || !Guid.TryParse(http.User.FindFirstValue(CaseManagement.Organisations.CaseManagementClaims.OrganisationId), out var organisationId))
        {
            await next();
            return;
        }

        var key = values.ToString();
        if (values.Count != 1 || !IsValidKey(key))
        {
            context.Result = Problem(StatusCodes.Status400BadRequest, ProblemTypes.BadRequest, "Ungültiger Idempotency-Key.",
                $"Der Idempotency-Key muss 1 bis {MaxKeyLength} Zeichen lang sein und darf nur Buchstaben, Ziffern sowie - _ . : enthalten (z. B. eine UUID). Es wurde nichts gespeichert.");
            return;
        }

        var hash = await RequestHash(http);
        var first = await ClaimAsync(userId, organisationId, key, hash, http.RequestAborted);
        if (first is not null)
        {
            context.Result = Answer(first, hash);
            return;
        }

        var original = http.Response.Body;
        await using var captured = new MemoryStream();
        http.Response.Body = captured;
        var kept = false;
        try
        {
            var executed = await next();
            captured.Position = 0;
            await captured.CopyToAsync(original, http.RequestAborted);
            if (executed.Exception is null && http.Response.StatusCode is >= 200 and < 300)
            {
                kept = await KeepAsync(userId, key, http, captured.ToArray(), context.RouteData.Values["id"]);
            }
        }
        finally
        {
            http.Response.Body = original;
            if (!kept)
            {
                await ForgetAsync(userId, key);
            }
        }
    }

    private static IActionResult Answer(IdempotencyRecord first, byte[] hash)
    {
        if (!CryptographicOperations.FixedTimeEquals(first.RequestHash, hash))
        {
            return Problem(StatusCodes.Status422UnprocessableEntity, ProblemTypes.Validation, "Idempotency-Key schon verwendet.",
                "Dieser Idempotency-Key wurde bereits für eine andere Anfrage verwendet. Bitte für jede neue Anfrage einen neuen Schlüssel wählen. Es wurde nichts gespeichert.");
        }

        if (first.Status is not { } status)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemTypes.Refused, "Die erste Anfrage mit diesem Schlüssel läuft noch.",
                "Bitte kurz warten und dieselbe Anfrage dann erneut senden; ist nach einer Minute keine Antwort gekommen, bitte den Stand mit GET prüfen.");
        }

        return new ReplayResult(status, first.Location, first.ETag, first.Body ?? []);
    }

    private static ObjectResult Problem(int status, string type, string title, string detail) =>
        new(new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail }) { StatusCode = status, ContentTypes = { "application/problem+json" } };

    /// <summary>
    /// SHA-256 over method, path, <c>If-Match</c>, content type and body. A multipart body (an upload) is hashed by its
    /// parts — each field's name and value, each file's field name, file name, type, length and bytes (streamed) — not by
    /// its bytes: its boundary is new on every send, so a retried upload of the same file must still hash the same.
    /// </summary>
    private static async Task<byte[]> RequestHash(HttpContext http)
    {
        http.Request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var multipart = http.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;
        var contentType = multipart ? "multipart/form-data" : http.Request.ContentType;
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n{http.Request.Headers.IfMatch}\n{contentType}\n"));
        if (multipart && await FormOrNull(http) is { } form)
        {
            foreach (var field in form.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                Append(sha, "field", field.Key, field.Value.ToString());
            }

            foreach (var file in form.Files)
            {
                Append(sha, "file", file.Name, file.FileName, file.ContentType ?? "", file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await using var content = file.OpenReadStream();
                await AppendAsync(sha, content, http.RequestAborted);
            }

            return sha.GetHashAndReset();
        }

        await AppendAsync(sha, http.Request.Body, http.RequestAborted);
        http.Request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    /// <summary>The parsed form (kept for the model binding), or null when the body is no valid multipart (hashed as bytes then).</summary>
    private static async Task<IFormCollection?> FormOrNull(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException)
        {
            http.Request.Body.Position = 0;
            return null;
        }
    }

    /// <summary>Each text with its length in front, so that no two different lists hash alike.</summary>
    private static void Append(IncrementalHash sha, params string[] texts)
    {
        foreach (var text in texts)
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{text.Length}:{text}\n"));
        }
    }

    private static async Task AppendAsync(IncrementalHash sha, Stream stream, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
    }

    /// <summary>Takes the key for this request (null), or returns the first request's row.</summary>
    private async Task<IdempotencyRecord?> ClaimAsync(Guid userId, Guid organisationId, string key, byte[] hash, CancellationToken ct)
    {
        await using var claim = dataSource.CreateCommand(
            """
            insert into cases.idempotency_keys (user_id, key, organisation_id, request_hash, created_at) values ($1, $2, $3, $4, now())
            on conflict (user_id, key) do update set organisation_id = excluded.organisation_id, request_hash = excluded.request_hash,
                created_at = excluded.created_at, status = null, location = null, etag = null, body = null, case_id = null
              where cases.idempotency_keys.created_at < now() - $5
            """);
        claim.Parameters.Add(new() { Value = userId });
        claim.Parameters.Add(new() { Value = key });
        claim.Parameters.Add(new() { Value = organisationId });
        claim.Parameters.Add(new() { Value = hash });
        claim.Parameters.Add(new() { Value = IdempotencyRecord.Keep });
        if (await claim.ExecuteNonQueryAsync(ct) == 1)
        {
            return null;
        }

        await using var read = dataSource.CreateCommand("select request_hash, status, location, etag, body from cases.idempotency_keys where user_id = $1 and key = $2");
        read.Parameters.Add(new() { Value = userId });
        read.Parameters.Add(new() { Value = key });
        await using var row = await read.ExecuteReaderAsync(ct);
        if (!await row.ReadAsync(ct))
        {
            return new IdempotencyRecord { RequestHash = hash }; // forgotten in between: as if still running (the client asks again)
        }

        return new IdempotencyRecord
        {
            RequestHash = row.GetFieldValue<byte[]>(0),
            Status = row.IsDBNull(1) ? null : row.GetInt32(1),
            Location = row.IsDBNull(2) ? null : row.GetString(2),
            ETag = row.IsDBNull(3) ? null : row.GetString(3),
            Body = row.IsDBNull(4) ? null : row.GetFieldValue<byte[]>(4),
        };
    }

    /// <summary>Keeps the answer; false when that failed (the change itself is stored; the key is then forgotten).</summary>
    private async Task<bool> KeepAsync(Guid userId, string key, HttpContext http, byte[] body, object? routeId)
    {
        var kept = false;
        await DatabaseFaults.AfterCommitAsync(logger, "Antwort zum Idempotency-Key speichern", async () =>
        {
            await using var keep = dataSource.CreateCommand(
                "update cases.idempotency_keys set status = $3, location = $4, etag = $5, body = $6, case_id = $7 where user_id = $1 and key = $2");
            keep.Parameters.Add(new() { Value = userId });
            keep.Parameters.Add(new() { Value = key });
            keep.Parameters.Add(new() { Value = http.Response.StatusCode });
            keep.Parameters.Add(new() { Value = (object?)http.Response.Headers.Location.ToString().NullIfEmpty() ?? DBNull.Value });
            keep.Parameters.Add(new() { Value = (object?)http.Response.Headers.ETag.ToString().NullIfEmpty() ?? DBNull.Value });
            keep.Parameters.Add(new() { Value = body });
            keep.Parameters.Add(new() { Value = (object?)CaseId(routeId, body) ?? DBNull.Value });
            kept = await keep.ExecuteNonQueryAsync(CancellationToken.None) == 1;
        });
        return kept;
    }

    private async Task ForgetAsync(Guid userId, string key) =>
        await DatabaseFaults.AfterCommitAsync(logger, "Idempotency-Key freigeben", async () =>
        {
            await using var forget = dataSource.CreateCommand("delete from cases.idempotency_keys where user_id = $1 and key = $2 and status is null");
            forget.Parameters.Add(new() { Value = userId });
            forget.Parameters.Add(new() { Value = key });
            await forget.ExecuteNonQueryAsync(CancellationToken.None);
        });

    /// <summary>The case of the answer: the route's <c>{id}</c>, else the <c>id</c> of a created case in the body.</summary>
    private static Guid? CaseId(object? routeId, byte[] body)
    {
        if (Guid.TryParse(routeId?.ToString(), out var id))
        {
            return id;
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("id", out var value) && value.TryGetGuid(out var created)
                ? created
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first answer once more, byte for byte.</summary>
    private sealed class ReplayResult(int status, string? location, string? etag, byte[] body) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.StatusCode = status;
            response.Headers[ReplayedHeader] = "true";
            if (location is not null)
            {
                response.Headers.Location = location;
            }

            if (etag is not null)
            {
                response.Headers.ETag = etag;
            }

            if (body.Length > 0)
            {
                response.ContentType = "application/json; charset=utf-8";
                await response.Body.WriteAsync(body, context.HttpContext.RequestAborted);
            }
        }
    }
}

internal static class StringExtensions
{
    public static string? NullIfEmpty(this string value) => value.Length == 0 ? null : value;
}
