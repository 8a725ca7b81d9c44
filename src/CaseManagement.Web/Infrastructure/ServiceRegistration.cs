using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Npgsql;

namespace CaseManagement.Web.Infrastructure;

public static class ServiceRegistration
{
    public const string ConnectionStringName = "Postgres";

    public static WebApplicationBuilder AddCaseManagement(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddHttpContextAccessor();
        CaseDataSafeLoggerFactory.Register(services);
        services.AddMemoryCache();
        services.AddScoped<ICurrentUser, HttpCurrentUser>();
        services.AddScoped<Microsoft.AspNetCore.Authentication.IClaimsTransformation, DeputyClaims>();

        // The largest request body Kestrel reads (docs/input-limits.md); RequestLimits answers 413 before that.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = CaseManagement.Common.InputLimits.MaxRequestBodyBytes);
        services.AddStorage(configuration);
        // The memory cache kept the same on every node: changes NOTIFY, every node LISTENs (docs/operations.md, "Several nodes").
        services.AddSingleton<SharedCache>();
        services.AddSingleton(sp => new SharedCacheListener(RequireConnectionString(sp.GetRequiredService<IConfiguration>()),
            sp.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(), sp.GetRequiredService<ILogger<SharedCacheListener>>()));
        services.AddHostedService(sp => sp.GetRequiredService<SharedCacheListener>());
        services.AddSingleton<CaseManagement.SignIn.SessionCache>();
        services.AddIdentityAndSignIn();
        services.AddWebUi();
        services.AddWebHosting();

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Roles), typeof(ServiceRegistration)];
        });
        services.AddSingleton(sp => EligibilityRules.FromConfiguration(
            sp.GetRequiredService<IConfiguration>().GetSection(EligibilityRules.Section)));
        services.AddSingleton(configuration.GetSection(DashboardSettings.Section).Get<DashboardSettings>()
                              ?? new DashboardSettings());
        services.AddSettings<CaseManagement.Reminders.ReminderSettings>(configuration.GetSection(CaseManagement.Reminders.ReminderSettings.Section));
        services.AddSettings<CaseManagement.DataProtection.AccessLogSettings>(configuration.GetSection(CaseManagement.DataProtection.AccessLogSettings.Section));
        services.AddSettings<CaseManagement.DataProtection.RetentionSettings>(configuration.GetSection(CaseManagement.DataProtection.RetentionSettings.Section));
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            return new CaseManagement.Cases.CaseWriteCache(database.WriteCacheCases, TimeSpan.FromSeconds(database.WriteCacheSeconds),
                sp.GetRequiredService<ILogger<CaseManagement.Cases.CaseWriteCache>>());
        });
        services.AddScoped(sp => new CaseManagement.Cases.CaseGate(
            sp.GetRequiredService<IDocumentSession>(), sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<ICurrentUser>(),
            sp.GetRequiredService<CaseManagement.Cases.CaseWriteCache>()));
        services.AddSettings<CaseManagement.SignIn.SessionSettings>(configuration.GetSection(CaseManagement.SignIn.SessionSettings.Section));
        services.AddSettings<SignInLimits>(configuration.GetSection(SignInLimits.Section));
        services.AddScoped<CaseManagement.Reminders.ReminderScan>();
        services.AddScoped<CaseManagement.LocalOffers.IntegreatImport>();
        services.AddHttpClient(CaseManagement.LocalOffers.IntegreatImport.HttpClientName, client =>
            {
                client.Timeout = TimeSpan.FromSeconds(30);
                client.DefaultRequestHeaders.UserAgent.ParseAdd("CaseManagement-LocalOffers/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxResponseHeadersLength = 64 });
        services.AddScoped<CaseCards.RequestMemo>();
        services.AddScoped<CaseManagement.Reminders.ReminderPolicies>();
        services.AddSingleton<CaseManagement.DataProtection.AccessLogWriter>();
        services.AddScoped<CaseManagement.DataProtection.CaseAccessLog>();
        services.AddScoped<CaseManagement.Appointments.CalendarFeeds>();
        services.AddScoped<CaseManagement.DataProtection.AccessLogPurge>();
        services.AddScoped<CaseManagement.DataProtection.CaseEraser>();
        services.AddScoped<CaseManagement.DataProtection.ErasureReplay>();
        services.AddSingleton<CaseManagement.Documents.DocumentContents>();
        services.AddScoped<CaseManagement.DataProtection.RetentionRun>();
        services.AddScoped<CaseManagement.DataProtection.DataProtectionJobs>();
        services.AddScoped<CaseManagement.Reminders.ReminderBadge>();
        services.AddBackgroundJobs(configuration);
        services.AddScoped<CaseManagement.CaseImports.ImportJobs>();
        services.AddScoped<SchemaMigrator>();
        services.AddScoped<DemoData>();
        services.AddSingleton<DemoCases>();
        services.AddScoped<Onboarding>();
        services.AddScoped<PlatformOperations>();

        services.AddCaseManagementMetrics();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        services.AddProblemDetails(GermanProblemDetails.Configure);
        // The OpenAPI document describes types with these options (not MVC's): the same settings, so it shows the wire.
        services.ConfigureHttpJsonOptions(options => ConfigureApiJson(options.SerializerOptions));
        services.AddOpenApi("v1", OpenApiContract.Configure);
        return builder;
    }

    /// <summary>
    /// API contract: camelCase fields, enums as strings, NodaTime values as ISO 8601 (dates YYYY-MM-DD), numbers as JSON
    /// numbers only (<c>"12"</c> for a number is a 400, as the OpenAPI document's plain <c>integer</c> says).
    /// </summary>
    public static void ConfigureApiJson(System.Text.Json.JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        options.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        options.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
    }

    /// <summary>A settings record from its configuration section (its defaults when the section is absent), as a singleton.</summary>
    private static void AddSettings<T>(this IServiceCollection services, IConfigurationSection section)
        where T : class, new() =>
        services.AddSingleton(section.Get<T>() ?? new T());

    /// <summary>Fails at start (with a German message) instead of at the first request when configuration is wrong.</summary>
    public static void ValidateConfiguration(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        RequireConnectionString(services.GetRequiredService<IConfiguration>());
        services.GetRequiredService<EligibilityRules>();
        if (services.GetRequiredService<CaseManagement.SignIn.SessionSettings>().CacheSeconds is < 0 or > 300)
        {
            throw new InvalidOperationException("Sessions:CacheSeconds muss zwischen 0 und 300 liegen (0: die Sitzung bei jeder Anfrage in der Datenbank prüfen).");
        }

        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (database.WriteCacheCases is < 0 or > 10_000 || database.WriteCacheSeconds is < 0 or > 600)
        {
            throw new InvalidOperationException(
                "Database:WriteCacheCases muss zwischen 0 und 10000 liegen und Database:WriteCacheSeconds zwischen 0 und 600 (0: keine Fälle im Speicher behalten).");
        }
    }

    /// <summary>
    /// The connection string is read when the first service needs it (not while registering), so that
    /// hosts and tests can supply configuration up to the moment the application is built.
    /// </summary>
    public static string RequireConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Keine Datenbank konfiguriert: bitte ConnectionStrings__Postgres setzen oder die Anwendung mit ./run.sh starten.");
        }

        // PostgreSQL's error details quote the values of a failed row (names, texts): never in our exceptions or logs.
        return new NpgsqlConnectionStringBuilder(connectionString) { IncludeErrorDetail = false }.ConnectionString;
    }

    private static void AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // First hosted service: a role that may do more than read and write rows stops the start in Production.
        services.AddHostedService<DatabaseRoleCheck>();
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(RequireConnectionString(sp.GetRequiredService<IConfiguration>()));
            builder.ConnectionStringBuilder.MaxAutoPrepare = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.PreparedStatements;
            return builder.UseNodaTime().Build();
        });
        services.AddMarten(sp =>
            {
                var options = new Marten.StoreOptions().ConfigureCaseManagement(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
                options.Listeners.Add(new CaseManagement.Reminders.ReminderTrigger());
                options.Logger(new CaseDataSafeMartenLogger(sp.GetRequiredService<ILoggerFactory>().CreateLogger("Marten")));
                return options;
            })
            .UseNpgsqlDataSource()
            .BuildSessionsWith<TenantSessionFactory>(ServiceLifetime.Scoped)
            .AddAsyncDaemon(DaemonMode.HotCold);

        services.AddDbContext<AppDbContext>((sp, options) =>
            options.UseNpgsql(RequireConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddDataProtection()
            .SetApplicationName("CaseManagement")
            .PersistKeysToDbContext<AppDbContext>()
            .ProtectKeysFromConfiguration(configuration);
    }

    private static void AddIdentityAndSignIn(this IServiceCollection services)
    {
        services.AddIdentity<UserAccount, IdentityRole<Guid>>(options =>
            {
                // NIST SP 800-63B: length, not composition; the rest is CaseManagement.SignIn.PasswordPolicy.
                options.Password.RequiredLength = CaseManagement.SignIn.PasswordPolicy.MinLength;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                // No lockout: a stranger must not be able to lock an account. SignInThrottle slows guessing instead.
                options.Lockout.AllowedForNewUsers = false;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddErrorDescriber<GermanIdentityErrorDescriber>()
            .AddDefaultTokenProviders()
            .AddUserManager<CaseManagementUserManager>()
            .AddPasswordValidator<CaseManagement.SignIn.PasswordPolicy>()
            .AddClaimsPrincipalFactory<CaseManagementClaimsFactory>()
            .AddSignInManager<CaseManagementSignInManager>();

        // Pages authenticate with the Identity cookie, /api with bearer tokens only.
        const string byPath = "CaseManagement.ByPath";
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = byPath;
                options.DefaultAuthenticateScheme = byPath;
                options.DefaultChallengeScheme = byPath;
                options.DefaultForbidScheme = byPath;
            })
            .AddPolicyScheme(byPath, byPath, options => options.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/api") ? IdentityConstants.BearerScheme : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options =>
            {
                options.BearerTokenExpiration = TimeSpan.FromHours(1);
                options.Events.OnMessageReceived = SessionCheck.AuthenticateBearerAsync;
            });

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "cm.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/konto/anmelden";
            options.LogoutPath = "/konto/abmelden";
            options.AccessDeniedPath = "/konto/kein-zugriff";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            // Instead of Identity's security-stamp check every 5 minutes: the session check at every request.
            options.Events.OnValidatePrincipal = SessionCheck.ValidateCookieAsync;
        });
        services.AddScoped<CaseManagement.SignIn.UserSessions>();
        services.AddScoped<ApiTokens>();
        services.AddSingleton<SignInThrottle>();

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
    }

    private static readonly string[] InvalidValueMessage =
        ["Der Wert ist ungültig oder hat das falsche Format (Datumsangaben als JJJJ-MM-TT, Auswahlwerte wie dokumentiert)."];

    /// <summary>Malformed JSON, wrong types or unknown enum values: 400 with German messages per field.</summary>
    private static BadRequestObjectResult GermanModelStateProblem(ActionContext context)
    {
        var errors = context.ModelState
            .Where(entry => entry.Value?.Errors.Count > 0)
            .ToDictionary(
                entry => entry.Key.TrimStart('$', '.'),
                entry => InvalidValueMessage);
        return new BadRequestObjectResult(new ValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = GermanProblemDetails.Title(StatusCodes.Status400BadRequest),
            Detail = "Die Anfrage konnte nicht gelesen werden; es wurde nichts gespeichert.",
        });
    }

    private static void AddWebUi(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<IStringLocalizer<SharedResource>, SharedTexts>();
        // Umlauts and other letters as they are in the HTML, not as numeric entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(Localization.Configure);
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<RazorViewEngineOptions>, FeatureFolderViewLocations>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "cm.af";
            options.FormFieldName = "__RequestVerificationToken";
        });
        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.Filters.Add<DomainExceptionFilter>();
                options.Filters.Add<InputGuardFilter>();
                options.Filters.Add<ProblemLanguageFilter>();
                options.Conventions.Add(new ApiExplorerOnlyForApiControllers());
                Localization.UseGermanBindingMessages(options.ModelBindingMessageProvider);
            })
            .AddJsonOptions(options => ConfigureApiJson(options.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(options => options.InvalidModelStateResponseFactory = GermanModelStateProblem)
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(options =>
                options.DataAnnotationLocalizerProvider = (_, factory) => new SharedTexts(factory));
    }
}
