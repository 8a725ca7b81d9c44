using CaseManagement.Cases;
using CaseManagement.Caseloads;
using CaseManagement.Common;
using CaseManagement.DataProtection;
using CaseManagement.Organisations;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Marten;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CaseManagement.CaseImports;

/// <summary>
/// Taking the data out again (issue 18): every case and goal of the organisation in the import template, for its
/// administrators. The case number stands in the column "Aktenzeichen", so the file imported again finds every row
/// "already present". Erased cases and cases whose processing is restricted (Art. 18 DSGVO) are left out. Each case
/// read is written to the access log ("Export Importvorlage").
/// </summary>
public sealed record ExportCaseload : IQuery<CaseloadExport>;

/// <summary>The two sheets: header row first.</summary>
public sealed record CaseloadExport(IReadOnlyList<IReadOnlyList<string?>> Cases, IReadOnlyList<IReadOnlyList<string?>> Goals);

public sealed class ExportCaseloadHandler(IQuerySession session, NpgsqlDataSource dataSource, AppDbContext db, ICurrentUser user, CaseAccessLog accessLog)
    : IQueryHandler<ExportCaseload, CaseloadExport>
{
    public const string AccessLogWhat = "Export Importvorlage";

    public async ValueTask<CaseloadExport> Handle(ExportCaseload query, CancellationToken cancellationToken)
    {
        var organisationId = user.RequireAdministratorOrganisation();
        var cases = (await CaseCards.AllAsync(session, dataSource, cancellationToken))
            .Where(c => c.ErasedOn is null && c.Restriction is null).OrderBy(c => c.CaseNumber, StringComparer.Ordinal).ToList();
        var emails = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && u.Email != null)
            .ToDictionaryAsync(u => u.Id, u => u.Email!, cancellationToken);

        var caseRows = new List<IReadOnlyList<string?>> { ImportTemplate.CaseColumns.Select(c => c.Header).ToList() };
        var goalRows = new List<IReadOnlyList<string?>> { ImportTemplate.GoalColumns.Select(c => c.Header).ToList() };
        foreach (var c in cases)
        {
            caseRows.Add(
            [
                c.CaseNumber, c.LastName, c.FirstName, Time.Format(c.BirthDate), ImportTemplate.Genders.Labels[c.Gender], CountryNames.Name(c.Nationality),
                string.Join(", ", c.Languages.Select(LanguageNames.Name)), ImportTemplate.ResidenceKinds.Labels[c.Residence],
                c.ResidenceValidUntil is { } valid ? Time.Format(valid) : "", ImportTemplate.HousingTypes.Labels[c.Housing], Time.Format(c.HousingSince),
                Time.Format(c.SupportStart), emails.GetValueOrDefault(c.ManagerId, ""),
            ]);
            goalRows.AddRange(c.Goals.Select(g => (IReadOnlyList<string?>)
            [
                c.CaseNumber, ImportTemplate.Fields.Labels[g.Field], g.Text, Time.Format(g.AgreedOn), Time.Format(g.TargetDate), ImportTemplate.GoalStatuses.Labels[g.Status],
            ]));
        }

        await accessLog.RecordManyAsync(cases.Select(c => c.Id), AccessLogWhat, null, cancellationToken);
        return new CaseloadExport(caseRows, goalRows);
    }
}
