using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Reminders;

/// <summary>EF queries over the reminders table (kept apart from Marten LINQ).</summary>
public static class ReminderRows
{
    public static async Task<List<Reminder>> OpenFor(AppDbContext db, Guid organisationId, Guid assignee, DateOnly today, string? kind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Reminders
            .Where(r => r.OrganisationId == organisationId && r.AssigneeId == assignee && r.DoneAt == null
                        && (r.SnoozedUntil == null || r.SnoozedUntil <= today) && (kind == null || r.Kind == kind))
            .ToListAsync(ct);
    }

    public static async Task<Reminder?> Find(AppDbContext db, Guid organisationId, Guid assignee, Guid id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Reminders.SingleOrDefaultAsync(r => r.Id == id && r.OrganisationId == organisationId && r.AssigneeId == assignee, ct);
    }

    public static async Task<List<Reminder>> FindMany(AppDbContext db, Guid organisationId, Guid assignee, IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Reminders.Where(r => ids.Contains(r.Id) && r.OrganisationId == organisationId && r.AssigneeId == assignee).ToListAsync(ct);
    }

    public static async Task<bool> DigestChoice(AppDbContext db, Guid organisationId, Guid userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return await db.Users.Where(u => u.Id == userId && u.OrganisationId == organisationId).Select(u => u.ReminderDigest).SingleAsync(ct);
    }

    public static async Task SetDigestChoice(AppDbContext db, Guid organisationId, Guid userId, bool enabled, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Users.Where(u => u.Id == userId && u.OrganisationId == organisationId).ExecuteUpdateAsync(u => u.SetProperty(x => x.ReminderDigest, enabled), ct);
    }
}

/// <summary>The count badge of "Erinnerungen" in the navigation.</summary>
public sealed class ReminderBadge(AppDbContext db, Tenancy.ICurrentUser user, NodaTime.IClock clock)
{
    /// <summary>Open reminders due today or earlier for the signed-in manager or lead (0 for everyone else).</summary>
    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        if (!user.IsAuthenticated || !(user.IsInRole(Organisations.Roles.Manager) || user.IsInRole(Organisations.Roles.TeamLead)))
        {
            return 0;
        }

        var today = Common.Time.Today(clock).ToDateOnly();
        try
        {
            return await db.Reminders.CountAsync(
                r => r.OrganisationId == user.OrganisationId && r.AssigneeId == user.UserId && r.DoneAt == null && r.DueOn <= today
                     && (r.SnoozedUntil == null || r.SnoozedUntil <= today), ct);
        }
        catch (Exception e) when (DatabaseFaults.IsUnavailable(e))
        {
            // The layout of every page (also the error page) shows the badge: without the database, no badge rather than no page.
            return 0;
        }
    }
}
