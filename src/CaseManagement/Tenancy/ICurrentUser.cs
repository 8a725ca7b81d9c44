namespace CaseManagement.Tenancy;

/// <summary>
/// The signed-in user as the use cases see it. The organisation (tenant) always comes from here —
/// never from a request parameter.
/// </summary>
public interface ICurrentUser
{
    bool IsAuthenticated { get; }

    Guid UserId { get; }

    Guid OrganisationId { get; }

    Guid? TeamId { get; }

    /// <summary>Managers whose caseload this user works on today as their deputy (Vertretung).</summary>
    IReadOnlySet<Guid> DeputyFor { get; }

    bool IsInRole(string role);
}

public static class CurrentUserExtensions
{
    /// <summary>The Marten tenant of the signed-in user; throws when nobody is signed in.</summary>
    public static string RequireTenantId(this ICurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!user.IsAuthenticated || user.OrganisationId == Guid.Empty)
        {
            throw new UnauthorizedAccessException("No organisation is associated with the current request.");
        }

        return Organisations.TenantIds.For(user.OrganisationId);
    }
}
