using System.Globalization;
using System.Text;
using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Plans;
using NodaTime;
using NodaTime.Text;

namespace CaseManagement.CaseImports;

/// <summary>A column of the import template: its German header (what the file shows) and the API name it may also carry.</summary>
public sealed record TemplateColumn(string Key, string Header, bool Required);

/// <summary>
/// The import template (docs/import.md): the sheet "Fälle" with one case per row and the optional sheet "Ziele". The same
/// columns are written by the export, so a file taken out can be imported again.
/// </summary>
public static class ImportTemplate
{
    public const string CasesSheet = "Fälle";
    public const string GoalsSheet = "Ziele";

    /// <summary>The column of the error file that says what is wrong with a row.</summary>
    public const string ErrorColumn = "Fehler";

    public static readonly TemplateColumn Reference = new("reference", "Aktenzeichen", true);
    public static readonly TemplateColumn LastName = new("lastName", "Nachname", true);
    public static readonly TemplateColumn FirstName = new("firstName", "Vorname", true);
    public static readonly TemplateColumn BirthDate = new("birthDate", "Geburtsdatum", true);
    public static readonly TemplateColumn Gender = new("gender", "Geschlecht", true);
    public static readonly TemplateColumn Nationality = new("nationality", "Staatsangehörigkeit", false);
    public static readonly TemplateColumn Languages = new("languages", "Sprachen", false);
    public static readonly TemplateColumn Residence = new("residenceKind", "Aufenthaltsstatus", true);
    public static readonly TemplateColumn ResidenceValidUntil = new("residenceValidUntil", "Aufenthalt gültig bis", false);
    public static readonly TemplateColumn Housing = new("housingType", "Wohnform", true);
    public static readonly TemplateColumn HousingSince = new("housingSince", "Wohnform seit", true);
    public static readonly TemplateColumn SupportStart = new("supportStart", "Förderbeginn", true);
    public static readonly TemplateColumn Manager = new("manager", "Zuständig (E-Mail)", true);

    public static readonly IReadOnlyList<TemplateColumn> CaseColumns =
        [Reference, LastName, FirstName, BirthDate, Gender, Nationality, Languages, Residence, ResidenceValidUntil, Housing, HousingSince, SupportStart, Manager];

    public static readonly TemplateColumn GoalReference = new("reference", "Aktenzeichen", true);
    public static readonly TemplateColumn GoalField = new("field", "Handlungsfeld", true);
    public static readonly TemplateColumn GoalText = new("text", "Ziel", true);
    public static readonly TemplateColumn GoalAgreedOn = new("agreedOn", "Vereinbart am", true);
    public static readonly TemplateColumn GoalTargetDate = new("targetDate", "Zieldatum", true);
    public static readonly TemplateColumn GoalStatus = new("status", "Status", false);

    public static readonly IReadOnlyList<TemplateColumn> GoalColumns = [GoalReference, GoalField, GoalText, GoalAgreedOn, GoalTargetDate, GoalStatus];

    /// <summary>
    /// Which header of the file feeds each template column: a remembered mapping where its header is in the file, else the
    /// header that reads like the template's German header or API name (case, spaces and punctuation aside).
    /// </summary>
    public static Dictionary<string, string> Recognise(IReadOnlyList<TemplateColumn> columns, IReadOnlyList<string> headers, IReadOnlyDictionary<string, string>? remembered = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(headers);
        var mapping = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (remembered is not null && remembered.TryGetValue(column.Key, out var header) && headers.Contains(header, StringComparer.Ordinal))
            {
                mapping[column.Key] = header;
                continue;
            }

            var match = headers.FirstOrDefault(h => Normalise(h) == Normalise(column.Header) || Normalise(h) == Normalise(column.Key));
            if (match is not null)
            {
                mapping[column.Key] = match;
            }
        }

