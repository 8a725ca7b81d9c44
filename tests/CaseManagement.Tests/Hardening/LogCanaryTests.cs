using System.Net;
using System.Net.Http.Json;
using CaseManagement.Tests.DataProtection;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using CaseManagement.Web.Infrastructure;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Hardening;

/// <summary>
/// Canary: case content written through every capability, then concurrency clashes, stale saves, refused and
/// hostile input with the same kind of values — and not one of them appears in any log line of any logger
/// (ours, Marten's, EF's, ASP.NET Core's), neither in the message nor in a logged exception.
/// </summary>
public sealed class LogCanaryTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task No_case_content_reaches_any_log_line_even_in_clashes_and_failures()
    {
        var rich = await RichCases.BuildAsync(app);
        var markers = rich.Markers.ToList();
        string M()
        {
            var marker = RichCases.NewMarker();
            markers.Add(marker);
            return marker;
        }

        using var im1 = await app.ClientFor(RichCases.Manager);
        var caseId = await CaseApi.NewCase(im1);

        // 16 writers at the same version: one wins, the others clash inside the event store.
        var clashes = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            using var client = await app.ClientFor(RichCases.Manager);
            var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{caseId}/goals", new
            {
                field = "Language", text = "Ziel " + M(), agreedOn = "2026-03-01", targetDate = "2027-03-01",
            }, 2);
            return status;
        }));
        Assert.Contains(HttpStatusCode.Created, clashes);
        Assert.Contains(HttpStatusCode.PreconditionFailed, clashes);

        // And a clash at the moment of the commit, deterministically: two writers read the same version.
        var organisation = await app.WithDb(db => EntityFrameworkQueryableExtensions.SingleAsync(
            db.Organisations.Where(o => o.Name == CaseManagement.Demo.DemoData.Musterstadt).Select(o => o.Id)));
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
            await using var first = store.LightweightSession(CaseManagement.Organisations.TenantIds.For(organisation));
            await using var second = store.LightweightSession(CaseManagement.Organisations.TenantIds.For(organisation));
            var one = await first.Events.FetchForWriting<ClientCase>(caseId);
            var two = await second.Events.FetchForWriting<ClientCase>(caseId);
            one.AppendOne(new GoalAgreed(caseId, Guid.NewGuid(), FieldOfAction.Housing, M(), new LocalDate(2026, 3, 1), new LocalDate(2027, 1, 1), null, Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant()));
            two.AppendOne(new GoalAgreed(caseId, Guid.NewGuid(), FieldOfAction.Housing, M(), new LocalDate(2026, 3, 1), new LocalDate(2027, 1, 1), null, Guid.NewGuid(), SystemClock.Instance.GetCurrentInstant()));
            await first.SaveChangesAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => second.SaveChangesAsync());
        }

        // Stale, refused and hostile input carrying case content.
        var (stale, _) = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{caseId}/consultations", new
        {
            date = "2026-03-02", durationMinutes = 30, mode = "Office", note = "Notiz " + M(),
        }, 1);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        var (invalid, _) = await CaseApi.PostVersioned(im1, $"/api/v1/clients/{caseId}/goals", new
        {
            field = "Language", text = M() + "\0", agreedOn = "2026-03-01", targetDate = "9999-12-31",
        }, 3);
        Assert.Equal((HttpStatusCode)422, invalid);
        using var duplicate = await im1.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = M(), lastName = M(), birthDate = "1990-09-09", gender = "unknown", supportStart = "2026-02-01",
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "Nonsense" + M() },
        });
        Assert.True((int)duplicate.StatusCode is >= 400 and < 500);

        using var web = await app.SignedInAs(RichCases.Manager);
        var form = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/kontakte",
            Fields(("Version", "1"), ("Date", "2026-03-02"), ("DurationMinutes", "30"), ("Mode", "Office"), ("Note", "Notiz " + M())));
        Assert.True((int)form.StatusCode < 500);
        var nul = await web.PostCraftedAsync($"/faelle/{caseId}", $"/faelle/{caseId}/ruhen", Fields(("Version", "3"), ("Note", M() + "\0")));
        Assert.Equal((HttpStatusCode)422, nul.StatusCode);
        using var visitor = app.NewSession();
        await visitor.SignInAsync(M() + "@example.org", M());

        var leaks = app.Factory.Logs.Entries
            .Select(e => $"{e.Category} [{e.Level}]: {e.Message}\n{e.Exception}")
            .Where(line => markers.Any(m => line.Contains(m, StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(app.Factory.Logs.Entries);
        Assert.True(leaks.Count == 0, $"{leaks.Count} log lines carry case content, e.g.:\n{string.Join("\n---\n", leaks.Take(3))}");
    }

    [Fact]
    public async Task The_event_store_logs_failures_without_SQL_parameters_while_its_default_logger_would_write_them()
    {
        var marker = RichCases.NewMarker();
        await using var command = new NpgsqlCommand("select mt_append_event($1)");
        command.Parameters.Add(new() { Value = "{\"text\":\"" + marker + "\"}" });
        var failure = new InvalidOperationException("Wert " + marker + " verletzt eine Regel");

        var store = (DocumentStore)app.Factory.Services.GetRequiredService<IDocumentStore>();
        Assert.IsType<CaseDataSafeMartenLogger>(store.Options.Logger());
        store.Options.Logger().StartSession(null!).LogFailure(command, failure);
        Assert.DoesNotContain(app.Factory.Logs.Entries, e => $"{e.Message}{e.Exception}".Contains(marker, StringComparison.Ordinal));

        // What Marten's own logger does with the same failure (the reason for replacing it).
        var captured = new CapturedLogs();
        var martenDefault = (IMartenLogger)Activator.CreateInstance(typeof(DocumentStore).Assembly.GetType("Marten.DefaultMartenLogger", throwOnError: true)!,
            captured.CreateLogger("Marten"))!;
        martenDefault.StartSession(null!).LogFailure(command, failure);
        Assert.Contains(captured.Entries, e => $"{e.Message}{e.Exception}".Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public void A_logged_exception_keeps_its_type_and_stack_but_not_a_message_that_could_carry_values()
    {
        var marker = RichCases.NewMarker();
        var logger = app.Factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Canary");
        Exception thrown;
        try
        {
            throw new InvalidOperationException("Ziel " + marker, new FormatException("Text " + marker));
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

#pragma warning disable CA1848, CA2254 // a plain call is the point: any library logs like this
        logger.LogError(thrown, "Fehler beim Speichern");
#pragma warning restore CA1848, CA2254

        var entry = Assert.Single(app.Factory.Logs.Entries, e => e.Category == "Canary");
        var text = entry.Exception!.ToString();
        Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        Assert.Contains("System.InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Contains("System.FormatException", text, StringComparison.Ordinal);
        Assert.Contains(nameof(A_logged_exception_keeps_its_type_and_stack_but_not_a_message_that_could_carry_values), text, StringComparison.Ordinal);
    }
}
