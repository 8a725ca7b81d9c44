using CaseManagement.Web.Infrastructure;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CaseManagement.Web.Features.Reports;

/// <summary>The funding report as files: CSV (through <see cref="CsvFile"/>, as German Excel expects) and XLSX.</summary>
public static class ReportFiles
{
    public const string CsvType = CsvFile.ContentType;
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static string FileName(FundingReport report, string extension)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Auswertung-Zeitraum-{report.From:yyyy-MM-dd}-bis-{report.To:yyyy-MM-dd}.{extension}";
    }

    /// <summary>The report's rows as CSV (<see cref="CsvFile"/>).</summary>
    public static byte[] Csv(FundingReport report) => CsvFile.Write(FundingReportBuilder.Rows(report));

    /// <summary>One sheet "Auswertung Zeitraum"; the value column holds numbers, so Excel can sum them.</summary>
    public static byte[] Xlsx(FundingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var header = FundingReportBuilder.Rows(report).Count - report.Sections.Sum(s => s.Lines.Count);
            var index = 0;
            foreach (var row in FundingReportBuilder.Rows(report))
            {
                index++;
                var cells = row.Select((value, column) => index > header && column == 2 ? Number(report, index - header) : Text(value));
                data.AppendChild(new Row(cells) { RowIndex = (uint)index });
            }

            sheetPart.Worksheet = new Worksheet(
                new Columns(new Column { Min = 1, Max = 1, Width = 60, CustomWidth = true }, new Column { Min = 2, Max = 2, Width = 55, CustomWidth = true }),
                data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.AppendChild(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "Auswertung Zeitraum" });
            workbook.Workbook.Save();
        }

        return output.ToArray();
    }

    private static Cell Text(string value) => new() { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) };

    private static Cell Number(FundingReport report, int line)
    {
        var value = report.Sections.SelectMany(s => s.Lines).ElementAt(line - 1).Value;
        return new Cell { DataType = CellValues.Number, CellValue = new CellValue(value) };
    }
}
