using CaseManagement.Organisations;
using CaseManagement.Storage;
using Marten;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Weasel.Core;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Operator verbs of the same binary: <c>migrate</c>, <c>rebuild-projections</c>, <c>seed-demo</c>, <c>schema-diff</c>, <c>add-organisation</c>,
/// and the platform operator's account verbs (<c>grant-operator</c>, <c>revoke-operator</c>, <c>grant-dpo</c>, <c>revoke-dpo</c>, <c>set-password</c>),
/// <c>create-certificate</c>, and the erasure log's <c>export-erasures</c> / <c>replay-erasures</c> (README, restore).
/// Without a verb the web application runs.
/// </summary>
public static class CommandLine
{
    public static readonly IReadOnlySet<string> Verbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "migrate", "rebuild-projections", "seed-demo", "schema-diff", "ef-script", "add-organisation", "create-certificate", "help",
        "grant-operator", "revoke-operator", "grant-dpo", "revoke-dpo", "set-password", "export-erasures", "replay-erasures",
    };

    /// <summary>Verbs that change the schema or rewrite whole tables: they connect as the owner (docs/operations.md).</summary>
    public static readonly IReadOnlySet<string> OwnerVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "migrate", "rebuild-projections", "schema-diff",
    };

    /// <summary>
    /// For an owner verb, the process connects with <c>ConnectionStrings:PostgresOwner</c> (when set) instead of the
    /// application's role; <c>Database:ApplicationRole</c> (the role <c>migrate</c> grants its rights to) defaults to the
    /// user of <c>ConnectionStrings:Postgres</c>. Without an owner connection string nothing changes (one role for both).
    /// </summary>
    public static void ConnectAsOwnerFor(string? verb, ConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var owner = configuration.GetConnectionString(DatabaseRoles.OwnerConnectionStringName);
        if (verb is null || !OwnerVerbs.Contains(verb) || string.IsNullOrWhiteSpace(owner))
        {
            return;
        }

        var applicationRole = configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ApplicationRole)}"] is { Length: > 0 } configured
            ? configured
            : DatabaseRoles.RoleOf(configuration.GetConnectionString(ServiceRegistration.ConnectionStringName));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{ServiceRegistration.ConnectionStringName}"] = owner,
            [$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ApplicationRole)}"] =
                applicationRole == DatabaseRoles.RoleOf(owner) ? null : applicationRole,
        });
    }

    /// <summary>Splits <c>args</c> into the verb (if any) and the arguments for the host.</summary>
    public static (string? Verb, string[] HostArgs) Parse(string[] args) =>
        args.Length > 0 && Verbs.Contains(args[0]) ? (args[0], args[1..]) : (null, args);

    public static async Task<int> RunAsync(WebApplication app, string verb, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        switch (verb)
        {
            case "migrate":
            {
                await SchemaMigrator.EnsureDatabaseExistsAsync(
                    app.Configuration.GetConnectionString(ServiceRegistration.ConnectionStringName)!);
                var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
                var directory = SchemaMigrator.LocateDirectory(options.MigrationsPath, AppContext.BaseDirectory);
                var applied = await services.GetRequiredService<SchemaMigrator>().ApplyAsync(directory);
                await Console.Out.WriteLineAsync(applied.Count == 0
                    ? "Datenbankschema ist aktuell."
                    : $"{applied.Count} Migration(en) angewendet: {string.Join(", ", applied)}");
                if (options.ApplicationRole is { Length: > 0 } applicationRole)
                {
                    var schemas = await DatabaseRoles.GrantApplicationRoleAsync(services.GetRequiredService<Npgsql.NpgsqlDataSource>(), applicationRole);
                    await Console.Out.WriteLineAsync($"Rechte der Anwendungsrolle {applicationRole} gesetzt (Schemas {string.Join(", ", schemas)}).");
                }
                else
                {
                    await Console.Error.WriteLineAsync(
                        "Hinweis: keine eigene Rolle für die Anwendung konfiguriert – die Anwendung verbindet sich dann als Eigentümerin des Schemas. "
                        + "Bitte ConnectionStrings__PostgresOwner (Eigentümerrolle) und ConnectionStrings__Postgres (Rolle der Anwendung) setzen (docs/operations.md).");
                }

                return 0;
            }

            case "rebuild-projections":
                await ProjectionRebuild.RebuildAllAsync(services.GetRequiredService<IDocumentStore>(), TimeSpan.FromMinutes(30), CancellationToken.None);
                await Console.Out.WriteLineAsync("Lesemodelle aus den Ereignissen neu aufgebaut.");
                return 0;

            case "seed-demo":
                if (app.Environment.IsProduction())
                {
                    await Console.Error.WriteLineAsync("Demodaten werden in Production nicht angelegt.");
                    return 2;
                }

                await SeedDemoAsync(app, services);
                return 0;

            case "schema-diff":
            {
                // Prints the SQL that would bring the connected database up to Marten's configuration.
                // Review it, then save it as the next file in migrations/.
                var store = services.GetRequiredService<IDocumentStore>();
                var migration = await store.Storage.Database.CreateMigrationAsync();
                if (migration.Difference == SchemaPatchDifference.None)
                {
                    await Console.Error.WriteLineAsync("Marten: keine Unterschiede.");
                    return 0;
                }

                var writer = new StringWriter();
                migration.WriteAllUpdates(writer, new Weasel.Postgresql.PostgresqlMigrator(), JasperFx.AutoCreate.CreateOrUpdate);
                await Console.Out.WriteLineAsync(writer.ToString());
                return 0;
            }

            case "ef-script":
                // The whole EF model (schema identity) as SQL, to compare with migrations/ when the model changes.
                await Console.Out.WriteLineAsync(services.GetRequiredService<AppDbContext>().Database.GenerateCreateScript());
                return 0;

            case "add-organisation":
            {
                if (args.Length < 2)
                {
                    await Console.Error.WriteLineAsync("Aufruf: add-organisation \"<Name>\" <admin-e-mail> [\"<Name der Administratorin>\"]  (Passwort aus CM_ADMIN_PASSWORD)");
                    return 2;
                }

                var password = Environment.GetEnvironmentVariable("CM_ADMIN_PASSWORD");
                if (string.IsNullOrEmpty(password))
                {
                    await Console.Error.WriteLineAsync("Bitte das Anfangspasswort in der Umgebungsvariable CM_ADMIN_PASSWORD übergeben.");
                    return 2;
                }

                var errors = await services.GetRequiredService<Onboarding>()
                    .AddOrganisationAsync(args[0], args[1], args.Length > 2 ? args[2] : args[1], password);
                foreach (var error in errors)
                {
                    await Console.Error.WriteLineAsync(error);
                }

                if (errors.Count > 0)
                {
                    return 1;
                }

                // The new organisation's daily reminder run, at the configured default time.
                var organisation = await EntityFrameworkQueryableExtensions.SingleAsync(
                    services.GetRequiredService<AppDbContext>().Organisations.Where(o => o.Name == args[0].Trim()).Select(o => o.Id));
                CaseManagement.Reminders.ReminderSchedule.Register(services.GetRequiredService<Hangfire.IRecurringJobManager>(), organisation,
                    services.GetRequiredService<CaseManagement.Reminders.ReminderPolicies>().Defaults.DailyAt);
                await Console.Out.WriteLineAsync("Organisation angelegt; tägliche Erinnerungen eingeplant.");
                return 0;
            }

            case "export-erasures" or "replay-erasures":
            {
                if (args.Length < 1)
                {
                    await Console.Error.WriteLineAsync($"Aufruf: {verb} <datei>  (das Löschprotokoll, JSON-Zeilen)");
                    return 2;
                }

                var replay = services.GetRequiredService<CaseManagement.DataProtection.ErasureReplay>();
                if (verb == "export-erasures")
                {
                    var exported = await replay.ExportAsync(args[0], CancellationToken.None);
                    await Console.Out.WriteLineAsync($"{exported} Löschung(en) ins Löschprotokoll {args[0]} geschrieben.");
                    return 0;
                }

                if (!File.Exists(args[0]))
                {
                    await Console.Error.WriteLineAsync($"Das Löschprotokoll {args[0]} gibt es nicht.");
                    return 2;
                }

                var applied = await replay.ReplayAsync(await CaseManagement.DataProtection.ErasureReplay.ReadAsync(args[0], CancellationToken.None), CancellationToken.None);
                await Console.Out.WriteLineAsync($"{applied} Löschung(en) erneut angewendet.");
                return 0;
            }

            case "grant-operator" or "revoke-operator" or "grant-dpo" or "revoke-dpo" or "set-password":
                return await RunAccountVerbAsync(services.GetRequiredService<PlatformOperations>(), verb, args);

            default:
                await Console.Out.WriteLineAsync("Verben: migrate | rebuild-projections | seed-demo | schema-diff | add-organisation \"<Name>\" <admin-e-mail> | create-certificate [<pfx-Datei>] | grant-operator | revoke-operator | grant-dpo | revoke-dpo | set-password <e-mail> | export-erasures <datei> | replay-erasures <datei>; ohne Verb startet die Webanwendung.");
                return 0;
        }
    }

    /// <summary>
    /// The platform operator's account verbs: the platform-operator role (job dashboard) and the
    /// data-protection officer role are never granted in the organisations' administration.
    /// </summary>
    public static async Task<int> RunAccountVerbAsync(PlatformOperations operations, string verb, string[] args)
    {
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length < 1)
        {
            await Console.Error.WriteLineAsync($"Aufruf: {verb} <e-mail>{(verb == "set-password" ? "  (Passwort aus CM_NEW_PASSWORD)" : "")}");
            return 2;
        }

        var email = args[0];
        IReadOnlyList<string> errors;
        string done;
        switch (verb)
        {
            case "set-password":
                var password = Environment.GetEnvironmentVariable("CM_NEW_PASSWORD");
                if (string.IsNullOrEmpty(password))
                {
                    await Console.Error.WriteLineAsync("Bitte das neue Passwort in der Umgebungsvariable CM_NEW_PASSWORD übergeben.");
                    return 2;
                }

                errors = await operations.SetPasswordAsync(email, password);
                done = "Neues Passwort gesetzt; alle Sitzungen des Kontos sind beendet.";
                break;
            case "grant-operator":
                errors = await operations.GrantAsync(email, Roles.PlatformOperator);
                done = "Rolle Plattformbetrieb erteilt.";
                break;
            case "revoke-operator":
                errors = await operations.RevokeAsync(email, Roles.PlatformOperator);
                done = "Rolle Plattformbetrieb entzogen.";
                break;
            case "grant-dpo":
                errors = await operations.GrantAsync(email, Roles.DataProtectionOfficer);
                done = "Als Datenschutzbeauftragte:r bestellt.";
                break;
            default:
                errors = await operations.RevokeAsync(email, Roles.DataProtectionOfficer);
                done = "Bestellung als Datenschutzbeauftragte:r widerrufen.";
                break;
        }

        foreach (var error in errors)
        {
            await Console.Error.WriteLineAsync(error);
        }

        if (errors.Count > 0)
        {
            return 1;
        }

        await Console.Out.WriteLineAsync(done);
        return 0;
    }

    public static async Task SeedDemoAsync(WebApplication app, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(app);
        var password = app.Configuration["Demo:Password"] is { Length: > 0 } configured ? configured : DemoData.DefaultPassword;
        await services.GetRequiredService<DemoData>().SeedAsync(password);
        var cases = await services.GetRequiredService<DemoCases>().SeedAsync();
        await Console.Out.WriteLineAsync($"""

            Demodaten bereit ({cases} neue Demofälle). Anmeldung mit einem dieser Konten, Passwort: {password}
            {string.Join(Environment.NewLine, DemoData.Users.Select(u => $"  {u.Email,-32} {Roles.Label(u.Role)} · {u.Organisation}{(u.Team is null ? "" : " · Team " + u.Team)}"))}

            """);
    }
}
