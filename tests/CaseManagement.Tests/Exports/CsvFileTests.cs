using System.Text;
using CaseManagement.Web.Infrastructure;
using CsvHelper;

namespace CaseManagement.Tests.Exports;

/// <summary>The one CSV writer: German spreadsheet format, RFC 4180 quoting, formula starts neutralised.</summary>
public sealed class CsvFileTests
{
    /// <summary>The cell starts OWASP names: a spreadsheet may run a cell that starts with one of them.</summary>
    public static readonly string[] FormulaStarts = ["=", "+", "-", "@", "\t", "\r"];

    /// <summary>Reads a CSV file back with the library: every record as its fields (a malformed file fails the test).</summary>
    public static List<string[]> Read(byte[] file)
    {
        Assert.Equal(Encoding.UTF8.GetPreamble(), file[..3]);
        using var reader = CsvReader.Create(file, CsvReaderOptions.Default with
        {
            Separator = ';',
            HasHeader = false,
            MalformedData = CsvMalformedDataHandling.Throw,
        });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Current.ToArray());
        }

        return rows;
    }

    [Fact]
    public void Every_formula_start_gets_a_leading_quote_and_the_file_reads_back_cell_for_cell()
    {
        string[][] rows =
        [
            ["Kopf", "Wert"],
            .. FormulaStarts.Select(start => new[] { start + "HYPERLINK(\"http://example.org\";\"x\")", "A;B\r\nC \"D\"" }),
            [],
            ["1,5", "01.01.2026 – 31.12.2026", "ü ß é", ""],
        ];

        var read = Read(CsvFile.Write(rows));

        Assert.Equal(["Kopf", "Wert"], read[0]);
        for (var i = 0; i < FormulaStarts.Length; i++)
        {
            Assert.Equal(["'" + rows[i + 1][0], "A;B\r\nC \"D\""], read[i + 1]);
        }

        Assert.Equal([""], read[^2]);
        Assert.Equal(["1,5", "01.01.2026 – 31.12.2026", "ü ß é", ""], read[^1]);
    }

    [Fact]
    public void Plain_cells_are_written_as_they_are_semicolon_separated_with_CRLF()
    {
        var text = Encoding.UTF8.GetString(CsvFile.Write([["Zeitraum", "01.01.2026 – 31.12.2026"], ["a", "b;c", "x=1"]])[3..]);
        Assert.Equal("Zeitraum;01.01.2026 – 31.12.2026\r\na;\"b;c\";x=1\r\n", text);
    }
}
