using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Tests.Operations;

/// <summary>
/// The data-protection key ring (behind sign-in cookies, bearer and antiforgery tokens) is stored encrypted with the
/// configured certificate; nodes with the same certificate share it, keys from before the certificate stay readable,
/// and Production does not start without one (docs/operations.md).
/// </summary>
public sealed class KeyRingProtectionTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly XNamespace XmlEnc = "http://www.w3.org/2001/04/xmlenc#";

    [Fact]
    public async Task The_stored_key_ring_is_encrypted_and_holds_no_plain_master_key()
    {
        using var session = await app.SignedInAs("im1@musterstadt.example");

        var keys = await StoredKeys(app.Factory);

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Single(Named(key, "encryptedSecret"));
            Assert.NotEmpty(key.Descendants(XmlEnc + "EncryptedData"));
            Assert.NotEmpty(key.Descendants(XmlEnc + "EncryptedKey"));
            Assert.Empty(Named(key, "masterKey"));
            Assert.Empty(Named(key, "value"));
        });
    }

    [Fact]
    public async Task A_cookie_issued_by_one_node_is_accepted_by_a_second_node_with_the_same_certificate()
    {
        var cookies = await SignInCookies(app.Factory);

        await using var secondNode = new CaseManagementFactory(app.Factory.ConnectionString);

        Assert.Equal(HttpStatusCode.OK, await StatusOfCasesPage(secondNode, cookies));
    }

    [Fact]
    public async Task A_node_with_another_certificate_cannot_read_the_key_ring_and_does_not_accept_the_cookie()
    {
        await using var node = await Seeded(new CaseManagementFactory(await app.Postgres.CreateDatabaseAsync()));
        var cookies = await SignInCookies(node);
        var other = TestCertificates.Create();

        await using var stranger = node.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("DataProtection:Certificate:Path", other.Path);
            builder.UseSetting("DataProtection:Certificate:Password", other.Password);
        });

        Assert.Equal(HttpStatusCode.Redirect, await StatusOfCasesPage(stranger, cookies));
        Assert.Equal(HttpStatusCode.OK, await StatusOfCasesPage(node, cookies));
    }

    [Fact]
    public async Task Keys_stored_before_a_certificate_was_configured_stay_readable()
    {
        await using var after = new CaseManagementFactory(await app.Postgres.CreateDatabaseAsync());
        await using var before = await Seeded(after.WithWebHostBuilder(builder => builder.UseSetting("DataProtection:Certificate:Path", "")));
        var cookies = await SignInCookies(before);
        var plain = Assert.Single(await StoredKeys(before));
        Assert.Empty(Named(plain, "encryptedSecret"));
        Assert.Single(Named(plain, "masterKey"));


        Assert.Equal(HttpStatusCode.OK, await StatusOfCasesPage(after, cookies));
    }

    [Fact]
    public async Task In_Production_a_node_without_a_readable_certificate_does_not_start()
    {
        WebApplicationFactory<Program> InProduction(string path, string password) => app.Factory.WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("AllowedHosts", "localhost");
            builder.UseSetting("DataProtection:Certificate:Path", path);
            builder.UseSetting("DataProtection:Certificate:Password", password);
        });

        await using (var without = InProduction("", ""))
        {
            var refused = Messages(Assert.ThrowsAny<Exception>(() => without.CreateClient()));
            Assert.Contains("In Production bitte ein Zertifikat angeben: DataProtection__Certificate__Path", refused, StringComparison.Ordinal);
        }

        await using (var wrongPassword = InProduction(TestCertificates.KeyRing.Path, "falsch"))
        {
            var refused = Messages(Assert.ThrowsAny<Exception>(() => wrongPassword.CreateClient()));
            Assert.Contains("stimmt DataProtection__Certificate__Password?", refused, StringComparison.Ordinal);
        }

        await using (var missing = InProduction(TestCertificates.KeyRing.Path + ".fehlt", "x"))
        {
            var refused = Messages(Assert.ThrowsAny<Exception>(() => missing.CreateClient()));
            Assert.Contains("DataProtection__Certificate__Path: die Datei", refused, StringComparison.Ordinal);
        }

        await using var with = InProduction(TestCertificates.KeyRing.Path, TestCertificates.KeyRing.Password);
        using var client = with.CreateClient();
        using var ready = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task The_certificate_verb_writes_a_certificate_the_application_can_use_and_never_overwrites_one()
    {
        var folder = Directory.CreateTempSubdirectory("cm-certificate-verb-").FullName;
        try
        {
            var path = Path.Combine(folder, "dataprotection.pfx");
            var variables = new Dictionary<string, string> { ["DataProtection__Certificate__Password"] = "geheim-123" };

            var created = await Organisations.DemoDataTests.RunWebCommand("", "Production", variables, "create-certificate", path);
            var again = await Organisations.DemoDataTests.RunWebCommand("", "Production", variables, "create-certificate", path);

            Assert.True(created.ExitCode == 0, created.Output);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("wird nicht überschrieben", again.Output, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            using var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, "geheim-123");
            using var key = certificate.GetRSAPrivateKey();
            Assert.NotNull(key);

            await using var factory = new CaseManagementFactory(await app.Postgres.CreateDatabaseAsync());
            await using var node = await Seeded(factory.WithWebHostBuilder(builder =>
            {
                builder.UseSetting("DataProtection:Certificate:Path", path);
                builder.UseSetting("DataProtection:Certificate:Password", "geheim-123");
            }));
            var cookies = await SignInCookies(node);
            Assert.Equal(HttpStatusCode.OK, await StatusOfCasesPage(node, cookies));
            Assert.All(await StoredKeys(node), stored => Assert.Single(Named(stored, "encryptedSecret")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Elements by local name (the key XML mixes namespaces).</summary>
    private static IEnumerable<XElement> Named(XElement key, string localName) => key.Descendants().Where(e => e.Name.LocalName == localName);

    /// <summary>The messages of a refused start (it arrives wrapped).</summary>
    internal static string Messages(Exception error) => string.Join(" | ", BehindProxyTests.Chain(error).Select(e => e.Message));

    private static async Task<T> Seeded<T>(T factory)
        where T : WebApplicationFactory<Program>
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(DemoData.DefaultPassword);
        return factory;
    }

    private static async Task<List<XElement>> StoredKeys(WebApplicationFactory<Program> factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var rows = await scope.ServiceProvider.GetRequiredService<CaseManagement.Storage.AppDbContext>().DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
        return rows.Select(XElement.Parse).ToList();
    }

    /// <summary>Signs in as a manager on <paramref name="node"/>; the sign-in cookie(s) as a <c>Cookie</c> header value.</summary>
    private static async Task<string> SignInCookies(WebApplicationFactory<Program> node)
    {
        var logs = node is CaseManagementFactory own ? own.Logs : new CapturedLogs();
        using var session = new WebSession(logs, node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        using var response = await session.SignInAsync("im1@musterstadt.example", DemoData.DefaultPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("cm.auth", StringComparison.Ordinal)).Select(c => c.Split(';')[0]).ToList();
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies);
    }

    /// <summary>GET /faelle with only the given cookies: 200 when the node accepts the sign-in, a redirect to the sign-in page otherwise.</summary>
    private static async Task<HttpStatusCode> StatusOfCasesPage(WebApplicationFactory<Program> node, string cookies)
    {
        using var client = node.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/faelle");
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("http://localhost/konto/anmelden", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        return response.StatusCode;
    }
}
