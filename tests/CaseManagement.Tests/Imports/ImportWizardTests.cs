using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.CaseImports;
using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.CaseImports;

/// <summary>The wizard's pages (who may see them) and taking the data out again (export → import: everything already present).</summary>
public sealed class ImportWizardTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Admin = "admin@musterstadt.example";

    private static async Task<Guid> UploadDraftAsync(HttpClient client, byte[] content, string fileName, bool dryRun = true)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(dryRun ? "true" : "false"), "dryRun");
        using var response = await client.PostAsync("/api/v1/imports", form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> RunAsync(HttpClient client, Guid id)
    {
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ImportJobs>().Run(id, CancellationToken.None);
        }

        return await client.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}");
    }

    [Fact]
    public async Task Managers_get_403_on_the_wizard_and_another_organisation_gets_404()
    {
        using var admin = await app.ClientFor(Admin);
        var id = await UploadDraftAsync(admin, ImportTests.Fixture("faelle-utf8-bom.csv"), "wizard.csv");

        using var manager = await app.SignedInAs("im1@musterstadt.example");
        foreach (var page in new[] { "/importe", $"/importe/{id}", $"/importe/{id}/zuordnung", $"/importe/{id}/vorschau", $"/importe/{id}/stand", "/importe/export.xlsx" })
        {
            // The pages send a signed-in person without the role to "Kein Zugriff" (403).
            using var response = await manager.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page}: {(int)response.StatusCode}");
            Assert.StartsWith("http://localhost/konto/kein-zugriff", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            using var denied = await manager.GetAsync(response.Headers.Location!.ToString());
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        using var other = await app.SignedInAs("admin@beispiel.example");
        foreach (var page in new[] { $"/importe/{id}", $"/importe/{id}/zuordnung", $"/importe/{id}/vorschau", $"/importe/{id}/stand", $"/importe/{id}/abgewiesen" })
        {
            using var response = await other.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{page}: {(int)response.StatusCode}");
        }

        using var crafted = await other.PostCraftedAsync("/importe", $"/importe/{id}/abbrechen", []);
        Assert.Equal(HttpStatusCode.NotFound, crafted.StatusCode);
    }

    [Fact]
    public async Task The_export_imported_again_finds_every_case_already_present_and_its_reads_are_logged()
    {
        using var admin = await app.ClientFor(Admin);
        var seeded = await RunAsync(admin, await UploadDraftAsync(admin, ImportTests.Fixture("faelle-utf8-bom.csv"), "seed.csv", dryRun: false));
        Assert.True(seeded.GetProperty("created").GetInt32() >= 1);

        using var xlsx = await admin.GetAsync("/api/v1/imports/export.xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Contains("no-store", xlsx.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var workbook = await xlsx.Content.ReadAsByteArrayAsync();

        var again = await RunAsync(admin, await UploadDraftAsync(admin, workbook, "Export.xlsx", dryRun: false));
        var errors = string.Join("\n", again.GetProperty("errors").EnumerateArray().Select(e => e.ToString()));
        Assert.True(again.GetProperty("rejected").GetInt32() == 0, errors);
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(again.GetProperty("rows").GetInt32(), again.GetProperty("alreadyPresent").GetInt32());
        Assert.True(again.GetProperty("alreadyPresent").GetInt32() >= 1);

        using var csv = await admin.GetAsync("/api/v1/imports/export.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Contains("no-store", csv.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        var fromCsv = await RunAsync(admin, await UploadDraftAsync(admin, await csv.Content.ReadAsByteArrayAsync(), "Export-Faelle.csv", dryRun: true));
        Assert.Equal(0, fromCsv.GetProperty("created").GetInt32());
        Assert.Equal(0, fromCsv.GetProperty("rejected").GetInt32());

        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.True(await db.CaseAccessLog.CountAsync(e => e.What == ExportCaseloadHandler.AccessLogWhat) >= again.GetProperty("rows").GetInt32());

        using var lead = await app.ClientFor("lead@musterstadt.example");
        using var refused = await lead.GetAsync("/api/v1/imports/export.csv");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
