using System.Globalization;
using CaseManagement.Common;
using CaseManagement.Plans.Translations;
using CaseManagement.Web.Features.Clients;
using NodaTime;
using SkiaSharp;

namespace CaseManagement.Web.Features.Plans.Print;

/// <summary>
/// The Integrationsplan as an A4 PDF for the client's signature, every fixed text in German and — side by side or
/// below it — in the client's language (SkiaSharp's PDF backend, HarfBuzz shaping, embedded Noto fonts; see
/// docs/client-language.md). The manager's free texts stay as written. Pages are recorded first, so every footer can
/// say "Seite n von m"; the tests draw the same recorded pages onto a bitmap.
/// </summary>
public static class PlanDocument
{
    private const float Mm = 72f / 25.4f;
    private const float PageWidth = 210 * Mm, PageHeight = 297 * Mm;

    /// <summary>The plan as a download; the file name carries the case number (and language), never the client's name.</summary>
    public static Microsoft.AspNetCore.Mvc.FileContentResult Download(PlanPrintPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var suffix = page.Language.Code == "de" ? "" : "-" + page.Language.Code;
        return new(Render(page), "application/pdf") { FileDownloadName = $"Integrationsplan-{page.Case.CaseNumber}{suffix}.pdf" };
    }

    /// <summary>The plan with the file's texts only (no overrides, no places of offers).</summary>
    public static byte[] Render(CaseSummary plan, PlanLanguage language, LocalDate today) => Render(new PlanPrintPage(plan, today, language));

    public static byte[] Render(PlanPrintPage print)
    {
        ArgumentNullException.ThrowIfNull(print);
        var plan = print.Case;
        var pages = Pages(print);
        try
        {
            using var output = new MemoryStream();
            using (var document = SKDocument.CreatePdf(output, new SKDocumentPdfMetadata
            {
                // The metadata (like the file name) carries the case number only, never the client's name.
                Title = "Integrationsplan " + plan.CaseNumber,
                Subject = "Integrationsmanagement",
                Producer = "CaseManagement",
                Creator = "CaseManagement",
                RasterDpi = 150,
            }))
            {
                foreach (var page in pages)
                {
                    var canvas = document.BeginPage(PageWidth, PageHeight);
                    canvas.DrawPicture(page);
                    document.EndPage();
                }

                document.Close();
            }

            return output.ToArray();
        }
        finally
        {
            foreach (var page in pages)
            {
                page.Dispose();
            }
        }
    }

    /// <summary>The recorded A4 pages, footers included (points, origin top left).</summary>
    internal static IReadOnlyList<SKPicture> Pages(CaseSummary plan, PlanLanguage language, LocalDate today) => Pages(new PlanPrintPage(plan, today, language));

    internal static IReadOnlyList<SKPicture> Pages(PlanPrintPage print)
    {
        ArgumentNullException.ThrowIfNull(print);
        using var sheet = new Sheet(print.Language);
        Write(sheet, print);
        return sheet.Finish("Integrationsplan · Fall " + print.Case.CaseNumber);
    }

