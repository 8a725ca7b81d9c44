namespace CaseManagement.Organisations;

internal static class AdministrationGuard
{
    /// <summary>User and team management is for administrators of the own organisation only.</summary>
    public static Guid RequireAdministratorOrganisation(this ICurrentUser user)
    {
        if (!user.IsAuthenticated || !user.IsInRole(Roles.Administrator))
        {
            throw new UnauthorizedAccessException("Administrator role required.");
        }

        return user.OrganisationId;
    }
}
