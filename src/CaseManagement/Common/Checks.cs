using CaseManagement.Common;

namespace CaseManagement.Common;

/// <summary>The small input checks the case commands share; every message is German and names the field.</summary>
internal sealed class Checks
{
    private readonly List<InputError> errors = [];

    public IReadOnlyList<InputError> Errors => errors;

    public bool Failed => errors.Count > 0;

    public void Add(string field, string message) => errors.Add(new InputError(field, message));

    /// <summary>Free text: required or optional, at most <paramref name="max"/> characters.</summary>
    public void Text(string? value, int max, string field, string label, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                Add(field, Messages.Required(label));
            }
        }
        else if (value.Trim().Length > max)
        {
            Add(field, $"Bitte {label} mit höchstens {max} Zeichen angeben.");
        }
    }

    /// <summary>A date of something that already happened: required or optional, not in the future, not before <paramref name="earliest"/>.</summary>
    public void PastDate(NodaTime.LocalDate? value, NodaTime.LocalDate today, NodaTime.LocalDate earliest, string field, string label, bool required = true)
    {
        if (value is { } date && (date > today || date < earliest))
        {
            Add(field, $"{Capitalise(label)} muss zwischen {Time.Format(earliest)} und heute liegen.");
        }
        else
        {
            Date(value, new DateRange(earliest, today), field, label, required);
        }
    }

    /// <summary>A date within its documented range (docs/input-limits.md), required or optional.</summary>
    public void Date(NodaTime.LocalDate? value, DateRange range, string field, string label, bool required = true)
    {
        ArgumentNullException.ThrowIfNull(range);
        if (value is not { } date)
        {
            if (required)
            {
                Add(field, Messages.Required(label));
            }
        }
        else if (!range.Contains(date))
        {
            Add(field, $"{Capitalise(label)} muss zwischen {Time.Format(range.From)} und {Time.Format(range.To)} liegen.");
        }
    }

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public void Range(int? value, int min, int max, string field, string label)
    {
        if (value is not { } v || v < min || v > max)
        {
            Add(field, $"{Capitalise(label)}: bitte eine ganze Zahl von {min} bis {max} angeben.");
        }
    }

    /// <summary>A list of at most <paramref name="max"/> entries (<paramref name="label"/> in the plural, e.g. "Zwecke").</summary>
    public void Count<T>(IReadOnlyCollection<T>? list, int max, string field, string label)
    {
        if (list is { } entries && entries.Count > max)
        {
            Add(field, $"Bitte höchstens {max} {label} angeben.");
        }
    }

    public void Defined<TEnum>(TEnum? value, string field, string message)
        where TEnum : struct, Enum
    {
        if (value is not { } v || !Enum.IsDefined(v))
        {
            Add(field, message);
        }
    }

    /// <summary>Trimmed text, or null when nothing was entered.</summary>
    public static string? Trimmed(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The label as the subject of a sentence: "das Datum" → "Das Datum", "den Beginn" → "Der Beginn".</summary>
    private static string Capitalise(string label) =>
        label.StartsWith("den ", StringComparison.Ordinal) ? "Der " + label[4..] : char.ToUpperInvariant(label[0]) + label[1..];
}
