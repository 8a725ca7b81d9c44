using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Account;

/// <summary>Failed sign-ins are slowed per account and client address (429, Retry-After), never locked, and tell nothing about the account.</summary>
public sealed class SignInThrottleTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string WrongPassword = "Falsch-aber-lang-2026";

    private static async Task<HttpResponseMessage> ApiLogin(HttpClient client, string email, string password, string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { email, password }) };
        request.Headers.Add(TestClientAddress.Header, address);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task The_API_answers_too_many_failed_logins_with_a_German_problem_429_and_Retry_After()
    {
        var (_, email) = await app.CreateManagerAsync("apibremse");
        using var client = app.Factory.CreateClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await ApiLogin(client, email, WrongPassword, "203.0.113.40");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await ApiLogin(client, email, AppFixture.UserPassword, "203.0.113.40");

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal("application/problem+json", throttled.Content.Headers.ContentType!.MediaType);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(3));
        var problem = await throttled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Zu viele Anmeldeversuche.", problem.GetProperty("title").GetString());
        Assert.StartsWith("Zu viele fehlgeschlagene Versuche. Bitte warten Sie", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("accessToken", problem.ToString(), StringComparison.Ordinal);

        // The owner elsewhere is not locked out.
        using var owner = await ApiLogin(client, email, AppFixture.UserPassword, "198.51.100.41");
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Fact]
    public async Task One_address_guessing_many_accounts_is_slowed_while_other_addresses_sign_in()
    {
        using var client = app.Factory.CreateClient();
        for (var account = 0; account < 30; account++)
        {
            using var wrong = await ApiLogin(client, $"raten-{account}@musterstadt.example", WrongPassword, "203.0.113.50");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await ApiLogin(client, "im1@musterstadt.example", DemoData.DefaultPassword, "203.0.113.50");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        using var elsewhere = await ApiLogin(client, "im1@musterstadt.example", DemoData.DefaultPassword, "198.51.100.51");
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Wrong_current_passwords_on_the_password_page_are_slowed_like_sign_ins()
    {
        var (_, email) = await app.CreateManagerAsync("aendern");
        using var session = app.NewSession("203.0.113.60");
        await AssertRedirectAsync(await session.SignInAsync(email, AppFixture.UserPassword));
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var wrong = await ParseAsync(await session.PostFormAsync("/konto/sicherheit/passwort", "/konto/sicherheit/passwort", Fields(
                ("CurrentPassword", WrongPassword), ("NewPassword", "Neckarufer am Abend 2026"), ("ConfirmPassword", "Neckarufer am Abend 2026"))));
            Assert.Contains("Das Passwort ist falsch.", wrong.ErrorMessages());
        }

        var throttled = await session.PostFormAsync("/konto/sicherheit/passwort", "/konto/sicherheit/passwort", Fields(
            ("CurrentPassword", AppFixture.UserPassword), ("NewPassword", "Neckarufer am Abend 2026"), ("ConfirmPassword", "Neckarufer am Abend 2026")));

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Contains((await ParseAsync(throttled)).ErrorMessages(), m => m.StartsWith("Zu viele fehlgeschlagene Versuche.", StringComparison.Ordinal));
        using var oldPasswordStillWorks = app.NewSession("198.51.100.61");
        await AssertRedirectAsync(await oldPasswordStillWorks.SignInAsync(email, AppFixture.UserPassword));
    }

    [Fact]
    public async Task Unknown_and_known_addresses_get_the_same_answer_in_the_same_time()
    {
        // A shared 2-core machine is noisy: up to three rounds, each with a fresh known account (the throttle
        // counts its failures); a real difference (61 ms against 3.6 ms before) fails every round.
        var rounds = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var (ratio, knownMedian, unknownMedian) = await MeasureRound(round);
            rounds.Add($"round {round + 1}: ratio {ratio:0.00}, known {knownMedian:0.0} ms, unknown {unknownMedian:0.0} ms");
            if (ratio is >= 0.8 and <= 1.25)
            {
                return;
            }
        }

        Assert.Fail("Median ratio known/unknown outside 0.8–1.25 in every round: " + string.Join("; ", rounds));
    }

    /// <summary>
    /// 21 pairs of failed API logins (a known account, an unknown address), back to back in alternating order so
    /// that load from elsewhere hits both alike, after two pairs of warm-up; the median of the pairs' ratios.
    /// </summary>
    private async Task<(double Ratio, double KnownMedian, double UnknownMedian)> MeasureRound(int round)
    {
        var (_, known) = await app.CreateManagerAsync($"zeitgleich{round}");
        var unknown = $"niemand-zeitgleich-{round}@musterstadt.example";
        using var client = app.Factory.CreateClient();

        async Task<double> Attempt(string email, int attempt)
        {
            // Each from its own address: the throttle must not answer instead.
            var address = $"198.51.{100 + round}.{(email == known ? 1 : 101) + attempt}";
            var watch = Stopwatch.StartNew();
            using var response = await ApiLogin(client, email, WrongPassword, address);
            watch.Stop();
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("E-Mail-Adresse oder Passwort ist falsch.", problem.GetProperty("detail").GetString());
            return watch.Elapsed.TotalMilliseconds;
        }

        var (knownTimes, unknownTimes, ratios) = (new List<double>(), new List<double>(), new List<double>());
        for (var attempt = 0; attempt < 23; attempt++)
        {
            double knownMs, unknownMs;
            if (attempt % 2 == 0)
            {
                knownMs = await Attempt(known, attempt);
                unknownMs = await Attempt(unknown, attempt);
            }
            else
            {
                unknownMs = await Attempt(unknown, attempt);
                knownMs = await Attempt(known, attempt);
            }

            if (attempt >= 2)
            {
                knownTimes.Add(knownMs);
                unknownTimes.Add(unknownMs);
                ratios.Add(knownMs / unknownMs);
            }
        }

        return (Median(ratios), Median(knownTimes), Median(unknownTimes));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
