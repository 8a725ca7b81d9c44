using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.SignIn;

/// <summary>How a session was started: a browser (cookie) or an API client (bearer and refresh token).</summary>
public enum SessionKind
{
    Browser,
    Api,
}

/// <summary>
/// One sign-in, kept on the server (table <c>identity.user_sessions</c>). The cookie or the access token
/// carries its id; every request checks that the session has not ended, so signing out, a new password, a
/// changed role or a deactivation take effect at the next request on every node.
/// </summary>
public sealed class UserSession
{
    public Guid Id { get; init; }

    public Guid UserId { get; init; }

    public SessionKind Kind { get; init; }

    /// <summary>The account's security stamp when the session started; a later change ends the session.</summary>
    public required string SecurityStamp { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Updated at most once a minute (see <see cref="UserSessions.TouchInterval"/>).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public SessionEnd? EndReason { get; set; }

    /// <summary>SHA-256 (hex) of the API session's current refresh token; the token itself is never stored.</summary>
    public string? RefreshTokenHash { get; set; }

    public DateTimeOffset? RefreshTokenExpiresAt { get; set; }
}

/// <summary>Why a session ended.</summary>
public enum SessionEnd
{
    /// <summary>The user signed out.</summary>
    SignedOut,

    /// <summary>The same browser signed in again (or its sign-in was renewed after a change of its own settings).</summary>
    Replaced,

    /// <summary>Password, role, two-factor setting or active flag of the account changed.</summary>
    AccountChanged,

    /// <summary>A refresh token was presented a second time (or a forged one): the whole session ends.</summary>
    RefreshTokenReused,

    /// <summary>The refresh token or the session's maximum age ran out.</summary>
    Expired,
}

/// <summary>Lifetimes of API sessions and of the session check's memory (configuration section <c>Sessions</c>).</summary>
public sealed record SessionSettings
{
    public const string Section = "Sessions";

    /// <summary>A refresh token is good for this long; each use gives a new one.</summary>
    public int RefreshTokenHours { get; init; } = 8;

    /// <summary>An API session ends this long after its sign-in, however often it is refreshed.</summary>
    public int MaxApiSessionDays { get; init; } = 7;

    /// <summary>
    /// Seconds a session found current is taken as current without asking the database again (<see cref="SessionCache"/>;
    /// 0: ask on every request). A revocation still reaches every node at once through the database's notification;
    /// this is the bound for the case that a notification could be lost without the node noticing (0–300, default 30).
    /// </summary>
    public int CacheSeconds { get; init; } = 30;
}

/// <summary>A refreshed API session: the account as it is now and the next refresh token.</summary>
public sealed record RefreshedSession(UserAccount User, Guid SessionId, string RefreshToken);

/// <summary>
/// Starts, checks, refreshes and ends sessions. The check of a request is one indexed query, or an answer from this
/// node's <see cref="SessionCache"/> of the last seconds, which every revocation empties on every node at its commit.
/// </summary>
public sealed class UserSessions(AppDbContext db, IClock clock, SessionSettings settings, Npgsql.NpgsqlDataSource dataSource, SessionCache cache)
{
    /// <summary>How stale <see cref="UserSession.LastSeenAt"/> may get before a request writes it.</summary>
    public static readonly Duration TouchInterval = Duration.FromMinutes(1);

    /// <summary>Ended sessions of a user are deleted at that user's next sign-in after this long.</summary>
    private static readonly Duration KeepEnded = Duration.FromDays(30);

    private DateTimeOffset Now => clock.GetCurrentInstant().ToDateTimeOffset();

    /// <summary>A new session for <paramref name="user"/>; API sessions also get their first refresh token.</summary>
    public async Task<(UserSession Session, string? RefreshToken)> StartAsync(UserAccount user, SessionKind kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var now = Now;
        var session = new UserSession
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            Kind = kind,
            SecurityStamp = user.SecurityStamp ?? "",
            CreatedAt = now,
            LastSeenAt = now,
        };
        string? refreshToken = null;
        if (kind == SessionKind.Api)
        {
            refreshToken = NewRefreshToken(session.Id);
            session.RefreshTokenHash = Hash(refreshToken);
            session.RefreshTokenExpiresAt = RefreshTokenExpiry(session, now);
        }

        var stale = now - KeepEnded.ToTimeSpan();
        await db.UserSessions.Where(s => s.UserId == user.Id && s.EndedAt < stale).ExecuteDeleteAsync(ct);
        db.UserSessions.Add(session);
        await db.SaveChangesAsync(ct);
        return (session, refreshToken);
    }

    /// <summary>
    /// The check of every request: the session exists, has not ended, belongs to <paramref name="userId"/>,
    /// whose account still exists, is active and has the security stamp the principal was issued with.
    /// </summary>
    public async Task<bool> IsCurrentAsync(Guid sessionId, Guid userId, string? securityStamp, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(securityStamp))
        {
            return false;
        }

        if (cache.IsKnownCurrent(sessionId, userId, securityStamp))
        {
            return true;
        }

