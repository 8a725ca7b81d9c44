using CaseManagement.Organisations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Clients;

/// <summary>
/// About 20 demo cases per integration manager of "Stadt Musterstadt" in different stages, created through
/// the same commands a manager uses (Development only). Skipped for a manager who already has cases.
/// </summary>
public sealed class DemoCases(IServiceScopeFactory scopes)
{
    public const int CasesPerManager = 20;

    private static readonly string[] FirstNames =
    [
        "Amal", "Yonas", "Olena", "Omid", "Layla", "Samir", "Rania", "Tesfay", "Nadia", "Hamid",
        "Mariam", "Dawit", "Iryna", "Karim", "Fatima", "Bilal", "Sara", "Ahmad", "Hana", "Mykola",
    ];

    private static readonly string[] LastNames =
    [
        "Haddad", "Tesfay", "Kovalenko", "Rahimi", "Karimi", "Aziz", "Mansour", "Gebremedhin", "Sultani", "Darwish",
        "Yusuf", "Bondarenko", "Hussaini", "Alemu", "Nouri", "Khalil", "Shevchenko", "Hakimi", "Ibrahim", "Tkachenko",
    ];

    private static readonly (string Nationality, ResidenceKind Residence, string Language)[] Profiles =
    [
        ("SY", ResidenceKind.SubsidiaryProtection, "ar"),
        ("ER", ResidenceKind.RefugeeProtection, "ti"),
        ("UA", ResidenceKind.TemporaryProtection, "uk"),
        ("AF", ResidenceKind.AsylumProcedurePending, "fa"),
        ("IQ", ResidenceKind.AsylumProcedurePending, "ar"),
        ("SY", ResidenceKind.RefugeeProtection, "ar"),
        ("NG", ResidenceKind.TrainingToleration, "en"),
        ("TR", ResidenceKind.DeportationBan, "tr"),
        ("AF", ResidenceKind.OtherResidencePermit, "ps"),
        ("SO", ResidenceKind.SubsidiaryProtection, "so"),
    ];

    public async Task<int> SeedAsync(CancellationToken ct = default)
    {
        var created = 0;
        var managers = DemoData.Users.Where(u => u.Organisation == DemoData.Musterstadt && u.Role == Roles.Manager).ToList();
        for (var m = 0; m < managers.Count; m++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            if (await services.PrincipalForAsync(managers[m].Email) is not { } principal)
            {
                continue;
            }

            services.ActAs(principal);

            var mediator = services.GetRequiredService<IMediator>();
            if ((await mediator.Send(new ListMyCases(null, null), ct)).Total > 0)
            {
                continue;
            }

            var today = CaseManagement.Common.Time.Today(services.GetRequiredService<IClock>());
            for (var i = 0; i < CasesPerManager; i++)
            {
                created += await CreateOne(mediator, m, i, today, ct) ? 1 : 0;
            }
        }

        return created;
    }

    private static async Task<bool> CreateOne(IMediator mediator, int manager, int i, LocalDate today, CancellationToken ct)
    {
        var n = (manager * CasesPerManager) + i;
        var profile = Profiles[n % Profiles.Length];
        var supportStart = today.PlusMonths(-((n * 7) % 34)).PlusDays(-(n % 20));
        var opened = await mediator.Send(new OpenCase(
            FirstNames[n % FirstNames.Length], LastNames[(n * 7 + manager) % LastNames.Length],
            new LocalDate(1965 + (n * 3 % 40), 1 + (n % 12), 1 + (n % 28)),
            (Gender)(n % 3), profile.Nationality, [profile.Language, "de"], n % 2 == 0 ? profile.Language : null,
            HousingType.FollowUpAccommodation, supportStart.PlusMonths(-2), profile.Residence, today.PlusMonths(6 + n % 30),
            supportStart, null, ConfirmPossibleDuplicate: true), ct);
        if (!opened.Succeeded)
        {
            return false;
        }

        var id = opened.Value!.CaseId;
        var version = opened.Value.Version;
        switch (i % 5)
        {
            case 1 when profile.Residence == ResidenceKind.AsylumProcedurePending || profile.Residence == ResidenceKind.TrainingToleration:
                await mediator.Send(new RequestIndividualDecision(id, version, "Gute Integrationsprognose: Sprachkurs B1 begonnen, Ausbildungsplatz in Aussicht."), ct);
                break;
            case 2:
                await mediator.Send(new ChangeResidenceStatus(id, version, ResidenceKind.SettlementPermit, null), ct);
                break;
            case 3:
                await mediator.Send(new PauseCase(id, version, "Längerer Aufenthalt bei Verwandten"), ct);
                break;
            case 4 when i > 10:
                await mediator.Send(new CloseCase(id, version, ClosingReason.GoalsReached, today, null), ct);
                break;
        }

        return true;
    }
}
