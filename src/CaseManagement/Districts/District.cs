using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Districts;

/// <summary>
/// A district (Landkreis) kept by one organisation (its owner, e.g. the district office). Other organisations join it
/// by invitation; the owner's coordinators (<see cref="Roles.DistrictCoordinator"/>) see aggregated, suppressed figures
/// of the members (docs/district.md). A district never reads a case: it has no tenant of its own.
/// </summary>
public sealed class District
{
    public Guid Id { get; init; }

    /// <summary>The organisation that keeps the district (its administrators invite, its coordinators read the figures).</summary>
    public Guid OrganisationId { get; init; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public Guid CreatedBy { get; init; }
}

/// <summary>Where a membership stands. Invited → Member | Declined | Withdrawn; Member → Left.</summary>
public enum MembershipStatus
{
    /// <summary>Eingeladen: the district's administrator invited; the organisation has not answered.</summary>
    Invited,

    /// <summary>Mitglied: the organisation's administrator accepted; its figures count for the district.</summary>
    Member,

    /// <summary>Abgelehnt: the organisation's administrator declined the invitation.</summary>
    Declined,

    /// <summary>Zurückgezogen: the district's administrator withdrew the invitation before an answer.</summary>
    Withdrawn,

    /// <summary>Ausgetreten: the membership ended (the organisation left, or the district removed it).</summary>
    Left,
}

/// <summary>
/// One invitation of an organisation into a district and what became of it; every step with who and when. A new
/// invitation after an end is a new row, so the history stays complete.
/// </summary>
public sealed class DistrictMembership
{
    public Guid Id { get; init; }

    public Guid DistrictId { get; init; }

    public Guid OrganisationId { get; init; }

    public MembershipStatus Status { get; set; }

    public DateTimeOffset InvitedAt { get; init; }

    public Guid InvitedBy { get; init; }

    public DateTimeOffset? AnsweredAt { get; set; }

    public Guid? AnsweredBy { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public Guid? EndedBy { get; set; }

    /// <summary>For an end: the organisation whose administrator ended it (the district's or the member's).</summary>
    public Guid? EndedByOrganisation { get; set; }

    /// <summary>Whether the organisation's figures count for the district now.</summary>
    public bool Counts => Status == MembershipStatus.Member;

    /// <summary>Open: invited and unanswered, or a member (at most one open membership per district and organisation).</summary>
    public bool IsOpen => Status is MembershipStatus.Invited or MembershipStatus.Member;
}

/// <summary>The relational tables of the districts (schema identity, migration 0027).</summary>
public static class DistrictTables
{
    public const int MaxNameLength = 200;

    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<District>(d =>
        {
            d.ToTable("districts", AppDbContext.Schema);
            d.HasKey(x => x.Id);
            d.Property(x => x.Id).HasColumnName("id");
            d.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            d.Property(x => x.Name).HasColumnName("name").HasMaxLength(MaxNameLength);
            d.Property(x => x.CreatedAt).HasColumnName("created_at");
            d.Property(x => x.CreatedBy).HasColumnName("created_by");
            d.HasIndex(x => x.OrganisationId).IsUnique().HasDatabaseName("ux_districts_organisation");
        });

        builder.Entity<DistrictMembership>(m =>
        {
            m.ToTable("district_memberships", AppDbContext.Schema);
            m.HasKey(x => x.Id);
            m.Property(x => x.Id).HasColumnName("id");
            m.Property(x => x.DistrictId).HasColumnName("district_id");
            m.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            m.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            m.Property(x => x.InvitedAt).HasColumnName("invited_at");
            m.Property(x => x.InvitedBy).HasColumnName("invited_by");
            m.Property(x => x.AnsweredAt).HasColumnName("answered_at");
            m.Property(x => x.AnsweredBy).HasColumnName("answered_by");
            m.Property(x => x.EndedAt).HasColumnName("ended_at");
            m.Property(x => x.EndedBy).HasColumnName("ended_by");
            m.Property(x => x.EndedByOrganisation).HasColumnName("ended_by_organisation");
            m.Ignore(x => x.Counts);
            m.Ignore(x => x.IsOpen);
            m.HasIndex(x => new { x.DistrictId, x.OrganisationId }).HasDatabaseName("ix_district_memberships_district");
            m.HasIndex(x => x.OrganisationId).HasDatabaseName("ix_district_memberships_organisation");
        });
    }
}
