using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// A browser-like HTTP session against the application: keeps cookies, reads pages as HTML and posts
/// forms the way a browser does (with the antiforgery token the page carries).
/// </summary>
public sealed class WebSession(CapturedLogs logs, HttpClient client) : IDisposable
{
    public HttpClient Client => client;

    public async Task<HttpResponseMessage> GetAsync(string url) => await client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));

    public async Task<IDocument> GetPageAsync(string url)
    {
        using var response = await GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}. Logged errors:\n{logs.ErrorsText}");
        return await ParseAsync(response);
    }

    public static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(request => request.Content(html));
    }

    /// <summary>
    /// Submits the form of <paramref name="pageUrl"/> that posts to <paramref name="action"/>, as a browser would:
    /// with the antiforgery token that this very form carries (a form without one fails the test).
    /// </summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        await SubmitAsync(await GetPageAsync(pageUrl), action, fields);

    /// <summary>Submits the form of an already loaded page that posts to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(IDocument page, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.QuerySelectorAll("form").FirstOrDefault(f => f.GetAttribute("action") == action)
            ?? throw new InvalidOperationException($"No form posting to {action} on this page.");
        var token = form.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")?.Value
            ?? throw new InvalidOperationException($"The form posting to {action} carries no antiforgery token.");
        return await PostAsync(action, fields.Append(new("__RequestVerificationToken", token)));
    }

    /// <summary>
    /// A crafted request: a valid antiforgery token taken from <paramref name="pageUrl"/>, sent to an action
    /// that page offers no form for (e.g. another organisation's record).
    /// </summary>
    public async Task<HttpResponseMessage> PostCraftedAsync(string pageUrl, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await GetPageAsync(pageUrl);
        var token = page.QuerySelector<IHtmlInputElement>("input[name=__RequestVerificationToken]")?.Value
            ?? throw new InvalidOperationException($"No antiforgery token on {pageUrl}.");
        return await PostAsync(action, fields.Append(new("__RequestVerificationToken", token)));
    }

    /// <summary>Posts without any token — what a forged cross-site request looks like.</summary>
    public async Task<HttpResponseMessage> PostAsync(string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        return await client.PostAsync(new Uri(action, UriKind.Relative), content);
    }

    public async Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        await PostFormAsync("/konto/anmelden", "/konto/anmelden", Fields(("Email", email), ("Password", password)));

    /// <summary>Follows one redirect and returns the page it leads to.</summary>
    public async Task<IDocument> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.True(redirect.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"Expected a redirect but got {(int)redirect.StatusCode}: {await redirect.Content.ReadAsStringAsync()}");
        return await GetPageAsync(redirect.Headers.Location!.OriginalString);
    }

    /// <summary>Asserts a successful form post (Post/Redirect/Get); otherwise shows the form's errors.</summary>
    public static async Task AssertRedirectAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await ParseAsync(response);
            Assert.Fail($"Expected a redirect, got {(int)response.StatusCode} with errors: {string.Join(" | ", page.ErrorMessages())}");
        }
    }

    /// <summary>The fields a form carries as it is (hidden inputs and filled ones), as a browser would send them on its button.</summary>
    public static IEnumerable<KeyValuePair<string, string>> FormFields(IDocument page, string action)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.QuerySelectorAll("form").FirstOrDefault(f => f.GetAttribute("action") == action)
            ?? throw new InvalidOperationException($"No form posting to {action} on this page.");
        return form.QuerySelectorAll<IHtmlInputElement>("input[name]")
            .Where(i => i.Name != "__RequestVerificationToken" && (i.Type is not ("checkbox" or "radio") || i.IsChecked))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).ToList();
    }

    public static IEnumerable<KeyValuePair<string, string>> Fields(params (string Name, string Value)[] fields) =>
        fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value));

    public void Dispose() => client.Dispose();
}

public static class DocumentExtensions
{
    public static IReadOnlyList<string> NavigationLabels(this IDocument page) =>
        page.QuerySelectorAll("nav.main-nav a").Select(a => a.TextContent.Trim()).ToList();

    public static IReadOnlyList<string> ErrorMessages(this IDocument page) =>
        page.QuerySelectorAll(".error-summary li").Select(li => li.TextContent.Trim()).ToList();

    public static string Heading(this IDocument page) => page.QuerySelector("h1")?.TextContent.Trim() ?? "";
}
