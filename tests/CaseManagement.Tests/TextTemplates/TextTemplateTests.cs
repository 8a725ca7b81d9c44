using System.Net;
using System.Text.Json;
using AngleSharp.Dom;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.TextTemplates;
using Microsoft.EntityFrameworkCore;
using static CaseManagement.Tests.Infrastructure.WebSession;

namespace CaseManagement.Tests.TextTemplates;

/// <summary>Textbausteine: the organisation's (administrators) and personal ones (every case worker), their limits and who sees them.</summary>
public sealed class TextTemplateTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Organisation = "/verwaltung/textbausteine";
    private const string Personal = "/profil/textbausteine";
    private const string Insertable = "/profil/textbausteine/einfuegbar";

    private static string UniqueName(string prefix) => (prefix + "-" + Guid.NewGuid().ToString("N"))[..20];

    private static async Task<IReadOnlyList<(string Name, string Text, bool Personal)>> InsertableFor(WebSession session)
    {
        using var response = await session.GetAsync(Insertable);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return json.EnumerateArray().Select(t => (t.GetProperty("name").GetString()!, t.GetProperty("text").GetString()!, t.GetProperty("personal").GetBoolean())).ToList();
    }

    private static async Task<IDocument> Create(WebSession session, string page, string name, string text) =>
        await session.FollowAsync(await session.PostFormAsync(page, page, Fields(("Name", name), ("Text", text))));

    [Fact]
    public async Task An_organisation_template_is_insertable_by_its_case_workers_and_invisible_to_another_organisation()
    {
        var name = UniqueName("termin");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var shown = await Create(admin, Organisation, name.ToUpperInvariant(), "Guten Tag {Vorname}, Ihr Termin am {Datum}.");

        Assert.Equal("Der Textbaustein ist angelegt.", shown.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.Contains(shown.QuerySelectorAll("[data-testid=template] code"), c => c.TextContent == "::" + name);

        using var manager = await app.SignedInAs("im1@musterstadt.example");
        Assert.Contains((name, "Guten Tag {Vorname}, Ihr Termin am {Datum}.", false), await InsertableFor(manager));
        using var lead = await app.SignedInAs("lead@musterstadt.example");
        Assert.Contains(await InsertableFor(lead), t => t.Name == name);

        using var otherManager = await app.SignedInAs("im1@beispiel.example");
        Assert.DoesNotContain(await InsertableFor(otherManager), t => t.Name == name);
        using var otherAdmin = await app.SignedInAs("admin@beispiel.example");
        Assert.DoesNotContain((await otherAdmin.GetPageAsync(Organisation)).QuerySelectorAll("[data-testid=template] code"), c => c.TextContent == "::" + name);
    }

    [Fact]
    public async Task A_personal_template_is_seen_by_its_owner_only_and_nobody_else_can_change_or_delete_it()
    {
        var name = UniqueName("mein");
        using var owner = await app.SignedInAs("im1@musterstadt.example");
        await Create(owner, Personal, name, "Rückruf vereinbart.");
        var id = await app.WithDb(db => db.Set<TextTemplate>().Where(t => t.Name == name).Select(t => t.Id).SingleAsync());
        Assert.Contains((name, "Rückruf vereinbart.", true), await InsertableFor(owner));

        using var colleague = await app.SignedInAs("im2@musterstadt.example");
        Assert.DoesNotContain(await InsertableFor(colleague), t => t.Name == name);
        Assert.DoesNotContain((await colleague.GetPageAsync(Personal)).QuerySelectorAll("[data-testid=template] code"), c => c.TextContent == "::" + name);
        var change = await colleague.PostCraftedAsync(Personal, $"{Personal}/{id}", Fields(("Name", name), ("Text", "übernommen")));
        var delete = await colleague.PostCraftedAsync(Personal, $"{Personal}/{id}/loeschen", []);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (change.StatusCode, delete.StatusCode));

        // Not through the organisation's door either.
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        var asOrganisation = await admin.PostCraftedAsync(Organisation, $"{Organisation}/{id}/loeschen", []);
        Assert.Equal(HttpStatusCode.NotFound, asOrganisation.StatusCode);
        using var otherOrganisation = await app.SignedInAs("im1@beispiel.example");
        Assert.Equal(HttpStatusCode.NotFound, (await otherOrganisation.PostCraftedAsync(Personal, $"{Personal}/{id}/loeschen", [])).StatusCode);
        Assert.Equal("Rückruf vereinbart.", await app.WithDb(db => db.Set<TextTemplate>().Where(t => t.Id == id).Select(t => t.Text).SingleAsync()));

        // The owner changes and deletes it.
        var changed = await owner.FollowAsync(await owner.PostFormAsync(Personal, $"{Personal}/{id}", Fields(("Name", name), ("Text", "Rückruf am {Datum}."))));
        Assert.Equal("Der Textbaustein ist gespeichert.", changed.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.Contains((name, "Rückruf am {Datum}.", true), await InsertableFor(owner));
        var deleted = await owner.FollowAsync(await owner.PostFormAsync(Personal, $"{Personal}/{id}/loeschen", []));
        Assert.Equal("Der Textbaustein ist gelöscht.", deleted.QuerySelector(".notice[role=status]")?.TextContent);
        Assert.DoesNotContain(await InsertableFor(owner), t => t.Name == name);
    }

    [Theory]
    [InlineData("x", "Text", "Name", TextTemplateHandlers.NameRule)]
    [InlineData("mit leerzeichen", "Text", "Name", TextTemplateHandlers.NameRule)]
    [InlineData("::termin", "Text", "Name", TextTemplateHandlers.NameRule)]
    [InlineData("1termin", "Text", "Name", TextTemplateHandlers.NameRule)]
    [InlineData("abcdefghijabcdefghijabcdefghijk", "Text", "Name", TextTemplateHandlers.NameRule)]
    [InlineData("leer", "   ", "Text", "Bitte einen Text mit höchstens 2000 Zeichen angeben.")]
    [InlineData("lang", null, "Text", "Bitte einen Text mit höchstens 2000 Zeichen angeben.")]
    public async Task A_template_outside_its_limits_is_refused_next_to_the_field_and_nothing_is_stored(string name, string? text, string field, string message)
    {
        using var session = await app.SignedInAs("im3@musterstadt.example");
        var before = await app.WithDb(db => db.Set<TextTemplate>().CountAsync());

        var refused = await session.PostFormAsync(Personal, Personal, Fields(("Name", name), ("Text", text ?? new string('a', 2001))));

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await ParseAsync(refused);
        var input = page.QuerySelector($"#{field}")!;
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Equal(message, input.ParentElement!.QuerySelector(".field-error")!.TextContent);
        Assert.Equal(before, await app.WithDb(db => db.Set<TextTemplate>().CountAsync()));
    }

    [Fact]
    public async Task A_name_is_unique_per_scope_but_a_personal_template_may_share_the_organisations_name()
    {
        var name = UniqueName("gruss");
        using var admin = await app.SignedInAs("admin@musterstadt.example");
        await Create(admin, Organisation, name, "Organisation");

        var twice = await admin.PostFormAsync(Organisation, Organisation, Fields(("Name", name), ("Text", "noch einmal")));
        Assert.Equal(HttpStatusCode.OK, twice.StatusCode);
        Assert.Equal(TextTemplateHandlers.NameTaken, (await ParseAsync(twice)).QuerySelector("#Name")!.ParentElement!.QuerySelector(".field-error")!.TextContent);

        using var manager = await app.SignedInAs("im2@musterstadt.example");
        await Create(manager, Personal, name, "Persönlich");
        var insertable = await InsertableFor(manager);
        Assert.Equal(new[] { (name, "Persönlich", true), (name, "Organisation", false) }, insertable.Where(t => t.Name == name).ToArray());
        Assert.Equal(1, await app.WithDb(db => db.Set<TextTemplate>().CountAsync(t => t.Name == name && t.OwnerId == null)));
    }
}
