using CaseManagement.CaseImports;
using CaseManagement.Web.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Microsoft.AspNetCore.Mvc;

[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Scope = "namespace",
    Target = "~N:CaseManagement.Web.Features.Imports", Justification = "The feature folder is Features/Imports (views are found by the namespace's last segment); no Visual Basic consumers.")]

namespace CaseManagement.Web.Features.Imports;

/// <summary>The files of the import: the empty template (CSV, XLSX with both sheets) and the rejected rows with "Fehler".</summary>
public static class ImportDownloads
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static FileContentResult TemplateCsv() =>
        CsvFile.Download([ImportTemplate.CaseColumns.Select(c => c.Header).ToList()], "Importvorlage-Faelle.csv");

    public static FileContentResult TemplateXlsx() => new(Xlsx(
        (ImportTemplate.CasesSheet, [ImportTemplate.CaseColumns.Select(c => c.Header).ToList()]),
        (ImportTemplate.GoalsSheet, [ImportTemplate.GoalColumns.Select(c => c.Header).ToList()])), XlsxType) { FileDownloadName = "Importvorlage.xlsx" };

    /// <summary>The organisation's cases (sheet "Fälle") as CSV; never cached.</summary>
    public static FileContentResult ExportCsv(HttpResponse response, CaseloadExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        NoStore(response);
        return CsvFile.Download(export.Cases, "Export-Faelle.csv");
    }

    /// <summary>The goals of the organisation's cases (sheet "Ziele") as CSV; never cached.</summary>
    public static FileContentResult ExportGoalsCsv(HttpResponse response, CaseloadExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        NoStore(response);
        return CsvFile.Download(export.Goals, "Export-Ziele.csv");
    }

    /// <summary>Cases and goals as one workbook in the template's sheets; never cached.</summary>
    public static FileContentResult ExportXlsx(HttpResponse response, CaseloadExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        NoStore(response);
        return new(Xlsx((ImportTemplate.CasesSheet, export.Cases), (ImportTemplate.GoalsSheet, export.Goals)), XlsxType) { FileDownloadName = "Export.xlsx" };
    }

    private static void NoStore(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>The rejected rows as the user uploaded them (same format and columns) with the column "Fehler" at the end.</summary>
    public static FileContentResult Rejected(RejectedRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var width = Math.Max(rows.Headers.Count, rows.Rows.Count == 0 ? 0 : rows.Rows.Max(r => r.Cells.Count));
        IReadOnlyList<string?> Pad(IReadOnlyList<string> cells, string last) => [.. cells, .. Enumerable.Repeat("", width - cells.Count), last];
        var table = new List<IReadOnlyList<string?>> { Pad(rows.Headers, ImportTemplate.ErrorColumn) };
        table.AddRange(rows.Rows.Select(r => Pad(r.Cells, r.Errors)));
        var name = Path.GetFileNameWithoutExtension(rows.FileName) + "-Fehler";
        return rows.Format == ImportFormat.Xlsx
            ? new FileContentResult(Xlsx((ImportTemplate.CasesSheet, table)), XlsxType) { FileDownloadName = name + ".xlsx" }
            : CsvFile.Download(table, name + ".csv");
    }

    /// <summary>Sheets of text cells (inline strings: no formula is ever written; a leading "=" stays text).</summary>
    public static byte[] Xlsx(params (string Name, IReadOnlyList<IReadOnlyList<string?>> Rows)[] sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var list = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                using (var writer = DocumentFormat.OpenXml.OpenXmlWriter.Create(part))
                {
                    writer.WriteStartElement(new Worksheet());
                    writer.WriteStartElement(new SheetData());
                    uint index = 0;
                    foreach (var row in rows)
                    {
                        writer.WriteElement(new Row(row.Select(v => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(v ?? "")) })) { RowIndex = ++index });
                    }

                    writer.WriteEndElement();
                    writer.WriteEndElement();
                }

                list.AppendChild(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = name });
            }

            workbook.Workbook.Save();
        }

        return output.ToArray();
    }
}
