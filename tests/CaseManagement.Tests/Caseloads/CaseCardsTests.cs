using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;

namespace CaseManagement.Tests.Caseloads;

/// <summary>The light shape of the case summary, read with raw SQL: the organisation boundary holds and the heavy parts are left out.</summary>
public sealed class CaseCardsTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Light_cases_come_from_the_sessions_organisation_only_and_without_consultations_or_contact()
    {
        using var musterstadt = await app.ClientFor("im1@musterstadt.example");
        using var beispiel = await app.ClientFor("im1@beispiel.example");
        var own = await CaseApi.NewCase(musterstadt);
        await CaseApi.PostVersioned(musterstadt, $"/api/v1/clients/{own}/consultations", new { date = "2026-03-02", durationMinutes = 45, mode = "Office", note = "Notiz" }, 2);
        await CaseApi.PostVersioned(musterstadt, $"/api/v1/clients/{own}/contact", new { phone = "+49 711 123456" }, 3);
        var foreign = await CaseApi.NewCase(beispiel);

        var organisation = await app.WithDb(db => Ef.SingleAsync(db.Organisations.Where(o => o.Name == DemoData.Musterstadt).Select(o => o.Id)));
        await using var session = app.Factory.Services.GetRequiredService<IDocumentStore>().QuerySession(TenantIds.For(organisation));
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();

        var all = await CaseCards.AllAsync(session, dataSource, CancellationToken.None);
        Assert.Contains(all, c => c.Id == own);
        Assert.DoesNotContain(all, c => c.Id == foreign);
        Assert.Empty(await CaseCards.ByIdsAsync(session, dataSource, [foreign], CancellationToken.None));

        var card = Assert.Single(await CaseCards.ByIdsAsync(session, dataSource, [own], CancellationToken.None));
        Assert.Equal([new NodaTime.LocalDate(2026, 3, 2)], card.ConsultationDates);
        Assert.Empty(card.Consultations);
        Assert.Equal(ContactDetails.None, card.Contact);
        Assert.Equal(new NodaTime.LocalDate(2026, 3, 2), card.LastContact);
    }
}
