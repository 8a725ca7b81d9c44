using System.Collections;
using System.Globalization;
using System.Resources;

namespace CaseManagement.Common;

/// <summary>
/// The display labels of the domain's values (fields of action, statuses, services, reminder kinds, roles …) in
/// one place: the resource file Common/Labels.resx, keyed <c>&lt;Type&gt;.&lt;Value&gt;</c>, German (the product
/// language); Common/Labels.en.resx has the English ones. <see cref="Of{T}(T)"/> answers in the current UI language
/// (the user's choice); what must stay German whatever the user reads — the import's value tables, the funding
/// report's files — asks for <see cref="German{T}(T)"/>. A test (Common/LabelsTests) checks that every value of
/// every labelled type has its label in both languages.
/// </summary>
public static class Labels
{
    private static readonly ResourceManager Texts = new("CaseManagement.Common.Labels", typeof(Labels).Assembly);

    /// <summary>The label of an enum value in the current UI language; the value's name if the resource has none.</summary>
    public static string Of<T>(T value) where T : struct, Enum => In(typeof(T).Name, value.ToString(), CultureInfo.CurrentUICulture) ?? value.ToString();

    /// <summary>The German label of an enum value, whatever the user reads.</summary>
    public static string German<T>(T value) where T : struct, Enum => In(typeof(T).Name, value.ToString(), CultureInfo.InvariantCulture) ?? value.ToString();

    /// <summary>The label of a value of a named group (e.g. <c>Role</c>) in the current UI language, or null.</summary>
    public static string? Find(string group, string value) => In(group, value, CultureInfo.CurrentUICulture);

    /// <summary>The label of a value of a named group in <paramref name="culture"/> (German unless it has a translation), or null.</summary>
    public static string? In(string group, string value, CultureInfo culture)
    {
        var key = $"{group}.{value}";
        return Translations.IsGerman(culture) ? Texts.GetString(key, CultureInfo.InvariantCulture) : Texts.GetString(key, culture);
    }

    /// <summary>Every (German label, translated label) pair of <paramref name="culture"/> (to translate a label computed in German).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Pairs(CultureInfo culture)
    {
        var german = Texts.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false);
        if (german is null)
        {
            yield break;
        }

        foreach (var (key, translated) in Translations.Read(Texts, culture))
        {
            if (german.GetString(key) is { } label)
            {
                yield return new KeyValuePair<string, string>(label, translated);
            }
        }
    }
}
