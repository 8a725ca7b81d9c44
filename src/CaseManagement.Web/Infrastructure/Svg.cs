using System.Globalization;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// Numbers and labels of the server-rendered SVG charts: coordinates always with a decimal point (an SVG
/// attribute is not German text — "523,1" breaks the chart), labels wrapped so they never run into the bars.
/// </summary>
public static class Svg
{
    /// <summary>A coordinate or length, culture-invariant, at most one decimal.</summary>
    public static string Number(double value) => Math.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>
    /// The label in at most <paramref name="maxLines"/> lines of at most <paramref name="maxChars"/> characters,
    /// broken between words; what does not fit ends in "…" (the full text goes into the element's title).
    /// </summary>
    public static IReadOnlyList<string> Lines(string label, int maxChars = 30, int maxLines = 2)
    {
        ArgumentNullException.ThrowIfNull(label);
        var lines = new List<string>();
        var current = "";
        foreach (var word in label.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (candidate.Length <= maxChars)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
        }

        if (current.Length > 0)
        {
            lines.Add(current);
        }

        var shown = lines.Take(maxLines).Select(l => l.Length > maxChars ? l[..(maxChars - 1)] + "…" : l).ToList();
        if (lines.Count > maxLines && !shown[^1].EndsWith('…'))
        {
            var last = shown[^1];
            shown[^1] = (last.Length >= maxChars ? last[..(maxChars - 1)] : last) + "…";
        }

        return shown;
    }
}
