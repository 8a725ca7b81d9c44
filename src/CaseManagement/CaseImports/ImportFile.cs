using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CaseManagement.CaseImports;

public enum ImportFormat
{
    Csv,
    Xlsx,
}

/// <summary>A sheet of the file (a CSV file has one): its name, its column headers and how many rows follow the header.</summary>
public sealed record ImportSheet(string Name, IReadOnlyList<string> Headers, int Rows);

/// <summary>A row as the user sees it in Excel (header = row 1); one text per header (a date cell as JJJJ-MM-TT).</summary>
public sealed record ImportRow(int Number, IReadOnlyList<string> Cells)
{
    public string Cell(int index) => index >= 0 && index < Cells.Count ? Cells[index] : "";

    public bool IsEmpty => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>The whole file is refused (German message; <see cref="TooLarge"/>: HTTP 413, otherwise 422). Nothing is stored.</summary>
public sealed class ImportFileException(string message, bool tooLarge = false) : Exception(message)
{
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// Reading an uploaded CSV or XLSX file with maintained libraries: CsvHelper's reader (separator detected, quoted fields
/// with line breaks, UTF-8 with or without BOM, Windows-1252 transcoded) and the OpenXML SDK's forward-only reader for
/// XLSX (cached values of formula cells, never evaluated; date cells by their number format). Rows are streamed one at a
/// time, so memory does not grow with the number of rows. Whole-file refusals (<see cref="ImportFileException"/>): empty,
/// larger than 20 MB, more than 100,000 rows, neither CSV nor XLSX by content, a macro workbook, a ZIP bomb.
/// </summary>
public static class ImportFile
{
    public const long MaxBytes = 20 * 1024 * 1024;
    public const int MaxRows = 100_000;

    /// <summary>Uncompressed size an XLSX may unpack to (all parts together), and the largest compression ratio of a part.</summary>
    private const long MaxUnpackedBytes = 400L * 1024 * 1024;
    private const int MaxRatio = 250;
    private const int MaxZipEntries = 2_000;

    /// <summary>Excel's last column (XFD); a cell reference beyond it is ignored.</summary>
    private const int MaxColumns = 16_384;

    public const string NotCsvOrXlsx = "Die Datei ist weder eine CSV-Datei noch eine Excel-Arbeitsmappe (XLSX). Bitte die Vorlage als CSV oder XLSX speichern.";
    public const string Empty = "Die Datei ist leer: Sie enthält keine Zeile unter den Spaltenüberschriften.";
    public const string MacroWorkbook = "Arbeitsmappen mit Makros (.xlsm) werden nicht angenommen. Bitte die Mappe in Excel als „Excel-Arbeitsmappe (*.xlsx)“ speichern.";
    public const string Bomb = "Die Excel-Datei entpackt sich zu einer unplausibel großen Datenmenge und wird nicht gelesen.";
    public static readonly string TooLarge = $"Die Datei ist größer als {MaxBytes / 1024 / 1024} MB. Bitte in mehrere Dateien aufteilen.";
    public static readonly string TooManyRows = $"Die Datei hat mehr als {MaxRows.ToString("N0", CultureInfo.GetCultureInfo("de-DE"))} Zeilen. Bitte in mehrere Dateien aufteilen.";

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The format by content (never by the name alone); refuses what is neither.</summary>
    public static ImportFormat Detect(ReadOnlySpan<byte> content, string? fileName)
    {
        if (content.Length == 0)
        {
            throw new ImportFileException(Empty);
        }

        if (content.Length > MaxBytes)
        {
            throw new ImportFileException(TooLarge, tooLarge: true);
        }

        if (fileName?.EndsWith(".xlsm", StringComparison.OrdinalIgnoreCase) == true)
        {
            throw new ImportFileException(MacroWorkbook);
        }

        if (content.StartsWith("PK\u0003\u0004"u8))
        {
            return ImportFormat.Xlsx;
        }

        // Executables, PDFs, old Excel/Word files (OLE2) and anything else with control bytes is no CSV.
        var head = content[..Math.Min(content.Length, 64 * 1024)];
        if (head.StartsWith("MZ"u8) || head.StartsWith("%PDF"u8) || head.StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }) || head.StartsWith("\u007fELF"u8)
            || head.IndexOf((byte)0) >= 0)
        {
            throw new ImportFileException(NotCsvOrXlsx);
        }

        return ImportFormat.Csv;
    }