        return mapping;
    }

    /// <summary>Lower case, letters and digits only, umlauts kept: "Zuständig (E-Mail)" → "zuständigemail".</summary>
    public static string Normalise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static readonly string[] DatePatterns = ["dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd", "dd.MM.yy"];

    /// <summary>A date as German offices write it (TT.MM.JJJJ, also T.M.JJJJ) or ISO (JJJJ-MM-TT); null when the text is none.</summary>
    public static LocalDate? ParseDate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        // A time of day behind the date (Excel's text of a date-time cell) is ignored.
        if (value.Length > 10 && value[10] is ' ' or 'T')
        {
            value = value[..10];
        }

        foreach (var pattern in DatePatterns)
        {
            var result = LocalDatePattern.Create(pattern, CultureInfo.InvariantCulture, new LocalDate(2000, 1, 1)).Parse(value);
            if (result.Success)
            {
                return result.Value;
            }
        }

        return null;
    }

    /// <summary>An Excel date serial number (a date cell's value; 1 = 01.01.1900), or null when it is none.</summary>
    public static LocalDate? FromSerial(double serial)
    {
        if (double.IsNaN(serial) || serial < 1 || serial > 2_958_465)
        {
            return null;
        }

        return LocalDate.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
    }

    public static readonly ValueTable<Gender> Genders = new(
        Enum.GetValues<Gender>().Select(g => (g, Cases.Gender.Female == g ? "weiblich" : g == Cases.Gender.Male ? "männlich" : g == Cases.Gender.Diverse ? "divers" : "unbekannt")),
        [("w", Cases.Gender.Female), ("m", Cases.Gender.Male), ("d", Cases.Gender.Diverse), ("ohne Angabe", Cases.Gender.Unknown)]);

    public static readonly ValueTable<HousingType> HousingTypes = new(
        Enum.GetValues<HousingType>().Select(h => (h, Labels.German(h))),
        [("AU", HousingType.FollowUpAccommodation), ("Anschlussunterbringung", HousingType.FollowUpAccommodation), ("VU", HousingType.PreliminaryAccommodation),
         ("Sonstige", HousingType.Other)]);

    public static readonly ValueTable<ResidenceKind> ResidenceKinds = new(Enum.GetValues<ResidenceKind>().Select(r => (r, Labels.German(r))), []);

    public static readonly ValueTable<FieldOfAction> Fields = new(Enum.GetValues<FieldOfAction>().Select(f => (f, Labels.German(f))),
        [("Schule und Bildung", FieldOfAction.SchoolAndEducation)]);

    public static readonly ValueTable<GoalStatus> GoalStatuses = new(Enum.GetValues<GoalStatus>().Select(s => (s, Labels.German(s))), []);

    /// <summary>The nationality as its ISO code: German names are translated (CountryNames), anything else is passed on to the intake's check.</summary>
    public static string? NationalityCode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var trimmed = text.Trim();
        return CountryNames.Code(trimmed) ?? trimmed;
    }

    /// <summary>Languages separated by comma, semicolon or slash, as codes or German names.</summary>
    public static IReadOnlyList<string> LanguageList(string? text) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : text.Split([',', ';', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(l => LanguageNames.Code(l) ?? l)
                .ToList();
}

/// <summary>
/// The accepted spellings of a choice: its German label as the UI shows it (also without the part in brackets), its API
/// name, and a few abbreviations offices use.
/// </summary>
public sealed class ValueTable<T>
    where T : struct, Enum
{
    private readonly Dictionary<string, T> values = new(StringComparer.Ordinal);

    public ValueTable(IEnumerable<(T Value, string Label)> labels, IEnumerable<(string Text, T Value)> extra)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(extra);
        var list = labels.ToList();
        Labels = list.ToDictionary(l => l.Value, l => l.Label);
        foreach (var (value, label) in list)
        {
            values.TryAdd(ImportTemplate.Normalise(value.ToString()), value);
            values.TryAdd(ImportTemplate.Normalise(label), value);
            if (label.IndexOf(" (", StringComparison.Ordinal) is > 0 and var bracket)
            {
                values.TryAdd(ImportTemplate.Normalise(label[..bracket]), value);
            }
        }

        foreach (var (text, value) in extra)
        {
            values.TryAdd(ImportTemplate.Normalise(text), value);
        }
    }

    /// <summary>The German label of every value (the template's list of accepted values, the export).</summary>
    public IReadOnlyDictionary<T, string> Labels { get; }

    public T? Parse(string text) => values.TryGetValue(ImportTemplate.Normalise(text), out var value) ? value : null;
}
