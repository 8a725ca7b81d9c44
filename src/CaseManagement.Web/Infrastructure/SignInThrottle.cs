using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Infrastructure;

/// <summary>What a sign-in step checks: a password, or a code of the authenticator app.</summary>
public enum Credential
{
    Password,
    Code,
}

/// <summary>
/// Limits for failed credential checks (configuration section <c>SignIn</c>): each is a bucket of that many
/// failures that refills evenly over <see cref="WindowMinutes"/> (with the defaults: after 5 failures for one
/// account from one address, one more try every 3 minutes).
/// </summary>
public sealed record SignInLimits
{
    public const string Section = "SignIn";

    /// <summary>Failures per account and client address (strict: it is where a guesser sits).</summary>
    public int PerAccountAndAddress { get; init; } = 5;

    /// <summary>Failures per client address over all accounts (moderate: offices share an address).</summary>
    public int PerAddress { get; init; } = 30;

    /// <summary>Failures per account over all addresses (loose: slows a distributed guesser, never locks the owner out for long).</summary>
    public int PerAccount { get; init; } = 30;

    /// <summary>Failures of authenticator codes per account (a code has only a million values).</summary>
    public int CodesPerAccount { get; init; } = 10;

    public int WindowMinutes { get; init; } = 15;

    /// <summary>Sign-in attempts of one address processed at the same time; more wait (up to 32), so parallel guesses cannot slip past the count.</summary>
    public int ConcurrentPerAddress { get; init; } = 4;
}

/// <summary>
/// Slows down password and code guessing without locking anyone out (replaces Identity's lockout): only
/// failed checks count, in token buckets of ASP.NET Core's built-in rate limiter (System.Threading.RateLimiting,
/// the primitives of Microsoft.AspNetCore.RateLimiting; the middleware itself cannot see the account, which is
/// in the form or JSON body). Over a limit: 429 with Retry-After. Kept in memory per node.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly List<(PartitionedRateLimiter<Attempt> Limiter, Func<Attempt, TimeSpan> OneMoreEvery)> failures;
    private readonly PartitionedRateLimiter<string> inFlight;

    public SignInThrottle(SignInLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var window = TimeSpan.FromMinutes(limits.WindowMinutes);
        failures =
        [
            Buckets<(Credential, string, string)>(a => (a.Kind, a.Account, a.Address), _ => limits.PerAccountAndAddress, window),
            Buckets(a => a.Address, _ => limits.PerAddress, window),
            Buckets<(Credential, string)>(a => (a.Kind, a.Account), a => a.Kind == Credential.Code ? limits.CodesPerAccount : limits.PerAccount, window),
        ];
        inFlight = PartitionedRateLimiter.Create<string, string>(address =>
            RateLimitPartition.GetConcurrencyLimiter(address, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = limits.ConcurrentPerAddress,
                QueueLimit = 32,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            }));
    }

    /// <summary>
    /// Before a credential check: waits for a slot of the client address, then asks every bucket. The gate
    /// is either open (check, call <see cref="SignInGate.Failed"/> on a wrong credential, dispose) or closed
    /// with the time to wait.
    /// </summary>
    public async Task<SignInGate> EnterAsync(Credential kind, string? account, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var attempt = new Attempt(kind, Normalise(account), ClientAddress(context));
        var slot = await inFlight.AcquireAsync(attempt.Address, 1, context.RequestAborted);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            return new SignInGate(this, attempt, null, TimeSpan.FromSeconds(5));
        }

        // A bucket refills continuously; a whole failure must be left in it (a check with 0 permits would pass on a fraction).
        TimeSpan? wait = null;
        foreach (var (limiter, oneMoreEvery) in failures)
        {
            if (limiter.GetStatistics(attempt)?.CurrentAvailablePermits < 1)
            {
                var retry = oneMoreEvery(attempt);
                wait = wait is { } longer && longer > retry ? longer : retry;
            }
        }

        if (wait is not null)
        {
            slot.Dispose();
        }

        return new SignInGate(this, attempt, wait is null ? slot : null, wait);
    }

    internal void CountFailure(Attempt attempt)
    {
        foreach (var (limiter, _) in failures)
        {
            limiter.AttemptAcquire(attempt, 1).Dispose();
        }
    }

    /// <summary>The German sentence shown with a 429 (page and API).</summary>
    public static string Message(TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        var text = seconds < 60
            ? seconds == 1 ? "1 Sekunde" : $"{seconds} Sekunden"
            : ((seconds + 59) / 60) switch { 1 => "1 Minute", var minutes => $"{minutes} Minuten" };
        return $"Zu viele fehlgeschlagene Versuche. Bitte warten Sie {text} und versuchen Sie es dann erneut.";
    }

    /// <summary>Sets 429 and <c>Retry-After</c> on the response (pages render their form with <see cref="Message"/>).</summary>
    public static void MarkTooManyAttempts(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The API's answer: a German problem with status 429 and <c>Retry-After</c>.</summary>
    public static ObjectResult TooManyAttemptsProblem(HttpContext context, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(context);
        MarkTooManyAttempts(context.Response, wait);
        return new ObjectResult(new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Zu viele Anmeldeversuche.",
            Detail = Message(wait),
        })
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
            ContentTypes = { "application/problem+json" },
        };
    }

    public void Dispose()
    {
        foreach (var (limiter, _) in failures)
        {
            limiter.Dispose();
        }

        inFlight.Dispose();
    }

    private static string Normalise(string? account)
    {
        var value = (account ?? "").Trim().ToUpperInvariant();
        return value.Length > 256 ? value[..256] : value;
    }

    /// <summary>The client's address; IPv6 by its /64 network (one host usually has the whole block).</summary>
    private static string ClientAddress(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress;
        if (ip is null)
        {
            return "-";
        }

        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return ip.ToString();
        }

        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>Per key a token bucket of <c>limit</c> failures that gains one back every <c>window / limit</c>.</summary>
    private static (PartitionedRateLimiter<Attempt>, Func<Attempt, TimeSpan>) Buckets<TKey>(Func<Attempt, TKey> key, Func<Attempt, int> limit, TimeSpan window)
        where TKey : notnull
    {
        TimeSpan Period(Attempt attempt) => window / Math.Max(1, limit(attempt));
        var limiter = PartitionedRateLimiter.Create<Attempt, TKey>(attempt =>
            RateLimitPartition.GetTokenBucketLimiter(key(attempt), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, limit(attempt)),
                TokensPerPeriod = 1,
                ReplenishmentPeriod = Period(attempt),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
        return (limiter, Period);
    }

    internal sealed record Attempt(Credential Kind, string Account, string Address);
}

/// <summary>One credential check under the throttle (see <see cref="SignInThrottle.EnterAsync"/>).</summary>
public sealed class SignInGate : IDisposable
{
    private readonly SignInThrottle throttle;
    private readonly SignInThrottle.Attempt attempt;
    private readonly System.Threading.RateLimiting.RateLimitLease? slot;

    internal SignInGate(SignInThrottle throttle, SignInThrottle.Attempt attempt, System.Threading.RateLimiting.RateLimitLease? slot, TimeSpan? wait)
    {
        this.throttle = throttle;
        this.attempt = attempt;
        this.slot = slot;
        Wait = wait;
    }

    /// <summary>Null when the check may go ahead; otherwise how long the client has to wait.</summary>
    public TimeSpan? Wait { get; }

    /// <summary>The credential was wrong: counts against the account, the address and the pair.</summary>
    public void Failed() => throttle.CountFailure(attempt);

    public void Dispose() => slot?.Dispose();
}