    private static void Write(Sheet sheet, PlanPrintPage print)
    {
        var (plan, client, today) = (print.Case, print.Language, print.Today);
        var de = print.German;
        var bilingual = client.Code != "de";
        sheet.Pair(de["Title"], bilingual ? client["Title"] : null, Style.Title, spaceAfter: 2 * Mm);
        sheet.Pair($"{de["Programme"]} · Fall {plan.CaseNumber} · Stand {Time.Format(today)}", bilingual ? client["Programme"] : null, Style.Body, spaceAfter: 3 * Mm);
        if (bilingual && !client.Reviewed)
        {
            sheet.Notice(de["Unreviewed"], client["Unreviewed"]);
        }

        sheet.Space(2 * Mm);
        float[] person = [Sheet.Width * 0.22f, Sheet.Width * 0.28f, Sheet.Width * 0.22f, Sheet.Width * 0.28f];
        sheet.Row(person, [Label("Name"), Cell.Of(plan.FirstName + " " + plan.LastName), Label("BirthDate"), Cell.Of(Time.Format(plan.BirthDate))]);
        sheet.Row(person, [
            Label("Nationality"), Cell.Of(CountryNames.Name(plan.Nationality) ?? "–"),
            Label("Support"), Cell.Of($"{Time.Format(plan.SupportStart)} – {Time.Format(plan.SupportEnd)}"),
        ]);

        var profile = PlanProfile.Rows(plan);
        if (profile.Count > 0)
        {
            sheet.Space(5 * Mm);
            sheet.Table(Heading("Profile"), [Sheet.Width * 0.28f, Sheet.Width * 0.72f], [Label("Area", Style.Header), Label("Details", Style.Header)],
                profile.Select(r => new[] { Cell.Of(r.Label, Style.Bold), Cell.Of(r.Text) }).ToList());
        }

        sheet.Space(8 * Mm);
        sheet.EnsureRoom(30 * Mm); // keep the heading with the first goals
        sheet.Pair(de["GoalsHeading"], bilingual ? client["GoalsHeading"] : null, Style.Heading2, spaceAfter: 2 * Mm);
        if (plan.Goals.Count == 0)
        {
            sheet.Pair(de["NoGoals"], bilingual ? client["NoGoals"] : null, Style.Body);
        }

        float[] columns = [Sheet.Width - 90 * Mm, 28 * Mm, 28 * Mm, 34 * Mm];
        Cell[] header = [Label("Goal", Style.Header), Label("AgreedOn", Style.Header), Label("TargetDate", Style.Header), Label("Status", Style.Header)];
        foreach (var field in Enum.GetValues<FieldOfAction>())
        {
            var rows = plan.Goals.Where(g => g.Field == field).SelectMany(GoalRows).ToList();
            if (rows.Count > 0)
            {
                sheet.Space(5 * Mm);
                sheet.Table((de.Field(field), bilingual ? client.Field(field) : null), columns, header, rows);
            }
        }

        if (print.NextSteps.Count > 0)
        {
            sheet.Space(6 * Mm);
            float[] stepColumns = [Sheet.Width * 0.42f, Sheet.Width * 0.42f, Sheet.Width * 0.16f];
            sheet.Table(Heading("NextSteps"), stepColumns, [Label("Step", Style.Header), Label("Where", Style.Header), Label("DueBy", Style.Header)],
                print.NextSteps.Select(s => new[]
                {
                    new Cell(s.Text, Style.Step, s.ClientText),
                    s.Offer is { } offer ? new Cell(print.Place(offer), Style.Step, print.ClientName(offer)) : Cell.Of(s.Where ?? "", Style.Step),
                    Cell.Of(s.Due is { } due ? Time.Format(due) : "", Style.Step),
                }).ToList());
        }

        sheet.Space(6 * Mm);
        sheet.EnsureRoom(30 * Mm);
        sheet.Pair(de["Consent"], bilingual ? client["Consent"] : null, Style.Body, spaceAfter: 2 * Mm);
        sheet.Pair(de["DataProtection"], bilingual ? client["DataProtection"] : null, Style.Step);
        sheet.Signatures([Label("SignaturePlaceDate"), Label("SignatureClient"), Label("SignatureManager")]);

        Cell Label(string key, Style style = Style.Bold) => new(de[key], style, bilingual ? client[key] : null);

        (string, string?) Heading(string key) => (de[key], bilingual ? client[key] : null);

        IEnumerable<Cell[]> GoalRows(GoalView goal)
        {
            yield return
            [
                new(goal.Text, Style.Body, bilingual ? goal.ClientSummary : null), Cell.Of(Time.Format(goal.AgreedOn)), Cell.Of(Time.Format(goal.TargetDate)),
                new(de.Status(goal.Status), Style.Body, bilingual ? client.Status(goal.Status) : null),
            ];
            foreach (var step in goal.Steps)
            {
                var owner = step.Responsible == StepResponsible.OtherService && step.Service is not null
                    ? new Cell($"– {step.Text} ({step.Service})", Style.Step, Indent: 3 * Mm)
                    : new Cell($"– {step.Text} ({de.Responsible(step.Responsible)})", Style.Step, bilingual ? client.Responsible(step.Responsible) : null, 3 * Mm);
                yield return
                [
                    owner,
                    Cell.Of("", Style.Step),
                    Cell.Of(step.DueDate is { } due ? Time.Format(due) : "", Style.Step),
                    step.CompletedOn is { } done
                        ? new($"{de["StepDone"]} {Time.Format(done)}", Style.Step, bilingual ? client["StepDone"] : null)
                        : new(de["StepOpen"], Style.Step, bilingual ? client["StepOpen"] : null),
                ];
            }
        }
    }

    internal enum Style
    {
        Title,
        Heading2,
        Heading3,
        Body,
        Bold,
        Header,
        Step,
        Small,
    }

    /// <summary>A table cell: the German text, and the client-language text below it when the print is bilingual.</summary>
    private readonly record struct Cell(string Text, Style Style, string? Client = null, float Indent = 0)
    {
        public static Cell Of(string text, Style style = Style.Body) => new(text, style);
    }

