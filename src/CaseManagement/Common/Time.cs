namespace CaseManagement.Common;

/// <summary>The product's time zone (Europe/Berlin) and "today" as the users see it.</summary>
public static class Time
{
    public static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    /// <summary>A date as German users read it: 23.11.2026.</summary>
    public static string Format(LocalDate date) => date.ToString("dd.MM.yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static LocalDate Today(this IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return clock.GetCurrentInstant().InZone(Berlin).Date;
    }
}