    /// <summary>Every sheet with its headers and row count (one pass over the file); refuses a file without rows or with too many.</summary>
    public static IReadOnlyList<ImportSheet> Inspect(byte[] content, ImportFormat format)
    {
        ArgumentNullException.ThrowIfNull(content);
        var sheets = new List<ImportSheet>();
        if (format == ImportFormat.Csv)
        {
            sheets.Add(Count(ImportTemplate.CasesSheet, ReadCsv(content)));
        }
        else
        {
            RequireSafeZip(content);
            using var stream = new MemoryStream(content, writable: false);
            using var document = OpenWorkbook(stream);
            foreach (var name in SheetNames(document))
            {
                sheets.Add(Count(name, ReadSheet(document, name)));
            }
        }

        if (sheets.Count == 0 || sheets[0].Headers.Count(h => h.Length > 0) < 2)
        {
            throw new ImportFileException(sheets.Count > 0 && sheets[0].Rows == 0 && sheets[0].Headers.Count == 0 ? Empty : NotCsvOrXlsx);
        }

        if (sheets.All(s => s.Rows == 0))
        {
            throw new ImportFileException(Empty);
        }

        if (sheets.Sum(s => s.Rows) > MaxRows)
        {
            throw new ImportFileException(TooManyRows);
        }

        return sheets;
    }

    /// <summary>The rows of a sheet after the header (empty rows left out), one at a time; the first item is the header row.</summary>
    public static IEnumerable<ImportRow> Rows(byte[] content, ImportFormat format, string? sheet)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (format == ImportFormat.Csv)
        {
            foreach (var row in ReadCsv(content))
            {
                yield return row;
            }

            yield break;
        }

        using var stream = new MemoryStream(content, writable: false);
        using var document = OpenWorkbook(stream);
        var name = sheet ?? SheetNames(document).FirstOrDefault();
        if (name is null || !SheetNames(document).Contains(name, StringComparer.Ordinal))
        {
            yield break;
        }

