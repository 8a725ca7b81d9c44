using CaseManagement.Storage;
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
}
