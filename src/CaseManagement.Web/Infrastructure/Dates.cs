using System.Globalization;
using CaseManagement.Common;
using NodaTime;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// How the pages show days and moments (as German users read them, in Europe/Berlin) and what a date input takes
/// (ISO). The one place for these formats: views call these instead of repeating format strings.
/// </summary>
public static class Dates
{
    /// <summary>A day: 23.11.2026.</summary>
    public static string Day(LocalDate date) => Time.Format(date);

    /// <summary>The day of a moment in Berlin: 23.11.2026.</summary>
    public static string Day(Instant instant) => Format(instant, "dd.MM.yyyy");

    /// <summary>A day, or "–" when there is none.</summary>
    public static string Day(LocalDate? date) => date is { } d ? Day(d) : "–";

    /// <summary>A moment in Berlin: 23.11.2026 14:05.</summary>
    public static string Moment(Instant instant) => Format(instant, "dd.MM.yyyy HH:mm");

    /// <inheritdoc cref="Moment(Instant)"/>
    public static string Moment(DateTimeOffset at) => Moment(Instant.FromDateTimeOffset(at));

    /// <summary>A moment in Berlin to the second (the access log): 23.11.2026 14:05:09.</summary>
    public static string MomentToTheSecond(DateTimeOffset at) => Format(Instant.FromDateTimeOffset(at), "dd.MM.yyyy HH:mm:ss");

    /// <summary>A moment in Berlin in a sentence: 23.11.2026, 14:05 Uhr.</summary>
    public static string MomentInText(Instant instant) => Format(instant, "dd.MM.yyyy, HH:mm 'Uhr'");

    /// <summary>The time of day in Berlin: 14:05.</summary>
    public static string TimeOfDay(Instant instant) => Format(instant, "HH:mm");

    /// <summary>The time of day in Berlin to the second: 14:05:09.</summary>
    public static string TimeOfDayToTheSecond(Instant instant) => Format(instant, "HH:mm:ss");

    /// <summary>The value of an <c>&lt;input type="date"&gt;</c>: 2026-11-23, empty when there is none.</summary>
    public static string Input(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <inheritdoc cref="Input(DateOnly?)"/>
    public static string Input(LocalDate? date) => Input(date?.ToDateOnly());

    /// <summary>A local moment (Europe/Berlin), e.g. of an appointment: 23.11.2026 09:30.</summary>
    public static string Moment(LocalDateTime at) => at.ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The time of a local moment: 09:30.</summary>
    public static string TimeOfDay(LocalDateTime at) => at.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The value of an <c>&lt;input type="datetime-local"&gt;</c>: 2026-11-23T09:30, empty when there is none.</summary>
    public static string Input(LocalDateTime? at) => at?.ToString("uuuu-MM-dd'T'HH:mm", CultureInfo.InvariantCulture) ?? "";

    /// <summary>
    /// A local moment as forms and the API send it (2026-11-23T09:30, seconds allowed); null when it is not one.
    /// </summary>
    public static LocalDateTime? ParseMoment(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return null;
        }

        var trimmed = text.Trim();
        var minutes = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm").Parse(trimmed);
        if (minutes.Success)
        {
            return minutes.Value;
        }

        var seconds = NodaTime.Text.LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss").Parse(trimmed);
        return seconds.Success ? seconds.Value : null;
    }

    /// <summary>A day as part of an element id: 20261123.</summary>
    public static string Key(LocalDate date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Format(Instant instant, string pattern) =>
        instant.InZone(Time.Berlin).ToString(pattern, CultureInfo.InvariantCulture);
}
