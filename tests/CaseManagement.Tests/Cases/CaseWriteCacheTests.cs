using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CaseManagement.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Tests.Cases;

/// <summary>
/// The write cache of the gate (<see cref="CaseWriteCache"/>): the rules of the cache itself without a database, then
/// through the API on two nodes sharing one database — a change made elsewhere after this node kept the case is answered
/// stale, never overwritten; access and organisation are checked on a kept case as on a read one; an erasure drops it.
/// </summary>
public sealed class CaseWriteCacheTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string Manager = "im1@musterstadt.example";
    private const string Tenant = "t1";

    private static ClientCase Case(Guid id) => new(id, CaseStatus.Open, null!, null, null!, null, new LocalDate(2026, 1, 1),
        EligibilityVerdict.Eligible, false, false, false, new Dictionary<Guid, GoalStatus>());

    private static CaseSummary Summary(Guid id) => new() { Id = id };

    [Fact]
    public void An_entry_serves_only_its_version_once_and_a_newer_version_is_never_replaced_by_an_older()
    {
        using var cache = new CaseWriteCache(10, TimeSpan.FromMinutes(1));
        var id = Guid.NewGuid();
        cache.Put(Tenant, id, 5, Case(id), Summary(id));

        Assert.Null(cache.TryTake(Tenant, id, 4));
        Assert.Null(cache.TryTake("t2", id, 5));
        Assert.Equal((Tenant, 5L), Assert.Single(cache.Held(id))); // a miss at another version or organisation leaves it
        Assert.Equal(5, cache.TryTake(Tenant, id, 5)!.Version);
        Assert.Null(cache.TryTake(Tenant, id, 5)); // taken: a second change at the same version reads the case

        cache.Put(Tenant, id, 7, Case(id), Summary(id));
        cache.Put(Tenant, id, 6, Case(id), Summary(id));
        Assert.Equal((Tenant, 7L), Assert.Single(cache.Held(id)));
        cache.Forget(Tenant, id);
        Assert.Empty(cache.Held(id));
    }

    [Fact]
    public async Task An_expired_entry_is_not_used_and_is_dropped_and_the_cache_never_holds_more_than_its_bound()
    {
        using (var shortLived = new CaseWriteCache(10, TimeSpan.FromMilliseconds(50)))
        {
            var id = Guid.NewGuid();
            shortLived.Put(Tenant, id, 3, Case(id), Summary(id));
            await Task.Delay(120);
            Assert.Null(shortLived.TryTake(Tenant, id, 3));
            shortLived.Put(Tenant, id, 4, Case(id), Summary(id));
            for (var i = 0; i < 100 && shortLived.Count > 0; i++)
            {
                await Task.Delay(20); // the sweep runs once per lifetime
            }

            Assert.Equal(0, shortLived.Count);
        }

        using var bounded = new CaseWriteCache(10, TimeSpan.FromMinutes(1));
        var ids = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToList();
        foreach (var id in ids)
        {
            bounded.Put(Tenant, id, 1, Case(id), Summary(id));
            Assert.True(bounded.Count <= 10);
        }

        Assert.Single(bounded.Held(ids[^1]));

        using var off = new CaseWriteCache(0, TimeSpan.FromMinutes(1));
        off.Put(Tenant, ids[0], 1, Case(ids[0]), Summary(ids[0]));
        Assert.Equal(0, off.Count);
        Assert.False(off.Enabled);
    }

    [Fact]
    public async Task Making_room_while_other_changes_take_and_drop_entries_never_fails()
    {
        // Regression (benchmark load, 2026-12-06): making room sorted a live view of the dictionary; an entry taken
        // between its count and its copy left an empty slot, and the change that had just committed answered 500.
        using var cache = new CaseWriteCache(16, TimeSpan.FromMinutes(1));
        var ids = Enumerable.Range(0, 64).Select(_ => Guid.NewGuid()).ToArray();
        var until = DateTime.UtcNow.AddSeconds(2);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(n => Task.Run(() =>
        {
            var random = new Random(n);
            while (DateTime.UtcNow < until)
            {
                var id = ids[random.Next(ids.Length)];
                switch (random.Next(3))
                {
                    case 0:
                        cache.Put(Tenant, id, random.Next(1, 4), Case(id), Summary(id));
                        break;
                    case 1:
                        cache.TryTake(Tenant, id, random.Next(1, 4));
                        break;
                    default:
                        cache.Forget(Tenant, id);
                        break;
                }
            }
        })));

        Assert.True(cache.Count <= 16 + 4); // four writers may each have added one past a full check
    }

    /// <summary>How many cases a node keeps, and how long, have documented ranges (0–10,000 cases, 0–600 s); outside them the node does not start.</summary>
    [Theory]
    [InlineData("Database:WriteCacheCases", "-1")]
    [InlineData("Database:WriteCacheCases", "10001")]
    [InlineData("Database:WriteCacheSeconds", "601")]
    public void A_write_cache_outside_its_range_stops_the_start_with_a_German_message(string setting, string value)
    {
        using var node = app.Factory.WithWebHostBuilder(b => b.UseSetting(setting, value));
        var refused = Assert.ThrowsAny<Exception>(() => node.CreateClient());
        Assert.Contains("Database:WriteCacheCases muss zwischen 0 und 10000 liegen und Database:WriteCacheSeconds zwischen 0 und 600", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_on_another_node_after_this_node_kept_the_case_is_answered_stale_and_nothing_is_overwritten()
    {
        var cache = app.Factory.Services.GetRequiredService<CaseWriteCache>();
        using var nodeA = await app.ClientFor(Manager);
        await using var otherNode = app.Factory.WithWebHostBuilder(_ => { });
        using var nodeB = otherNode.CreateClient();
        nodeB.DefaultRequestHeaders.Authorization = new("Bearer", await Api.ApiAuthenticationTests.TokenFor(nodeB, Manager));
        var id = await CaseApi.NewCase(nodeA);

        var (status, _) = await Consultation(nodeA, id, 2, "Erstgespräch");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, Assert.Single(cache.Held(id)).Version);

        (status, _) = await Consultation(nodeB, id, 3, "auf dem anderen Knoten");
        Assert.Equal(HttpStatusCode.OK, status);

        // Node A still holds version 3; a user who saw version 3 decides there, and the commit finds version 4.
        var (stale, problem) = await Consultation(nodeA, id, 3, "veraltet");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        Assert.EndsWith("/stale", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, problem.GetProperty("currentVersion").GetInt64());

        (status, _) = await Consultation(nodeA, id, 4, "danach");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(5, Assert.Single(cache.Held(id)).Version);
        // Decided on what node A kept from the change before: the summary it writes still holds every consultation.
        (status, _) = await Consultation(nodeA, id, 5, "gleich danach");
        Assert.Equal(HttpStatusCode.OK, status);
        var file = await nodeA.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal(6, file.GetProperty("version").GetInt64());
        var notes = file.GetProperty("consultations").EnumerateArray().Select(c => c.GetProperty("note").GetString()).Order().ToList();
        Assert.Equal(["auf dem anderen Knoten", "danach", "Erstgespräch", "gleich danach"], notes);
        Assert.Equal(6, Assert.Single(cache.Held(id)).Version);
    }

    [Fact]
    public async Task A_kept_case_answers_not_found_to_another_manager_and_to_another_organisation_and_serves_its_manager_after()
    {
        var cache = app.Factory.Services.GetRequiredService<CaseWriteCache>();
        using var manager = await app.ClientFor(Manager);
        var id = await CaseApi.NewCase(manager);
        var (status, _) = await Consultation(manager, id, 2, "Erstgespräch");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(cache.Held(id));

        using var colleague = await app.ClientFor("im3@musterstadt.example");
        var (refused, body) = await Consultation(colleague, id, 3, "fremd");
        Assert.Equal(HttpStatusCode.NotFound, refused);
        Assert.EndsWith("/not-found", body.GetProperty("type").GetString(), StringComparison.Ordinal);

        using var elsewhere = await app.ClientFor(OtherOrganisationManager);
        (refused, _) = await Consultation(elsewhere, id, 3, "andere Organisation");
        Assert.Equal(HttpStatusCode.NotFound, refused);

        (status, _) = await Consultation(manager, id, 3, "weiter");
        Assert.Equal(HttpStatusCode.OK, status);
        var file = await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
        Assert.Equal(4, file.GetProperty("version").GetInt64());
        Assert.Equal(2, file.GetProperty("consultations").GetArrayLength());
    }

    [Fact]
    public async Task An_erasure_drops_the_kept_case_from_the_node()
    {
        var cache = app.Factory.Services.GetRequiredService<CaseWriteCache>();
        using var manager = await app.ClientFor(Manager);
        using var dpo = await app.ClientFor("dpo@musterstadt.example");
        var id = await CaseApi.NewCase(manager);
        var (status, _) = await Consultation(manager, id, 2, "Erstgespräch");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(cache.Held(id));

        var caseNumber = (await manager.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}")).GetProperty("caseNumber").GetString();
        using var requested = await dpo.PostAsJsonAsync($"/api/v1/data-protection/subjects/{id}/erasure", new { reason = "Antrag der betroffenen Person", legalBasis = "Art. 17 Abs. 1 lit. a DSGVO" });
        var erasureId = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("erasureId").GetGuid();
        using (var confirmed = await dpo.PostAsJsonAsync($"/api/v1/data-protection/erasures/{erasureId}/confirm", new { caseNumber }))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        Assert.Empty(cache.Held(id));
    }

    [Fact]
    public async Task Many_writers_each_on_cases_of_their_own_change_them_in_a_row_from_the_kept_state_without_an_error()
    {
        // The load scenario's pattern: each writer changes its own cases one after another with the version the last
        // answer gave, while the others do the same; the cache is smaller than the cases, so entries are also dropped.
        await using var small = app.Factory.WithWebHostBuilder(b => b.UseSetting("Database:WriteCacheCases", "8"));
        var writers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var client = small.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", await Api.ApiAuthenticationTests.TokenFor(client, Manager));
            var cases = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                cases.Add(await CaseApi.NewCase(client));
            }

            return (Client: client, Cases: cases);
        }));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await Task.WhenAll(writers.Select((w, n) => Task.Run(async () =>
        {
            var random = new Random(n);
            var versions = w.Cases.ToDictionary(c => c, _ => 2L);
            for (var i = 0; i < 25; i++)
            {
                var id = w.Cases[random.Next(w.Cases.Count)];
                var (status, body) = await Consultation(w.Client, id, versions[id], $"Gespräch {i}");
                if (status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"{(int)status} {body}");
                    continue;
                }

                versions[id] = body.GetProperty("version").GetInt64();
            }
        })));

        Assert.Empty(failures);
        foreach (var (client, cases) in writers)
        {
            foreach (var id in cases)
            {
                var file = await client.GetFromJsonAsync<JsonElement>($"/api/v1/clients/{id}");
                Assert.Equal(file.GetProperty("version").GetInt64() - 2, file.GetProperty("consultations").GetArrayLength());
            }

            client.Dispose();
        }
    }

    private const string OtherOrganisationManager = "im1@beispiel.example";

    private static Task<(HttpStatusCode Status, JsonElement Body)> Consultation(HttpClient client, Guid id, long version, string note) =>
        CaseApi.PostVersioned(client, $"/api/v1/clients/{id}/consultations", new { date = "2026-11-02", durationMinutes = 30, mode = "Office", note }, version);
}
