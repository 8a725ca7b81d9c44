using System.Net;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseManagement.Tests.Hardening;
using CaseManagement.Tests.Infrastructure;
using static CaseManagement.Tests.Districts.DistrictScenario;

namespace CaseManagement.Tests.Districts;

/// <summary>
/// The district access matrix (docs/district.md): the coordinator reaches the district's figures and the pages every
/// signed-in user has (start, own account and security, language) — and nothing else. Every other operation of the
/// application (from the OpenAPI document and the MVC action descriptors, as <see cref="RouteWideHostileInputTests"/>
/// enumerates them, so a new route is covered without a new test) answers 401/403/404/405 or sends the page to "Kein
/// Zugriff", with the route ids of real cases of the coordinator's own organisation and of a member organisation.
/// </summary>
public sealed class DistrictAccessMatrixTests(AppFixture app, ITestOutputHelper output) : IClassFixture<AppFixture>
{
    /// <summary>What a coordinator may reach: the district's figures and what every signed-in user has.</summary>
    private static readonly string[] Allowed =
    [
        "GET /", "GET /landkreis/auswertung", "GET /landkreis/wirkung",
        "GET /api/v1/districts/{id:guid}/report", "GET /api/v1/districts/{id:guid}/outcomes",
        "GET /api/v1/me", "GET /api/v1/problems/{type}", "POST /sprache",
    ];

    /// <summary>The own account (sign-in, sign-out, password, two factors, sessions, tokens) and the error pages.</summary>
    private static readonly string[] AllowedPrefixes = ["/konto/", "/sicherheit", "/api/v1/auth/", "/fehler", "/openapi", "/health", "/gesundheit", "/alive"];

    [Fact]
    public async Task The_coordinator_gets_no_case_subject_document_export_import_approval_reminder_or_appointment_route()
    {
        var own = (await CasesWithPlan(app, "im1@beispiel.example", 1))[0];
        var member = (await CasesWithPlan(app, "im1@musterstadt.example", 1))[0];
        using var anonymous = app.Factory.CreateClient();
        var catalogue = await RouteCatalogue.ReadAsync(app.Factory.Services, anonymous);
        using var api = await app.ClientFor(Coordinator);
        using var web = await app.SignedInAs(Coordinator);
        var token = (await web.GetPageAsync("/")).QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")!.Value;

        var operations = catalogue.Api.Concat(catalogue.Pages).ToList();
        var checkedKeys = new List<string>();
        var failures = new List<string>();
        foreach (var operation in operations)
        {
            if (Allowed.Contains(operation.Key) || AllowedPrefixes.Any(p => operation.Template.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            checkedKeys.Add(operation.Key);
            foreach (var caseId in new[] { own, member })
            {
                var path = operation.Path(_ => caseId.ToString());
                using var request = new HttpRequestMessage(new HttpMethod(operation.Method), path);
                if (operation.Method != "GET")
                {
                    request.Content = operation.IsApi
                        ? new StringContent("{}", Encoding.UTF8, "application/json")
                        : new FormUrlEncodedContent([new("__RequestVerificationToken", token)]);
                }

                if (operation.IsApi && operation.Method != "GET")
                {
                    // Past the preconditions (If-Match, a multipart body for uploads), so that the answer is the access check's.
                    request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
                    if (operation.Template.EndsWith("/documents", StringComparison.Ordinal) || operation.Template.EndsWith("/imports", StringComparison.Ordinal))
                    {
                        request.Content = new MultipartFormDataContent { { new ByteArrayContent("x"u8.ToArray()), "file", "x.pdf" } };
                    }
                }

                using var response = await (operation.IsApi ? api : web.Client).SendAsync(request);
                var status = (int)response.StatusCode;
                var to = response.Headers.Location?.OriginalString ?? "";
                // 415/422: the empty body is refused by the input check before any case is read — the same answer for any id,
                // nothing stored and nothing of the case returned (a write with a valid body reaches CaseGate: "not found").
                var denied = status is 401 or 403 or 404 or 405 or 415 or 422
                             || (status is 302 or 303 && (to.Contains("/konto/kein-zugriff", StringComparison.Ordinal) || to.Contains("/konto/anmelden", StringComparison.Ordinal)));
                if (!denied)
                {
                    failures.Add($"{operation.Key} ({path}): {status} {to}");
                }
            }
        }

        output.WriteLine($"Operations: {operations.Count}; checked as the coordinator: {checkedKeys.Count}, each with a case of the own and of a member organisation");
        // The enumeration covers every kind of route the issue names (a sanity check of the catalogue, not of access).
        foreach (var kind in new[] { "/faelle/", "/api/v1/clients", "/datenschutz/betroffene", "dokumente", "/documents", "export", "import", "/freigaben", "/approvals", "/erinnerungen", "/reminders", "/termine", "/appointments", "/berichte/", "/api/v1/reports/" })
        {
            Assert.True(checkedKeys.Any(k => k.Contains(kind, StringComparison.OrdinalIgnoreCase)), $"No route with {kind} was checked.");
        }

        Assert.True(failures.Count == 0, $"The coordinator reached {failures.Count} routes:\n{string.Join("\n", failures)}");
    }
}
