using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CaseManagement.Tests.DataProtection.RichCases;

namespace CaseManagement.Tests.DataProtection;

/// <summary>Erasure (Art. 17): two steps, and afterwards no personal data anywhere the system writes; the figures stay.</summary>
public sealed class ErasureTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Period = "from=2026-01-01&to=2026-12-31";

    private async Task<Guid> Organisation() => await app.WithDb(db => db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id).SingleAsync());

    private static async Task<Guid> RequestErasure(HttpClient dpo, Guid caseId)
    {
        using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{caseId}/erasure",
            new { reason = "Antrag der betroffenen Person vom 27.11.2026", legalBasis = "Art. 17 Abs. 1 lit. b DSGVO" });
        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        return (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
    }

    private async Task Confirm(HttpClient dpo, Guid erasureId, string caseNumber)
    {
        using var confirmed = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasureId}/confirm", new { caseNumber });
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync() + app.Factory.Logs.ErrorsText);
        Assert.Equal("Completed", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task After_an_erasure_no_marker_of_the_case_is_left_in_the_database_or_the_logs_and_the_funding_report_is_unchanged()
    {
        var rich = await BuildAsync(app);
        using var dpo = await app.ClientFor(Dpo);
        using var lead = await app.ClientFor(Lead);
        var organisation = await Organisation();

        // Reminders exist for the case (the goal's target date has passed), and the immediate evaluation queued Hangfire jobs for it.
        await app.DispatchCaseChangesAsync();
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(organisation, CancellationToken.None);
        }

        Assert.NotEqual(0, await app.WithDb(db => db.Reminders.CountAsync(r => r.CaseId == rich.Id)));
        var jobsBefore = await Scalar<long>($"select count(*) from hangfire.job where arguments::text like '%{rich.Id}%'");
        Assert.NotEqual(0, jobsBefore);

        // The export holds the markers (so the search below is for something that was really there) …
        using (var export = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{rich.Id}/export", new { }))
        {
            var files = Unzip(await export.Content.ReadAsByteArrayAsync());
            Assert.All(rich.Markers, m => Assert.Contains(m, files["fall.json"], StringComparison.Ordinal));
        }

        // The DPO's subject searches: one that finds the case (its purpose names a file reference), one that finds
        // nothing but whose purpose names the person. The search words themselves are never stored.
        var lastName = (await Get(dpo, $"/api/v1/data-protection/subjects/{rich.Id}")).GetProperty("case").GetProperty("lastName").GetString()!;
        var reference = NewMarker();
        var markers = rich.Markers.Append(reference).ToList();
        var searches = new List<long>();
        foreach (var (query, purpose, hits) in new[] { (lastName, "Auskunftsersuchen Az. " + reference, 1), ("Zzqx", "Auskunftsersuchen von Frau " + lastName, 0) })
        {
            using var searched = await dpo.PostAsJsonAsync("/api/v1/data-protection/subjects/search", new { query, purpose });
            Assert.Equal(hits, (await searched.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength());
            searches.Add(await Scalar<long>("select max(id) from identity.subject_searches"));
        }

        Assert.Equal(1, await Scalar<long>($"select count(*) from identity.subject_searches where '{rich.Id}' = any(found_cases)"));

        var dumpBefore = await app.Postgres.DumpAsync(app.Factory.ConnectionString);
        Assert.All(markers, m => Assert.Contains(m, dumpBefore, StringComparison.Ordinal));
        var before = await lead.GetStringAsync($"/api/v1/reports/funding?{Period}");

        await Confirm(dpo, await RequestErasure(dpo, rich.Id), rich.CaseNumber);

        // … and after the erasure no trace: not in any schema of the database, not in any log line.
        var dump = await app.Postgres.DumpAsync(app.Factory.ConnectionString);
        var leftInDatabase = markers.Where(m => dump.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.True(leftInDatabase.Count == 0, "Left in the database: " + string.Join(", ", leftInDatabase.Select(m => Around(dump, m))));
        var leftInLogs = app.Factory.Logs.Entries
            .Where(e => markers.Any(m => e.Message.Contains(m, StringComparison.Ordinal) || (e.Exception?.ToString().Contains(m, StringComparison.Ordinal) ?? false)))
            .Select(e => $"{e.Category}: {e.Message}").ToList();
        Assert.Empty(leftInLogs);
        Assert.Equal(0, await Scalar<long>($"select count(*) from hangfire.job where arguments::text like '%{rich.Id}%'"));
        Assert.Equal(0, await app.WithDb(db => db.Reminders.CountAsync(r => r.CaseId == rich.Id)));

        // The searches stay in the log (who, when, how many hits), without purpose and without the link to the case.
        var logged = await app.WithDb(db => db.SubjectSearches.AsNoTracking().Where(x => searches.Contains(x.Id)).OrderBy(x => x.Id).ToListAsync());
        Assert.Equal([(1, null, 0), (0, null, 0)], logged.Select(x => (x.Results, x.Purpose, x.FoundCases.Length)));
        Assert.Equal(0, await Scalar<long>($"select count(*) from identity.subject_searches where '{rich.Id}' = any(found_cases)"));

        // The figures of the Verwendungsnachweis are the same, to the last line.
        var after = await lead.GetStringAsync($"/api/v1/reports/funding?{Period}");
        Assert.Equal(Sections(before), Sections(after));

        // The case is gone for everyone who worked on it; the household member's case no longer names it.
        using var manager = await app.ClientFor(SecondManager);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/clients/{rich.Id}")).StatusCode);
        var member = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{rich.HouseholdMemberId}");
        Assert.Equal(0, member.GetProperty("household").GetArrayLength());
        Assert.DoesNotContain(await manager.GetFromJsonAsync<JsonElement[]>("/api/v1/clients?page=1") ?? [], c => c.GetProperty("id").GetGuid() == rich.Id);

        // What remains: the audit of the erasure (no personal data) and the pseudonymous record.
        var audit = (await dpo.GetFromJsonAsync<JsonElement>("/api/v1/data-protection/erasures")).EnumerateArray().Single(e => e.GetProperty("caseId").GetGuid() == rich.Id);
        Assert.Equal(("Completed", "Art. 17 Abs. 1 lit. b DSGVO", "Helga Fischer"),
            (audit.GetProperty("status").GetString(), audit.GetProperty("legalBasis").GetString(), audit.GetProperty("confirmedBy").GetString()));
        var found = await dpo.GetFromJsonAsync<JsonElement>($"/api/v1/data-protection/subjects?query={rich.CaseNumber}&purpose=Nachweis");
        Assert.True(found.EnumerateArray().Single().GetProperty("erased").GetBoolean());
    }

    [Fact]
    public async Task The_erasure_needs_the_case_number_typed_again_and_a_reason_and_changes_nothing_before()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        var number = (await Get(manager, $"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;

        using (var missing = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = " ", legalBasis = "" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, missing.StatusCode);
            var errors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
            Assert.StartsWith("Bitte den Grund", errors.GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
            Assert.StartsWith("Bitte die Rechtsgrundlage", errors.GetProperty("legalBasis")[0].GetString(), StringComparison.Ordinal);
        }

        var erasure = await RequestErasure(dpo, id);
        using (var again = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = "noch einmal", legalBasis = "Art. 17" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
        }

        using (var wrong = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasure}/confirm", new { caseNumber = "2026-9999" }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
            Assert.Contains("Fallnummer", (await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("caseNumber")[0].GetString(), StringComparison.Ordinal);
        }

        // Still there, still writable.
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/v1/clients/{id}")).StatusCode);
        await Change(manager, $"/api/v1/clients/{id}/developments", new { date = "2026-05-02", text = "noch vorhanden" });

        await Confirm(dpo, erasure, number);
        using var twice = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasure}/confirm", new { caseNumber = number });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, twice.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manager.GetAsync($"/api/v1/clients/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_manager_saving_from_a_page_read_before_the_erasure_resurrects_nothing()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        var seen = await Get(manager, $"/api/v1/clients/{id}");
        var marker = NewMarker();

        await Confirm(dpo, await RequestErasure(dpo, id), seen.GetProperty("caseNumber").GetString()!);

        var (status, body) = await CaseApi.PostVersioned(manager, $"/api/v1/clients/{id}/developments", new { date = "2026-05-02", text = marker }, Version(seen));
        Assert.Equal(HttpStatusCode.Conflict, status); // refused: erased (docs/processing-rules.md)
        Assert.Equal("erased", body.GetProperty("code").GetString());
        var events = await Events(id);
        Assert.IsType<CaseErased>(events[^1].Data);
        Assert.DoesNotContain(marker, await app.Postgres.DumpAsync(app.Factory.ConnectionString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Managers_editing_while_the_case_is_erased_can_never_bring_data_back()
    {
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor(Dpo);
        var id = await CaseApi.NewCase(manager);
        var number = (await Get(manager, $"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString()!;
        var erasure = await RequestErasure(dpo, id);
        var markers = new System.Collections.Concurrent.ConcurrentBag<string>();
        var accepted = 0;

        // Two managers' sessions keep writing (re-reading the version after every answer) while the DPO confirms.
        using var stop = new CancellationTokenSource();
        async Task Edit()
        {
            using var client = await app.ClientFor(Manager);
            while (!stop.IsCancellationRequested)
            {
                using var read = await client.GetAsync($"/api/v1/clients/{id}");
                if (read.StatusCode == HttpStatusCode.NotFound)
                {
                    return;
                }

                var marker = NewMarker();
                markers.Add(marker);
                var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/developments",
                    new { date = "2026-05-02", text = marker }, Version(await read.Content.ReadFromJsonAsync<JsonElement>()));
                if (status == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        }

        var editors = new[] { Task.Run(Edit), Task.Run(Edit) };
        // Confirm while they are writing: once the first change was saved (sign-in of two clients on a busy
        // machine can take longer than a fixed delay), at most after 10 seconds.
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (Volatile.Read(ref accepted) == 0 && waiting.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        await Confirm(dpo, erasure, number);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(editors);

        Assert.True(accepted > 0, "The editors should have saved something before the erasure.");
        var events = await Events(id);
        Assert.IsType<CaseErased>(events[^1].Data);
        Assert.Single(events, e => e.Data is CaseErased);
        Assert.All(events.Select(e => e.Data).OfType<DevelopmentNoted>(), d => Assert.Equal("", d.Text));
        var dump = await app.Postgres.DumpAsync(app.Factory.ConnectionString);
        Assert.DoesNotContain(markers, m => dump.Contains(m, StringComparison.Ordinal));
        await using var session = app.Factory.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession(TenantIds.For(await Organisation()));
        Assert.Null(await session.LoadAsync<CaseSummary>(id));
        Assert.NotNull(await session.LoadAsync<ErasedCase>(id));
    }

    /// <summary>
    /// Regression: an erasure whose commit clashed after Marten's inline projection had already applied it (the stream
    /// row changed between Marten's version check and its write) is retried on the committed state. Before the fix the
    /// job's lightweight session kept the projected, rolled-back write model in its item map; the retry read "already
    /// erased" from it and the erasure ended without erasing anything. Here the clash is forced: a transaction holds the
    /// case's stream row (and moves its version on) until the eraser's write waits for it.
    /// </summary>
    [Fact]
    public async Task An_erasure_whose_commit_clashed_is_retried_on_the_committed_state_not_on_its_own_rolled_back_attempt()
    {
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var organisation = await Organisation();

        // Someone else's event at the next version, not yet committed: the eraser's event row at that version has to wait
        // for it, after Marten's version check and its inline projections ran.
        await using var held = await HeldAppend.StartAsync(app.Factory.ConnectionString, id);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var eraser = scope.ServiceProvider.GetRequiredService<CaseEraser>();
        var erasing = Task.Run(() => eraser.EraseAsync(organisation, id, Guid.NewGuid(), Guid.Empty, CancellationToken.None));
        await held.WaitUntilBlockingAsync(erasing, "The eraser");
        await held.CommitAsync();
        await erasing;

        var events = await Events(id);
        Assert.Equal(4, events.Count);
        Assert.IsType<CaseErased>(events[^1].Data);
        Assert.Single(events, e => e.Data is CaseErased);
        await using var session = app.Factory.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession(TenantIds.For(organisation));
        Assert.Null(await session.LoadAsync<CaseSummary>(id));
        Assert.True((await session.LoadAsync<ClientCase>(id))!.Erased);
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> Events(Guid id)
    {
        await using var session = app.Factory.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession(TenantIds.For(await Organisation()));
        return await session.Events.FetchStreamAsync(id);
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(app.Factory.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static string Sections(string report) => JsonDocument.Parse(report).RootElement.GetProperty("sections").GetRawText();

    private static string Around(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return text[Math.Max(0, at - 200)..Math.Min(text.Length, at + 100)];
    }

    public static Dictionary<string, string> Unzip(byte[] zip, string? password = null)
    {
        using var stream = new MemoryStream(zip);
        using var file = new ICSharpCode.SharpZipLib.Zip.ZipFile(stream) { Password = password };
        var files = new Dictionary<string, string>();
        foreach (ICSharpCode.SharpZipLib.Zip.ZipEntry entry in file)
        {
            using var reader = new StreamReader(file.GetInputStream(entry));
            files[entry.Name] = reader.ReadToEnd();
        }

        return files;
    }
}
