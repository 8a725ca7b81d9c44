using System.Diagnostics;
using System.Text.RegularExpressions;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using Marten;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Benchmarks;

/// <summary>A generated user who signs in during the run.</summary>
public sealed record BenchUser(Guid Id, string Email, Guid OrganisationId, string Role);

/// <summary>What the scenarios need to know about the generated data.</summary>
public sealed record GeneratedData(
    IReadOnlyList<BenchUser> Users,
    IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> CasesByManager,
    IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> OpenCasesByManager,
    IReadOnlyDictionary<Guid, Guid> LongHistoryCaseByManager,
    long Events,
    TimeSpan Took)
{
    public const string Password = "Bench!2026";

    public IEnumerable<BenchUser> InRole(string role) => Users.Where(u => u.Role == role);
}

/// <summary>
/// Organisations, teams and users through EF (one password hash for all), and the cases' events written in bulk
/// with PostgreSQL COPY into Marten's tables (the same rows Marten writes, serialized by the store's own
/// serializer). The read models are then built by the projection rebuild, which is scenario 4.
/// </summary>
public static partial class DataGenerator
{
    public static async Task<GeneratedData> GenerateAsync(IServiceProvider services, BenchmarkOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.GetTimestamp();
        var preset = options.Preset;
        var users = await CreateUsersAsync(services, options, ct);
        var managers = users.Where(u => u.Role == Roles.Manager).ToList();

        var store = services.GetRequiredService<IDocumentStore>();
        var serializer = store.Options.Serializer();
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var histories = new CaseHistories(options.Today);
        var progress = new Progress("Fälle erzeugen", preset.Cases, options.Quiet);
        var cases = new Dictionary<Guid, IReadOnlyList<Guid>>();
        var open = new Dictionary<Guid, IReadOnlyList<Guid>>();
        var longHistory = new Dictionary<Guid, Guid>();
        long sequence = 0;
        long events = 0;

        foreach (var organisation in managers.GroupBy(m => m.OrganisationId))
        {
            var tenant = TenantIds.For(organisation.Key);
            var numbers = new Dictionary<int, int>();
            // Generated in parallel (pure and seeded per case), written in order.
            var generated = organisation.SelectMany(manager => Enumerable.Range(0, preset.CasesPerManager).Select(c => (manager, c))).ToList()
                .AsParallel().AsOrdered()
                .Select(x => histories.Generate(unchecked((options.Seed * 7919) + (managers.IndexOf(x.manager) * 131) + x.c), x.manager.Id, "", x.c == 0))
                .ToList();
            var numbered = generated.Select(g =>
            {
                var year = g.SupportStart.Year;
                numbers[year] = numbers.GetValueOrDefault(year) + 1;
                return g with { CaseNumber = CaseNumbers.Format(year, numbers[year]) };
            }).ToList();

            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using (var streams = await connection.BeginBinaryImportAsync(
                "COPY marten.mt_streams (tenant_id, id, type, version, timestamp, created, compacted_version, is_archived) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var c in numbered)
                {
                    streams.StartRow();
                    streams.Write(tenant, NpgsqlDbType.Varchar);
                    streams.Write(c.Id, NpgsqlDbType.Uuid);
                    streams.Write("client_case", NpgsqlDbType.Varchar);
                    streams.Write((long)c.Events.Count, NpgsqlDbType.Bigint);
                    streams.Write(c.Events[^1].At.ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
                    streams.Write(c.Events[0].At.ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
                    streams.Write(0L, NpgsqlDbType.Bigint);
                    streams.Write(false, NpgsqlDbType.Boolean);
                }

                await streams.CompleteAsync(ct);
            }

            await using (var rows = await connection.BeginBinaryImportAsync(
                "COPY marten.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, is_archived) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var c in numbered)
                {
                    var version = 0L;
                    foreach (var e in c.Events)
                    {
                        // The case number is known only now: the intake event carries it.
                        var data = e.Data is CaseOpened opened ? opened with { CaseNumber = c.CaseNumber } : e.Data;
                        rows.StartRow();
                        rows.Write(++sequence, NpgsqlDbType.Bigint);
                        rows.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                        rows.Write(c.Id, NpgsqlDbType.Uuid);
                        rows.Write(++version, NpgsqlDbType.Bigint);
                        rows.Write(serializer.ToJson(data), NpgsqlDbType.Jsonb);
                        rows.Write(EventTypeName(data.GetType()), NpgsqlDbType.Varchar);
                        rows.Write(e.At.ToDateTimeUtc(), NpgsqlDbType.TimestampTz);
                        rows.Write(tenant, NpgsqlDbType.Varchar);
                        rows.Write($"{data.GetType().FullName}, {data.GetType().Assembly.GetName().Name}", NpgsqlDbType.Varchar);
                        rows.Write(false, NpgsqlDbType.Boolean);
                        events++;
                    }

                    progress.Advance();
                }

                await rows.CompleteAsync(ct);
            }

            foreach (var byManager in numbered.GroupBy(c => c.ManagerId))
            {
                cases[byManager.Key] = byManager.Select(c => c.Id).ToList();
                open[byManager.Key] = byManager.Where(c => !c.Closed).Select(c => c.Id).ToList();
                longHistory[byManager.Key] = byManager.First().Id;
            }

            // New intakes continue the numbering.
            await using var series = new NpgsqlCommand(
                "insert into cases.case_number_series (tenant_id, year, last_number) select $1, y, n from unnest($2::int[], $3::int[]) as s(y, n)", connection);
            series.Parameters.Add(new() { Value = tenant });
            series.Parameters.Add(new() { Value = numbers.Keys.ToArray() });
            series.Parameters.Add(new() { Value = numbers.Values.ToArray() });
            await series.ExecuteNonQueryAsync(ct);
        }

        await using (var command = dataSource.CreateCommand("select setval('marten.mt_events_sequence', $1)"))
        {
            command.Parameters.Add(new() { Value = Math.Max(1, sequence) });
            await command.ExecuteNonQueryAsync(ct);
        }

        return new GeneratedData(users, cases, open, longHistory, events, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>Marten's event type alias: the class name in snake case (CaseOpened → case_opened).</summary>
    public static string EventTypeName(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return UpperCase().Replace(type.Name, "_$1").TrimStart('_').ToLowerInvariant();
    }

    [GeneratedRegex("([A-Z])")]
    private static partial Regex UpperCase();

    /// <summary>Per organisation: managers in a team of up to ten and a second team for the rest, a lead per team, a DPO and an administrator.</summary>
    private static async Task<List<BenchUser>> CreateUsersAsync(IServiceProvider services, BenchmarkOptions options, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var hash = new PasswordHasher<UserAccount>().HashPassword(new UserAccount(), GeneratedData.Password);
        var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id, ct);
        var users = new List<BenchUser>();
        var random = new Random(options.Seed);
        Guid NewId()
        {
            var bytes = new byte[16];
            random.NextBytes(bytes);
            return new Guid(bytes);
        }

        for (var o = 1; o <= options.Preset.Organisations; o++)
        {
            var organisation = new Organisation { Id = NewId(), Name = $"Bench-Träger {o:000}" };
            db.Organisations.Add(organisation);
            var teams = new[] { new Team { Id = NewId(), OrganisationId = organisation.Id, Name = "Team 1" }, new Team { Id = NewId(), OrganisationId = organisation.Id, Name = "Team 2" } };
            db.Teams.AddRange(teams);

            void User(string email, string name, string role, Guid? team)
            {
                var account = new UserAccount
                {
                    Id = NewId(),
                    UserName = email,
                    NormalizedUserName = email.ToUpperInvariant(),
                    Email = email,
                    NormalizedEmail = email.ToUpperInvariant(),
                    EmailConfirmed = true,
                    PasswordHash = hash,
                    SecurityStamp = Guid.NewGuid().ToString("N"),
                    ConcurrencyStamp = Guid.NewGuid().ToString(),
                    DisplayName = name,
                    OrganisationId = organisation.Id,
                    TeamId = team,
                    LockoutEnabled = false,
                };
                db.Users.Add(account);
                db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = account.Id, RoleId = roles[role] });
                users.Add(new BenchUser(account.Id, email, organisation.Id, role));
            }

            for (var m = 1; m <= options.Preset.ManagersPerOrganisation; m++)
            {
                User($"im{m}@org{o:000}.bench.example", $"Managerin {m} (Träger {o})", Roles.Manager, teams[m <= 10 ? 0 : 1].Id);
            }

            User($"lead1@org{o:000}.bench.example", $"Teamleitung 1 (Träger {o})", Roles.TeamLead, teams[0].Id);
            User($"lead2@org{o:000}.bench.example", $"Teamleitung 2 (Träger {o})", Roles.TeamLead, teams[1].Id);
            User($"dpo@org{o:000}.bench.example", $"Datenschutz (Träger {o})", Roles.DataProtectionOfficer, null);
            User($"admin@org{o:000}.bench.example", $"Verwaltung (Träger {o})", Roles.Administrator, null);
        }

        await db.SaveChangesAsync(ct);
        return users;
    }
}
