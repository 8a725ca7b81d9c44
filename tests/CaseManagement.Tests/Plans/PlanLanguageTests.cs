using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Plans;
using CaseManagement.Plans.Translations;
using CaseManagement.Tests.Infrastructure;
using CaseManagement.Web.Features.Plans.Print;
using NodaTime;
using SkiaSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace CaseManagement.Tests.Plans;

/// <summary>The plan in the client's language (issue 20, item 1): PDF text layer, right-to-left layout, shaping, API and print view.</summary>
public sealed class PlanLanguageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";
    private const float Mm = 72f / 25.4f;

    public static TheoryData<string> ClientLanguages() => [.. PlanTranslations.ClientLanguages.Select(l => l.Code)];

    public static TheoryData<string> RightToLeft() => [.. PlanTranslations.ClientLanguages.Where(l => l.RightToLeft).Select(l => l.Code)];

    [Fact]
    public void Every_language_has_every_text_the_german_source_has_and_none_is_reviewed_yet()
    {
        string[] expected = ["ar", "en", "fa", "fr", "ku", "ps", "ru", "so", "ti", "tr", "uk"];
        Assert.Equal(expected, PlanTranslations.ClientLanguages.Select(l => l.Code));
        var keys = PlanTranslations.German.Texts.Keys.Order(StringComparer.Ordinal).ToList();
        foreach (var language in PlanTranslations.ClientLanguages)
        {
            Assert.Equal(keys, language.Texts.Keys.Order(StringComparer.Ordinal));
            Assert.All(language.Texts, t => Assert.False(string.IsNullOrWhiteSpace(t.Value), $"{language.Code}: {t.Key}"));
            Assert.False(language.Reviewed, language.Code);
        }

        // The German side says what the application says everywhere else.
        Assert.All(Enum.GetValues<FieldOfAction>(), f => Assert.Equal(Goals.FieldLabel(f), PlanTranslations.German.Field(f)));
        Assert.All(Enum.GetValues<GoalStatus>(), s => Assert.Equal(Goals.StatusLabel(s), PlanTranslations.German.Status(s)));
        Assert.Equal(["ar", "fa", "ps"], PlanTranslations.ClientLanguages.Where(l => l.RightToLeft).Select(l => l.Code));
    }

    [Fact]
    public void Every_text_of_every_language_has_its_glyphs_in_the_embedded_fonts()
    {
        foreach (var language in PlanTranslations.ClientLanguages.Prepend(PlanTranslations.German))
        {
            foreach (var (key, text) in language.Texts)
            {
                var line = PrintText.Shape(text, 10, false, language.RightToLeft);
                Assert.True(line.Runs.All(r => !r.Glyphs.Contains((ushort)0)), $"{language.Code} {key}: a character has no glyph (tofu)");
            }
        }
    }

    [Theory]
    [InlineData("ar")]
    [InlineData("fa")]
    [InlineData("ps")]
    public void Arabic_script_letters_join(string code)
    {
        var title = PlanTranslations.Find(code)!["Title"];
        var run = Assert.Single(PrintText.Shape(title, 18, true, true).Runs);
        using var font = new SKFont(run.Typeface, 18);
        var isolated = font.GetGlyphs(title);
        // The shaper put initial, medial and final forms (and ligatures) where the letters alone have their isolated form.
        Assert.NotEqual(isolated.Order(), run.Glyphs.Order());
        Assert.True(run.RightToLeft);
    }

    [Theory]
    [MemberData(nameof(ClientLanguages))]
    public async Task The_pdf_in_each_client_language_carries_its_texts_in_reading_order_and_the_unreviewed_marker(string code)
    {
        var language = PlanTranslations.Find(code)!;
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);
        await CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/goals",
            new { field = "Housing", text = "Wohnungssuche mit Wohnberechtigungsschein", agreedOn = "2026-11-02", targetDate = "2027-06-30" }, 2);

        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf?language={code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith($"-{code}.pdf", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        using var document = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = PdfText.Of(document.GetPage(1));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{watch.Elapsed}");

        foreach (var key in new[] { "Title", "GoalsHeading", "FieldOfAction.Housing", "SignaturePlaceDate" })
        {
            Assert.Contains(PdfText.Normalised(language[key]), text, StringComparison.Ordinal);
        }

        Assert.Contains(PdfText.Normalised(language["GoalStatus.Agreed"]), text, StringComparison.Ordinal);
        Assert.Contains("Übersetzung noch nicht geprüft", text, StringComparison.Ordinal);
        Assert.Contains(PdfText.Normalised(language["Unreviewed"].Split(' ')[0]), text, StringComparison.Ordinal);
        Assert.Contains("Wohnungssuche mit Wohnberechtigungsschein", text, StringComparison.Ordinal);
        Assert.Contains("Integrationsplan", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RightToLeft))]
    public void A_right_to_left_heading_stands_right_aligned_and_its_letters_run_from_right_to_left(string code)
    {
        var language = PlanTranslations.Find(code)!;
        using var document = PdfDocument.Open(PlanDocument.Render(Sample(), language, new LocalDate(2026, 12, 5)));
        var page = document.GetPage(1);
        var title = TitleLetters(page);

        // In the order the file writes them (the reading order) every letter stands left of the one before.
        Assert.True(title.Count >= 5, $"{title.Count} letters");
        for (var i = 1; i < title.Count; i++)
        {
            Assert.True(title[i].StartBaseLine.X < title[i - 1].StartBaseLine.X, $"{code}: letter {i} '{title[i].Value}' at {title[i].StartBaseLine.X:F1}, before it at {title[i - 1].StartBaseLine.X:F1}");
        }

        // The heading ends at the right margin (16 mm) and stays in the right half.
        Assert.InRange(title.Max(l => l.EndBaseLine.X), page.Width - 16 * Mm - 2, page.Width - 16 * Mm + 0.5);
        Assert.True(title.Min(l => l.StartBaseLine.X) > page.Width / 2);
    }

    [Fact]
    public void A_tigrinya_heading_stands_in_geez_left_to_right_in_the_right_half()
    {
        var language = PlanTranslations.Find("ti")!;
        using var document = PdfDocument.Open(PlanDocument.Render(Sample(), language, new LocalDate(2026, 12, 5)));
        var page = document.GetPage(1);
        var title = TitleLetters(page);

        Assert.True(title.Count >= 5, $"{title.Count} letters");
        Assert.All(title.Where(l => l.Value != " "), l => Assert.InRange(l.Value[0], '\u1200', '\u139F'));
        for (var i = 1; i < title.Count; i++)
        {
            Assert.True(title[i].StartBaseLine.X > title[i - 1].StartBaseLine.X);
        }

        Assert.InRange(title[0].StartBaseLine.X, page.Width / 2, page.Width / 2 + 6 * Mm);
    }

    [Theory]
    [InlineData("ar")]
    [InlineData("ti")]
    public void The_rendered_first_page_shows_the_client_heading_where_its_script_reads_from(string code)
    {
        var language = PlanTranslations.Find(code)!;
        const float scale = 2; // 144 dpi
        var pages = PlanDocument.Pages(Sample(), language, new LocalDate(2026, 12, 5));
        try
        {
            using var bitmap = new SKBitmap((int)(595 * scale), (int)(842 * scale));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.White);
                canvas.Scale(scale);
                canvas.DrawPicture(pages[0]);
            }

            var file = Path.Combine(Path.GetTempPath(), $"plan-{code}-page1.png");
            using (var png = File.Create(file))
            {
                bitmap.Encode(png, SKEncodedImageFormat.Png, 90);
            }

            // The title band: 18 mm from the top, about 8 mm high; the client's half starts 3 mm right of the middle.
            var (top, bottom) = ((int)(18 * Mm * scale), (int)(28 * Mm * scale));
            var middle = (int)((595 / 2f + 3 * Mm) * scale);
            var right = (int)((595 - 16 * Mm) * scale);
            var inked = Enumerable.Range(middle, bitmap.Width - middle).Where(x => Enumerable.Range(top, bottom - top).Any(y => bitmap.GetPixel(x, y).Red < 128)).ToList();
            Assert.NotEmpty(inked);
            if (language.RightToLeft)
            {
                Assert.InRange(inked.Max(), right - 4 * scale, right + scale); // flush right
                Assert.True(inked.Min() > middle + 20 * Mm * scale, $"starts at {inked.Min() / scale:F0} pt"); // not from the left edge of its half
            }
            else
            {
                Assert.InRange(inked.Min(), middle, middle + 4 * scale); // flush left in its half
            }
        }
        finally
        {
            foreach (var page in pages)
            {
                page.Dispose();
            }
        }
    }

    [Fact]
    public async Task Another_language_answers_422_in_german_with_the_supported_list()
    {
        using var client = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(client);

        using var response = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf?language=xx");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation", ProblemTypesOf(problem));
        var message = problem.GetProperty("errors").GetProperty("language")[0].GetString()!;
        Assert.Contains("„xx“", message, StringComparison.Ordinal);
        Assert.Contains("ar, en, fa, fr, ku, ps, ru, so, ti, tr, uk", message, StringComparison.Ordinal);
        Assert.Equal(PlanTranslations.SupportedCodes, problem.GetProperty("supportedLanguages").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Without_a_language_the_case_language_is_printed_and_the_print_view_offers_the_others()
    {
        using var client = await app.ClientFor(Manager);
        using var created = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Test", lastName = "Sprache-" + Guid.NewGuid().ToString("N")[..8], birthDate = "1990-09-09", gender = "unknown",
            nationality = "AF", supportStart = "2026-02-01", languages = new[] { "de", "fa", "ps" },
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        using var pdf = await client.GetAsync($"/api/v1/clients/{id}/plan.pdf");
        Assert.EndsWith("-fa.pdf", pdf.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);

        using var session = await app.SignedInAs(Manager);
        var print = await session.GetPageAsync($"/faelle/{id}/druck");
        var persian = PlanTranslations.Find("fa")!;
        Assert.Contains(print.QuerySelectorAll("h1[lang=fa][dir=rtl]"), h => h.TextContent == persian["Title"]);
        Assert.NotNull(print.QuerySelector("[data-testid=print-unreviewed]"));
        Assert.Equal("fa", print.QuerySelector("select#language option[selected]")!.GetAttribute("value"));

        var german = await session.GetPageAsync($"/faelle/{id}/druck?language=de");
        Assert.Null(german.QuerySelector("[lang=fa]"));
        Assert.Null(german.QuerySelector("[data-testid=print-unreviewed]"));

        var tigrinya = await session.GetPageAsync($"/faelle/{id}/druck?language=ti");
        Assert.Contains(tigrinya.QuerySelectorAll("h1[lang=ti][dir=ltr]"), h => h.TextContent == PlanTranslations.Find("ti")!["Title"]);
    }

    private static string ProblemTypesOf(JsonElement problem) => problem.GetProperty("type").GetString()!.Split('/')[^1];

    /// <summary>The letters of the client-language title: on the first baseline, in the right half, in file order.</summary>
    private static List<Letter> TitleLetters(Page page)
    {
        var first = page.Letters[0].StartBaseLine.Y;
        return [.. page.Letters.Where(l => Math.Abs(l.StartBaseLine.Y - first) < 0.5 && l.StartBaseLine.X > page.Width / 2 && l.Value != " ")];
    }

    private static CaseSummary Sample() => new()
    {
        CaseNumber = "2026-0001",
        FirstName = "Amal",
        LastName = "Beispiel",
        BirthDate = new LocalDate(1990, 9, 9),
        SupportStart = new LocalDate(2026, 2, 1),
        SupportEnd = new LocalDate(2029, 1, 31),
        Goals =
        [
            new GoalView(Guid.NewGuid(), FieldOfAction.Language, "Deutschkurs B1 abschließen", new LocalDate(2026, 3, 1), new LocalDate(2026, 12, 31), null, GoalStatus.InProgress, null)
            {
                Steps = [new StepView(Guid.NewGuid(), "Anmeldung beim Kursträger", StepResponsible.Client, null, new LocalDate(2026, 4, 1), null)],
            },
        ],
    };
}
