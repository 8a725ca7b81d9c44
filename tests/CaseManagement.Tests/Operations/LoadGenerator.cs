using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CaseManagement.Tests.Operations;

/// <summary>One answered (or unanswered: status 0) request of the load generator; times in ms since the generator's start.</summary>
public sealed record LoadSample(double StartedAt, double EndedAt, int Status, bool Write, string? Token, Guid? CreatedId, string? ContentType, string Body);

/// <summary>
/// A small load generator for the fault drills: concurrent API clients, signed in with a bearer token, that alternate
/// reads of a case and intakes of new cases (each with a unique last name, so that a write answered with an error can
/// still be found in the event store). Every answer is kept with its times.
/// </summary>
public sealed class LoadGenerator(Uri baseAddress, string token, Guid readCase, int concurrency) : IDisposable
{
    private readonly int _concurrency = concurrency;
    private readonly ConcurrentQueue<LoadSample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, concurrency), PooledConnectionLifetime = TimeSpan.FromSeconds(30) })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    public double Now => _clock.Elapsed.TotalMilliseconds;

    public IReadOnlyList<LoadSample> Samples => _samples.ToList();

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, _concurrency).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await OneAsync(write: (i + worker) % 2 == 0);
            }
        }, CancellationToken.None)));
    }

    private async Task OneAsync(bool write)
    {
        var started = Now;
        var token = write ? "Last-" + Guid.NewGuid().ToString("N")[..12] : null;
        try
        {
            using var response = write
                ? await _client.PostAsJsonAsync("/api/v1/clients", IntakeOf(token!))
                : await _client.GetAsync(new Uri($"/api/v1/clients/{readCase}", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Guid? created = null;
            if (write && response.IsSuccessStatusCode)
            {
                using var json = JsonDocument.Parse(body);
                created = json.RootElement.GetProperty("id").GetGuid();
            }

            _samples.Enqueue(new LoadSample(started, Now, (int)response.StatusCode, write, token, created,
                response.Content.Headers.ContentType?.MediaType, response.IsSuccessStatusCode ? "" : body));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _samples.Enqueue(new LoadSample(started, Now, 0, write, token, null, null, e.GetType().Name));
        }
    }

    /// <summary>An intake that makes a "no contact" reminder due (support since February 2026, no contact since).</summary>
    public static object IntakeOf(string lastName) => new
    {
        firstName = "Last",
        lastName,
        birthDate = "1990-09-09",
        gender = "unknown",
        nationality = "SY",
        supportStart = "2026-02-01",
        housing = new { type = "FollowUpAccommodation", since = "2026-01-15" },
        residenceStatus = new { kind = "RefugeeProtection" },
    };

    public void Dispose() => _client.Dispose();
}
