using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace CaseManagement.Tests.Reminders;

/// <summary>The daily digest e-mail over real SMTP (a test server on loopback): counts and a link, no client data, once per day.</summary>
public sealed class ReminderDigestTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private readonly SmtpTestServer smtp = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        app.Factory.Clock.Reset();
        await smtp.DisposeAsync();
    }

    private WebApplicationFactory<Program> Mailing() => app.Factory.WithWebHostBuilder(b => smtp.Serve(b, "https://cm.musterstadt.example/")
        .UseSetting("Mail:UserName", "cm-mailer")
        .UseSetting("Mail:Password", "geheim")
        .UseSetting("Mail:From", "CaseManagement <noreply@musterstadt.example>"));

    /// <summary>A fresh manager who ordered the digest on the inbox page, with one case that has two due reminders on 15.06.2026.</summary>
    private async Task<(string Email, string LastName, string CaseNumber)> ManagerWithDueReminders(string name)
    {
        var (_, email) = await app.CreateManagerAsync(name);
        using (var page = await app.SignedInAs(email))
        {
            var ordered = await page.FollowAsync(await page.PostFormAsync("/erinnerungen", "/erinnerungen/zusammenfassung", WebSession.Fields(("enabled", "true"))));
            Assert.Equal("Die Zusammenfassung ist bestellt.", ordered.QuerySelector("[data-testid=digest-status]")!.TextContent.Trim());
        }

        app.Factory.Clock.SetDay(new LocalDate(2026, 6, 15));
        using var client = await app.ClientFor(email);
        var id = await CaseApi.NewCase(client, supportStart: "2026-03-01");
        var (status, _) = await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals", new { field = "Language", text = "B1-Kurs", agreedOn = "2026-03-02", targetDate = "2026-06-01" }, 2);
        Assert.Equal(System.Net.HttpStatusCode.Created, status);
        var file = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        return (email, file.GetProperty("lastName").GetString()!, file.GetProperty("caseNumber").GetString()!);
    }

    [Fact]
    public async Task Without_a_mail_server_the_page_promises_no_e_mail()
    {
        var (_, email) = await app.CreateManagerAsync("nomail");
        using var page = await app.SignedInAs(email); // the test host has no Mail:Host

        var inbox = await page.GetPageAsync("/erinnerungen");
        Assert.NotNull(inbox.QuerySelector("[data-testid=digest-unavailable]"));

        var ordered = await page.FollowAsync(await page.PostFormAsync("/erinnerungen", "/erinnerungen/zusammenfassung", WebSession.Fields(("enabled", "true"))));
        var notice = ordered.QuerySelector("p.notice[role=status]")!.TextContent;
        Assert.DoesNotContain("Sie erhalten", notice, StringComparison.Ordinal);
        Assert.Contains("kein Mailserver", notice, StringComparison.Ordinal);
    }

    private async Task RunDailyJob(WebApplicationFactory<Program> node)
    {
        var organisation = await app.WithDb(db => db.Organisations.Where(o => o.Name == "Stadt Musterstadt").Select(o => o.Id).SingleAsync());
        await using var scope = node.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ReminderJobs>().ScanOrganisation(organisation, CancellationToken.None);
    }

    private List<MimeMessage> MailsTo(string email) => smtp.Messages
        .Where(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase))
        .Select(m => MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(m.Data))))
        .ToList();

    [Fact]
    public async Task The_digest_arrives_over_SMTP_with_counts_and_a_link_and_without_client_data_once_per_day()
    {
        var (email, lastName, caseNumber) = await ManagerWithDueReminders("digest");
        await using var node = Mailing();

        await RunDailyJob(node);
        await RunDailyJob(node); // a second run the same day (retry, second node) sends nothing more

        var mail = Assert.Single(MailsTo(email));
        Assert.Equal("CaseManagement: 2 fällige Erinnerungen", mail.Subject);
        Assert.Equal("noreply@musterstadt.example", mail.From.Mailboxes.Single().Address);
        var text = mail.TextBody;
        Assert.Contains("warten heute 2 fällige Erinnerungen auf Sie, davon 2 neu", text, StringComparison.Ordinal);
        Assert.Contains("https://cm.musterstadt.example/erinnerungen", text, StringComparison.Ordinal);
        var raw = smtp.Messages.Single(m => m.To.Contains(email, StringComparer.OrdinalIgnoreCase));
        foreach (var clientData in new[] { lastName, caseNumber, "Test " + lastName, "B1-Kurs" })
        {
            Assert.DoesNotContain(clientData, raw.Data, StringComparison.Ordinal);
        }

        Assert.Equal("cm-mailer:geheim", raw.AuthenticatedAs);
        Assert.Empty(MailsTo("im1@musterstadt.example")); // the demo managers did not order it
        Assert.Equal(1, await app.WithDb(db => db.ReminderDigests.CountAsync(d => d.Day == new DateOnly(2026, 6, 15) && db.Users.Any(u => u.Id == d.UserId && u.Email == email))));
    }

    [Fact]
    public async Task When_the_mail_server_refuses_the_job_fails_and_its_retry_sends_exactly_once()
    {
        var (email, _, _) = await ManagerWithDueReminders("refused");
        await using var node = Mailing();
        smtp.RejectNextMessages(100); // every message of this run is refused

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunDailyJob(node));
        Assert.Empty(MailsTo(email));
        Assert.False(await app.WithDb(db => db.ReminderDigests.AnyAsync(d => db.Users.Any(u => u.Id == d.UserId && u.Email == email))));

        smtp.RejectNextMessages(0);
        await RunDailyJob(node); // what Hangfire's automatic retry does
        await RunDailyJob(node);
        Assert.Single(MailsTo(email));
    }

    [Fact]
    public async Task Without_a_configured_mail_server_nothing_is_sent_and_the_job_still_succeeds()
    {
        var (email, _, _) = await ManagerWithDueReminders("nomail");
        await RunDailyJob(app.Factory);
        Assert.Empty(MailsTo(email));
        Assert.Equal(2, await app.WithDb(db => db.Reminders.CountAsync(r => db.Users.Any(u => u.Id == r.AssigneeId && u.Email == email))));
    }

    [Fact]
    public async Task The_choice_can_be_made_in_the_API_and_is_the_own_users_only()
    {
        var (_, email) = await app.CreateManagerAsync("digestapi");
        using var client = await app.ClientFor(email);
        Assert.False((await client.GetFromJsonAsync<JsonElement>("/api/v1/reminders/digest")).GetProperty("enabled").GetBoolean());
        using var on = await client.PutAsJsonAsync("/api/v1/reminders/digest", new { enabled = true });
        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("enabled").GetBoolean());
        Assert.True(await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.ReminderDigest).SingleAsync()));
        Assert.False(await app.WithDb(db => db.Users.Where(u => u.Email == "im1@musterstadt.example").Select(u => u.ReminderDigest).SingleAsync()));

        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        using var denied = await dpo.PutAsJsonAsync("/api/v1/reminders/digest", new { enabled = true });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, denied.StatusCode);
    }
}
