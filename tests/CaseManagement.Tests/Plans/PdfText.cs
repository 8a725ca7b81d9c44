using System.Text;
using UglyToad.PdfPig.Content;

namespace CaseManagement.Tests.Plans;

/// <summary>Reads a PDF page's text layer with PdfPig: the characters in the order the file writes them.</summary>
internal static class PdfText
{
    /// <summary>
    /// The page's text, a line break wherever the baseline changes, NFKC-normalised: a reader copying the text gets
    /// the letters, not the presentation forms Arabic glyphs are mapped to (e.g. the lam-alef ligature is two letters).
    /// </summary>
    public static string Of(Page page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var text = new StringBuilder();
        double? baseline = null;
        foreach (var letter in page.Letters)
        {
            if (baseline is { } y && Math.Abs(letter.StartBaseLine.Y - y) > 0.5)
            {
                text.Append('\n');
            }

            baseline = letter.StartBaseLine.Y;
            text.Append(letter.Value);
        }

        return Normalised(text.ToString());
    }

    /// <summary>
    /// NFKC without format characters: the zero-width non-joiner of Persian (اهداف توافق‌شده) only keeps two letters
    /// from joining; it has no glyph, so the text layer has nothing to map it to.
    /// </summary>
    public static string Normalised(string text) =>
        string.Concat(text.Normalize(NormalizationForm.FormKC).Where(c => char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format));
}
