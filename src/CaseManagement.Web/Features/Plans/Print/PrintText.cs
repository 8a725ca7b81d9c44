using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using SkiaSharp;
using SkiaSharp.HarfBuzz;

namespace CaseManagement.Web.Features.Plans.Print;

/// <summary>
/// Text for the printed plan: picks the embedded Noto face per script, splits a line into runs of one direction and
/// one face, shapes each with HarfBuzz (Arabic letters join, Ge'ez syllables take their forms) and draws the runs as
/// text blobs that carry their UTF-8 text and clusters, so the PDF's text layer reads in logical order (copy-paste
/// works) while the glyphs stand right to left.
/// </summary>
internal static class PrintText
{
    private static readonly Lazy<Face[]> Faces = new(() =>
    [
        new("NotoSans-Regular"), new("NotoSans-Bold"),
        new("NotoSansArabic-Regular"), new("NotoSansArabic-Bold"),
        new("NotoSansEthiopic-Regular"), new("NotoSansEthiopic-Bold"),
    ]);

    /// <summary>A shaped line: its runs in logical order, each with its glyphs in logical order and its own width.</summary>
    public sealed record Line(IReadOnlyList<Run> Runs, float Width, bool RightToLeft);

    public sealed record Run(SKTypeface Typeface, float Size, ushort[] Glyphs, SKPoint[] Positions, uint[] Clusters, byte[] Utf8, float Width, bool RightToLeft);

    public static Line Shape(string text, float size, bool bold, bool rightToLeft)
    {
        var runs = new List<Run>();
        foreach (var (part, face, rtl) in Segments(text, bold, rightToLeft))
        {
            runs.Add(ShapeRun(part, face, size, rtl));
        }

        return new Line(runs, runs.Sum(r => r.Width), rightToLeft);
    }

    public static float Width(string text, float size, bool bold, bool rightToLeft) => Shape(text, size, bold, rightToLeft).Width;

    /// <summary>
    /// Draws the line with its visual start at <paramref name="left"/> (baseline <paramref name="baseline"/>): in a
    /// right-to-left line the runs stand right to left, a left-to-right run (a number, a Latin word) inside it keeps its order.
    /// </summary>
    public static void Draw(SKCanvas canvas, Line line, float left, float baseline, SKPaint paint)
    {
        // Groups of neighbouring runs of one direction; the line orders the groups, each group its runs.
        var groups = new List<List<Run>>();
        foreach (var run in line.Runs)
        {
            if (groups.Count == 0 || groups[^1][0].RightToLeft != run.RightToLeft)
            {
                groups.Add([]);
            }

            groups[^1].Add(run);
        }

        if (line.RightToLeft)
        {
            groups.Reverse();
        }

        var x = left;
        foreach (var group in groups)
        {
            var runs = group[0].RightToLeft ? Enumerable.Reverse(group) : group;
            foreach (var run in runs)
            {
                DrawRun(canvas, run, x, baseline, paint);
                x += run.Width;
            }
        }
    }

    /// <summary>Breaks text into lines no wider than <paramref name="width"/>; a word too long for a line is split.</summary>
    public static List<string> Wrap(string text, float size, bool bold, bool rightToLeft, float width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Fits(candidate))
                {
                    line = candidate;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                line = word;
                while (line.Length > 1 && !Fits(line))
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && !Fits(line[..cut]))
                    {
                        cut--;
                    }

