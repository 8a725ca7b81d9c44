using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// One-sheet XLSX files through the OpenXML SDK: a <see cref="decimal"/> cell is a number (Excel can sum it), anything
/// else is text; null is an empty cell.
/// </summary>
public static class SpreadsheetFile
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(string sheetName, IEnumerable<IReadOnlyList<object?>> rows, params double[] columnWidths)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columnWidths);
        using var output = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(output, DocumentFormat.OpenXml.SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            var index = 0u;
            foreach (var row in rows)
            {
                data.AppendChild(new Row(row.Select(Cell)) { RowIndex = ++index });
            }

            var columns = new Columns(columnWidths.Select((width, i) => new Column { Min = (uint)i + 1, Max = (uint)i + 1, Width = width, CustomWidth = true }));
            sheetPart.Worksheet = columnWidths.Length > 0 ? new Worksheet(columns, data) : new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.AppendChild(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName });
            workbook.Workbook.Save();
        }

        return output.ToArray();
    }

    private static Cell Cell(object? value) => value switch
    {
        decimal number => new Cell { DataType = CellValues.Number, CellValue = new CellValue(number) },
        null => new Cell(),
        _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString() ?? "")) },
    };
}
