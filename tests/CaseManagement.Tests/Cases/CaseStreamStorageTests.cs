using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using JasperFx;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Tests.Cases;

/// <summary>The case stream on the real event store, as configured for production (conjoined tenancy, migrations only).</summary>
public sealed class CaseStreamStorageTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static readonly LocalDate Today = new(2026, 11, 23);
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 23, 9, 30);
    private static readonly Guid Manager = Guid.NewGuid();

    private IDocumentStore Store => app.Factory.Services.GetRequiredService<IDocumentStore>();

    private static object[] OpenEvents(Guid caseId) => ClientCaseDecisions.Open(
        caseId, "MU-2026-0001", new PersonalData("Amal", "Haddad", new LocalDate(1990, 5, 17), Gender.Female, "SY", ["ar"], "ar"),
        new Housing(HousingType.FollowUpAccommodation, new LocalDate(2026, 8, 1)), new ResidenceStatus(ResidenceKind.AsylumProcedurePending, new LocalDate(2027, 2, 28)),
        new LocalDate(2026, 10, 1), Manager, new EligibilityRules(), Today, Manager, Now);

    private async Task<Guid> OpenCase(string tenant)
    {
        var caseId = Guid.CreateVersion7();
        await using var session = Store.LightweightSession(tenant);
        session.Events.StartStream<ClientCase>(caseId, OpenEvents(caseId));
        await session.SaveChangesAsync();
        return caseId;
    }

    [Fact]
    public async Task A_case_stream_round_trips_its_events_and_rebuilds_the_write_model()
    {
        var tenant = TenantIds.For(Guid.NewGuid());
        var caseId = await OpenCase(tenant);

        await using var session = Store.LightweightSession(tenant);
        var stream = await session.Events.FetchForWriting<ClientCase>(caseId);

        Assert.Equal(2, stream.CurrentVersion);
        Assert.Equal(EligibilityVerdict.Eligible, stream.Aggregate!.Verdict);
        Assert.Equal(new LocalDate(2029, 9, 30), stream.Aggregate.SupportEnd);
        var events = await session.Events.FetchStreamAsync(caseId);
        var opened = Assert.IsType<CaseOpened>(events[0].Data);
        Assert.Equal(new LocalDate(1990, 5, 17), opened.Person.BirthDate);
        Assert.Equal(Now, opened.OpenedAt);
        Assert.Equal(tenant, events[0].TenantId);
        Assert.Contains("Aufenthaltsgestattung (Asylverfahren läuft), Staatsangehörigkeit Syrien mit hoher Schutzquote: Bleibeperspektive gegeben (Bedingung 2 erfüllt).",
            Assert.IsType<EligibilityEvaluated>(events[1].Data).Reasons);
    }

    [Fact]
    public async Task Another_organisation_cannot_see_or_append_to_the_case()
    {
        var own = TenantIds.For(Guid.NewGuid());
        var other = TenantIds.For(Guid.NewGuid());
        var caseId = await OpenCase(own);

        await using var foreign = Store.LightweightSession(other);
        Assert.Null(await foreign.Events.FetchStreamStateAsync(caseId));
        Assert.Null(await foreign.Events.AggregateStreamAsync<ClientCase>(caseId));
        Assert.Empty(await foreign.Events.FetchStreamAsync(caseId));
        var forWriting = await foreign.Events.FetchForWriting<ClientCase>(caseId);
        Assert.Null(forWriting.Aggregate);
    }

    [Fact]
    public async Task Of_two_writers_working_from_the_same_version_the_second_is_refused_and_nothing_is_lost()
    {
        var tenant = TenantIds.For(Guid.NewGuid());
        var caseId = await OpenCase(tenant);
        var rules = new EligibilityRules();

        await using var first = Store.LightweightSession(tenant);
        await using var second = Store.LightweightSession(tenant);
        var firstStream = await first.Events.FetchForWriting<ClientCase>(caseId, 2);
        var secondStream = await second.Events.FetchForWriting<ClientCase>(caseId, 2);
        firstStream.AppendMany(ClientCaseDecisions.ChangeHousing(firstStream.Aggregate!, new Housing(HousingType.PrivateHousing, Today), rules, Today, Manager, Now));
        secondStream.AppendMany(ClientCaseDecisions.Pause(secondStream.Aggregate!, "Urlaub", Manager, Now));

        await first.SaveChangesAsync();
        await Assert.ThrowsAnyAsync<ConcurrencyException>(() => second.SaveChangesAsync());

        await using var reader = Store.QuerySession(tenant);
        var state = await reader.Events.AggregateStreamAsync<ClientCase>(caseId);
        Assert.Equal((HousingType.PrivateHousing, CaseStatus.Open), (state!.Housing.Type, state.Status));
        Assert.Equal(4, (await reader.Events.FetchStreamStateAsync(caseId))!.Version);
    }
}
