using System.Globalization;
using CaseManagement.Web.Features.Plans;
using CaseManagement.Common;
using NodaTime;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace CaseManagement.Web.Features.Clients.Pdf;

/// <summary>
/// The Integrationsplan as an A4 PDF for the client's signature: the content of the print view
/// (Cases/Print.cshtml) plus the steps of each goal, flowing over as many pages as the plan needs.
/// </summary>
public static class PlanPdf
{
    private const double Mm = 72 / 25.4;

    /// <summary>The plan as a download; the file name carries the case number only, never the client's name.</summary>
    public static Microsoft.AspNetCore.Mvc.FileContentResult Download(CaseSummary plan, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new(Render(plan, today), "application/pdf") { FileDownloadName = $"Integrationsplan-{plan.CaseNumber}.pdf" };
    }

    public static byte[] Render(CaseSummary plan, LocalDate today)
    {
        ArgumentNullException.ThrowIfNull(plan);
        EmbeddedFontResolver.Install();
        var fonts = new Fonts();
        using var document = new PdfDocument();
        // The metadata (like the file name) carries the case number only, never the client's name.
        document.Info.Title = "Integrationsplan " + plan.CaseNumber;
        document.Info.Subject = "Integrationsmanagement";
        using (var sheet = new Sheet(document))
        {
            Write(sheet, fonts, plan, today);
        }

        Sheet.AddFooters(document, fonts.Small, "Integrationsplan · Fall " + plan.CaseNumber);
        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    private static void Write(Sheet sheet, Fonts f, CaseSummary plan, LocalDate today)
    {
        sheet.Paragraph("Integrationsplan", f.Title, spaceAfter: 2 * Mm);
        sheet.Paragraph($"Integrationsmanagement · Fall {plan.CaseNumber} · Stand {Time.Format(today)}", f.Body, spaceAfter: 5 * Mm);

        double[] person = [sheet.Width * 0.25, sheet.Width * 0.23, sheet.Width * 0.22, sheet.Width * 0.30];
        sheet.Row(person, [new("Name", f.Bold), new($"{plan.FirstName} {plan.LastName}", f.Body), new("Geburtsdatum", f.Bold), new(Time.Format(plan.BirthDate), f.Body)]);
        sheet.Row(person, [
            new("Staatsangehörigkeit", f.Bold), new(plan.Nationality ?? "–", f.Body),
            new("Begleitung", f.Bold), new($"{Time.Format(plan.SupportStart)} – {Time.Format(plan.SupportEnd)}", f.Body),
        ]);

        var profile = PlanProfile.Rows(plan);
        if (profile.Count > 0)
        {
            sheet.Space(5 * Mm);
            sheet.Table("Profil", f.Heading3, [sheet.Width * 0.28, sheet.Width * 0.72], [new("Bereich", f.Header), new("Angaben", f.Header)],
                profile.Select(r => new Cell[] { new(r.Label, f.Bold), new(r.Text, f.Body) }).ToList());
        }

        sheet.Space(8 * Mm);
        sheet.EnsureRoom(30 * Mm); // keep the heading with the first goals
        sheet.Paragraph("Vereinbarte Ziele", f.Heading2, spaceAfter: 2 * Mm);
        if (plan.Goals.Count == 0)
        {
            sheet.Paragraph("Noch keine Ziele vereinbart.", f.Body);
        }

        double[] columns = [sheet.Width - 81 * Mm, 28 * Mm, 25 * Mm, 28 * Mm];
        Cell[] header = [new("Ziel", f.Header), new("vereinbart am", f.Header), new("Zieltermin", f.Header), new("Stand", f.Header)];
        foreach (var field in Enum.GetValues<FieldOfAction>())
        {
            var rows = plan.Goals.Where(g => g.Field == field).SelectMany(g => GoalRows(g, f)).ToList();
            if (rows.Count > 0)
            {
                sheet.Space(5 * Mm);
                sheet.Table(Goals.FieldLabel(field), f.Heading3, columns, header, rows);
            }
        }

        sheet.Signatures(f.Body, ["Ort, Datum", "Unterschrift Klient:in", "Unterschrift Integrationsmanager:in"]);
    }

    /// <summary>A goal's row, then one row per step (indented, smaller) with its due and done dates.</summary>
    private static IEnumerable<Cell[]> GoalRows(GoalView goal, Fonts f)
    {
        yield return [new(goal.Text, f.Body), new(Time.Format(goal.AgreedOn), f.Body), new(Time.Format(goal.TargetDate), f.Body), new(Goals.StatusLabel(goal.Status), f.Body)];
        foreach (var step in goal.Steps)
        {
            yield return
            [
                new($"– {step.Text} ({GoalSteps.ResponsibleLabel(step.Responsible, step.Service)})", f.Step, Indent: 3 * Mm),
                new("", f.Step),
                new(step.DueDate is { } due ? Time.Format(due) : "", f.Step),
                new(step.CompletedOn is { } done ? "erledigt am " + Time.Format(done) : "offen", f.Step),
            ];
        }
    }

    private readonly record struct Cell(string Text, XFont Font, double Indent = 0);

    /// <summary>Per document: XFont instances are not shared between concurrently written documents.</summary>
    private sealed class Fonts
    {
        private const string Family = EmbeddedFontResolver.FamilyName;

        public XFont Title { get; } = new(Family, 18, XFontStyleEx.Bold);

        public XFont Heading2 { get; } = new(Family, 13, XFontStyleEx.Bold);

        public XFont Heading3 { get; } = new(Family, 11, XFontStyleEx.Bold);

        public XFont Body { get; } = new(Family, 9.5, XFontStyleEx.Regular);

        public XFont Bold { get; } = new(Family, 9.5, XFontStyleEx.Bold);

        public XFont Header { get; } = new(Family, 8.5, XFontStyleEx.Bold);

        public XFont Step { get; } = new(Family, 8.5, XFontStyleEx.Regular);

        public XFont Small { get; } = new(Family, 8, XFontStyleEx.Regular);
    }

    /// <summary>Writes top-down with a cursor and starts a new A4 page when the next block does not fit.</summary>
    private sealed class Sheet : IDisposable
    {
        private const double MarginX = 16 * Mm, Top = 18 * Mm, BottomMargin = 22 * Mm, PadX = 2 * Mm, PadY = 1.5 * Mm;

        private readonly XPen border = new(XColors.Black, 0.3 * Mm);

        private readonly PdfDocument document;
        private XGraphics graphics;
        private double bottom;
        private double y;

        public Sheet(PdfDocument document)
        {
            this.document = document;
            graphics = NewPageGraphics();
        }

        public double Width { get; private set; }

        public void Dispose() => graphics.Dispose();

        public void Space(double height) => y += height;

        /// <summary>Starts a new page unless <paramref name="height"/> still fits on this one.</summary>
        public void EnsureRoom(double height)
        {
            if (y + height > bottom && y > Top)
            {
                graphics.Dispose();
                graphics = NewPageGraphics();
            }
        }

        public void Paragraph(string text, XFont font, double spaceAfter = 0)
        {
            foreach (var line in Wrap(text, font, Width))
            {
                EnsureRoom(font.GetHeight());
                graphics.DrawString(line, font, XBrushes.Black, MarginX, y, XStringFormats.TopLeft);
                y += font.GetHeight();
            }

            y += spaceAfter;
        }

        public void Row(double[] widths, Cell[] cells)
        {
            var (lines, height) = Layout(widths, cells);
            EnsureRoom(height);
            var x = MarginX;
            for (var i = 0; i < cells.Length; i++)
            {
                graphics.DrawRectangle(border, x, y, widths[i], height);
                var top = y + PadY;
                foreach (var line in lines[i])
                {
                    graphics.DrawString(line, cells[i].Font, XBrushes.Black, x + PadX + cells[i].Indent, top, XStringFormats.TopLeft);
                    top += cells[i].Font.GetHeight();
                }

                x += widths[i];
            }

            y += height;
        }

        /// <summary>A titled table; on a new page the title (marked as continued) and the header row repeat.</summary>
        public void Table(string title, XFont titleFont, double[] widths, Cell[] header, IReadOnlyList<Cell[]> rows)
        {
            var first = true;
            foreach (var row in rows)
            {
                var height = Layout(widths, row).Height;
                if (first || y + height > bottom)
                {
                    EnsureRoom(titleFont.GetHeight() + 1 * Mm + Layout(widths, header).Height + height);
                    Paragraph(first ? title : title + " (Fortsetzung)", titleFont, spaceAfter: 1 * Mm);
                    Row(widths, header);
                    first = false;
                }

                Row(widths, row);
            }
        }

        /// <summary>Three signature lines side by side, with their labels below.</summary>
        public void Signatures(XFont font, IReadOnlyList<string> labels)
        {
            const double gap = 8 * Mm, above = 18 * Mm + 12 * Mm;
            var width = (Width - gap * (labels.Count - 1)) / labels.Count;
            var wrapped = labels.Select(l => Wrap(l, font, width)).ToList();
            EnsureRoom(above + 1.5 * Mm + wrapped.Max(l => l.Count) * font.GetHeight());
            var lineY = y + above;
            for (var i = 0; i < labels.Count; i++)
            {
                var x = MarginX + i * (width + gap);
                graphics.DrawLine(border, x, lineY, x + width, lineY);
                var top = lineY + 1.5 * Mm;
                foreach (var line in wrapped[i])
                {
                    graphics.DrawString(line, font, XBrushes.Black, x, top, XStringFormats.TopLeft);
                    top += font.GetHeight();
                }
            }

            y = lineY + 1.5 * Mm + wrapped.Max(l => l.Count) * font.GetHeight();
        }

        /// <summary>"Seite n von m" on every page, once the page count is known.</summary>
        public static void AddFooters(PdfDocument document, XFont font, string label)
        {
            for (var i = 0; i < document.PageCount; i++)
            {
                var page = document.Pages[i];
                using var g = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
                var top = page.Height.Point - 14 * Mm;
                var number = string.Create(CultureInfo.InvariantCulture, $"Seite {i + 1} von {document.PageCount}");
                g.DrawString(label, font, XBrushes.Black, MarginX, top, XStringFormats.TopLeft);
                g.DrawString(number, font, XBrushes.Black, page.Width.Point - MarginX - g.MeasureString(number, font).Width, top, XStringFormats.TopLeft);
            }
        }

        /// <summary>The wrapped lines of each cell and the height of the row.</summary>
        private (List<string>[] Lines, double Height) Layout(double[] widths, Cell[] cells)
        {
            var lines = cells.Select((c, i) => Wrap(c.Text, c.Font, widths[i] - 2 * PadX - c.Indent)).ToArray();
            return (lines, cells.Select((c, i) => lines[i].Count * c.Font.GetHeight()).Max() + 2 * PadY);
        }

        private XGraphics NewPageGraphics()
        {
            var page = document.AddPage();
            page.Size = PageSize.A4;
            Width = page.Width.Point - 2 * MarginX;
            bottom = page.Height.Point - BottomMargin;
            y = Top;
            return XGraphics.FromPdfPage(page);
        }

        /// <summary>Breaks text into lines no wider than <paramref name="width"/>; a word too long for a line is split.</summary>
        private List<string> Wrap(string text, XFont font, double width)
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

            bool Fits(string candidate) => graphics.MeasureString(candidate, font).Width <= width;
        }
    }
}
