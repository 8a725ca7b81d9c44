using System.Diagnostics;
using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseManagement.Reminders;
using CaseManagement.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CaseManagement.Tests.Hardening;

/// <summary>
/// Issue 14, "How to prove it": every operation of the OpenAPI document and every MVC action, for every role of
/// two organisations and anonymously, with request values generated from the bound types (FsCheck, fixed seed):
/// each request carries at least one hostile value, the other fields are plausible. No answer may be a 5xx,
/// nothing may be stored, and nothing may be logged at Error level.
/// </summary>
public sealed class RouteWideHostileInputTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    /// <summary>The seed of every generated value: the same requests on every run.</summary>
    private const ulong Seed = 14_05_2026;

    /// <summary>Requests per operation and role that gets past authorisation, at least (one per field if there are more fields).</summary>
    private const int MinimumPerOperationAndRole = 3;

    private static readonly string[] Users =
    [
        "im1@musterstadt.example", "im2@musterstadt.example", "lead@musterstadt.example", "dpo@musterstadt.example", "admin@musterstadt.example",
        "im1@beispiel.example", "admin@beispiel.example",
    ];

    [Fact]
    public async Task Every_operation_answers_hostile_values_from_every_role_without_a_5xx_and_stores_nothing()
    {
        var clock = Stopwatch.StartNew();
        var actors = await ActorsAsync();
        try
        {
            await RunAsync(actors, clock);
        }
        finally
        {
            foreach (var actor in actors)
            {
                actor.Web.Dispose();
                actor.Api.Dispose();
            }
        }
    }

    /// <summary>
    /// Signing out and refreshing end or rotate the actor's own session whatever else the request carries (they read
    /// no input): they would take the actor out of the rest of the run. Their own tests are in Account/ and Api/.
    /// </summary>
    private static readonly HashSet<string> EndsOwnSession = new(StringComparer.Ordinal)
    {
        "POST /api/v1/auth/logout", "POST /api/v1/auth/refresh", "POST /konto/abmelden",
    };

    private async Task RunAsync(List<Actor> actors, Stopwatch clock)
    {
        using var anonymousApi = app.Factory.CreateClient();
        var catalogue = await RouteCatalogue.ReadAsync(app.Factory.Services, anonymousApi);
        // The probe's triggers are DDL: installed and read as the owner (the application's role may create nothing).
        await using var dataSource = NpgsqlDataSource.Create(app.OwnerConnectionString);
        var stored = await StoredState.WatchAsync(dataSource);
        var before = await stored.CountAsync();
        var errorsBefore = app.Factory.Logs.Entries.Count(e => e.Level >= LogLevel.Error);
        var setUp = clock.Elapsed;

        var failures = new List<string>();
        var (requests, values) = (0, 0);
        var statuses = new SortedDictionary<int, int>();
        var kinds = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var operations = catalogue.Api.Concat(catalogue.Pages).Concat(catalogue.OtherEndpoints.Select(path => new Operation("GET", path, false, path, [])))
            .Where(o => !EndsOwnSession.Contains(o.Key)).ToList();
        foreach (var operation in operations)
        {
            foreach (var actor in actors)
            {
                // The first request tells whether the role gets past authentication and authorisation at all; if it
                // does, every field (and part of a field) of the operation gets a hostile value of its own.
                for (var number = 0; ; number++)
                {
                    var request = Generate(operation, actor, number);
                    requests++;
                    values += request.ValueCount;
                    kinds[request.Hostility.Kind] = kinds.GetValueOrDefault(request.Hostility.Kind) + 1;
                    var (status, location) = await SendAsync(operation, actor, request);
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status >= 500)
                    {
                        failures.Add($"{operation.Key} als {actor.Name}: {status} bei {request.Hostility.Field} = {request.Hostility.Value.Describe()} ({request.Hostility.Kind})");
                    }

                    var last = IsBarrier(status, location) || number + 1 >= Math.Max(request.Targets, MinimumPerOperationAndRole);
                    if (!IsBarrier(status, location))
                    {
                        reached.Add(operation.Key);
                    }

                    // Every request that may change something is checked on its own; reading ones once per operation and role.
                    if (operation.Method != "GET" || last)
                    {
                        var changedNow = await stored.ChangesSinceLastAsync();
                        if (changedNow is { Count: > 0 } changed)
                        {
                            failures.Add($"{operation.Key} als {actor.Name} ({status}) hat gespeichert – {string.Join(", ", changed)} – "
                                         + (operation.Method == "GET" ? "bei einer dieser Abfragen" : $"trotz {request.Hostility.Field} = {request.Hostility.Value.Describe()} ({request.Hostility.Kind})"));
                        }
                    }

                    if (last)
                    {
                        break;
                    }
                }
            }
        }

        var after = await stored.CountAsync();
        var errors = app.Factory.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Skip(errorsBefore).ToList();
        var forms = catalogue.Pages.Where(o => o.Inputs.Any(i => i.Location == Location.Form)).ToList();
        output.WriteLine($"API operations (OpenAPI document): {catalogue.Api.Count}; MVC actions: {catalogue.Pages.Count} " +
                         $"({forms.Count} forms); other endpoints: {catalogue.OtherEndpoints.Count} ({string.Join(", ", catalogue.OtherEndpoints)})");
        output.WriteLine($"Roles: {actors.Count} ({string.Join(", ", actors.Select(a => a.Name))}); with a reminder of their own: " +
                         $"{string.Join(", ", actors.Where(a => a.Ids.Reminder is not null).Select(a => a.Name))}; tables watched: {stored.Tables.Count}");
        output.WriteLine($"Requests: {requests:N0}, each with one hostile value (every field of an operation for each role that may call it, at least " +
                         $"{MinimumPerOperationAndRole}; one for a role that may not; seed {Seed}); operations a role got past authorisation: {reached.Count} of {operations.Count} " +
                         $"(not: {string.Join(", ", operations.Select(o => o.Key).Where(k => !reached.Contains(k)))})");
        output.WriteLine($"Values sent in all (fields and list entries): {values:N0}");
        output.WriteLine($"Hostile values by kind: {string.Join(", ", kinds.Select(k => $"{k.Key} ×{k.Value}"))}");
        output.WriteLine($"Answers: {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
        output.WriteLine($"Set-up {setUp.TotalSeconds:0.0} s, run {(clock.Elapsed - setUp).TotalSeconds:0.0} s");

        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} hostile requests failed:\n{string.Join("\n", failures)}\n\nLogged errors:\n{app.Factory.Logs.ErrorsText}");
        Assert.Empty(StoredState.Differences(before, after));
        Assert.True(errors.Count == 0, "Logged at Error level during the run:\n" + string.Join("\n", errors.Select(e => $"{e.Category}: {e.Message}")));
    }

    /// <summary>A role's sessions (cookie for pages, bearer token for the API) and the ids it owns.</summary>
    private sealed record Actor(string Name, WebSession Web, HttpClient Api, string AntiforgeryToken, OwnIds Ids);

    private sealed record OwnIds(Guid? Case, long CaseVersion, Guid? Goal, Guid? Step, Guid? User, Guid? Team, Guid? Reminder);

    /// <summary>One request: every value by place ("route:id", "Form:Note", "Body:"), the hostile one, and how many places a hostile value can go.</summary>
    private sealed record Request(IReadOnlyDictionary<string, Value> Values, Hostility Hostility, int ValueCount, int Targets);

    /// <summary>
    /// The seven demo users of two organisations and an anonymous visitor. Each manager gets a case with a goal
    /// and a step through the API; the lead and the DPO use their colleague's case, administrators their
    /// organisation's; the reminder run gives the managers reminders of their own.
    /// </summary>
    private async Task<List<Actor>> ActorsAsync()
    {
        var cases = new Dictionary<string, (Guid Case, Guid Goal, Guid Step)>();
        foreach (var manager in new[] { "im1@musterstadt.example", "im2@musterstadt.example", "im1@beispiel.example" })
        {
            using var api = await app.ClientFor(manager);
            var caseId = await CaseApi.NewCase(api);
            var (status, goal) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals",
                new { field = "Language", text = "Deutsch B1", agreedOn = "2026-03-01", targetDate = "2027-03-01" }, 2);
            Assert.Equal(HttpStatusCode.Created, status);
            var goalId = goal.GetProperty("goalId").GetGuid();
            (status, var planned) = await CaseApi.PostVersioned(api, $"/api/v1/clients/{caseId}/goals/{goalId}/steps",
                new { text = "Kurs suchen", responsible = "Client", dueDate = "2027-01-15" }, 3);
            Assert.Equal(HttpStatusCode.OK, status);
            var stepId = planned.GetProperty("goals").EnumerateArray().Single().GetProperty("steps").EnumerateArray().Single().GetProperty("id").GetGuid();
            cases[manager] = (caseId, goalId, stepId);
        }

        var organisations = await app.WithDb(db => db.Organisations.Select(o => o.Id).ToListAsync());
        foreach (var organisation in organisations)
        {
            await using var scope = app.Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReminderScan>().RunAsync(organisation, CancellationToken.None);
        }

        var actors = new List<Actor>();
        foreach (var email in Users)
        {
            var user = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == email));
            var own = email switch
            {
                "lead@musterstadt.example" or "dpo@musterstadt.example" or "admin@musterstadt.example" => cases["im1@musterstadt.example"],
                "admin@beispiel.example" => cases["im1@beispiel.example"],
                _ => cases[email],
            };
            var api = await app.ClientFor(email);
            using var read = await api.GetAsync($"/api/v1/clients/{own.Case}");
            var version = read.Headers.ETag is { } tag ? long.Parse(tag.Tag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture) : 4;
            var reminder = await app.WithDb(db => db.Database.SqlQuery<Guid>($"select id as \"Value\" from cases.reminders where assignee_id = {user.Id} limit 1").ToListAsync());
            var web = await app.SignedInAs(email);
            actors.Add(new Actor(email, web, api, await TokenAsync(web, "/"),
                new OwnIds(own.Case, version, own.Goal, own.Step, user.Id, user.TeamId, reminder.Count > 0 ? reminder[0] : null)));
        }

        var visitor = app.NewSession();
        actors.Add(new Actor("anonym", visitor, app.Factory.CreateClient(), await TokenAsync(visitor, "/konto/anmelden"),
            new OwnIds(null, 0, null, null, null, null, null)));
        return actors;
    }

    /// <summary>An antiforgery token of the session, from a page it can open; checked with a harmless form (the language switch).</summary>
    private static async Task<string> TokenAsync(WebSession session, string page)
    {
        var token = (await session.GetPageAsync(page)).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")?.Value
                    ?? throw new InvalidOperationException($"No antiforgery token on {page}.");
        using var language = await session.PostAsync("/sprache", WebSession.Fields(("culture", "de-DE"), ("returnUrl", "/"), ("__RequestVerificationToken", token)));
        Assert.Equal(HttpStatusCode.Redirect, language.StatusCode);
        return token;
    }

    /// <summary>
    /// Request number <paramref name="number"/> for one operation and role, from FsCheck generators with a seed of its
    /// own (so that a new operation does not change the values of the others): plausible values for every field, and
    /// the field (or part of a field: a list entry, a property) number <paramref name="number"/> replaced by a hostile
    /// value of a kind the generator chooses. An operation without fields gets a stray hostile field.
    /// </summary>
    private static Request Generate(Operation operation, Actor actor, int number)
    {
        var fields = operation.Fields;
        var stray = fields.Count == 0;
        if (stray)
        {
            fields = [new Input("hinweis", operation.IsApi || operation.Method is "GET" or "DELETE" ? Location.Query : Location.Form, new Shape.Text())];
        }

        var routes = operation.Inputs.Where(i => i.Location == Location.Route).ToList();
        var generator =
            from routeValues in Gen.CollectToList(routes, r => Known(operation, r.Name, actor, stray) is { } id ? Gen.Constant<Value>(new Value.Scalar(id.ToString())) : ValueGenerators.Plausible(r.Shape))
            from plausible in Gen.CollectToList(fields, f => Contextual(f, actor) is { } known ? Gen.Constant(known) : ValueGenerators.Plausible(f.Shape))
            let targets = fields.SelectMany((f, i) => ValueGenerators.Targets(f.Location == Location.Body ? "" : f.Name, f.Shape, plausible[i])
                .Where(t => ValueGenerators.CanBeHostile(t.Shape, json: f.Location == Location.Body))
                .SelectMany(t => HostileFor(t.Shape, t.Value, f.Location, stray).Select(hostile => (Index: i, t.Path, t.Replace, Hostile: hostile)))).ToList()
            let target = targets[number % targets.Count]
            from hostile in target.Hostile
            select Build(routes, routeValues, fields, plausible, target.Index, target.Replace(hostile.Value), new Hostility(
                target.Path.Length == 0 ? "(Body)" : target.Path, hostile.Kind, hostile.Value), targets.Count);
        // Sample(generator, number of samples, seed, size).
        return generator.Sample(1, new Rnd(Seed ^ StableHash($"{operation.Key} {actor.Name} {number}")), 10)[0];
    }

    /// <summary>The hostile values of one place: each kind on its own for a number, one of any kind otherwise.</summary>
    private static IEnumerable<Gen<(string Kind, Value Value)>> HostileFor(Shape shape, Value plausible, Location location, bool stray)
    {
        if (stray)
        {
            return [StrayHostile(location)];
        }

        var kinds = ValueGenerators.HostileKinds(shape, plausible, json: location == Location.Body, inUrl: location == Location.Query);
        return ValueGenerators.TryEveryKind(shape) ? kinds : [Gen.OneOf(kinds)];
    }

    /// <summary>The role does not get past authentication or authorisation: 401, 403, or a page's redirect to sign-in or "no access".</summary>
    private static bool IsBarrier(int status, string? location) =>
        status is 401 or 403
        || (status is 302 or 303 && location is { } to && (to.Contains("/konto/anmelden", StringComparison.Ordinal) || to.Contains("/konto/kein-zugriff", StringComparison.Ordinal)));

    private static Request Build(
        List<Input> routes, List<Value> routeValues, IReadOnlyList<Input> fields, List<Value> values, int index, Value replaced, Hostility hostility, int targets)
    {
        var all = new Dictionary<string, Value>(StringComparer.Ordinal);
        for (var i = 0; i < routes.Count; i++)
        {
            all["route:" + routes[i].Name] = routeValues[i];
        }

        for (var i = 0; i < fields.Count; i++)
        {
            all[$"{fields[i].Location}:{fields[i].Name}"] = i == index ? replaced : values[i];
        }

        return new Request(all, hostility, all.Values.Sum(Count), targets);
    }

    private static int Count(Value value) => value switch
    {
        Value.Items list => Math.Max(1, list.Values.Sum(Count)),
        Value.Fields record => Math.Max(1, record.Values.Sum(f => Count(f.Value))),
        _ => 1,
    };

    /// <summary>A stray field of an operation that binds nothing: a NUL character, or a text over the size limits.</summary>
    private static Gen<(string Kind, Value Value)> StrayHostile(Location location) =>
        Gen.Elements(
            ("NUL-Zeichen", (Value)new Value.Scalar("x\0y")),
            location == Location.Form ? ("1 MB Text", new Value.Scalar(ValueGenerators.OneMegabyte)) : ("10.001 Zeichen", new Value.Scalar(ValueGenerators.OverLongText)));

    /// <summary>
    /// The role's own ids where the route names them (its case, goal, step, reminder, own user and team), random
    /// ids otherwise — and always random for an operation that binds nothing but its route (a stray field does
    /// not make such a request hostile to the operation itself, so it must not find anything to change).
    /// </summary>
    private static Guid? Known(Operation operation, string name, Actor actor, bool stray)
    {
        if (stray)
        {
            return null;
        }

        var ids = actor.Ids;
        var template = operation.Template;
        return name.ToLowerInvariant() switch
        {
            "goalid" => ids.Goal,
            "stepid" => ids.Step,
            "caseid" or "clientid" => ids.Case,
            "teamid" => ids.Team,
            "id" when template.Contains("/faelle/", StringComparison.Ordinal) || template.Contains("/clients/", StringComparison.Ordinal)
                      || template.Contains("/betroffene/", StringComparison.Ordinal) => ids.Case,
            "id" when template.Contains("/benutzer/", StringComparison.Ordinal) => ids.User,
            "id" when template.Contains("/teams/", StringComparison.Ordinal) => ids.Team,
            "id" when template.Contains("erinnerungen/", StringComparison.Ordinal) || template.Contains("/reminders/", StringComparison.Ordinal) => ids.Reminder,
            _ => null,
        };
    }

    /// <summary>Plausible values the test knows better than a generator: the case version a form carries, the own goal and case.</summary>
    private static Value? Contextual(Input input, Actor actor) => (input.Name.ToLowerInvariant(), input.Shape) switch
    {
        ("version", Shape.WholeNumber) when actor.Ids.Case is not null => new Value.Scalar(actor.Ids.CaseVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Literal: true),
        ("goalid", Shape.Id) when actor.Ids.Goal is { } goal => new Value.Scalar(goal.ToString()),
        ("caseids", Shape.ListOf) when actor.Ids.Case is { } own => new Value.Items([new Value.Scalar(own.ToString())]),
        _ => null,
    };

    private static async Task<(int Status, string? Location)> SendAsync(Operation operation, Actor actor, Request request)
    {
        var path = operation.Path(name => request.Values.TryGetValue("route:" + name, out var v) && v is Value.Scalar s ? s.Text : Guid.Empty.ToString());
        var query = request.Values.Where(v => v.Key.StartsWith("Query:", StringComparison.Ordinal))
            .SelectMany(v => v.Value.Flatten(v.Key["Query:".Length..]))
            .Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")
            .ToList();
        using var message = new HttpRequestMessage(new HttpMethod(operation.Method), path + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
        if (request.Values.FirstOrDefault(v => v.Key.StartsWith("Body:", StringComparison.Ordinal)).Value is { } body)
        {
            var json = new StringBuilder();
            body.WriteJson(json);
            message.Content = new StringContent(json.ToString(), Encoding.UTF8, "application/json");
        }

        var form = request.Values.Where(v => v.Key.StartsWith("Form:", StringComparison.Ordinal)).SelectMany(v => v.Value.Flatten(v.Key["Form:".Length..])).ToList();
        if (!operation.IsApi && operation.Method != "GET")
        {
            form.Add(new("__RequestVerificationToken", actor.AntiforgeryToken));
            message.Content = new StringContent(string.Join('&', form.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}")),
                Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        if (operation.IsApi && actor.Ids.Case is { } own && path.Contains(own.ToString(), StringComparison.Ordinal))
        {
            message.Headers.TryAddWithoutValidation("If-Match", $"\"{actor.Ids.CaseVersion}\"");
        }

        try
        {
            using var response = await (operation.IsApi ? actor.Api : actor.Web.Client).SendAsync(message);
            return ((int)response.StatusCode, response.Headers.Location?.OriginalString);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The test server hands an exception that escaped every handler to the client: as bad as a 500.
            return (599, null);
        }
    }

    /// <summary>A hash that stays the same across runs (string.GetHashCode does not).</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