                    cut -= cut > 1 && char.IsHighSurrogate(line[cut - 1]) ? 1 : 0;
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }

            lines.Add(line);
        }

        return lines;

        bool Fits(string candidate) => Width(candidate, size, bold, rightToLeft) <= width;
    }

    private static void DrawRun(SKCanvas canvas, Run run, float x, float baseline, SKPaint paint)
    {
        if (run.Glyphs.Length == 0)
        {
            return;
        }

        using var font = new SKFont(run.Typeface, run.Size) { Subpixel = true };
        using var builder = new SKTextBlobBuilder();
        var buffer = builder.AllocateRawPositionedTextRun(font, run.Glyphs.Length, run.Utf8.Length, null);
        run.Glyphs.CopyTo(buffer.Glyphs);
        run.Positions.CopyTo(buffer.Positions);
        run.Clusters.CopyTo(buffer.Clusters);
        run.Utf8.CopyTo(buffer.Text);
        using var blob = builder.Build();
        if (blob is not null)
        {
            canvas.DrawText(blob, x, baseline, paint);
        }
    }

    private static Run ShapeRun(string text, Face face, float size, bool rightToLeft)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        using var font = new SKFont(face.Typeface, size);
        using var buffer = new HarfBuzzSharp.Buffer();
        buffer.AddUtf8(utf8);
        buffer.GuessSegmentProperties();
        buffer.Direction = rightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        var shaped = face.Shaper.Shape(buffer, font);
        // A zero-width joiner or non-joiner (Persian: توافق‌شده) has done its work in the shaping; HarfBuzz leaves a
        // zero-width space glyph for it, which a text layer would read as a space. Dropped, its character stays in
        // the cluster before it.
        var kept = Enumerable.Range(0, shaped.Codepoints.Length)
            .Where(i => Rune.DecodeFromUtf8(utf8.AsSpan((int)shaped.Clusters[i]), out var rune, out _) != System.Buffers.OperationStatus.Done
                || Rune.GetUnicodeCategory(rune) != UnicodeCategory.Format)
            .ToArray();
        var glyphs = kept.Select(i => (ushort)shaped.Codepoints[i]).ToArray();
        var positions = kept.Select(i => shaped.Points[i]).ToArray();
        var clusters = kept.Select(i => shaped.Clusters[i]).ToArray();
        if (rightToLeft)
        {
            // HarfBuzz gives a right-to-left run left to right on the page; kept in logical order (the positions stay
            // with their glyphs) the PDF writes the text in reading order and needs no reversed-characters marking.
            Array.Reverse(glyphs);
            Array.Reverse(positions);
            Array.Reverse(clusters);
        }

        return new Run(face.Typeface, size, glyphs, positions, clusters, utf8, shaped.Width, rightToLeft);
    }

    /// <summary>
    /// Splits a line into parts of one face and one direction. Arabic letters run right to left; letters and digits of
    /// other scripts left to right; spaces and punctuation go with the part before them (at the start: the line's direction).
    /// </summary>
    private static IEnumerable<(string Text, Face Face, bool RightToLeft)> Segments(string text, bool bold, bool lineRightToLeft)
    {
        var faces = Faces.Value;
        var weight = bold ? 1 : 0;
        var part = new StringBuilder();
        Face? face = null;
        var rtl = lineRightToLeft;
        foreach (var rune in text.EnumerateRunes())
        {
            var (script, strong) = Classify(rune);
            var wanted = script switch
            {
                Script.Arabic => faces[2 + weight],
                Script.Ethiopic => faces[4 + weight],
                _ when strong is null && face is not null && face.Font.ContainsGlyph(rune.Value) => face,
                _ => faces[weight],
            };
            var direction = strong ?? (part.Length == 0 ? lineRightToLeft : rtl);
            if (part.Length > 0 && (wanted != face || direction != rtl))
            {
                yield return (part.ToString(), face!, rtl);
                part.Clear();
            }

            face = wanted;
            rtl = direction;
            part.Append(rune.ToString());
        }

        if (part.Length > 0)
        {
            yield return (part.ToString(), face!, rtl);
        }
    }

    private enum Script
    {
        Other,
        Arabic,
        Ethiopic,
    }

    /// <summary>The script's face and the direction a character sets (null for spaces and punctuation).</summary>
    private static (Script Script, bool? RightToLeft) Classify(Rune rune)
    {
        var v = rune.Value;
        if (v is >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x08A0 and <= 0x08FF or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF)
        {
            // Arabic-Indic digits and the Arabic comma, semicolon and question mark: they join the part around them.
            var neutral = v is >= 0x0660 and <= 0x0669 or >= 0x06F0 and <= 0x06F9 or 0x060C or 0x061B or 0x061F or 0x066B or 0x066C;
            return (Script.Arabic, neutral ? null : true);
        }

        if (v is >= 0x1200 and <= 0x139F or >= 0x2D80 and <= 0x2DDF or >= 0xAB00 and <= 0xAB2F)
        {
            return (Script.Ethiopic, Rune.IsLetter(rune) ? false : null);
        }

        var category = Rune.GetUnicodeCategory(rune);
        var strong = Rune.IsLetterOrDigit(rune) || category is UnicodeCategory.NonSpacingMark;
        return (Script.Other, strong ? false : null);
    }

    private sealed class Face
    {
        public Face(string file)
        {
            using var stream = typeof(Face).Assembly.GetManifestResourceStream($"CaseManagement.Web.Plans.Print.Fonts.{file}.ttf")
                ?? throw new InvalidOperationException($"The font {file} is not embedded.");
            Typeface = SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"The font {file} cannot be read.");
            Shaper = new SKShaper(Typeface);
            Font = new SKFont(Typeface);
        }

        /// <summary>For the glyph look-up only (which characters the face has).</summary>
        public SKFont Font { get; }

        public SKTypeface Typeface { get; }

        /// <summary>HarfBuzz's font is read-only once made: one shaper serves every request.</summary>
        public SKShaper Shaper { get; }
    }
}
