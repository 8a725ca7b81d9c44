using System.Globalization;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The one CSV writer of the application (access log, funding report; web and API). The format is the one
/// German spreadsheet programs open with a double click: semicolon-separated, UTF-8 with BOM, CRLF line ends,
/// fields quoted per RFC 4180 when they hold a semicolon, a quote or a line break. Formula injection (OWASP
/// "CSV Injection"): a cell that starts with <c>= + - @</c>, a tab or a carriage return gets a leading single
/// quote (and quotes around it), so a spreadsheet shows it as text instead of running it.
/// </summary>
/// <remarks>
/// Built on CsvHelper (MS-PL or Apache-2.0): the most widely used, actively maintained .NET CSV library; its
/// writer does the RFC 4180 quoting and the OWASP neutralisation (<see cref="CsvInjection.Escape"/>, with the
/// characters named here so that a change of the library's defaults cannot weaken it), and its reader reads
/// every export back in the tests.
/// </remarks>
public static class CsvFile
{
    public const string ContentType = "text/csv";

    /// <summary>Characters a spreadsheet may take as the start of a formula (OWASP).</summary>
    public const string FormulaStarts = "=+-@\t\r";

    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Separator = ';',
        NewLine = "\r\n",
        Quoting = CsvQuoting.WhenNeeded,
        Injection = CsvInjection.Escape,
        InjectionCharacters = FormulaStarts,
        InjectionEscape = '\'',
        ValidateFieldCount = false,
        WriteByteOrderMark = true,
        FormatProvider = CultureInfo.GetCultureInfo("de-DE"),
    };

    /// <summary>The rows as a file (UTF-8 with BOM); rows may differ in length (the funding report's header block); an empty row is one empty cell.</summary>
    public static byte[] Write(IEnumerable<IReadOnlyList<string?>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                foreach (var cell in row.Count == 0 ? [""] : row)
                {
                    csv.WriteField(cell ?? "");
                }

                csv.EndRecord();
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The rows as a download with the given file name.</summary>
    public static FileContentResult Download(IEnumerable<IReadOnlyList<string?>> rows, string fileName) =>
        new(Write(rows), ContentType + "; charset=utf-8") { FileDownloadName = fileName };
}
