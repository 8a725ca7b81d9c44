using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.DataProtection;
using CaseManagement.Tests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Every read of a case file is logged; the DPO views, filters and exports the log; old entries are purged.</summary>
public sealed class AccessLogTests(AppFixture app) : IClassFixture<AppFixture>
{
    private Task<List<CaseAccessEntry>> Entries(Guid caseId) =>
        app.WithDb(db => db.CaseAccessLog.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Id).ToListAsync());

    [Fact]
    public async Task Reads_in_the_web_and_the_API_are_logged_with_who_what_channel_and_purpose()
    {
        using var api = await app.ClientFor("im1@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        var manager = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.Id).SingleAsync());
        // The answer to the intake carries the case file, so it counts as a read too.
        Assert.Equal([("API", "Fallakte")], (await Entries(id)).Select(e => (e.Channel, e.What)));
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id).ExecuteDeleteAsync());

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{id}"))
        {
            request.Headers.Add(CaseAccessLog.PurposeHeader, "Beratungstermin vorbereiten");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/clients/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/clients/{id}/plan.pdf")).StatusCode);
        using var web = await app.SignedInAs("im1@musterstadt.example");
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/faelle/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync($"/faelle/{id}/druck")).StatusCode);

        var entries = await Entries(id);
        Assert.Equal(
            [("API", "Fallakte", "Beratungstermin vorbereiten"), ("API", "Verlauf", null), ("API", "PDF", null), ("Web", "Fallakte", null), ("Web", "Druck", null)],
            entries.Select(e => (e.Channel, e.What, e.Purpose)));
        Assert.All(entries, e => Assert.Equal((manager, "Manager"), (e.UserId, e.Role)));

        // A read that is refused (another manager) is not a read of the file.
        using var other = await app.ClientFor("im2@musterstadt.example");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        Assert.Equal(5, (await Entries(id)).Count);
    }

    [Fact]
    public async Task The_DPO_filters_the_log_on_the_page_in_the_API_and_as_CSV()
    {
        using var api = await app.ClientFor("im2@musterstadt.example");
        var id = await CaseApi.NewCase(api);
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id).ExecuteDeleteAsync()); // the intake's answer
        await api.GetAsync($"/api/v1/clients/{id}");
        await api.GetAsync($"/api/v1/clients/{id}/history");

        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        var page = await dpo.GetPageAsync($"/datenschutz/zugriffsprotokoll?caseId={id}");
        Assert.Equal("Zugriffsprotokoll", page.Heading());
        var rows = page.QuerySelectorAll("[data-testid=access-log] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("Jonas Weber", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Verlauf", rows[0].TextContent, StringComparison.Ordinal); // newest first
        Assert.Equal("2 Einträge", page.QuerySelector("[data-testid=total]")!.TextContent.Trim());
        Assert.Equal("Fallnummer", page.QuerySelector("label[for=CaseNumber]")!.TextContent.Trim());

        using var csv = await dpo.GetAsync($"/datenschutz/zugriffsprotokoll/export.csv?caseId={id}");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Zeitpunkt;Name;Rolle;Fallnummer;Kanal;Gelesen;Zweck", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@";Jonas Weber;Integrationsmanager:in;\d{4}-\d{4};API;Fallakte;", lines[2]);
        Assert.DoesNotContain(id.ToString(), lines[2], StringComparison.OrdinalIgnoreCase);

        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        var json = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={id}");
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.Equal(["Verlauf", "Fallakte"], json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("what").GetString()));
        var none = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={id}&from=2020-01-01&to=2020-12-31");
        Assert.Equal(0, none.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_DPO_filters_by_a_persons_name_and_by_case_number_and_sees_names_and_case_numbers_only()
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var im3 = await app.ClientFor("im3@musterstadt.example");
        var (first, firstNumber) = await CaseApi.NewCaseWithNumber(im1);
        var (second, secondNumber) = await CaseApi.NewCaseWithNumber(im3);
        await im1.GetAsync($"/api/v1/clients/{first}/history");
        await im3.GetAsync($"/api/v1/clients/{second}/history");

        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        var page = await dpo.GetPageAsync("/datenschutz/zugriffsprotokoll");
        // The filter offers the organisation's users by name; ids are only the options' values.
        var options = page.QuerySelectorAll("select#UserId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Contains("Sara Yılmaz", options);
        Assert.Contains("Miriam Keller", options);
        Assert.DoesNotContain(options, o => Guid.TryParse(o, out _));
        var sara = page.QuerySelectorAll("select#UserId option").Single(o => o.TextContent.Trim() == "Sara Yılmaz").GetAttribute("value");

        // By name (the option chosen): only Sara Yılmaz's reads.
        var byName = await dpo.GetPageAsync($"/datenschutz/zugriffsprotokoll?UserId={sara}");
        var rows = byName.QuerySelectorAll("[data-testid=access-log] tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("Sara Yılmaz", r.Children[1].TextContent.Trim()));
        Assert.Contains(rows, r => r.Children[3].TextContent.Trim() == secondNumber);
        Assert.DoesNotContain(rows, r => r.Children[3].TextContent.Trim() == firstNumber);
        Assert.Equal("Sara Yılmaz", byName.QuerySelector("select#UserId option[selected]")!.TextContent.Trim());

        // By case number, as users see it (also without the leading zeros): that case's reads, newest first.
        foreach (var typed in new[] { firstNumber, " " + firstNumber + " ", firstNumber[..5] + int.Parse(firstNumber[5..], System.Globalization.CultureInfo.InvariantCulture) })
        {
            var byCase = await dpo.GetPageAsync($"/datenschutz/zugriffsprotokoll?CaseNumber={Uri.EscapeDataString(typed)}");
            var caseRows = byCase.QuerySelectorAll("[data-testid=access-log] tbody tr");
            Assert.Equal(2, caseRows.Length); // the intake's answer and the history
            Assert.All(caseRows, r => Assert.Equal((firstNumber, "Miriam Keller"), (r.Children[3].TextContent.Trim(), r.Children[1].TextContent.Trim())));
            Assert.Equal("Verlauf", caseRows[0].Children[5].TextContent.Trim());
            // No internal id shown anywhere in the results.
            var table = byCase.QuerySelector("[data-testid=access-log]")!.TextContent;
            Assert.DoesNotContain(first.ToString(), table, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(@"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", table);
            Assert.Equal($"/datenschutz/zugriffsprotokoll?caseNumber={firstNumber}", caseRows[0].Children[3].QuerySelector("a")!.GetAttribute("href"));
        }

        // The API takes the case number too and answers it with every entry.
        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        var json = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseNumber={secondNumber}");
        Assert.Equal(2, json.GetProperty("total").GetInt32());
        Assert.All(json.GetProperty("items").EnumerateArray(), i => Assert.Equal(secondNumber, i.GetProperty("caseNumber").GetString()));

        // A case number longer than any: the message next to the field, nothing listed; the API: 422 problem+json.
        using var tooLong = await dpo.GetAsync($"/datenschutz/zugriffsprotokoll?CaseNumber={new string('9', 21)}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        var refused = await WebSession.ParseAsync(tooLong);
        Assert.Equal("Die Fallnummer hat höchstens 20 Zeichen, z. B. 2026-0001.", refused.QuerySelector("#CaseNumber-error")!.TextContent.Trim());
        Assert.Null(refused.QuerySelector("[data-testid=access-log]"));
        using var apiTooLong = await dpoApi.GetAsync($"/api/v1/data-protection/access-log?caseNumber={new string('9', 21)}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, apiTooLong.StatusCode);
        Assert.Equal("application/problem+json", apiTooLong.Content.Headers.ContentType!.MediaType);
        Assert.Contains("höchstens 20 Zeichen", await apiTooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_organisations_users_and_cases_are_never_offered_or_matched()
    {
        // A case of Landkreis Beispiel, read there; its number exists in Musterstadt's series too (or will).
        using var stranger = await app.ClientFor("im1@beispiel.example");
        var (foreign, foreignNumber) = await CaseApi.NewCaseWithNumber(stranger);
        await stranger.GetAsync($"/api/v1/clients/{foreign}/history");
        var foreignReader = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@beispiel.example").Select(u => u.Id).SingleAsync());
        Assert.NotEmpty(await Entries(foreign));

        using var dpo = await app.SignedInAs("dpo@musterstadt.example");
        var page = await dpo.GetPageAsync("/datenschutz/zugriffsprotokoll");
        var options = page.QuerySelectorAll("select#UserId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.DoesNotContain("Lena Vogel", options);
        Assert.DoesNotContain("Karl Neumann", options);
        Assert.DoesNotContain(page.QuerySelectorAll("select#UserId option"), o => o.GetAttribute("value") == foreignReader.ToString());

        // The same number matches only a Musterstadt case of that number, never Beispiel's case.
        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        var byNumber = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseNumber={foreignNumber}");
        Assert.DoesNotContain(byNumber.GetProperty("items").EnumerateArray(), i => i.GetProperty("caseId").GetGuid() == foreign);
        var onPage = await dpo.GetPageAsync($"/datenschutz/zugriffsprotokoll?CaseNumber={foreignNumber}");
        Assert.DoesNotContain(onPage.QuerySelectorAll("[data-testid=access-log] tbody tr"), r => r.Children[1].TextContent.Contains("Lena Vogel", StringComparison.Ordinal));
        var byReader = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?userId={foreignReader}");
        Assert.Equal(0, byReader.GetProperty("total").GetInt32());
        var byId = await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={foreign}");
        Assert.Equal(0, byId.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Only_the_own_organisations_DPO_sees_the_log()
    {
        var stranger = Guid.NewGuid();
        await app.WithDb(async db =>
        {
            db.CaseAccessLog.Add(new CaseAccessEntry
            {
                OrganisationId = await db.Organisations.Where(o => o.Name == "Landkreis Beispiel").Select(o => o.Id).SingleAsync(),
                UserId = Guid.NewGuid(), Role = "Manager", CaseId = stranger, At = DateTimeOffset.UtcNow, Channel = "Web", What = "Fallakte",
            });
            return await db.SaveChangesAsync();
        });

        using var dpoApi = await app.ClientFor("dpo@musterstadt.example");
        Assert.Equal(0, (await dpoApi.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/access-log?caseId={stranger}")).GetProperty("total").GetInt32());

        foreach (var email in new[] { "im1@musterstadt.example", "lead@musterstadt.example", "admin@musterstadt.example" })
        {
            using var client = await app.ClientFor(email);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/data-protection/access-log")).StatusCode);
            using var web = await app.SignedInAs(email);
            foreach (var url in new[] { "/datenschutz/zugriffsprotokoll", "/datenschutz/zugriffsprotokoll/export.csv" })
            {
                using var denied = await web.GetAsync(url);
                Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
                Assert.StartsWith("http://localhost/konto/kein-zugriff", denied.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }

        using var anonymous = app.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/data-protection/access-log")).StatusCode);
    }

    [Fact]
    public async Task Entries_older_than_the_retention_period_are_purged_by_a_nightly_job()
    {
        var caseId = Guid.NewGuid();
        var organisation = await app.WithDb(db => db.Organisations.Select(o => o.Id).FirstAsync());
        await app.WithDb(async db =>
        {
            foreach (var monthsAgo in new[] { 25, 23 })
            {
                db.CaseAccessLog.Add(new CaseAccessEntry
                {
                    OrganisationId = organisation, UserId = Guid.NewGuid(), Role = "Manager", CaseId = caseId,
                    At = DateTimeOffset.UtcNow.AddMonths(-monthsAgo), Channel = "Web", What = "Fallakte",
                });
            }

            return await db.SaveChangesAsync();
        });

        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccessLogPurge>().RunAsync(CancellationToken.None) >= 1);
        }

        var left = await Entries(caseId);
        Assert.True(left.Single().At > DateTimeOffset.UtcNow.AddMonths(-24));

        await using var scheduled = app.Factory.WithWebHostBuilder(b => b.UseSetting("Hangfire:Schedule", "true"));
        _ = scheduled.Services;
        using var connection = scheduled.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs([DataProtectionJobs.AccessLogPurgeJobId]).Single();
        Assert.Equal(("0 3 * * *", "Europe/Berlin", nameof(DataProtectionJobs.PurgeAccessLog)), (job.Cron, job.TimeZoneId, job.Job.Method.Name));
    }
    /// <summary>
    /// Reads that arrive together are written in one INSERT (<see cref="AccessLogWriter"/>); each is still logged once, with
    /// its own reader and purpose, before it is answered.
    /// </summary>
    [Fact]
    public async Task Concurrent_reads_of_two_users_are_each_logged_once_with_their_own_reader_and_purpose()
    {
        using var manager = await app.ClientFor("im1@musterstadt.example");
        using var lead = await app.ClientFor("lead@musterstadt.example");
        var id = await CaseApi.NewCase(manager);
        await app.WithDb(db => db.CaseAccessLog.Where(e => e.CaseId == id).ExecuteDeleteAsync()); // the intake's answer
        var users = await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example" || u.Email == "lead@musterstadt.example").ToDictionaryAsync(u => u.Id, u => u.Email!));

        var reads = Enumerable.Range(0, 40).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/clients/{id}");
            request.Headers.Add(CaseAccessLog.PurposeHeader, $"Lesung {i}");
            using var answer = await (i % 2 == 0 ? manager : lead).SendAsync(request);
            return answer.StatusCode;
        });
        Assert.All(await Task.WhenAll(reads), status => Assert.Equal(HttpStatusCode.OK, status));

        var entries = await Entries(id);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"Lesung {i}").Order(), entries.Select(e => e.Purpose!).Order());
        Assert.All(entries, e => Assert.Equal(
            int.Parse(e.Purpose!["Lesung ".Length..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0 ? "im1@musterstadt.example" : "lead@musterstadt.example",
            users[e.UserId]));
    }

    /// <summary>
    /// A group of reads that the database refuses as a whole is written again read by read: only the read whose row is at
    /// fault fails (here a role longer than its column), the others are logged.
    /// </summary>
    [Fact]
    public async Task A_row_the_database_refuses_fails_only_its_own_read_not_the_others_written_with_it()
    {
        var writer = app.Factory.Services.GetRequiredService<AccessLogWriter>();
        var caseId = Guid.NewGuid();
        AccessLogRow Row(string role, string what) => new(Guid.NewGuid(), Guid.NewGuid(), role, caseId, NodaTime.SystemClock.Instance.GetCurrentInstant(), "API", what, null);

        // Hold the table so that the first read waits in its INSERT and the next ones gather into one group behind it.
        await using var owner = new Npgsql.NpgsqlConnection(app.OwnerConnectionString);
        await owner.OpenAsync();
        await using var hold = await owner.BeginTransactionAsync();
        await using (var lockTable = new Npgsql.NpgsqlCommand("lock table identity.case_access_log in exclusive mode", owner, hold))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var first = writer.WriteAsync([Row("Manager", "Erste")], CancellationToken.None);
        // The first INSERT waits for the table (a lock not granted) before the next reads are queued.
        var waiting = await Poll.Eventually(async () =>
        {
            await using var locks = new Npgsql.NpgsqlConnection(app.OwnerConnectionString);
            await locks.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand(
                "select count(*) from pg_locks where not granted and relation = 'identity.case_access_log'::regclass", locks);
            return (long)(await count.ExecuteScalarAsync())!;
        }, n => n > 0, seconds: 10);
        Assert.True(waiting > 0);
        var good = Enumerable.Range(0, 5).Select(i => writer.WriteAsync([Row("Manager", $"Gut {i}")], CancellationToken.None)).ToList();
        var bad = writer.WriteAsync([Row(new string('x', 41), "Schlecht")], CancellationToken.None);
        await hold.RollbackAsync();

        await first;
        await Task.WhenAll(good);
        var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => bad);
        Assert.Equal("22001", refused.SqlState); // value too long for the column
        var stored = await Entries(caseId);
        Assert.Equal(["Erste", "Gut 0", "Gut 1", "Gut 2", "Gut 3", "Gut 4"], stored.Select(e => e.What).Order());
        // The six waited as one group behind the first, and that group was written again read by read.
        Assert.Contains(app.Factory.Logs.Entries, e => e.Category == typeof(AccessLogWriter).FullName && e.Message.Contains("Gruppe von 6 Lesevorgängen", StringComparison.Ordinal));
    }
    /// <summary>
    /// The writer's loop outlives the request that first asked for the writer: its INSERTs must not belong to that
    /// request's trace (nor carry its HTTP context or other async-local state).
    /// </summary>
    [Fact]
    public async Task The_writer_does_not_carry_the_trace_of_the_request_that_created_it_into_later_inserts()
    {
        using var firstRequest = new ActivitySource("CaseManagement.Tests.FirstRequest");
        var inserts = new System.Collections.Concurrent.ConcurrentQueue<ActivityTraceId>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "CaseManagement.Tests.FirstRequest",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && activity.TagObjects.Any(t => t.Value is string text && text.Contains("case_access_log", StringComparison.Ordinal)))
                {
                    inserts.Enqueue(activity.TraceId);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var dataSource = app.Factory.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var caseId = Guid.NewGuid();

        AccessLogWriter writer;
        ActivityTraceId first;
        using (var request = firstRequest.StartActivity("the request that creates the writer"))
        {
            first = request!.TraceId;
            writer = new AccessLogWriter(dataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger<AccessLogWriter>.Instance);
        }

        await using (writer)
        {
            await writer.WriteAsync([new AccessLogRow(Guid.NewGuid(), Guid.NewGuid(), "Manager", caseId, NodaTime.SystemClock.Instance.GetCurrentInstant(), "API", "Fallakte", null)], CancellationToken.None);
        }

        Assert.Single(await Entries(caseId));
        Assert.NotEmpty(inserts);
        Assert.DoesNotContain(first, inserts);
    }
}