    private static float Size(Style style) => style switch
    {
        Style.Title => 18,
        Style.Heading2 => 13,
        Style.Heading3 => 11,
        Style.Body or Style.Bold => 9.5f,
        Style.Header or Style.Step => 8.5f,
        _ => 8,
    };

    private static bool IsBold(Style style) => style is Style.Title or Style.Heading2 or Style.Heading3 or Style.Bold or Style.Header;

    private static float LineHeight(Style style) => Size(style) * 1.45f;

    /// <summary>Writes top-down with a cursor and starts a new A4 page when the next block does not fit.</summary>
    private sealed class Sheet(PlanLanguage client) : IDisposable
    {
        private const float MarginX = 16 * Mm, Top = 18 * Mm, BottomMargin = 22 * Mm, PadX = 2 * Mm, PadY = 1.5f * Mm, Gap = 6 * Mm;

        private readonly List<SKPictureRecorder> pages = [];
        private readonly SKPaint ink = new() { Color = SKColors.Black, IsAntialias = true };
        private readonly SKPaint border = new() { Color = SKColors.Black, StrokeWidth = 0.3f * Mm, Style = SKPaintStyle.Stroke };
        private readonly SKPaint grey = new() { Color = new SKColor(0xEE, 0xEE, 0xEE), Style = SKPaintStyle.Fill };
        private SKCanvas canvas = null!;
        private float y = float.MaxValue;

        public static float Width => PageWidth - 2 * MarginX;

        private static float Bottom => PageHeight - BottomMargin;

        public void Space(float height) => y += height;

        /// <summary>Starts a new page unless <paramref name="height"/> still fits on this one.</summary>
        public void EnsureRoom(float height)
        {
            if (pages.Count == 0 || (y + height > Bottom && y > Top))
            {
                var recorder = new SKPictureRecorder();
                canvas = recorder.BeginRecording(new SKRect(0, 0, PageWidth, PageHeight));
                pages.Add(recorder);
                y = Top;
            }
        }

        /// <summary>German on the left, the client's language on the right (aligned to its reading direction); German alone full width.</summary>
        public void Pair(string german, string? translated, Style style, float spaceAfter = 0)
        {
            var half = translated is null ? Width : (Width - Gap) / 2;
            var left = PrintText.Wrap(german, Size(style), IsBold(style), false, half);
            var right = translated is null ? [] : PrintText.Wrap(translated, Size(style), IsBold(style), client.RightToLeft, half);
            var lines = Math.Max(left.Count, right.Count);
            for (var i = 0; i < lines; i++)
            {
                EnsureRoom(LineHeight(style));
                if (i < left.Count)
                {
                    Text(left[i], style, false, MarginX, half);
                }

                if (i < right.Count)
                {
                    Text(right[i], style, client.RightToLeft, MarginX + half + Gap, half);
                }

                y += LineHeight(style);
            }

            y += spaceAfter;
        }

        /// <summary>The framed marker that the translation awaits review.</summary>
        public void Notice(string german, string translated)
        {
            var half = (Width - Gap) / 2;
            var left = PrintText.Wrap(german, Size(Style.Small), true, false, half - 2 * PadX);
            var right = PrintText.Wrap(translated, Size(Style.Small), true, client.RightToLeft, half - 2 * PadX);
            var height = Math.Max(left.Count, right.Count) * LineHeight(Style.Small) + 2 * PadY;
            EnsureRoom(height);
            canvas.DrawRect(MarginX, y, Width, height, grey);
            canvas.DrawRect(MarginX, y, Width, height, border);
            var top = y + PadY;
            for (var i = 0; i < Math.Max(left.Count, right.Count); i++)
            {
                y = top + i * LineHeight(Style.Small);
                if (i < left.Count)
                {
                    Text(left[i], Style.Header, false, MarginX + PadX, half - 2 * PadX, Size(Style.Small));
                }

                if (i < right.Count)
                {
                    Text(right[i], Style.Header, client.RightToLeft, MarginX + half + Gap, half - 2 * PadX, Size(Style.Small));
                }
            }

            y = top - PadY + height;
        }

