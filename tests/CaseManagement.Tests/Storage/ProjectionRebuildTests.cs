using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Storage;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CaseManagement.Tests.Storage;

/// <summary>The <c>rebuild-projections</c> verb: read models are rebuilt from the events of every organisation.</summary>
public sealed class ProjectionRebuildTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task A_damaged_or_missing_case_summary_is_rebuilt_from_the_events()
    {
        using var musterstadt = await app.ClientFor("im1@musterstadt.example");
        using var beispiel = await app.ClientFor("im1@beispiel.example");
        var damaged = await CaseApi.NewCase(musterstadt);
        var missing = await CaseApi.NewCase(beispiel);
        await CaseApi.PostVersioned(musterstadt, $"/api/v1/clients/{damaged}/contact", new { city = "Musterstadt" }, 2);
        var before = await musterstadt.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{damaged}");

        await using (var connection = new NpgsqlConnection(app.Factory.ConnectionString))
        {
            await connection.OpenAsync();
            await using var damage = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new("update marten.mt_doc_casesummary set data = jsonb_set(data, '{Contact}', 'null'::jsonb) where id = $1") { Parameters = { new() { Value = damaged } } },
                    new("delete from marten.mt_doc_casesummary where id = $1") { Parameters = { new() { Value = missing } } },
                },
            };
            Assert.Equal(2, await damage.ExecuteNonQueryAsync());
        }

        // As the verb rebuild-projections does it: as the owner (Marten truncates the read-model tables, which the
        // application's role may not).
        await using (var owner = new CaseManagementFactory(app.OwnerConnectionString))
        {
            await ProjectionRebuild.RebuildAllAsync(owner.Services.GetRequiredService<IDocumentStore>(), TimeSpan.FromMinutes(2), CancellationToken.None);
        }

        var after = await musterstadt.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{damaged}");
        Assert.Equal(before.ToString(), after.ToString());
        var restored = await beispiel.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{missing}");
        Assert.Equal(2, restored.GetProperty("version").GetInt64());
    }
}
