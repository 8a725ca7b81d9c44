using Microsoft.Extensions.Caching.Memory;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Reminders;

/// <summary>
/// An organisation's own reminder thresholds and daily time (table <c>identity.reminder_settings</c>).
/// Without a row the configured defaults (<see cref="ReminderSettings"/>) apply.
/// </summary>
public sealed class OrganisationReminderSettings
{
    public Guid OrganisationId { get; init; }

    public int NoContactWeeks { get; set; }

    public int SupportEndingMonths { get; set; }

    public int ResidenceExpiringWeeks { get; set; }

    public int ConsentValidMonths { get; set; }

    public int ConsentRenewalNoticeWeeks { get; set; }

    public int ApprovalWaitingWorkingDays { get; set; }

    public int EligibilityRecheckDays { get; set; }

    public TimeOnly DailyAt { get; set; }

    /// <summary>Optimistic concurrency: two administrators saving at once never overwrite each other silently.</summary>
    public int Version { get; set; }

    public ReminderSettings ToSettings() => new()
    {
        NoContactWeeks = NoContactWeeks,
        SupportEndingMonths = SupportEndingMonths,
        ResidenceExpiringWeeks = ResidenceExpiringWeeks,
        ConsentValidMonths = ConsentValidMonths,
        ConsentRenewalNoticeWeeks = ConsentRenewalNoticeWeeks,
        ApprovalWaitingWorkingDays = ApprovalWaitingWorkingDays,
        EligibilityRecheckDays = EligibilityRecheckDays,
        DailyAt = DailyAt,
    };
}

/// <summary>A digest e-mail that went out (table <c>cases.reminder_digests</c>): one per user and day, however often the job runs.</summary>
public sealed class ReminderDigestSent
{
    public Guid UserId { get; init; }

    public DateOnly Day { get; init; }

    public Guid OrganisationId { get; init; }

    public int DueCount { get; init; }

    public DateTimeOffset SentAt { get; init; }
}

/// <summary>
/// A planned evaluation of a case at the start of a day (table <c>cases.reminder_checks</c>), so that many
/// changes of a case on one day schedule one job, not one each.
/// </summary>
public sealed class ReminderCheck
{
    public Guid CaseId { get; init; }

    public DateOnly RunOn { get; init; }
}

/// <summary>The reminder settings in force for an organisation: its own, or the configured defaults.</summary>
/// <remarks>
/// Kept in memory for a minute: every committed case change asks for them (immediate evaluation). Saving the
/// settings forgets them on every node at once (SharedCache).
/// </remarks>
public sealed class ReminderPolicies(AppDbContext db, ReminderSettings defaults, IMemoryCache cache, SharedCache shared)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    public ReminderSettings Defaults => defaults;

    public async Task<ReminderSettings> ForAsync(Guid organisationId, CancellationToken ct = default)
    {
        if (cache.TryGetValue(Key(organisationId), out ReminderSettings? known) && known is not null)
        {
            return known;
        }

        var settings = (await db.ReminderSettings.AsNoTracking().SingleOrDefaultAsync(s => s.OrganisationId == organisationId, ct))?.ToSettings() ?? defaults;
        return cache.Set(Key(organisationId), settings, Keep);
    }

    /// <summary>After a save: the next request on every node reads the new settings.</summary>
    public Task ForgetAsync(Guid organisationId) => shared.ForgetEverywhereAsync(Key(organisationId));

    private static string Key(Guid organisationId) => $"reminder-settings:{organisationId:N}";
}
