using System.Globalization;

namespace CaseManagement.Web.Features.Plans;

/// <summary>The profile part of the printed plan (print view and PDF): one labelled line per filled-in area.</summary>
public static class PlanProfile
{
    public static IReadOnlyList<(string Label, string Text)> Rows(CaseSummary plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var p = plan.Profile;
        var rows = new List<(string, string)>();
        if (plan.LanguageLevels.Count > 0)
        {
            rows.Add(("Sprachkenntnisse", string.Join(", ", plan.LanguageLevels.OrderBy(l => l.Language, StringComparer.Ordinal)
                .Select(l => $"{l.Language} {l.Level} ({ProfileLabels.Basis(l.Basis)}{(l.Certificate is null ? "" : ": " + l.Certificate)})"))));
        }

        if (p.SchoolYears is not null || p.SchoolCertificate is not null || p.SchoolCountry is not null)
        {
            rows.Add(("Schulbesuch", string.Join(", ", new[]
            {
                p.SchoolYears is { } years ? years.ToString(CultureInfo.InvariantCulture) + " Jahre" : null, p.SchoolCertificate, p.SchoolCountry,
            }.Where(x => x is not null))));
        }

        Add(rows, "Berufsabschluss", p.VocationalDegree);
        Add(rows, "Berufserfahrung", p.WorkExperience);
        Add(rows, "Qualifikationen", p.Qualifications);
        Add(rows, "Kompetenzen", p.Competences);
        return rows;
    }

    private static void Add(List<(string, string)> rows, string label, string? text)
    {
        if (text is not null)
        {
            rows.Add((label, text));
        }
    }
}