        foreach (var row in ReadSheet(document, name))
        {
            yield return row;
        }
    }

    private static ImportSheet Count(string name, IEnumerable<ImportRow> rows)
    {
        IReadOnlyList<string> headers = [];
        var count = 0;
        foreach (var row in rows)
        {
            if (row.Number == 1)
            {
                headers = row.Cells.Select(c => c.Trim()).ToList();
            }
            else if (!row.IsEmpty && ++count > MaxRows)
            {
                throw new ImportFileException(TooManyRows);
            }
        }

        return new ImportSheet(name, headers, count);
    }

    /// <summary>UTF-8 (a BOM or valid UTF-8 throughout) or else Windows-1252, as German Excel saves "CSV (Trennzeichen-getrennt)".</summary>
    public static Encoding CsvEncoding(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(Encoding.UTF8.Preamble))
        {
            return Encoding.UTF8;
        }

        try
        {
            _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetCharCount(content);
            return Encoding.UTF8;
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252);
        }
    }

    private static IEnumerable<ImportRow> ReadCsv(byte[] content)
    {
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false,
            Encoding = CsvEncoding(content),
            SkipEmptyLines = false,
            TrimWhitespace = true,
            IncludeValuesInExceptions = false,
            MaxRecordSize = 1024 * 1024,
        };
        using var stream = new MemoryStream(content, writable: false);
        using var reader = CsvReader.Create(stream, options, leaveOpen: false);
        var number = 0;
        while (reader.Read())
        {
            number++;
            var cells = new string[reader.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.GetString(i);
            }

            yield return new ImportRow(number, cells);
        }
    }

    /// <summary>Refuses a ZIP bomb: too many parts, or parts that unpack to far more than a spreadsheet can hold (measured, not trusted from the headers).</summary>
    private static void RequireSafeZip(byte[] content)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            if (zip.Entries.Count > MaxZipEntries)
            {
                throw new ImportFileException(Bomb);
            }

            if (zip.Entries.Any(e => e.FullName.EndsWith("vbaProject.bin", StringComparison.OrdinalIgnoreCase)))
            {
                throw new ImportFileException(MacroWorkbook);
            }

            var total = 0L;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                if (entry.Length > MaxUnpackedBytes || (entry.Length > 1024 * 1024 && entry.Length / Math.Max(1, entry.CompressedLength) > MaxRatio))
                {
                    throw new ImportFileException(Bomb);
                }

                using var part = entry.Open();
                for (int read; (read = part.Read(buffer)) > 0;)
                {
                    total += read;
                    if (total > MaxUnpackedBytes)
                    {
                        throw new ImportFileException(Bomb);
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException(NotCsvOrXlsx);
        }
    }

    private static SpreadsheetDocument OpenWorkbook(Stream stream)
    {
        try
        {
            var document = SpreadsheetDocument.Open(stream, false, new OpenSettings { AutoSave = false });
            if (document.DocumentType != SpreadsheetDocumentType.Workbook || document.WorkbookPart?.Workbook is null)
            {
                document.Dispose();
                throw new ImportFileException(document.DocumentType == SpreadsheetDocumentType.MacroEnabledWorkbook ? MacroWorkbook : NotCsvOrXlsx);
            }

            return document;
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or System.Xml.XmlException or FileFormatException or NotSupportedException)
        {
            throw new ImportFileException(NotCsvOrXlsx);
        }
    }

    private static List<string> SheetNames(SpreadsheetDocument document) =>
        document.WorkbookPart!.Workbook.Sheets?.Elements<Sheet>().Select(s => s.Name?.Value ?? "").Where(n => n.Length > 0).ToList() ?? [];

    private static IEnumerable<ImportRow> ReadSheet(SpreadsheetDocument document, string name)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().First(s => s.Name?.Value == name);
        if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
        {
            yield break;
        }

        var strings = SharedStrings(workbook);
        var dateStyles = DateStyles(workbook);
        using var reader = OpenXmlReader.Create(part);
        var lastRow = 0;
        while (reader.Read())
        {
            if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
            {
                continue;
            }

            var row = (Row)reader.LoadCurrentElement()!;
            var number = (int?)row.RowIndex?.Value ?? lastRow + 1;
            lastRow = number;
            var cells = new List<string>();
            var position = 0;
            foreach (var cell in row.Elements<Cell>())
            {
                var column = cell.CellReference?.Value is { } reference ? ColumnIndex(reference) : position;
                if (column >= MaxColumns)
                {
                    continue;
                }

                while (cells.Count < column)
                {
                    cells.Add("");
                }

                cells.Add(CellText(cell, strings, dateStyles));
                position = column + 1;
            }

            yield return new ImportRow(number, cells);
        }
    }

    /// <summary>The cell's value as text: shared and inline strings, the cached value of a formula, a date cell as JJJJ-MM-TT.</summary>
    private static string CellText(Cell cell, List<string> strings, HashSet<uint> dateStyles)
    {
        var value = cell.CellValue?.Text ?? "";
        var type = cell.DataType?.Value;
        if (type == CellValues.SharedString)
        {
            return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) && index >= 0 && index < strings.Count ? strings[index] : "";
        }

        if (type == CellValues.InlineString)
        {
            return cell.InlineString?.InnerText ?? "";
        }

        if (type == CellValues.Boolean)
        {
            return value == "1" ? "WAHR" : "FALSCH";
        }

        if (type == CellValues.Error)
        {
            return "";
        }

        if ((type is null || type == CellValues.Number) && cell.StyleIndex?.Value is { } style && dateStyles.Contains(style)
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) && ImportTemplate.FromSerial(serial) is { } date)
        {
            return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        return value;
    }

    private static List<string> SharedStrings(WorkbookPart workbook)
    {
        var list = new List<string>();
        if (workbook.SharedStringTablePart is not { } part)
        {
            return list;
        }

        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                list.Add(reader.LoadCurrentElement()!.InnerText);
            }
        }

        return list;
    }

    /// <summary>Indexes of the cell formats that show a date (Excel's built-in date formats and custom ones with d, m and y).</summary>
    private static HashSet<uint> DateStyles(WorkbookPart workbook)
    {
        var styles = new HashSet<uint>();
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        if (stylesheet?.CellFormats is null)
        {
            return styles;
        }

        var custom = stylesheet.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null && IsDateFormat(f.FormatCode?.Value ?? ""))
            .Select(f => f.NumberFormatId!.Value).ToHashSet() ?? [];
        uint index = 0;
        foreach (var format in stylesheet.CellFormats.Elements<CellFormat>())
        {
            var id = format.NumberFormatId?.Value ?? 0;
            if (id is >= 14 and <= 22 or >= 27 and <= 36 or >= 45 and <= 47 or >= 50 and <= 58 || custom.Contains(id))
            {
                styles.Add(index);
            }

            index++;
        }

        return styles;
    }

    private static bool IsDateFormat(string code)
    {
        var plain = System.Text.RegularExpressions.Regex.Replace(code, "\"[^\"]*\"|\\[[^\\]]*\\]", "").ToLowerInvariant();
        return plain.Contains('d', StringComparison.Ordinal) && plain.Contains('y', StringComparison.Ordinal)
               || plain.Contains('t', StringComparison.Ordinal) && plain.Contains('j', StringComparison.Ordinal);
    }

    /// <summary>"C7" → 2 (zero-based column of a cell reference).</summary>
    private static int ColumnIndex(string reference)
    {
        var column = 0;
        foreach (var c in reference)
        {
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            column = column * 26 + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return Math.Max(0, column - 1);
    }
}
