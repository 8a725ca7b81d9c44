using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>
/// Operators create a new organisation (tenant) with its first administrator from the command line;
/// there is deliberately no cross-organisation UI.
/// </summary>
public sealed class Onboarding(AppDbContext db, UserManager<UserAccount> users)
{
    public async Task<IReadOnlyList<string>> AddOrganisationAsync(string name, string adminEmail, string adminName, string password, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return ["Bitte den Namen der Organisation angeben."];
        }

        if (await db.Organisations.AnyAsync(o => o.Name == name.Trim(), ct))
        {
            return ["Eine Organisation mit diesem Namen gibt es bereits."];
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var organisation = new Organisation { Id = Guid.CreateVersion7(), Name = name.Trim() };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync(ct);

        var admin = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            UserName = adminEmail.Trim(),
            Email = adminEmail.Trim(),
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(adminName) ? adminEmail.Trim() : adminName.Trim(),
            OrganisationId = organisation.Id,
        };
        var created = await users.CreateAsync(admin, password);
        var result = created.Succeeded ? await users.AddToRoleAsync(admin, Roles.Administrator) : created;
        if (!result.Succeeded)
        {
            return result.Errors.Select(e => e.Description).ToList();
        }

        await tx.CommitAsync(ct);
        return [];
    }
}
