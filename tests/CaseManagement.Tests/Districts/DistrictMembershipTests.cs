using System.Net;
using CaseManagement.Districts;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Districts.DistrictScenario;

namespace CaseManagement.Tests.Districts;

/// <summary>
/// Joining and leaving a district through the administration pages: an organisation counts for the district only while
/// its membership is accepted and not ended; every step is recorded with who and when and shown on both sides.
/// </summary>
public sealed class DistrictMembershipTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Page = "/verwaltung/landkreis";

    private async Task<IReadOnlyList<string?>> Organisations(Guid district)
    {
        using var coordinator = await app.ClientFor(Coordinator);
        var report = await Json(coordinator, $"/api/v1/districts/{district}/report?{Period}");
        return report.GetProperty("organisations").EnumerateArray().Select(o => o.GetString()).ToList();
    }

    private Task<DistrictMembership> Membership(Guid district) =>
        app.WithDb(db => db.Set<DistrictMembership>().Where(m => m.DistrictId == district).OrderByDescending(m => m.InvitedAt).FirstAsync());

    [Fact]
    public async Task An_organisation_that_left_no_longer_counts_and_one_invited_counts_only_after_accepting()
    {
        await CasesWithPlan(app, "im1@musterstadt.example", 5);
        var district = await DemoDistrictId(app);
        Assert.Equal(["Landkreis Beispiel", "Stadt Musterstadt"], await Organisations(district));

        // Musterstadt's administrator leaves (the page asks first: the button sits in a <details> with the question).
        using var musterstadt = await app.SignedInAs("admin@musterstadt.example");
        var page = await musterstadt.GetPageAsync(Page);
        var membership = await Membership(district);
        Assert.Contains("Wirklich aus dem Landkreis", page.QuerySelector($"[data-testid=membership-{membership.Id}] details")!.TextContent, StringComparison.Ordinal);
        var left = await musterstadt.FollowAsync(await musterstadt.SubmitAsync(page, $"{Page}/mitgliedschaften/{membership.Id}/beenden", []));
        Assert.Equal("Die Mitgliedschaft wurde beendet.", left.QuerySelector(".notice[role=status]")!.TextContent.Trim());
        Assert.Equal(["Landkreis Beispiel"], await Organisations(district));
        var ended = await Membership(district);
        Assert.Equal(MembershipStatus.Left, ended.Status);
        Assert.NotNull(ended.EndedAt);
        Assert.Contains("ausgetreten", left.QuerySelector($"[data-testid=membership-{membership.Id}]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Max Hofmann (Stadt Musterstadt)", left.QuerySelector($"[data-testid=membership-{membership.Id}]")!.TextContent, StringComparison.Ordinal);

        // The district's administrator invites again: invited but not accepted does not count.
        using var beispiel = await app.SignedInAs("admin@beispiel.example");
        var musterstadtId = await app.WithDb(db => db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id).SingleAsync());
        var invited = await beispiel.FollowAsync(await beispiel.PostFormAsync(Page, $"{Page}/einladungen", WebSession.Fields(("OrganisationId", musterstadtId.ToString()))));
        Assert.Equal("Die Organisation wurde eingeladen.", invited.QuerySelector(".notice[role=status]")!.TextContent.Trim());
        Assert.Equal(["Landkreis Beispiel"], await Organisations(district));

        // An invitation of an organisation already invited is refused next to the field; nothing new is stored.
        var count = await app.WithDb(db => db.Set<DistrictMembership>().CountAsync());
        using var again = await beispiel.PostCraftedAsync(Page, $"{Page}/einladungen", WebSession.Fields(("OrganisationId", musterstadtId.ToString())));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("bereits eingeladen", string.Join(" ", (await WebSession.ParseAsync(again)).ErrorMessages()), StringComparison.Ordinal);
        Assert.Equal(count, await app.WithDb(db => db.Set<DistrictMembership>().CountAsync()));

        // Another organisation's administrator cannot answer it (404); Musterstadt's accepts, and then it counts again.
        var invitation = await Membership(district);
        using var foreign = await beispiel.PostCraftedAsync(Page, $"{Page}/einladungen/{invitation.Id}/annehmen", []);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var accepted = await musterstadt.FollowAsync(await musterstadt.PostFormAsync(Page, $"{Page}/einladungen/{invitation.Id}/annehmen", []));
        Assert.StartsWith("Die Einladung wurde angenommen.", accepted.QuerySelector(".notice[role=status]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["Landkreis Beispiel", "Stadt Musterstadt"], await Organisations(district));

        // Both steps on the district's page, with who: invited by Karl Neumann, accepted by Max Hofmann; the old membership stays listed.
        var history = await beispiel.GetPageAsync(Page);
        var entry = history.QuerySelector($"[data-testid=member-{invitation.Id}]")!.TextContent;
        Assert.Contains("eingeladen", entry, StringComparison.Ordinal);
        Assert.Contains("Karl Neumann (Landkreis Beispiel)", entry, StringComparison.Ordinal);
        Assert.Contains("angenommen", entry, StringComparison.Ordinal);
        Assert.Contains("Max Hofmann (Stadt Musterstadt)", entry, StringComparison.Ordinal);
        Assert.NotNull(history.QuerySelector($"[data-testid=member-{membership.Id}]"));

        // The district removes the member (asks first); then Musterstadt no longer counts.
        Assert.Contains("Wirklich „Stadt Musterstadt“ aus dem Landkreis nehmen?", history.QuerySelector($"[data-testid=member-{invitation.Id}] details")!.TextContent, StringComparison.Ordinal);
        await WebSession.AssertRedirectAsync(await beispiel.SubmitAsync(history, $"{Page}/mitgliedschaften/{invitation.Id}/beenden", []));
        Assert.Equal(["Landkreis Beispiel"], await Organisations(district));
        Assert.Contains("vom Landkreis beendet", (await musterstadt.GetPageAsync(Page)).QuerySelector($"[data-testid=membership-{invitation.Id}]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declined_invitation_does_not_count_and_a_name_out_of_range_is_refused_next_to_the_field()
    {
        using var musterstadt = await app.SignedInAs("admin@musterstadt.example");
        using var tooLong = await musterstadt.PostFormAsync(Page, Page, WebSession.Fields(("Name", new string('x', 201))));
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.NotEmpty((await WebSession.ParseAsync(tooLong)).ErrorMessages());
        using var nul = await musterstadt.PostFormAsync(Page, Page, WebSession.Fields(("Name", "Land\0kreis")));
        Assert.True((int)nul.StatusCode is >= 400 and < 500 || (int)nul.StatusCode == 200, nul.StatusCode.ToString());
        // Read the names back (a NUL cannot travel as a PostgreSQL text parameter, so it is not asked for in SQL).
        var names = await app.WithDb(db => db.Set<District>().Select(d => d.Name).ToListAsync());
        Assert.DoesNotContain(names, n => n.Contains('\0', StringComparison.Ordinal) || n is "Landkreis" || n.Length > 200);
    }
}
