using Hangfire;

namespace CaseManagement.Reminders;

/// <summary>Reminder jobs; Hangfire resolves them per job in their own scope. Arguments are ids only.</summary>
public sealed class ReminderJobs(ReminderScan scan, ReminderDigest digest)
{
    /// <summary>The daily run of one organisation: the scan, then the digest e-mails.</summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 60, 300, 1800, 3600])]
    public async Task ScanOrganisation(Guid organisationId, CancellationToken cancellationToken)
    {
        await scan.RunAsync(organisationId, cancellationToken);
        await digest.SendAsync(organisationId, cancellationToken);
    }

    /// <summary>Immediate evaluation of one case after a change made a reminder due (or moved or closed the case).</summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [5, 60, 300, 1800, 3600])]
    public async Task ScanCase(Guid organisationId, Guid caseId, CancellationToken cancellationToken) =>
        await scan.RunAsync(organisationId, cancellationToken, caseId);
}

/// <summary>
/// The daily run per organisation as a Hangfire recurring job ("reminders-&lt;id&gt;"): a cron expression at
/// the organisation's local time, evaluated by Hangfire in Europe/Berlin, so 06:30 stays 06:30 across DST.
/// </summary>
public static class ReminderSchedule
{
    public static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    public static string JobId(Guid organisationId) => $"reminders-{organisationId:N}";

    public static void Register(IRecurringJobManager jobs, Guid organisationId, TimeOnly dailyAt)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        jobs.AddOrUpdate<ReminderJobs>(JobId(organisationId), j => j.ScanOrganisation(organisationId, CancellationToken.None),
            Cron.Daily(dailyAt.Hour, dailyAt.Minute), new RecurringJobOptions { TimeZone = Berlin });
    }

    /// <summary>
    /// The next daily run after <paramref name="now"/>, as Hangfire computes it: a local time that does not
    /// exist that night (clocks forward) runs at the end of the gap, one that exists twice runs once, at the first.
    /// </summary>
    public static Instant NextRun(Instant now, TimeOnly dailyAt)
    {
        var local = now.InZone(Time.Berlin);
        var at = LocalTime.FromTimeOnly(dailyAt);
        var day = local.TimeOfDay < at ? local.Date : local.Date.PlusDays(1);
        var run = day.At(at).InZone(Time.Berlin, NodaTime.TimeZones.Resolvers.CreateMappingResolver(NodaTime.TimeZones.Resolvers.ReturnEarlier, NodaTime.TimeZones.Resolvers.ReturnStartOfIntervalAfter)).ToInstant();
        return run > now ? run : NextRun(run, dailyAt);
    }

    /// <summary>The start of the next local day (when a reminder due tomorrow becomes due).</summary>
    public static Instant StartOfNextDay(Instant now) => now.InZone(Time.Berlin).Date.PlusDays(1).AtStartOfDayInZone(Time.Berlin).ToInstant();
}
