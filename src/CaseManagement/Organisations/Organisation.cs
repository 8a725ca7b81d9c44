namespace CaseManagement.Organisations;

/// <summary>
/// A Träger (town, district or welfare organisation) — the tenant and a separate data controller.
/// Nothing of one organisation is ever visible to another.
/// </summary>
public sealed class Organisation
{
    public Guid Id { get; init; }

    public required string Name { get; set; }

    /// <summary>Marten tenant id of the organisation's case data.</summary>
    public string TenantId => TenantIds.For(Id);
}

/// <summary>A team of integration managers with its lead, inside one organisation.</summary>
public sealed class Team
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public required string Name { get; set; }
}

public static class TenantIds
{
    public static string For(Guid organisationId) => organisationId.ToString("N");
}
