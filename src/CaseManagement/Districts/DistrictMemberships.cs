using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Districts;

/// <summary>One step of a membership as the administration page shows it: what, when, by whom (name and organisation).</summary>
public sealed record MembershipStep(string What, DateTimeOffset At, string By);

/// <summary>A membership with its organisations' names and its history.</summary>
public sealed record MembershipView(Guid Id, Guid DistrictId, string District, Guid OrganisationId, string Organisation, MembershipStatus Status, IReadOnlyList<MembershipStep> Steps)
{
    public string StatusLabel => Labels.Of(Status);
}

/// <summary>
/// The page "Landkreis" of an organisation's administration: the own district (if the organisation keeps one) with its
/// memberships, the organisations that may be invited, and the invitations and memberships of the own organisation
/// in other districts.
/// </summary>
public sealed record DistrictAdministration(
    Guid OrganisationId,
    District? OwnDistrict,
    IReadOnlyList<MembershipView> OwnDistrictMemberships,
    IReadOnlyList<(Guid Id, string Name)> Invitable,
    IReadOnlyList<MembershipView> OwnMemberships);

public sealed record GetDistrictAdministration : IQuery<DistrictAdministration>;

public sealed class GetDistrictAdministrationHandler(AppDbContext db, ICurrentUser user) : IQueryHandler<GetDistrictAdministration, DistrictAdministration>
{
    public async ValueTask<DistrictAdministration> Handle(GetDistrictAdministration query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireAdministratorOrganisation();
        var own = await db.Set<District>().SingleOrDefaultAsync(d => d.OrganisationId == organisationId, cancellationToken);
        var ownId = own?.Id ?? Guid.Empty;
        var memberships = await db.Set<DistrictMembership>()
            .Where(m => m.DistrictId == ownId || m.OrganisationId == organisationId)
            .OrderByDescending(m => m.InvitedAt)
            .ToListAsync(cancellationToken);
        var districtIds = memberships.Select(m => m.DistrictId).Distinct().ToList();
        var districts = await db.Set<District>().Where(d => districtIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var organisations = await db.Organisations.OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
        var orgNames = organisations.ToDictionary(o => o.Id, o => o.Name);
        var people = memberships.SelectMany(m => new[] { m.InvitedBy, m.AnsweredBy, m.EndedBy }).OfType<Guid>().Distinct().ToList();
        var users = await db.Users.Where(u => people.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.OrganisationId }).ToListAsync(cancellationToken);
        var names = users.ToDictionary(u => u.Id, u => $"{u.DisplayName} ({orgNames.GetValueOrDefault(u.OrganisationId, "–")})");

        MembershipView View(DistrictMembership m) => new(
            m.Id, m.DistrictId, districts.GetValueOrDefault(m.DistrictId, "–"), m.OrganisationId, orgNames.GetValueOrDefault(m.OrganisationId, "–"), m.Status,
            DistrictSteps.Of(m, id => names.GetValueOrDefault(id, "–")));

        var ownMemberships = own is null ? [] : memberships.Where(m => m.DistrictId == own.Id).Select(View).ToList();
        var open = own is null ? [] : memberships.Where(m => m.DistrictId == own.Id && m.IsOpen).Select(m => m.OrganisationId).ToHashSet();
        var invitable = own is null ? [] : organisations.Where(o => o.Id != organisationId && !open.Contains(o.Id)).Select(o => (o.Id, o.Name)).ToList();
        return new DistrictAdministration(
            organisationId, own, ownMemberships, invitable,
            memberships.Where(m => m.OrganisationId == organisationId).Select(View).ToList());
    }
}

internal static class DistrictSteps
{
    public static IReadOnlyList<MembershipStep> Of(DistrictMembership m, Func<Guid, string> name)
    {
        var steps = new List<MembershipStep> { new("eingeladen", m.InvitedAt, name(m.InvitedBy)) };
        if (m.AnsweredAt is { } answered && m.AnsweredBy is { } by)
        {
            steps.Add(new(m.Status == MembershipStatus.Declined ? "abgelehnt" : "angenommen", answered, name(by)));
        }

        if (m.EndedAt is { } ended && m.EndedBy is { } endedBy)
        {
            steps.Add(new(m.Status == MembershipStatus.Withdrawn ? "Einladung zurückgezogen" : m.EndedByOrganisation == m.OrganisationId ? "ausgetreten" : "vom Landkreis beendet", ended, name(endedBy)));
        }

        return steps;
    }
}

/// <summary>The administrator declares the own organisation the keeper of a district (Landkreis) with its name.</summary>
public sealed record DeclareDistrict(string? Name) : ICommand<Outcome<Guid>>;

