namespace CaseManagement.Storage;

/// <summary>
/// Row of <c>cases.idempotency_keys</c>: the first answer to a creating request sent with an <c>Idempotency-Key</c>
/// (status, <c>Location</c>, <c>ETag</c>, body), or — while <see cref="Status"/> is null — that it is still running.
/// </summary>
public sealed class IdempotencyRecord
{
    /// <summary>How long a key is remembered.</summary>
    public static readonly TimeSpan Keep = TimeSpan.FromHours(24);

    public Guid UserId { get; init; }

    public string Key { get; init; } = "";

    public Guid OrganisationId { get; init; }

    /// <summary>SHA-256 of method, path, If-Match and body: the same key with another request is refused.</summary>
    public byte[] RequestHash { get; init; } = [];

    public int? Status { get; init; }

    public string? Location { get; init; }

    public string? ETag { get; init; }

    public byte[]? Body { get; init; }

    /// <summary>The case the request created or changed (an erasure deletes the row).</summary>
    public Guid? CaseId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
