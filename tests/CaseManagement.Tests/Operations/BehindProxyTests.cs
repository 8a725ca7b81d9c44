using System.Net;
using CaseManagement.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// Behind a reverse proxy: X-Forwarded-For/-Proto count only from configured proxies, cookies are Secure over
/// HTTPS, HSTS in Production, AllowedHosts required in Production and a foreign Host header refused.
/// </summary>
public sealed class BehindProxyTests(AppFixture app) : IClassFixture<AppFixture>
{
    private const string ClientAddress = "203.0.113.7";

    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) =>
        app.Factory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

    private static WebApplicationFactory<Program> InProduction(WebApplicationFactory<Program> factory) =>
        factory.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));

    /// <summary>
    /// One request through the test server as if it came from <paramref name="peer"/> (the TCP peer the proxy
    /// middleware looks at; the test server has none of its own), with the proxy's headers.
    /// </summary>
    private static async Task<HttpContext> Send(
        WebApplicationFactory<Program> factory, string path, string? peer, string host = "localhost", string scheme = "http", params (string Name, string Value)[] headers) =>
        await factory.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = scheme;
            context.Request.Host = new HostString(host);
            context.Request.Path = path;
            context.Connection.RemoteIpAddress = peer is null ? null : IPAddress.Parse(peer);
            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = value;
            }
        });

    private static readonly (string, string)[] ForwardedHttps = [("X-Forwarded-For", ClientAddress), ("X-Forwarded-Proto", "https")];

    private static string AntiforgeryCookie(HttpContext context) =>
        context.Response.Headers.SetCookie.Select(c => c ?? "").Single(c => c.StartsWith("cm.af=", StringComparison.Ordinal));

    private static bool IsSecure(string setCookie) =>
        setCookie.Split(';', StringSplitOptions.TrimEntries).Contains("secure", StringComparer.OrdinalIgnoreCase);

    [Fact]
    public async Task Forwarded_address_and_scheme_count_from_a_configured_proxy_or_network_and_from_nobody_else()
    {
        await using var factory = With(("ForwardedHeaders:KnownProxies:0", "10.0.0.5"), ("ForwardedHeaders:KnownNetworks:0", "10.1.0.0/16"));

        foreach (var proxy in new[] { "10.0.0.5", "10.1.2.3" })
        {
            var page = await Send(factory, "/konto/anmelden", proxy, headers: ForwardedHttps);
            Assert.Equal((200, "https", ClientAddress), (page.Response.StatusCode, page.Request.Scheme, page.Connection.RemoteIpAddress?.ToString()));
            Assert.True(IsSecure(AntiforgeryCookie(page)), AntiforgeryCookie(page));
            var redirect = await Send(factory, "/faelle", proxy, headers: ForwardedHttps);
            Assert.StartsWith("https://localhost/konto/anmelden", redirect.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        }

        foreach (var stranger in new[] { "10.0.0.6", "192.0.2.9", "127.0.0.1" })
        {
            var page = await Send(factory, "/konto/anmelden", stranger, headers: ForwardedHttps);
            Assert.Equal((200, "http", stranger), (page.Response.StatusCode, page.Request.Scheme, page.Connection.RemoteIpAddress?.ToString()));
            Assert.False(IsSecure(AntiforgeryCookie(page)), AntiforgeryCookie(page));
            var redirect = await Send(factory, "/faelle", stranger, headers: ForwardedHttps);
            Assert.StartsWith("http://localhost/konto/anmelden", redirect.Response.Headers.Location.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_configured_proxy_the_forwarded_headers_are_ignored_even_from_loopback()
    {
        foreach (var peer in new[] { "127.0.0.1", "::1", "10.0.0.5" })
        {
            var page = await Send(app.Factory, "/konto/anmelden", peer, headers: ForwardedHttps);
            Assert.Equal(("http", peer), (page.Request.Scheme, page.Connection.RemoteIpAddress?.ToString()));
        }
    }

    [Fact]
    public async Task Over_HTTPS_the_sign_in_and_antiforgery_cookies_are_Secure_and_over_HTTP_they_are_not()
    {
        foreach (var (scheme, secure) in new[] { ("https", true), ("http", false) })
        {
            using var session = new WebSession(app.Factory.Logs, app.Factory.CreateClient(new WebApplicationFactoryClientOptions
            {
                AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri($"{scheme}://localhost"),
            }));
            using var login = await session.GetAsync("/konto/anmelden");
            using var signedIn = await session.SignInAsync("im1@musterstadt.example", "Demo!2026");
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var cookies = login.Headers.GetValues("Set-Cookie").Concat(signedIn.Headers.GetValues("Set-Cookie")).ToList();
            Assert.Contains(cookies, c => c.StartsWith("cm.auth=", StringComparison.Ordinal));
            Assert.Contains(cookies, c => c.StartsWith("cm.af=", StringComparison.Ordinal));
            Assert.All(cookies, c => Assert.True(IsSecure(c) == secure, $"{scheme}: {c}"));
        }
    }

    [Fact]
    public async Task In_Production_HTTPS_answers_carry_HSTS_and_a_foreign_Host_header_gets_400_and_never_a_redirect()
    {
        await using var factory = InProduction(With(("AllowedHosts", "cm.example"), ("ForwardedHeaders:KnownProxies:0", "10.0.0.5")));

        var direct = await Send(factory, "/konto/anmelden", "192.0.2.9", host: "cm.example", scheme: "https");
        var proxied = await Send(factory, "/konto/anmelden", "10.0.0.5", host: "cm.example", headers: ForwardedHttps);
        foreach (var answer in new[] { direct, proxied })
        {
            Assert.Equal(200, answer.Response.StatusCode);
            Assert.StartsWith("max-age=", answer.Response.Headers.StrictTransportSecurity.ToString(), StringComparison.Ordinal);
            Assert.True(IsSecure(AntiforgeryCookie(answer)));
        }

        var plain = await Send(factory, "/konto/anmelden", "192.0.2.9", host: "cm.example");
        Assert.Equal((200, ""), (plain.Response.StatusCode, plain.Response.Headers.StrictTransportSecurity.ToString()));

        foreach (var path in new[] { "/faelle", "/konto/anmelden", "/api/v1/me" })
        {
            var foreign = await Send(factory, path, "10.0.0.5", host: "evil.example", headers: ForwardedHttps);
            Assert.Equal(400, foreign.Response.StatusCode);
            Assert.Equal("", foreign.Response.Headers.Location.ToString());
        }

        // A proxy that passes on a foreign X-Forwarded-Host changes nothing: redirects name the configured host.
        var viaProxy = await Send(factory, "/faelle", "10.0.0.5", host: "cm.example", headers: [.. ForwardedHttps, ("X-Forwarded-Host", "evil.example")]);
        Assert.StartsWith("https://cm.example/konto/anmelden", viaProxy.Response.Headers.Location.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("cm.example;*")]
    public async Task Production_refuses_to_start_while_AllowedHosts_allows_every_host(string allowedHosts)
    {
        await using var factory = InProduction(With(("AllowedHosts", allowedHosts)));
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains("AllowedHosts ist in Production nicht gesetzt oder erlaubt jeden Host", messages, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_proxy_address_that_is_not_an_address_stops_the_start_with_a_German_message()
    {
        await using var factory = With(("ForwardedHeaders:KnownProxies:0", "10.0.0.300"));
        var error = Assert.ThrowsAny<Exception>(() => factory.Server);
        Assert.Contains("ForwardedHeaders__KnownProxies: \"10.0.0.300\" ist keine IP-Adresse.", string.Join(" | ", Chain(error).Select(e => e.Message)), StringComparison.Ordinal);
    }

    /// <summary>An exception with its inner ones (a refused start arrives wrapped).</summary>
    internal static IEnumerable<Exception> Chain(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }
            }
        }
    }
}
