namespace CaseManagement.Common;

/// <summary>
/// The documented ranges of what the system accepts (docs/input-limits.md). Fields have their own, narrower
/// limits in their input checks; these are the outer bounds that hold for every request, whatever endpoint.
/// </summary>
public static class InputLimits
{
    /// <summary>No date anywhere (input, filter, query string) lies before this day.</summary>
    public static readonly LocalDate EarliestDate = new(1900, 1, 1);

    /// <summary>No date anywhere lies after this day (residence documents are valid at most until then).</summary>
    public static readonly LocalDate LatestDate = new(2100, 12, 31);

    /// <summary>Plan dates (targets, due dates, reviews) and recorded events lie within this many years of today.</summary>
    public const int PlanYears = 20;

    /// <summary>Outer bound of any text field (the fields' own limits are lower, 20 to 4,000 characters).</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>Outer bound of any list in a request (the fields' own limits may be lower).</summary>
    public const int MaxListCount = 1_000;

    /// <summary>Largest request body (JSON or form) in bytes; larger ones are refused with 413.</summary>
    public const long MaxRequestBodyBytes = 1_048_576;

    /// <summary>
    /// Characters no text may contain: NUL and the other control characters except tab, line feed and carriage
    /// return (PostgreSQL cannot store NUL in text or JSON; the others have no place in case documentation).
    /// </summary>
    public static bool HasForbiddenCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var c in text)
        {
            if (c < ' ' && c is not ('\t' or '\n' or '\r'))
            {
                return true;
            }

            if (c == '\u007f' || char.IsSurrogate(c) && !IsPairedSurrogate(text, c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPairedSurrogate(string text, char c)
    {
        // Checked once per unpaired candidate: valid UTF-16 pairs are fine (emoji, rare scripts).
        var index = text.IndexOf(c, StringComparison.Ordinal);
        return char.IsHighSurrogate(c)
            ? index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            : index > 0 && char.IsHighSurrogate(text[index - 1]);
    }

    /// <summary>The first <paramref name="maxLength"/> UTF-16 units of <paramref name="text"/>, one fewer where the cut would split a surrogate pair.</summary>
    public static string Cut(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxLength)
        {
            return text;
        }

        return text[..(maxLength > 0 && char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength)];
    }

    /// <summary>Whether <paramref name="date"/> lies within the outer bounds.</summary>
    public static bool IsPlausible(LocalDate date) => date >= EarliestDate && date <= LatestDate;
}

/// <summary>A documented range of a date field (both ends included), e.g. plan dates within ±20 years of today.</summary>
public sealed record DateRange(LocalDate From, LocalDate To)
{
    public bool Contains(LocalDate date) => date >= From && date <= To;

    /// <summary>Birth dates: 01.01.1900 until today.</summary>
    public static DateRange Birth(LocalDate today) => new(InputLimits.EarliestDate, today);

    /// <summary>Something that already happened in the person's life (arrival, moving in): 01.01.1900 until today.</summary>
    public static DateRange Life(LocalDate today) => new(InputLimits.EarliestDate, today);

    /// <summary>Something recorded in the counselling (consultation, review, signature, step done): the last 20 years until today.</summary>
    public static DateRange Recorded(LocalDate today) => new(today.PlusYears(-InputLimits.PlanYears), today);

    /// <summary>Plan dates (target dates, due dates, next reviews, deputy periods): 20 years back to 20 years ahead.</summary>
    public static DateRange Plan(LocalDate today) => new(today.PlusYears(-InputLimits.PlanYears), today.PlusYears(InputLimits.PlanYears));

    /// <summary>Validity of documents (residence permit): 01.01.1900 to 31.12.2100.</summary>
    public static readonly DateRange Validity = new(InputLimits.EarliestDate, InputLimits.LatestDate);

    /// <summary>Filters and reporting periods: 01.01.1900 to 31.12.2100.</summary>
    public static readonly DateRange Filter = new(InputLimits.EarliestDate, InputLimits.LatestDate);
}

/// <summary>
/// Date arithmetic that never throws: stored values from before the ranges existed (year 1 or 9999) still
/// give an answer (the nearest representable day) instead of stopping a job.
/// </summary>
public static class SafeDates
{
    public static LocalDate PlusClamped(this LocalDate date, Period period)
    {
        ArgumentNullException.ThrowIfNull(period);
        try
        {
            return date.Plus(period);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            var backwards = period.Years < 0 || period.Months < 0 || period.Weeks < 0 || period.Days < 0;
            return backwards ? LocalDate.MinIsoValue : LocalDate.MaxIsoValue;
        }
    }
}

/// <summary>
/// Page numbers of paged lists (docs/input-limits.md): from 1 (smaller ones read as 1), open upwards — a page past
/// the end is empty. The offset is computed in 64 bits, so that page 2,147,483,647 is an empty page and not an
/// overflow into a negative offset (which the database refuses).
/// </summary>
public static class Paging
{
    public static int Page(int requested) => Math.Max(1, requested);

    /// <summary>How many entries come before <paramref name="page"/> (capped at <see cref="int.MaxValue"/>).</summary>
    public static int Offset(int page, int pageSize) => (int)Math.Min((Page(page) - 1L) * Math.Max(1, pageSize), int.MaxValue);
}
