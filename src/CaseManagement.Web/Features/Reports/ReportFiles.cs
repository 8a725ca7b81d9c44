using System.Globalization;
using CaseManagement.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace CaseManagement.Web.Features.Reports;

/// <summary>The reports as files: CSV (through <see cref="CsvFile"/>, as German Excel expects) and XLSX (<see cref="SpreadsheetFile"/>).</summary>
public static class ReportFiles
{
    public const string CsvType = CsvFile.ContentType;
    public const string XlsxType = SpreadsheetFile.ContentType;

    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>
    /// The API's answer with a report: the file the request asks for (<c>format</c> or <c>Accept</c>: CSV or XLSX, named by
    /// <paramref name="fileName"/> from the extension), otherwise <paramref name="json"/>.
    /// </summary>
    public static IActionResult Answer(ControllerBase controller, string? format, Func<byte[]> csv, Func<byte[]> xlsx, Func<string, string> fileName, object json)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(xlsx);
        ArgumentNullException.ThrowIfNull(fileName);
        return Requested(format, controller.Request.Headers.Accept.ToString()) switch
        {
            "csv" => controller.File(csv(), CsvType + "; charset=utf-8", fileName("csv")),
            "xlsx" => controller.File(xlsx(), XlsxType, fileName("xlsx")),
            _ => controller.Ok(json),
        };
    }

    /// <summary>"csv", "xlsx" or null (JSON): from <c>format</c> or else the <c>Accept</c> header.</summary>
    public static string? Requested(string? format, string accept)
    {
        ArgumentNullException.ThrowIfNull(accept);
        return format == "csv" || accept.Contains(CsvType, StringComparison.OrdinalIgnoreCase) ? "csv"
            : format == "xlsx" || accept.Contains(XlsxType, StringComparison.OrdinalIgnoreCase) ? "xlsx"
            : null;
    }

    public static string FileName(FundingReport report, string extension)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Auswertung-Zeitraum-{report.From:yyyy-MM-dd}-bis-{report.To:yyyy-MM-dd}.{extension}";
    }

    public static string FileName(OutcomesReport report, string extension)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Wirkung-{report.GroupBy.ToString().ToLowerInvariant()}-{report.From:yyyy-MM-dd}-bis-{report.To:yyyy-MM-dd}.{extension}";
    }

    /// <summary>The report's rows as CSV (<see cref="CsvFile"/>).</summary>
    public static byte[] Csv(FundingReport report) => CsvFile.Write(FundingReportBuilder.Rows(report));

    /// <summary>One sheet "Auswertung Zeitraum"; the value column holds numbers, so Excel can sum them.</summary>
    public static byte[] Xlsx(FundingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = FundingReportBuilder.Rows(report);
        var values = report.Sections.SelectMany(s => s.Lines).Select(l => l.Value).ToList();
        var header = rows.Count - values.Count;
        return SpreadsheetFile.Write(
            "Auswertung Zeitraum",
            rows.Select((row, i) => (IReadOnlyList<object?>)row.Select((value, column) => i >= header && column == 2 ? values[i - header] : (object?)value).ToList()),
            60, 55);
    }

    /// <summary>The outcomes report as CSV: German numbers, suppressed cells as "&lt; 5".</summary>
    public static byte[] Csv(OutcomesReport report) =>
        CsvFile.Write(OutcomesReportBuilder.Sheet(report).Select(row => row.Select(v => v is decimal d ? d.ToString(German) : (string?)v).ToList()));

    /// <summary>One sheet "Wirkung"; figures as numbers, suppressed cells as the text "&lt; 5".</summary>
    public static byte[] Xlsx(OutcomesReport report) =>
        SpreadsheetFile.Write("Wirkung", OutcomesReportBuilder.Sheet(report), 40, 40, 12, 14, 12, 16, 14, 12, 20, 20);
}
