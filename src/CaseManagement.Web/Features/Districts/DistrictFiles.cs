using System.Globalization;
using CaseManagement.Districts;
using CaseManagement.Web.Infrastructure;

namespace CaseManagement.Web.Features.Districts;

/// <summary>The district's reports as files, through the same writers as every export (<see cref="CsvFile"/>, <see cref="SpreadsheetFile"/>).</summary>
public static class DistrictFiles
{
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static string FileName(DistrictReport report, string extension)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Landkreis-Auswertung-Zeitraum-{report.From:yyyy-MM-dd}-bis-{report.To:yyyy-MM-dd}.{extension}";
    }

    public static string FileName(OutcomesReport report, string extension)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"Landkreis-Wirkung-{report.From:yyyy-MM-dd}-bis-{report.To:yyyy-MM-dd}.{extension}";
    }

    /// <summary>CSV: German numbers, hidden cells as "&lt; 5".</summary>
    public static byte[] Csv(DistrictReport report) =>
        CsvFile.Write(DistrictReportBuilder.Sheet(report).Select(row => row.Select(v => v is decimal d ? d.ToString(German) : (string?)v).ToList()));

    /// <summary>One sheet "Auswertung Zeitraum"; figures as numbers, hidden cells as the text "&lt; 5".</summary>
    public static byte[] Xlsx(DistrictReport report) =>
        SpreadsheetFile.Write("Auswertung Zeitraum", DistrictReportBuilder.Sheet(report), 40, 30, 16, 16, 18, 16, 22);
}
