using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CaseManagement.Benchmarks;

/// <summary>One HTTP answer as the scenarios see it: status, body, version (ETag), client and server time.</summary>
public sealed record Answer(HttpStatusCode Status, string Body, long? Version, double ClientMs, double? ServerMs, double? DatabaseMs = null, int? DatabaseCalls = null)
{
    /// <summary>The named phases of Server-Timing besides app and db (pipeline, load, decide, commit), in ms.</summary>
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();

    public bool Ok => (int)Status is >= 200 and < 300;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>HTTP as a user: bearer token for the API, or the cookie of a signed-in browser for pages.</summary>
public sealed partial class UserClient : IDisposable
{
    private readonly HttpClient client;

    private UserClient(HttpClient client) => this.client = client;

    public static HttpMessageHandler NewHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        MaxConnectionsPerServer = 256,
        UseCookies = false,
        AllowAutoRedirect = false,
    };

    /// <summary>An API client with a bearer token from <c>POST /api/v1/auth/login</c>.</summary>
    public static async Task<UserClient> ApiAsync(Uri address, string email, HttpMessageHandler? handler = null)
    {
        var client = new HttpClient(handler ?? NewHandler(), disposeHandler: handler is null) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        using var login = await client.PostAsJsonAsync(new Uri("/api/v1/auth/login", UriKind.Relative), new { email, password = GeneratedData.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new UserClient(client);
    }

    /// <summary>A browser-like client signed in through the sign-in form (cookie and antiforgery token).</summary>
    public static async Task<UserClient> WebAsync(Uri address, string email)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var form = await client.GetStringAsync(new Uri("/konto/anmelden", UriKind.Relative));
        var token = Token().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = email, ["Password"] = GeneratedData.Password, ["__RequestVerificationToken"] = token });
        using var signedIn = await client.PostAsync(new Uri("/konto/anmelden", UriKind.Relative), content);
        return signedIn.StatusCode == HttpStatusCode.Redirect ? new UserClient(client) : throw new InvalidOperationException($"Anmeldung als {email} fehlgeschlagen ({signedIn.StatusCode}).");
    }

    public Task<Answer> GetAsync(string url) => SendAsync(new HttpRequestMessage(HttpMethod.Get, url));

    public Task<Answer> PostAsync(string url, object body, long? version = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (version is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }

        return SendAsync(request);
    }

    public async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using (request)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            long? version = response.Headers.ETag is { } tag && long.TryParse(tag.Tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
            double? server = response.Headers.TryGetValues("Server-Timing", out var timing) && ServerTiming().Match(timing.First()) is { Success: true } m
                ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                : null;
            var database = response.Headers.TryGetValues("Server-Timing", out var all) && DatabaseTiming().Match(string.Join(",", all)) is { Success: true } d
                ? (Ms: double.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture), Calls: int.Parse(d.Groups[2].Value, CultureInfo.InvariantCulture))
                : ((double Ms, int Calls)?)null;
            var phases = new Dictionary<string, double>();
            if (response.Headers.TryGetValues("Server-Timing", out var named))
            {
                foreach (Match phase in PhaseTiming().Matches(string.Join(",", named)))
                {
                    phases[phase.Groups[1].Value] = double.Parse(phase.Groups[2].Value, CultureInfo.InvariantCulture);
                }
            }

            return new Answer(response.StatusCode, body, version, elapsed, server, database?.Ms, database?.Calls) { Phases = phases };
        }
    }

    /// <summary>The body as bytes (downloads).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body, double ClientMs)> PostForBytesAsync(string url, object body)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsJsonAsync(new Uri(url, UriKind.Relative), body);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, bytes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    public void Dispose() => client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex(@"dur=([0-9.]+)")]
    private static partial Regex ServerTiming();

    /// <summary>The phases of a change (Infrastructure/ServerTiming.cs): <c>pipeline</c>, the gate's <c>load</c>, <c>decide</c>, <c>commit</c>.</summary>
    [GeneratedRegex(@"(pipeline|load|decide|commit);dur=([0-9.]+)")]
    private static partial Regex PhaseTiming();

    /// <summary>The server's time waiting for PostgreSQL and its number of calls (Infrastructure/ServerTiming.cs).</summary>
    [GeneratedRegex("db;dur=([0-9.]+);desc=\"([0-9]+) calls\"")]
    private static partial Regex DatabaseTiming();
}
