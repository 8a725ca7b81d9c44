using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Organisations;

/// <summary>
/// Separation of duties: an organisation's administrator manages accounts but may not make anyone a
/// data-protection officer, nor reset, change or deactivate a data-protection officer's or the platform
/// operator's account (else an administrator could appoint an accomplice, or take the account over, and read
/// what only the DPO may read). A DPO is appointed and dismissed by another DPO of the organisation or by the
/// platform operator (operator verbs <c>grant-dpo</c> / <c>revoke-dpo</c>).
/// </summary>
public static class SeparationOfDuties
{
    public const string OnlyDpoAppointsDpo =
        "Datenschutzbeauftragte bestellen nur die Datenschutzbeauftragten Ihrer Organisation oder der Plattformbetrieb.";

    public const string ProtectedAccount =
        "Dieses Konto gehört einer oder einem Datenschutzbeauftragten oder dem Plattformbetrieb. Rolle, Passwort und Status ändern nur die Datenschutzbeauftragten Ihrer Organisation oder der Plattformbetrieb.";

    public const string NotAnAdministrator = "Administrator:innen können nicht zugleich Datenschutzbeauftragte sein.";

    public const string NotYourself =
        "Ihre eigene Bestellung widerruft eine andere Datenschutzbeauftragte Person Ihrer Organisation oder der Plattformbetrieb.";

    /// <summary>Whether the account holds a role the organisation's administration may not touch.</summary>
    public static async Task<bool> IsProtectedAsync(UserManager<UserAccount> users, UserAccount account)
    {
        ArgumentNullException.ThrowIfNull(users);
        return (await users.GetRolesAsync(account)).Any(Roles.IsProtected);
    }

    /// <summary>
    /// Makes an active account of the organisation its data-protection officer: the DPO role replaces its
    /// organisation role (and team). Each role change lands in the audit trail (CaseManagementUserManager).
    /// </summary>
    public static async Task<IReadOnlyList<InputError>> AppointAsync(AppDbContext db, UserManager<UserAccount> users, UserAccount account, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(account);
        var roles = await users.GetRolesAsync(account);
        if (!account.IsActive)
        {
            return [new InputError("", "Das Konto ist deaktiviert.")];
        }

        if (roles.Contains(Roles.DataProtectionOfficer))
        {
            return [new InputError("", "Das Konto ist bereits als Datenschutzbeauftragte:r bestellt.")];
        }

        if (roles.Contains(Roles.Administrator))
        {
            return [new InputError("", NotAnAdministrator)];
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var organisationRoles = roles.Where(Roles.IsKnown).ToList();
        var removed = organisationRoles.Count == 0 ? IdentityResult.Success : await users.RemoveFromRolesAsync(account, organisationRoles);
        var added = removed.Succeeded ? await users.AddToRoleAsync(account, Roles.DataProtectionOfficer) : removed;
        account.TeamId = null;
        var updated = added.Succeeded ? await users.UpdateAsync(account) : added;
        if (!updated.Succeeded)
        {
            return updated.Errors.Select(e => new InputError("", e.Description)).ToList();
        }

        await tx.CommitAsync(ct);
        return [];
    }

    /// <summary>Ends an appointment: the account keeps no organisation role until the administration gives it one.</summary>
    public static async Task<IReadOnlyList<InputError>> DismissAsync(UserManager<UserAccount> users, UserAccount account)
    {
        ArgumentNullException.ThrowIfNull(users);
        if (!await users.IsInRoleAsync(account, Roles.DataProtectionOfficer))
        {
            return [new InputError("", "Das Konto ist nicht als Datenschutzbeauftragte:r bestellt.")];
        }

        var removed = await users.RemoveFromRoleAsync(account, Roles.DataProtectionOfficer);
        return removed.Succeeded ? [] : removed.Errors.Select(e => new InputError("", e.Description)).ToList();
    }

    internal static Guid RequireDataProtectionOfficerOrganisation(this ICurrentUser user)
    {
        if (!user.IsAuthenticated || !user.IsInRole(Roles.DataProtectionOfficer))
        {
            throw new UnauthorizedAccessException(Messages.Accounts.DataProtectionOfficerRequired);
        }

        return user.OrganisationId;
    }
}

/// <summary>A DPO appoints another account of the own organisation as data-protection officer.</summary>
public sealed record AppointDataProtectionOfficer(Guid UserId) : ICommand<Outcome<Guid>>;

public sealed class AppointDataProtectionOfficerHandler(AppDbContext db, UserManager<UserAccount> users, ICurrentUser currentUser)
    : ICommandHandler<AppointDataProtectionOfficer, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(AppointDataProtectionOfficer command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireDataProtectionOfficerOrganisation();
        var account = await UserInput.FindInOrganisation(db, organisationId, command.UserId, cancellationToken);
        var errors = await SeparationOfDuties.AppointAsync(db, users, account, cancellationToken);
        return errors.Count == 0 ? Outcome<Guid>.Success(account.Id) : Outcome<Guid>.Failure(errors);
    }
}