        // Otherwise one statement on the data source, without EF Core's per-query work (about a sixth of the application's
        // CPU time in the load scenario went into this check through EF Core; docs/performance.md).
        var version = cache.Version;
        var now = clock.GetCurrentInstant();
        bool active, stale;
        string? stamp;
        await using (var check = dataSource.CreateCommand(
            """
            select u."IsActive", u."SecurityStamp", s.last_seen_at < $3
            from identity.user_sessions s join identity."AspNetUsers" u on u."Id" = s.user_id
            where s.id = $1 and s.user_id = $2 and s.ended_at is null
            """))
        {
            check.Parameters.Add(new() { Value = sessionId });
            check.Parameters.Add(new() { Value = userId });
            check.Parameters.Add(new() { Value = now - TouchInterval });
            await using var row = await check.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
            if (!await row.ReadAsync(ct))
            {
                return false;
            }

            (active, stamp, stale) = (row.GetBoolean(0), row.IsDBNull(1) ? null : row.GetString(1), row.GetBoolean(2));
        }

        if (!active || stamp != securityStamp)
        {
            return false;
        }

        if (stale)
        {
            await using var touch = dataSource.CreateCommand("update identity.user_sessions set last_seen_at = $2 where id = $1");
            touch.Parameters.Add(new() { Value = sessionId });
            touch.Parameters.Add(new() { Value = now });
            await touch.ExecuteNonQueryAsync(ct);
        }

        cache.Remember(sessionId, userId, securityStamp, version);
        return true;
    }

    /// <summary>Ends one session (sign-out, or replaced by a new sign-in of the same browser).</summary>
    public async Task EndAsync(Guid sessionId, SessionEnd reason, CancellationToken ct = default)
    {
        var now = Now;
        await db.UserSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), ct);
        cache.ForgetSession(sessionId);
    }

    /// <summary>Ends every session of a user (new password, changed role, deactivation).</summary>
    public async Task EndAllAsync(Guid userId, SessionEnd reason = SessionEnd.AccountChanged, CancellationToken ct = default)
    {
        var now = Now;
        await db.UserSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.EndedAt, now).SetProperty(s => s.EndReason, reason), ct);
        cache.ForgetAccount(userId);
    }

    /// <summary>
    /// Exchanges a refresh token for the next one (single use). A token that is not the session's current
    /// one — a replayed old token, or one used twice at the same moment — ends the whole session. Refused
    /// (null) as well when the session ended or expired, or the account was deactivated or changed.
    /// </summary>
    public async Task<RefreshedSession?> RefreshAsync(string? refreshToken, CancellationToken ct = default)
    {
        if (ParseSessionId(refreshToken) is not { } sessionId)
        {
            return null;
        }

        var found = await db.UserSessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.Kind == SessionKind.Api && s.EndedAt == null)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { Session = s, User = u })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var (session, user) = (found.Session, found.User);
        var now = Now;
        var presented = Hash(refreshToken!);
        if (!FixedTimeEquals(presented, session.RefreshTokenHash))
        {
            await EndAsync(session.Id, SessionEnd.RefreshTokenReused, ct);
            return null;
        }

        if (session.RefreshTokenExpiresAt is not { } expires || expires <= now
            || !user.IsActive || user.SecurityStamp != session.SecurityStamp)
        {
            await EndAsync(session.Id, user.IsActive && user.SecurityStamp == session.SecurityStamp ? SessionEnd.Expired : SessionEnd.AccountChanged, ct);
            return null;
        }

        var next = NewRefreshToken(session.Id);
        var nextHash = Hash(next);
        var nextExpiry = RefreshTokenExpiry(session, now);
        // Compare-and-set: of two requests with the same token only one rotates; the other is a reuse.
        var rotated = await db.UserSessions
            .Where(s => s.Id == session.Id && s.EndedAt == null && s.RefreshTokenHash == presented)
            .ExecuteUpdateAsync(u => u
                .SetProperty(s => s.RefreshTokenHash, nextHash)
                .SetProperty(s => s.RefreshTokenExpiresAt, nextExpiry)
                .SetProperty(s => s.LastSeenAt, now), ct);
        if (rotated == 0)
        {
            await EndAsync(session.Id, SessionEnd.RefreshTokenReused, ct);
            return null;
        }

        return new RefreshedSession(user, session.Id, next);
    }

    private DateTimeOffset RefreshTokenExpiry(UserSession session, DateTimeOffset now)
    {
        var sliding = now.AddHours(settings.RefreshTokenHours);
        var absolute = session.CreatedAt.AddDays(settings.MaxApiSessionDays);
        return sliding < absolute ? sliding : absolute;
    }

    /// <summary><c>&lt;session id&gt;.&lt;256 random bits&gt;</c>, both URL-safe.</summary>
    private static string NewRefreshToken(Guid sessionId) =>
        sessionId.ToString("N") + "." + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static Guid? ParseSessionId(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot == 32 && Guid.TryParseExact(token.AsSpan(0, 32), "N", out var id) ? id : null;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static bool FixedTimeEquals(string a, string? b) =>
        b is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
