using System.Globalization;
using CaseManagement.Web.Features.Clients;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Api;

/// <summary>What a change did: the case and its new version (also the <c>ETag</c>).</summary>
public sealed record CaseChangeResponse(Guid Id, long Version);

/// <summary>
/// The API controllers that change a case: the concurrency contract (<c>If-Match</c> with the version from
/// <c>GET /api/v1/clients/{id}</c>, 428 without it, 412 when stale) and the answer of a change in one place.
/// </summary>
public abstract class CaseApiControllerBase(IMediator mediator) : ApiControllerBase
{
    protected IMediator Mediator => mediator;

    /// <summary>The whole case file as <c>GET /api/v1/clients/{id}</c> returns it; its version is also the <c>ETag</c>.</summary>
    protected async Task<ClientResponse> CaseFile(Guid id, CancellationToken ct)
    {
        var c = await mediator.Send(new GetCase(id), ct);
        Response.Headers.ETag = ETag(c.Version);
        return ClientResponseMapper.ToResponse(c);
    }

    /// <summary>Runs a change of an existing case at the version of <c>If-Match</c> (428 without it).</summary>
    protected async Task<IActionResult> Versioned(Guid id, Func<long, ICommand<Outcome<CaseChanged>>> command, CancellationToken ct) =>
        IfMatchVersion() is not { } version ? VersionRequired() : await Changed(id, await mediator.Send(command(version), ct), ct);

    protected long? IfMatchVersion()
    {
        var header = Request.Headers.IfMatch.ToString().Trim().TrimStart('W', '/').Trim('"');
        return long.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
    }

    protected ObjectResult VersionRequired() => Problem(
        statusCode: StatusCodes.Status428PreconditionRequired,
        title: "Versionsangabe fehlt.",
        detail: "Bitte die Version des Falls im If-Match-Header mitsenden (das ETag aus GET /api/v1/clients/{id}).");

    /// <summary>
    /// A change's answer: what changed (the case id and its new version, also as <c>ETag</c>); with
    /// <c>Prefer: return=representation</c> (RFC 7240) the whole case as GET returns it. Failures as <see cref="ApiControllerBase.OutcomeProblem{T}"/>.
    /// </summary>
    protected async Task<IActionResult> Changed(Guid id, Outcome<CaseChanged> outcome, CancellationToken ct)
    {
        if (!outcome.Succeeded)
        {
            return OutcomeProblem(outcome);
        }

        Response.Headers.ETag = ETag(outcome.Value!.Version);
        var changed = new CaseChangeResponse(id, outcome.Value.Version);
        return WantsRepresentation() && await ReadAfterCommit(() => CaseFile(id, ct)) is { } file ? Ok(file) : Ok(changed);
    }

    /// <summary>
    /// A read after the change was committed (the answer's representation): if the database is gone by now, null — the
    /// caller answers with what it knows (id, version), never with an error for a stored change.
    /// </summary>
    protected async Task<T?> ReadAfterCommit<T>(Func<Task<T>> read)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        T? result = null;
        await CaseManagement.Storage.DatabaseFaults.AfterCommitAsync(
            HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(GetType()), "Antwort nach dem Speichern lesen",
            async () => result = await read());
        return result;
    }

    protected static string ETag(long version) => $"\"{version}\"";

    private bool WantsRepresentation() =>
        Request.Headers["Prefer"].Any(p => p?.Contains("return=representation", StringComparison.OrdinalIgnoreCase) == true);
}
