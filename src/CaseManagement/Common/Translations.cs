using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;

namespace CaseManagement.Common;

/// <summary>
/// The English texts of the domain, resolved by <see cref="CultureInfo.CurrentUICulture"/> (German is the product
/// language and the key): the sentences of the domain (input checks, refusals, stale answers) in
/// <c>Common/Messages.en.resx</c> keyed by the German sentence, the labels of values in <c>Common/Labels.en.resx</c>.
/// A sentence with values in it (<c>Das Ziel darf höchstens 500 Zeichen lang sein.</c>) is found by its template
/// (<c>… höchstens {0} Zeichen …</c>); each value is translated in turn (a label inside a sentence). A text without
/// an English entry stays German — never empty.
/// </summary>
public static partial class Translations
{
    private static readonly ResourceManager Sentences = new("CaseManagement.Common.Messages", typeof(Translations).Assembly);

    private static readonly ConcurrentDictionary<string, Table> Tables = new(StringComparer.Ordinal);

    /// <summary>True for the product language (and the invariant culture of background work): no translation.</summary>
    public static bool IsGerman(CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName is "de" or "iv";
    }

    /// <summary>The domain text <paramref name="german"/> in <paramref name="culture"/>; the German text if there is no entry.</summary>
    public static string Localize(string german, CultureInfo culture) => Find(german, culture) ?? german;

    /// <summary>The translation of a domain text (a sentence, a template with values, or a label), or null.</summary>
    public static string? Find(string? german, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (string.IsNullOrEmpty(german) || IsGerman(culture))
        {
            return null;
        }

        return TableOf(culture, "domain", () => Read(Sentences, culture).Concat(Labels.Pairs(culture))).Translate(german, culture, t => Find(t, culture));
    }

    /// <summary>The table of (German, translated) pairs of one source and culture, read once.</summary>
    public static Table TableOf(CultureInfo culture, string source, Func<IEnumerable<KeyValuePair<string, string>>> read)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return Tables.GetOrAdd(source + "|" + culture.Name, _ => new Table(read()));
    }

    /// <summary>Every entry of a resource in <paramref name="culture"/> (and its parents, not the neutral German one).</summary>
    public static IEnumerable<KeyValuePair<string, string>> Read(ResourceManager resources, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentNullException.ThrowIfNull(culture);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var c = culture; !Equals(c, CultureInfo.InvariantCulture); c = c.Parent)
        {
            var set = resources.GetResourceSet(c, createIfNotExists: true, tryParents: false);
            if (set is null)
            {
                continue;
            }

            foreach (DictionaryEntry entry in set)
            {
                if (entry.Key is string key && entry.Value is string value && seen.Add(key))
                {
                    yield return new KeyValuePair<string, string>(key, value);
                }
            }
        }
    }

    /// <summary>
    /// (German, translated) pairs: exact ones, and templates with <c>{0}</c>, <c>{1}</c> … whose values are
    /// translated by the caller's lookup before they are put into the translated template.
    /// </summary>
    public sealed class Table
    {
        private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
        private readonly List<(Regex Pattern, string Translated)> templates = [];

        public Table(IEnumerable<KeyValuePair<string, string>> pairs)
        {
            ArgumentNullException.ThrowIfNull(pairs);
            foreach (var (german, translated) in pairs)
            {
                exact.TryAdd(german, translated);
                // A template is matched against whole texts only when its own words say enough: "{0} von {1}" would
                // also match a free text or a name ("Ursula von der Leyen"); such short ones are used by key only.
                if (Placeholder().IsMatch(german) && Placeholder().Replace(german, "").Count(char.IsLetter) >= 8)
                {
                    templates.Add((ToPattern(german), translated));
                }
            }

            // The most specific template first (the longest fixed text).
            templates.Sort((a, b) => Fixed(b.Pattern).CompareTo(Fixed(a.Pattern)));
        }

        public int Count => exact.Count;

        public string? Translate(string german, CultureInfo culture, Func<string, string?> translateValue)
        {
            ArgumentNullException.ThrowIfNull(german);
            ArgumentNullException.ThrowIfNull(translateValue);
            if (exact.TryGetValue(german, out var found))
            {
                return found;
            }

            if (german.Length > 2_000)
            {
                return null;
            }

            foreach (var (pattern, translated) in templates)
            {
                Match match;
                try
                {
                    match = pattern.Match(german);
                }
                catch (RegexMatchTimeoutException)
                {
                    continue;
                }

                if (match.Success)
                {
                    var values = new object[match.Groups.Count - 1];
                    for (var i = 1; i < match.Groups.Count; i++)
                    {
                        var index = int.Parse(match.Groups[i].Name[1..], CultureInfo.InvariantCulture);
                        if (index < values.Length)
                        {
                            values[index] = translateValue(match.Groups[i].Value) ?? match.Groups[i].Value;
                        }
                    }

                    try
                    {
                        return string.Format(culture, translated, values);
                    }
                    catch (FormatException)
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        private static int Fixed(Regex pattern) => pattern.ToString().Length;

        private static Regex ToPattern(string template)
        {
            var parts = Placeholder().Split(template);
            var pattern = new System.Text.StringBuilder("^");
            var used = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < parts.Length; i++)
            {
                if (i % 2 == 0)
                {
                    pattern.Append(Regex.Escape(parts[i]));
                }
                else if (used.Add(parts[i]))
                {
                    pattern.Append("(?<p").Append(parts[i]).Append(">.+?)");
                }
                else
                {
                    pattern.Append(@"\k<p").Append(parts[i]).Append('>');
                }
            }

            return new Regex(pattern.Append('$').ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        }
    }

    [GeneratedRegex(@"\{(\d)(?:[,:][^}]*)?\}")]
    private static partial Regex Placeholder();
}
