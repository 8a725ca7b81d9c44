using CaseManagement.Organisations;
using CaseManagement.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// The real application (all services, real PostgreSQL) on its own database, connected as given — by the fixtures as
/// the application's role, which owns nothing (<see cref="PostgresServer.CreateDatabaseAsync"/>).
/// </summary>
public sealed class CaseManagementFactory(string connectionString, string environment = "Testing") : WebApplicationFactory<Program>
{
    public string ConnectionString { get; } = connectionString;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The application's NodaTime clock: real time unless a test sets a moment.</summary>
    public TestClock Clock { get; } = new();

    /// <summary>Starts the application on a free Kestrel port of 127.0.0.1 with the demo data; its address.</summary>
    public async Task<Uri> StartOnKestrelWithDemoDataAsync()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        var address = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(DemoData.DefaultPassword);
        return address;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<NodaTime.IClock>(Clock);
            services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>();
        });
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        // The key ring encrypted with a certificate, as production requires.
        builder.UseSetting("DataProtection:Certificate:Path", TestCertificates.KeyRing.Path);
        builder.UseSetting("DataProtection:Certificate:Password", TestCertificates.KeyRing.Password);
        // Background jobs only where a test asks for them (each test class runs its own application).
        builder.UseSetting("Hangfire:Server", "false");
        builder.UseSetting("Hangfire:Schedule", "false");
        // The evaluation of changed cases runs when a test asks for it (AppFixture.DispatchCaseChangesAsync), not in a loop.
        builder.UseSetting("Reminders:ChangeDispatcher", "false");
        // Integreat stand-ins answer on http://127.0.0.1 (tests/LocalOffers); a slow one is given up after 2 seconds.
        builder.UseSetting("Integreat:AllowHttp", "true");
        builder.UseSetting("Integreat:TimeoutSeconds", "2");
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
    }
}

/// <summary>
/// Class fixture: one database (migrated) with the demo organisations and users, and the application on it.
/// </summary>
public sealed class AppFixture(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>
    /// Password of the accounts tests create through the administration (the password policy applies there;
    /// only the seeded demo accounts have <see cref="DemoData.DefaultPassword"/>).
    /// </summary>
    public const string UserPassword = "Feldberg im Nebel 2026";

    private CaseManagementFactory? _factory;

    public CaseManagementFactory Factory => _factory ?? throw new InvalidOperationException("Not initialised.");

    public PostgresServer Postgres => postgres;

    /// <summary>The application's database signed in as the owner (for what the application's role may not do).</summary>
    public string OwnerConnectionString => postgres.AsOwner(Factory.ConnectionString);

    public async ValueTask InitializeAsync()
    {
        _factory = new CaseManagementFactory(await postgres.CreateDatabaseAsync());
        await using var scope = _factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoData>().SeedAsync(DemoData.DefaultPassword);
    }

    /// <summary>A browser-like session; with <paramref name="clientAddress"/> its requests come from that address (see <see cref="TestClientAddress"/>).</summary>
    public WebSession NewSession(string? clientAddress = null)
    {
        var client = Factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("http://localhost"),
        });
        if (clientAddress is not null)
        {
            client.DefaultRequestHeaders.Add(TestClientAddress.Header, clientAddress);
        }

        return new WebSession(Factory.Logs, client);
    }

    /// <summary>The password the fixture gave an account: the demo password for demo accounts, else <see cref="UserPassword"/>.</summary>
    public static string PasswordOf(string email) =>
        DemoData.Users.Any(u => u.Email == email) ? DemoData.DefaultPassword : UserPassword;

    public async Task<WebSession> SignedInAs(string email, string? password = null)
    {
        var session = NewSession();
        var response = await session.SignInAsync(email, password ?? PasswordOf(email));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        return session;
    }

    /// <summary>
    /// Creates a manager of team Nord (Stadt Musterstadt) through the administrator's form, with
    /// <see cref="UserPassword"/>; returns id and e-mail address.
    /// </summary>
    public async Task<(Guid Id, string Email)> CreateManagerAsync(string name)
    {
        var email = $"{name}-{Guid.NewGuid():N}"[..24] + "@musterstadt.example";
        using var admin = await SignedInAs("admin@musterstadt.example");
        var nord = await WithDb(db => (from t in db.Teams
                                       join o in db.Organisations on t.OrganisationId equals o.Id
                                       where o.Name == DemoData.Musterstadt && t.Name == "Nord"
                                       select t.Id).SingleAsync());
        await WebSession.AssertRedirectAsync(await admin.PostFormAsync("/verwaltung/benutzer/neu", "/verwaltung/benutzer/neu", WebSession.Fields(
            ("Email", email), ("DisplayName", "Test " + name), ("Role", Roles.Manager), ("TeamId", nord.ToString()), ("Password", UserPassword))));
        return (await WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()), email);
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a request scope of the application as the given demo user (the real
    /// claims principal: organisation, team, roles), e.g. to send commands through Mediator.
    /// </summary>
    public async Task<T> AsUser<T>(string email, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.ActAs(await scope.ServiceProvider.PrincipalForAsync(email) ?? throw new InvalidOperationException($"No user {email}."));
        return await work(scope.ServiceProvider);
    }

    /// <summary>
    /// What the dispatcher loop does on a running node: evaluates every changed case (cases.case_changes) and enqueues
    /// or plans their reminder scans. Returns how many rows it took (one per commit that changed a case).
    /// </summary>
    public async Task<int> DispatchCaseChangesAsync()
    {
        var dispatcher = Factory.Services.GetRequiredService<CaseManagement.Reminders.CaseChangeDispatcher>();
        var total = 0;
        for (int taken; (taken = await dispatcher.DispatchAsync(CancellationToken.None)) > 0;)
        {
            total += taken;
        }

        return total;
    }

    /// <summary>What the platform operator's verbs do (grant-operator, grant-dpo, …), run in a scope of the application.</summary>
    public async Task<IReadOnlyList<string>> Operator(Func<PlatformOperations, Task<IReadOnlyList<string>>> verb)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await verb(scope.ServiceProvider.GetRequiredService<PlatformOperations>());
    }

    /// <summary>Runs <paramref name="work"/> with the application's database context (for arranging and checking state).</summary>
    public async Task<T> WithDb<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}

/// <summary>
/// Test-only stand-in for a client's network address: a request with <c>X-Test-Client-Address</c> comes from
/// that address (the sign-in throttle counts per address). Registered by the test factory only.
/// </summary>
public sealed class TestClientAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (System.Net.IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}

/// <summary>NodaTime clock for tests: the system time, or a moment a test set (e.g. to cross a date boundary).</summary>
public sealed class TestClock : NodaTime.IClock
{
    private NodaTime.Instant? fixedAt;

    public NodaTime.Instant GetCurrentInstant() => fixedAt ?? NodaTime.SystemClock.Instance.GetCurrentInstant();

    /// <summary>From now on the clock says noon (Europe/Berlin) of <paramref name="day"/>.</summary>
    public void SetDay(NodaTime.LocalDate day) => fixedAt = day.At(new NodaTime.LocalTime(12, 0)).InZoneStrictly(CaseManagement.Common.Time.Berlin).ToInstant();

    public void Reset() => fixedAt = null;
}