        public void Row(float[] widths, Cell[] cells)
        {
            var (lines, height) = Layout(widths, cells);
            EnsureRoom(height);
            var x = MarginX;
            var rowTop = y;
            for (var i = 0; i < cells.Length; i++)
            {
                canvas.DrawRect(x, rowTop, widths[i], height, border);
                y = rowTop + PadY;
                foreach (var (text, rtl) in lines[i])
                {
                    Text(text, cells[i].Style, rtl, x + PadX + cells[i].Indent, widths[i] - 2 * PadX - cells[i].Indent);
                    y += LineHeight(cells[i].Style);
                }

                x += widths[i];
            }

            y = rowTop + height;
        }

        /// <summary>A titled table; on a new page the title (marked as continued) and the header row repeat.</summary>
        public void Table((string German, string? Client) title, float[] widths, Cell[] header, IReadOnlyList<Cell[]> rows)
        {
            var first = true;
            foreach (var row in rows)
            {
                var height = Layout(widths, row).Height;
                if (first || y + height > Bottom)
                {
                    EnsureRoom(2 * LineHeight(Style.Heading3) + 1 * Mm + Layout(widths, header).Height + height);
                    Pair(first ? title.German : title.German + " (Fortsetzung)", title.Client, Style.Heading3, spaceAfter: 1 * Mm);
                    Row(widths, header);
                    first = false;
                }

                Row(widths, row);
            }
        }

        /// <summary>Three signature lines side by side, with their labels (German, then the client's language) below.</summary>
        public void Signatures(IReadOnlyList<Cell> labels)
        {
            const float above = 22 * Mm;
            var width = (Width - 8 * Mm * (labels.Count - 1)) / labels.Count;
            var wrapped = labels.Select(l => Lines(l, width)).ToList();
            var labelHeight = wrapped.Max(l => l.Count) * LineHeight(Style.Body);
            EnsureRoom(above + 1.5f * Mm + labelHeight);
            var lineY = y + above;
            for (var i = 0; i < labels.Count; i++)
            {
                var x = MarginX + i * (width + 8 * Mm);
                canvas.DrawLine(x, lineY, x + width, lineY, border);
                y = lineY + 1.5f * Mm;
                foreach (var (text, rtl) in wrapped[i])
                {
                    Text(text, Style.Body, rtl, x, width);
                    y += LineHeight(Style.Body);
                }
            }

            y = lineY + 1.5f * Mm + labelHeight;
        }

        /// <summary>Ends recording; every page gets "Integrationsplan · Fall …" and "Seite n von m" at its foot.</summary>
        public List<SKPicture> Finish(string label)
        {
            var result = new List<SKPicture>();
            for (var i = 0; i < pages.Count; i++)
            {
                canvas = pages[i].RecordingCanvas;
                y = PageHeight - 14 * Mm;
                Text(label, Style.Small, false, MarginX, Width);
                var number = string.Create(CultureInfo.InvariantCulture, $"Seite {i + 1} von {pages.Count}");
                var line = PrintText.Shape(number, Size(Style.Small), false, false);
                PrintText.Draw(canvas, line, MarginX + Width - line.Width, y + Size(Style.Small), ink);
                result.Add(pages[i].EndRecording());
                pages[i].Dispose();
            }

            return result;
        }

        public void Dispose()
        {
            ink.Dispose();
            border.Dispose();
            grey.Dispose();
        }

        /// <summary>One line of text in a box from <paramref name="left"/>, <paramref name="width"/> wide: right-to-left text stands at the box's right edge.</summary>
        private void Text(string text, Style style, bool rightToLeft, float left, float width, float? size = null)
        {
            var line = PrintText.Shape(text, size ?? Size(style), IsBold(style), rightToLeft);
            var x = rightToLeft ? left + width - line.Width : left;
            PrintText.Draw(canvas, line, x, y + (size ?? Size(style)), ink);
        }

        private List<(string Text, bool RightToLeft)> Lines(Cell cell, float width)
        {
            var lines = PrintText.Wrap(cell.Text, Size(cell.Style), IsBold(cell.Style), false, width).Select(l => (l, false)).ToList();
            if (cell.Client is not null)
            {
                lines.AddRange(PrintText.Wrap(cell.Client, Size(cell.Style), IsBold(cell.Style), client.RightToLeft, width).Select(l => (l, client.RightToLeft)));
            }

            return lines;
        }

        /// <summary>The wrapped lines of each cell and the height of the row.</summary>
        private (List<(string, bool)>[] Lines, float Height) Layout(float[] widths, Cell[] cells)
        {
            var lines = cells.Select((c, i) => Lines(c, widths[i] - 2 * PadX - c.Indent)).ToArray();
            return (lines, cells.Select((c, i) => Math.Max(1, lines[i].Count) * LineHeight(c.Style)).Max() + 2 * PadY);
        }
    }
}
