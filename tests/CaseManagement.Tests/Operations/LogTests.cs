using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.Operations;

public sealed class LogTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Sign_in_failures_and_user_administration_log_no_names_or_e_mail_addresses()
    {
        using (var visitor = app.NewSession())
        {
            await visitor.SignInAsync("im2@musterstadt.example", "Falsch!2026");
            await visitor.SignInAsync("niemand@musterstadt.example", "Falsch!2026");
        }

        using var admin = await app.SignedInAs("admin@musterstadt.example");
        await AssertRedirectAsync(await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", Fields(
            ("Email", "protokoll@musterstadt.example"), ("DisplayName", "Paula Protokoll"), ("Role", Roles.Administrator), ("Password", "Start in den Tag 2026"))));
        await admin.GetPageAsync("/verwaltung/benutzer");

        var personal = new[] { "@musterstadt.example", "Paula Protokoll", "Miriam Keller", "Jonas Weber", "Max Hofmann", "Start in den Tag 2026", DemoData.DefaultPassword };
        var leaks = app.Factory.Logs.Entries
            .Where(e => personal.Any(p => e.Message.Contains(p, StringComparison.OrdinalIgnoreCase) || (e.Exception?.ToString().Contains(p, StringComparison.OrdinalIgnoreCase) ?? false)))
            .Select(e => $"{e.Category}: {e.Message}")
            .ToList();
        Assert.NotEmpty(app.Factory.Logs.Entries);
        Assert.Empty(leaks);
    }

    [Fact]
    public async Task The_application_starts_and_serves_requests_without_logging_errors()
    {
        using var session = await app.SignedInAs("lead@musterstadt.example");
        await session.GetPageAsync("/");
        await Task.Delay(TimeSpan.FromSeconds(2)); // give the async daemon time to elect a leader

        Assert.DoesNotContain(app.Factory.Logs.Entries, e => e.Level >= LogLevel.Error);
    }
}