/// <summary>A DPO dismisses another data-protection officer of the own organisation (never themselves).</summary>
public sealed record DismissDataProtectionOfficer(Guid UserId) : ICommand<Outcome<Guid>>;

public sealed class DismissDataProtectionOfficerHandler(AppDbContext db, UserManager<UserAccount> users, ICurrentUser currentUser)
    : ICommandHandler<DismissDataProtectionOfficer, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(DismissDataProtectionOfficer command, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireDataProtectionOfficerOrganisation();
        var account = await UserInput.FindInOrganisation(db, organisationId, command.UserId, cancellationToken);
        if (account.Id == currentUser.UserId)
        {
            return Outcome<Guid>.Fail("", SeparationOfDuties.NotYourself);
        }

        var errors = await SeparationOfDuties.DismissAsync(users, account);
        return errors.Count == 0 ? Outcome<Guid>.Success(account.Id) : Outcome<Guid>.Failure(errors);
    }
}

/// <summary>An account as the DPO's role page lists it.</summary>
public sealed record RoleHolder(Guid Id, string DisplayName, string? Role, bool IsActive);

/// <summary>One line of the role-change audit trail, with the names resolved for reading.</summary>
public sealed record RoleChangeEntry(DateTimeOffset At, Guid UserId, string UserName, string Role, RoleChangeKind Change, Guid? ChangedBy, string? ChangedByName);

public sealed record RoleOverview(IReadOnlyList<RoleHolder> Accounts, IReadOnlyList<RoleChangeEntry> Changes);

/// <summary>The DPO's page: the organisation's accounts with their role, and every role change (newest first, the last 500).</summary>
public sealed record GetRoleOverview : IQuery<RoleOverview>;

public sealed class GetRoleOverviewHandler(AppDbContext db, ICurrentUser currentUser) : IQueryHandler<GetRoleOverview, RoleOverview>
{
    public async ValueTask<RoleOverview> Handle(GetRoleOverview query, CancellationToken cancellationToken)
    {
        var organisationId = currentUser.RequireDataProtectionOfficerOrganisation();
        var accounts = await UserQueries.InOrganisation(db, organisationId)
            .Select(r => new RoleHolder(r.User.Id, r.User.DisplayName, r.Role, r.User.IsActive))
            .ToListAsync(cancellationToken);
        var changes = await (from c in db.RoleChanges
                             where c.OrganisationId == organisationId
                             orderby c.At descending, c.Id descending
                             select new
                             {
                                 c.At,
                                 c.UserId,
                                 UserName = db.Users.Where(u => u.Id == c.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                                 c.Role,
                                 c.Change,
                                 c.ChangedBy,
                                 ChangedByName = db.Users.Where(u => u.Id == c.ChangedBy && u.OrganisationId == organisationId).Select(u => u.DisplayName).FirstOrDefault(),
                             }).Take(500).ToListAsync(cancellationToken);
        return new RoleOverview(
            accounts.OrderBy(a => a.DisplayName, StringComparer.CurrentCulture).ToList(),
            changes.Select(c => new RoleChangeEntry(c.At, c.UserId, c.UserName ?? "", c.Role, c.Change, c.ChangedBy, c.ChangedByName)).ToList());
    }
}
