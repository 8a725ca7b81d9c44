using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Districts;

/// <summary>
/// Demo data: the district kept by <c>Landkreis Beispiel</c>, with the other demo organisations as members (invited by the
/// district's administrator, accepted by theirs). Idempotent.
/// </summary>
public static class DemoDistrict
{
    public static async Task SeedAsync(AppDbContext db, Instant at, string keeper, IReadOnlyList<string> members, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var organisations = await db.Organisations.ToDictionaryAsync(o => o.Name, o => o.Id, ct);
        if (!organisations.TryGetValue(keeper, out var keeperId) || await db.Set<District>().AnyAsync(d => d.OrganisationId == keeperId, ct))
        {
            return;
        }

        var administrators = await UserQueries.InOrganisation(db, keeperId, _ => true).ToListAsync(ct);
        var inviter = administrators.Where(r => r.Role == Roles.Administrator).Select(r => r.User.Id).FirstOrDefault();
        var district = new District { Id = Guid.CreateVersion7(), OrganisationId = keeperId, Name = keeper, CreatedAt = at.ToDateTimeOffset(), CreatedBy = inviter };
        db.Add(district);
        foreach (var member in members.Where(organisations.ContainsKey).Select(m => organisations[m]))
        {
            var answerer = (await UserQueries.InOrganisation(db, member, _ => true).ToListAsync(ct)).Where(r => r.Role == Roles.Administrator).Select(r => r.User.Id).FirstOrDefault();
            db.Add(new DistrictMembership
            {
                Id = Guid.CreateVersion7(), DistrictId = district.Id, OrganisationId = member, Status = MembershipStatus.Member,
                InvitedAt = at.ToDateTimeOffset(), InvitedBy = inviter, AnsweredAt = at.ToDateTimeOffset(), AnsweredBy = answerer,
            });
        }

        await db.SaveChangesAsync(ct);
    }
}
