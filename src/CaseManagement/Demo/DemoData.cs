using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Demo;

/// <summary>
/// Demo organisations, teams and users for local development (never in Production).
/// Idempotent: running it again changes nothing that already exists. The demo password bypasses the
/// password policy (it is public anyway); every other account is created under the policy.
/// </summary>
public sealed class DemoData(AppDbContext db, UserManager<UserAccount> users, IClock clock)
{
    public const string DefaultPassword = "Demo!2026";

    public const string Musterstadt = "Stadt Musterstadt";
    public const string Beispiel = "Landkreis Beispiel";

    public static readonly IReadOnlyList<DemoUser> Users =
    [
        new("im1@musterstadt.example", "Miriam Keller", Roles.Manager, Musterstadt, "Nord"),
        new("im2@musterstadt.example", "Jonas Weber", Roles.Manager, Musterstadt, "Nord"),
        new("im3@musterstadt.example", "Sara Yılmaz", Roles.Manager, Musterstadt, "Süd"),
        new("lead@musterstadt.example", "Petra Schulz", Roles.TeamLead, Musterstadt, "Nord"),
        new("lead-sued@musterstadt.example", "Tobias Braun", Roles.TeamLead, Musterstadt, "Süd"),
        new("dpo@musterstadt.example", "Helga Fischer", Roles.DataProtectionOfficer, Musterstadt, null),
        new("admin@musterstadt.example", "Max Hofmann", Roles.Administrator, Musterstadt, null),
        new("im1@beispiel.example", "Lena Vogel", Roles.Manager, Beispiel, "Integrationsmanagement"),
        new("admin@beispiel.example", "Karl Neumann", Roles.Administrator, Beispiel, null),
        new("koordination@beispiel.example", "Greta Albers", Roles.DistrictCoordinator, Beispiel, null),
    ];

    public async Task SeedAsync(string password, CancellationToken ct = default)
    {
        foreach (var demoUser in Users)
        {
            var organisation = await EnsureOrganisation(demoUser.Organisation, ct);
            var team = demoUser.Team is null ? null : await EnsureTeam(organisation.Id, demoUser.Team, ct);
            if (await users.FindByEmailAsync(demoUser.Email) is not null)
            {
                continue;
            }

            var account = new UserAccount
            {
                Id = Guid.CreateVersion7(),
                UserName = demoUser.Email,
                Email = demoUser.Email,
                EmailConfirmed = true,
                DisplayName = demoUser.DisplayName,
                OrganisationId = organisation.Id,
                TeamId = team?.Id,
            };
            // The demo password (Demo!2026) is shorter than the password policy asks: demo accounts get its
            // hash directly. Demo data is refused in Production (seed-demo, Demo:SeedOnStartup).
            account.PasswordHash = users.PasswordHasher.HashPassword(account, password);
            Check(await users.CreateAsync(account));
            Check(await users.AddToRoleAsync(account, demoUser.Role));
        }

        await Districts.DemoDistrict.SeedAsync(db, clock.GetCurrentInstant(), Beispiel, [Musterstadt], ct);
    }

    private async Task<Organisation> EnsureOrganisation(string name, CancellationToken ct)
    {
        var existing = await db.Organisations.FirstOrDefaultAsync(o => o.Name == name, ct);
        if (existing is not null)
        {
            return existing;
        }

        var organisation = new Organisation { Id = Guid.CreateVersion7(), Name = name };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(ct);
        return organisation;
    }

    private async Task<Team> EnsureTeam(Guid organisationId, string name, CancellationToken ct)
    {
        var existing = await db.Teams.FirstOrDefaultAsync(t => t.OrganisationId == organisationId && t.Name == name, ct);
        if (existing is not null)
        {
            return existing;
        }

        var team = new Team { Id = Guid.CreateVersion7(), OrganisationId = organisationId, Name = name };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return team;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo data could not be created: " + string.Join(" ", result.Errors.Select(e => e.Code)));
        }
    }
}

public sealed record DemoUser(string Email, string DisplayName, string Role, string Organisation, string? Team);