public sealed class DeclareDistrictHandler(AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<DeclareDistrict, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(DeclareDistrict command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireAdministratorOrganisation();
        var checks = new Checks();
        checks.Text(command.Name, DistrictTables.MaxNameLength, nameof(DeclareDistrict.Name), "den Namen des Landkreises", required: true);
        if (checks.Failed)
        {
            return Outcome<Guid>.Failure(checks.Errors);
        }

        var district = await db.Set<District>().SingleOrDefaultAsync(d => d.OrganisationId == organisationId, cancellationToken);
        if (district is null)
        {
            district = new District { Id = Guid.CreateVersion7(), OrganisationId = organisationId, Name = command.Name!.Trim(), CreatedAt = clock.GetCurrentInstant().ToDateTimeOffset(), CreatedBy = user.UserId };
            db.Add(district);
        }
        else
        {
            district.Name = command.Name!.Trim();
        }

        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(district.Id);
    }
}

/// <summary>The district's administrator invites another organisation.</summary>
public sealed record InviteOrganisation(Guid? OrganisationId) : ICommand<Outcome<Guid>>;

public sealed class InviteOrganisationHandler(AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<InviteOrganisation, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(InviteOrganisation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireAdministratorOrganisation();
        var district = await db.Set<District>().SingleOrDefaultAsync(d => d.OrganisationId == organisationId, cancellationToken)
                       ?? throw new NotFoundException("District");
        var invited = command.OrganisationId;
        if (invited is not { } target || target == organisationId || !await db.Organisations.AnyAsync(o => o.Id == target, cancellationToken))
        {
            return Outcome<Guid>.Failure(new InputError(nameof(InviteOrganisation.OrganisationId), "Bitte eine andere Organisation aus der Liste wählen."));
        }

        if (await db.Set<DistrictMembership>().AnyAsync(
                m => m.DistrictId == district.Id && m.OrganisationId == target && (m.Status == MembershipStatus.Invited || m.Status == MembershipStatus.Member), cancellationToken))
        {
            return Outcome<Guid>.Failure(new InputError(nameof(InviteOrganisation.OrganisationId), "Diese Organisation ist bereits eingeladen oder Mitglied."));
        }

        var membership = new DistrictMembership
        {
            Id = Guid.CreateVersion7(), DistrictId = district.Id, OrganisationId = target, Status = MembershipStatus.Invited,
            InvitedAt = clock.GetCurrentInstant().ToDateTimeOffset(), InvitedBy = user.UserId,
        };
        db.Add(membership);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(membership.Id);
    }
}

/// <summary>The invited organisation's administrator accepts or declines.</summary>
public sealed record AnswerInvitation(Guid MembershipId, bool Accept) : ICommand<Outcome<Guid>>;

public sealed class AnswerInvitationHandler(AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<AnswerInvitation, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(AnswerInvitation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireAdministratorOrganisation();
        var membership = await db.Set<DistrictMembership>().SingleOrDefaultAsync(m => m.Id == command.MembershipId && m.OrganisationId == organisationId, cancellationToken)
                         ?? throw new NotFoundException("Invitation");
        if (membership.Status != MembershipStatus.Invited)
        {
            return Outcome<Guid>.Failure(new InputError("", "Diese Einladung ist nicht mehr offen."));
        }

        membership.Status = command.Accept ? MembershipStatus.Member : MembershipStatus.Declined;
        membership.AnsweredAt = clock.GetCurrentInstant().ToDateTimeOffset();
        membership.AnsweredBy = user.UserId;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(membership.Id);
    }
}

/// <summary>
/// Ends a membership: the member's administrator leaves, or the district's administrator removes the member (or
/// withdraws an unanswered invitation). From then on the organisation's figures no longer count for the district.
/// </summary>
public sealed record EndMembership(Guid MembershipId) : ICommand<Outcome<Guid>>;

public sealed class EndMembershipHandler(AppDbContext db, ICurrentUser user, IClock clock) : ICommandHandler<EndMembership, Outcome<Guid>>
{
    public async ValueTask<Outcome<Guid>> Handle(EndMembership command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisationId = user.RequireAdministratorOrganisation();
        var ownDistrict = await db.Set<District>().Where(d => d.OrganisationId == organisationId).Select(d => (Guid?)d.Id).SingleOrDefaultAsync(cancellationToken);
        var membership = await db.Set<DistrictMembership>().SingleOrDefaultAsync(
                             m => m.Id == command.MembershipId && (m.OrganisationId == organisationId || m.DistrictId == ownDistrict), cancellationToken)
                         ?? throw new NotFoundException("Membership");
        var byDistrict = membership.DistrictId == ownDistrict;
        if (!membership.IsOpen || (membership.Status == MembershipStatus.Invited && !byDistrict))
        {
            // An invitation is answered (declined), not left; an ended membership stays ended.
            return Outcome<Guid>.Failure(new InputError("", "Diese Mitgliedschaft ist nicht mehr offen."));
        }

        membership.Status = membership.Status == MembershipStatus.Invited ? MembershipStatus.Withdrawn : MembershipStatus.Left;
        membership.EndedAt = clock.GetCurrentInstant().ToDateTimeOffset();
        membership.EndedBy = user.UserId;
        membership.EndedByOrganisation = organisationId;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(membership.Id);
    }
}
