using Microsoft.Extensions.DependencyInjection;

namespace CaseManagement.Demo;

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
            supportStart, null, ConfirmPossibleDuplicate: true)
        {
            ArrivedOn = supportStart.PlusMonths(-14),
            Phone = $"0711 555{n:D3}",
            Street = $"Bahnhofstraße {1 + (n % 60)}",
            PostalCode = "70173",
            City = "Musterstadt",
            ConsentGivenOn = supportStart,
            ConsentScopes = [ConsentScope.Counselling, ConsentScope.SharingWithServices],
            ConsentFormVersion = "2025-03",
        }, ct);
        if (!opened.Succeeded)
        {
            return false;
        }

        var demo = new DemoCase(mediator, opened.Value!.CaseId, opened.Value.Version, ct);
        if (opened.Value.Verdict == EligibilityVerdict.NeedsIndividualDecision)
        {
            await demo.Do(v => new RequestIndividualDecision(demo.Id, v, "Gute Integrationsprognose: Sprachkurs B1 begonnen, Ausbildungsplatz in Aussicht."));
        }

        var stage = i % 5;
        if (stage == 0)
        {
            return true; // new: intake done, plan still to agree
        }

        // Plan agreed: profile, language level, two goals, signature.
        var agreed = Earlier(supportStart.PlusDays(14), today);
        await demo.Do(v => new UpdateProfile(demo.Id, v, "Erfahrung im Verkauf", "Mehrsprachig, zuverlässig", 9 + (n % 4), "Mittlerer Abschluss", profile.Nationality,
            null, $"{2 + (n % 8)} Jahre Einzelhandel"));
        await demo.Do(v => new AssessLanguageLevel(demo.Id, v, "de", (CefrLevel)(n % 3), LevelBasis.Estimate, null, agreed));
        var language = Guid.CreateVersion7();
        var work = Guid.CreateVersion7();
        await demo.Do(v => new AgreeGoal(demo.Id, v, language, FieldOfAction.Language, "Deutsch auf B1 mit Zertifikat (DTZ)", agreed, agreed.PlusMonths(10), agreed.PlusMonths(3)));
        await demo.Do(v => new AgreeGoal(demo.Id, v, work, FieldOfAction.LabourMarket, "Sozialversicherungspflichtige Beschäftigung im Einzelhandel", agreed, agreed.PlusMonths(18), agreed.PlusMonths(3)));
        await demo.Do(v => new RecordPlanSignature(demo.Id, v, agreed));
        if (stage == 1)
        {
            return true;
        }

        // Mid-way: steps, a referral, consultations and a review.
        var later = Earlier(agreed.PlusMonths(3), today);
        await demo.Do(v => new ChangeGoalStatus(demo.Id, v, language, GoalStatus.InProgress, null));
        await demo.Do(v => new PlanStep(demo.Id, v, language, "Anmeldung beim Integrationskursträger", StepResponsible.Client, null, agreed.PlusDays(21)));
        await demo.Do(v => new MakeReferral(demo.Id, v, RegularService.Jobcenter, null, agreed.PlusDays(7) > today ? today : agreed.PlusDays(7), work, "Termin bei der Arbeitsvermittlung"));
        await demo.Do(v => new RecordConsultation(demo.Id, v, agreed, 60, ConsultationMode.Office, [FieldOfAction.Language, FieldOfAction.LabourMarket], null, "Integrationsplan besprochen"));
        await demo.Do(v => new RecordConsultation(demo.Id, v, later, 45, (ConsultationMode)(n % 4), [FieldOfAction.Language], null, null));
        await demo.Do(v => new ReviewPlan(demo.Id, v, later, "Sprachkurs läuft, Ziel bleibt.", [new GoalReview(language, ReviewOutcome.Continue, null, null, null, null)],
            later.PlusMonths(6)));
        switch (stage)
        {
            case 3:
                await demo.Do(v => new PauseCase(demo.Id, v, "Längerer Aufenthalt bei Verwandten"));
                break;
            case 4 when i > 10:
                await demo.Do(v => new ChangeGoalStatus(demo.Id, v, work, GoalStatus.InProgress, null));
                await demo.Do(v => new ChangeGoalStatus(demo.Id, v, language, GoalStatus.Achieved, null));
                await demo.Do(v => new ChangeGoalStatus(demo.Id, v, work, GoalStatus.Achieved, null));
                await demo.Do(v => new CloseCase(demo.Id, v, ClosingReason.GoalsReached, today, null));
                break;
            case 2:
                await demo.Do(v => new ChangeResidenceStatus(demo.Id, v, ResidenceKind.SettlementPermit, null));
                break;
        }

        return true;
    }

    private static LocalDate Earlier(LocalDate a, LocalDate b) => a < b ? a : b;

    /// <summary>Sends the commands of one demo case in order, each at the version the previous one produced.</summary>
    private sealed class DemoCase(IMediator mediator, Guid id, long version, CancellationToken ct)
    {
        public Guid Id => id;

        public async Task Do(Func<long, ICommand<Common.Outcome<CaseChanged>>> command)
        {
            var sent = command(version);
            var outcome = await mediator.Send(sent, ct);
            version = outcome.Succeeded
                ? outcome.Value!.Version
                : throw new InvalidOperationException($"Demo command {sent.GetType().Name} was refused: {string.Join(" ", outcome.Errors.Select(e => e.Message))}");
        }
    }
}
