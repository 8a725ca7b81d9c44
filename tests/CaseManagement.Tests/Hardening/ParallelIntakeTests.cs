using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;

namespace CaseManagement.Tests.Hardening;

/// <summary>The duplicate check and the insert of an intake are one atomic step.</summary>
public sealed class ParallelIntakeTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Sixteen_parallel_identical_intakes_give_one_case_and_fifteen_409s_pointing_to_it()
    {
        var lastName = "Parallel-" + Guid.NewGuid().ToString("N")[..8];
        var clients = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => app.ClientFor("im1@musterstadt.example")));
        using var start = new SemaphoreSlim(0);
        var intakes = clients.Select(async client =>
        {
            await start.WaitAsync();
            using var response = await client.PostAsJsonAsync("/api/v1/clients", new
            {
                firstName = "Amal", lastName, birthDate = "1993-05-05", gender = "female", supportStart = "2026-02-01",
                housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" },
            });
            return (response.StatusCode, Body: await response.Content.ReadFromJsonAsync<JsonElement>());
        }).ToList();
        start.Release(16);
        var answers = await Task.WhenAll(intakes);

        var created = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        var caseId = created.Body.GetProperty("id").GetGuid();
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(15, refused.Count);
        Assert.All(refused, a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.StatusCode);
            Assert.Equal("possible-duplicate", a.Body.GetProperty("code").GetString());
            Assert.Equal(caseId, a.Body.GetProperty("existingCaseId").GetGuid());
        });
        Assert.Equal(1, await CasesNamed(lastName));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        // The user may still confirm a second case of the same person.
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var confirmed = await im1.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Amal", lastName, birthDate = "1993-05-05", gender = "female", supportStart = "2026-02-01", confirmPossibleDuplicate = true,
            housing = new { type = "FollowUpAccommodation", since = "2026-01-15" }, residenceStatus = new { kind = "RefugeeProtection" },
        });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        Assert.Equal(2, await CasesNamed(lastName));
    }

    private async Task<int> CasesNamed(string lastName)
    {
        using var im1 = await app.ClientFor("im1@musterstadt.example");
        using var list = await im1.GetAsync("/api/v1/clients?search=" + Uri.EscapeDataString(lastName));
        return int.Parse(list.Headers.GetValues("X-Total-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
