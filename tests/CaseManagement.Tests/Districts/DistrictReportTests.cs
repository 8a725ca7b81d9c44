using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Districts.DistrictScenario;

namespace CaseManagement.Tests.Districts;

/// <summary>
/// The district's figures (issue 20, item 3): the coordinator of the district gets the funding figures per employer and
/// manager and the outcomes per field of action of the member organisations — summed, small numbers hidden, never a
/// case, a client's name or a free text.
/// </summary>
public sealed class DistrictReportTests(AppFixture app) : IClassFixture<AppFixture>
{
    /// <summary>Musterstadt: Miriam Keller 6 persons, Jonas Weber 2; Landkreis Beispiel: Lena Vogel 5 — each with a plan agreed in 2026.</summary>
    private async Task<(List<Guid> Miriam, List<Guid> Jonas, List<Guid> Lena)> Cohort() =>
        (await CasesWithPlan(app, "im1@musterstadt.example", 6), await CasesWithPlan(app, "im2@musterstadt.example", 2), await CasesWithPlan(app, "im1@beispiel.example", 5));

    [Fact]
    public async Task The_coordinator_gets_the_figures_per_employer_and_manager_with_small_numbers_hidden_and_nothing_of_a_case()
    {
        var (miriam, _, _) = await Cohort();
        var district = await DemoDistrictId(app);
        using var coordinator = await app.ClientFor(Coordinator);

        var report = await Json(coordinator, $"/api/v1/districts/{district}/report?{Period}");

        Assert.Equal(["Landkreis Beispiel", "Stadt Musterstadt"], report.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
        // Jonas Weber's 2 persons are hidden; Miriam Keller's 6 with them, else 8 − 6 = 2 would tell.
        var jonas = Row(report, "Stadt Musterstadt", "Jonas Weber");
        Assert.Null(Figure(jonas, "personsCounselled"));
        Assert.Null(Figure(jonas, "newPlans"));
        Assert.Contains("personsCounselled", jonas.GetProperty("suppressedFigures").EnumerateArray().Select(f => f.GetString()));
        Assert.Null(Figure(Row(report, "Stadt Musterstadt", "Miriam Keller"), "personsCounselled"));
        var musterstadt = Row(report, "Stadt Musterstadt", null);
        Assert.Equal(8, Figure(musterstadt, "personsCounselled"));
        Assert.Equal(8, Figure(musterstadt, "newPlans"));
        Assert.Equal(0, Figure(musterstadt, "updatedPlans"));
        Assert.Equal(0, Figure(musterstadt, "consultations"));
        var lena = Row(report, "Landkreis Beispiel", "Lena Vogel");
        Assert.Equal(5, Figure(lena, "personsCounselled"));
        Assert.Equal(5, Figure(lena, "newPlans"));
        var total = Row(report, "Landkreis gesamt", null);
        Assert.Equal(13, Figure(total, "personsCounselled"));
        Assert.True(total.GetProperty("isDistrictTotal").GetBoolean());

        // Never a case: no case id, case number, client name or goal text anywhere in the answer.
        var text = report.GetRawText();
        Assert.DoesNotContain(miriam[0].ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Fall-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Freitext", text, StringComparison.Ordinal);

        // The outcomes per field of action and member organisation: 13 language goals, 8 of Musterstadt, 5 of Beispiel.
        var outcomes = await Json(coordinator, $"/api/v1/districts/{district}/outcomes?{Period}");
        var language = outcomes.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("field").GetString() == "Language").ToList();
        Assert.Equal(13, language.Single(r => r.GetProperty("group").GetString() == "Gesamt").GetProperty("agreed").GetInt32());
        Assert.Equal(8, language.Single(r => r.GetProperty("group").GetString() == "Stadt Musterstadt").GetProperty("agreed").GetInt32());
        Assert.Equal(5, language.Single(r => r.GetProperty("group").GetString() == "Landkreis Beispiel").GetProperty("agreed").GetInt32());
        Assert.DoesNotContain("Freitext", outcomes.GetRawText(), StringComparison.Ordinal);

        // The files carry the same figures, hidden cells as "< 5".
        using var csv = await coordinator.GetAsync($"/api/v1/districts/{district}/report?{Period}&format=csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Stadt Musterstadt;Jonas Weber;< 5;< 5;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Landkreis gesamt;;13;13;0;0;0", StringComparison.Ordinal));
        using var xlsx = await coordinator.GetAsync($"/api/v1/districts/{district}/outcomes?{Period}&format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);

        // The page shows the same table, in German, with the period filter.
        using var page = await app.SignedInAs(Coordinator);
        var document = await page.GetPageAsync("/landkreis/auswertung?from=2026-01-01&to=2026-12-31");
        Assert.Equal("Landkreis: Auswertung Zeitraum", document.Heading());
        var cells = document.QuerySelectorAll("[data-testid=district-report] tbody tr")
            .Select(tr => string.Join("|", tr.Children.Select(c => c.TextContent.Trim()))).ToList();
        Assert.Contains("Stadt Musterstadt|Jonas Weber|< 5|< 5|0|0|0", cells);
        Assert.Contains("Landkreis gesamt||13|13|0|0|0", cells);
        var outcomesPage = await page.GetPageAsync("/landkreis/wirkung?from=2026-01-01&to=2026-12-31");
        Assert.Equal("Landkreis: Wirkung", outcomesPage.Heading());
        Assert.NotNull(outcomesPage.QuerySelector("[data-testid=outcomes-table-language]"));
    }

    [Fact]
    public async Task A_period_out_of_range_is_a_German_422_and_the_page_says_it_next_to_the_field()
    {
        var district = await DemoDistrictId(app);
        using var coordinator = await app.ClientFor(Coordinator);

        foreach (var query in new[] { "from=2026-12-31&to=2026-01-01", "from=9999-01-01&to=9999-12-31", "from=2020-01-01&to=2026-12-31", "" })
        {
            using var response = await coordinator.GetAsync($"/api/v1/districts/{district}/report?{query}");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("Die Eingaben sind unvollständig oder ungültig.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var page = await app.SignedInAs(Coordinator);
        var document = await page.GetPageAsync("/landkreis/auswertung?from=2026-12-31&to=2026-01-01");
        Assert.Contains("Das Ende muss nach dem Beginn liegen", document.QuerySelector(".field-error")!.TextContent + string.Join(" ", document.ErrorMessages()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_roles_get_403_and_a_coordinator_of_another_district_404()
    {
        var district = await DemoDistrictId(app);
        foreach (var role in new[] { "admin@musterstadt.example", "admin@beispiel.example", "lead@musterstadt.example", "im1@beispiel.example", "dpo@musterstadt.example" })
        {
            using var client = await app.ClientFor(role);
            using var report = await client.GetAsync($"/api/v1/districts/{district}/report?{Period}");
            Assert.True(report.StatusCode == HttpStatusCode.Forbidden, $"{role}: {report.StatusCode}");
            using var outcomes = await client.GetAsync($"/api/v1/districts/{district}/outcomes?{Period}");
            Assert.Equal(HttpStatusCode.Forbidden, outcomes.StatusCode);
        }

        // An administrator of a member organisation does not see the page either.
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        using var denied = await admin.GetAsync("/landkreis/auswertung");
        Assert.StartsWith("http://localhost/konto/kein-zugriff", denied.Headers.Location!.ToString(), StringComparison.Ordinal);

        // A district kept by Musterstadt, with a coordinator of its own: the Beispiel coordinator gets 404 for it, and it for Beispiel's.
        using var musterstadtAdmin = await app.SignedInAs("admin@musterstadt.example");
        await WebSession.AssertRedirectAsync(await musterstadtAdmin.PostFormAsync("/verwaltung/landkreis", "/verwaltung/landkreis", WebSession.Fields(("Name", "Landkreis Muster"))));
        var other = await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Set<CaseManagement.Districts.District>(), d => d.Name == "Landkreis Muster"));
        var (_, email) = await CreateCoordinatorOfMusterstadt();
        using var coordinatorA = await app.ClientFor(Coordinator);
        using var coordinatorB = await app.ClientFor(email, AppFixture.UserPassword);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinatorA.GetAsync($"/api/v1/districts/{other.Id}/report?{Period}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinatorA.GetAsync($"/api/v1/districts/{Guid.NewGuid()}/outcomes?{Period}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinatorB.GetAsync($"/api/v1/districts/{district}/report?{Period}")).StatusCode);
        var own = await Json(coordinatorB, $"/api/v1/districts/{other.Id}/report?{Period}");
        Assert.Equal(["Stadt Musterstadt"], own.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()));
    }

    private async Task<(Guid Id, string Email)> CreateCoordinatorOfMusterstadt()
    {
        var email = $"koord-{Guid.NewGuid():N}"[..20] + "@musterstadt.example";
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        await WebSession.AssertRedirectAsync(await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", WebSession.Fields(
            ("Email", email), ("DisplayName", "Koordination Muster"), ("Role", CaseManagement.Organisations.Roles.DistrictCoordinator), ("Password", AppFixture.UserPassword))));
        return (await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id))), email);
    }
}
