using CaseManagement.Common;
using CaseManagement.Organisations;
using CaseManagement.Tests.Infrastructure;
using Marten;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CaseManagement.Tests.Cases;

public sealed class OpenCaseTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static OpenCase Intake(string first = "Amal", string last = "Haddad", LocalDate? birth = null, Guid? manager = null) => new(
        first, last, birth ?? new LocalDate(1990, 5, 17), Gender.Female, "sy", ["AR", "de"], "ar",
        HousingType.FollowUpAccommodation, new LocalDate(2026, 8, 1), ResidenceKind.SubsidiaryProtection, new LocalDate(2028, 1, 31),
        new LocalDate(2026, 10, 1), manager);

    private Task<Outcome<OpenedCase>> Send(string email, OpenCase command) =>
        app.AsUser(email, services => services.GetRequiredService<IMediator>().Send(command).AsTask());

    [Fact]
    public async Task A_manager_opens_a_case_which_gets_a_number_a_verdict_and_a_summary()
    {
        var outcome = await Send("im1@musterstadt.example", Intake(first: "Rania", last: "Aziz"));

        Assert.True(outcome.Succeeded, string.Join(" | ", outcome.Errors.Select(e => e.Message)));
        var opened = outcome.Value!;
        Assert.Matches(@"^\d{4}-\d{4}$", opened.CaseNumber);
        Assert.Equal(EligibilityVerdict.Eligible, opened.Verdict);
        Assert.Equal(2, opened.Version);
        var summary = await app.AsUser("im1@musterstadt.example", services => services.GetRequiredService<IQuerySession>().LoadAsync<CaseSummary>(opened.CaseId));
        Assert.NotNull(summary);
        Assert.Equal(("Rania", "Aziz", "SY"), (summary.FirstName, summary.LastName, summary.Nationality));
        Assert.Equal(await UserId("im1@musterstadt.example"), summary.ManagerId);
        Assert.Equal(new LocalDate(2029, 9, 30), summary.SupportEnd);
        Assert.Contains("Subsidiärer Schutz (§ 4 AsylG): Bleibeperspektive gegeben (Bedingung 2 erfüllt).", summary.EligibilityReasons);
        Assert.Equal(2, summary.Version);
    }

    [Fact]
    public async Task Case_numbers_count_up_per_organisation()
    {
        var otherBefore = (await Send("im1@beispiel.example", Intake(first: "Nummer", last: "Null"))).Value!.CaseNumber;
        var first = (await Send("im1@musterstadt.example", Intake(first: "Nummer", last: "Eins"))).Value!.CaseNumber;
        var second = (await Send("im2@musterstadt.example", Intake(first: "Nummer", last: "Zwei"))).Value!.CaseNumber;
        var otherAfter = (await Send("im1@beispiel.example", Intake(first: "Nummer", last: "Drei"))).Value!.CaseNumber;

        // Each organisation has its own series: cases opened in Musterstadt do not advance Beispiel's numbers.
        Assert.Equal(Sequence(first) + 1, Sequence(second));
        Assert.Equal(Sequence(otherBefore) + 1, Sequence(otherAfter));

        static int Sequence(string caseNumber) => int.Parse(caseNumber[5..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Concurrent_intakes_never_share_a_case_number()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Send(i % 2 == 0 ? "im1@musterstadt.example" : "im3@musterstadt.example", Intake(first: $"Parallel{i}", last: "Test"))));

        Assert.All(outcomes, o => Assert.True(o.Succeeded));
        Assert.Equal(8, outcomes.Select(o => o.Value!.CaseNumber).Distinct().Count());
    }

    [Fact]
    public async Task Bad_input_gives_a_German_message_per_field_and_stores_nothing()
    {
        var before = await CaseCount();

        var outcome = await Send("im1@musterstadt.example", new OpenCase(
            " ", new string('x', 101), new LocalDate(2030, 1, 1), (Gender)7, "SYR", ["klingonisch"], "1",
            null, null, null, null, new LocalDate(2010, 1, 1), null));

        Assert.False(outcome.Succeeded);
        var byField = outcome.Errors.ToDictionary(e => e.Field, e => e.Message);
        Assert.Equal("Bitte den Vornamen angeben.", byField[nameof(OpenCase.FirstName)]);
        Assert.Equal("Bitte den Nachnamen mit höchstens 100 Zeichen angeben.", byField[nameof(OpenCase.LastName)]);
        Assert.Equal("Das Geburtsdatum muss zwischen 01.01.1900 und heute liegen.", byField[nameof(OpenCase.BirthDate)]);
        Assert.StartsWith("Bitte das Geschlecht angeben", byField[nameof(OpenCase.Gender)], StringComparison.Ordinal);
        Assert.StartsWith("Die Staatsangehörigkeit bitte aus der Liste wählen", byField[nameof(OpenCase.Nationality)], StringComparison.Ordinal);
        Assert.StartsWith("Sprachen bitte aus der Liste wählen", byField[nameof(OpenCase.Languages)], StringComparison.Ordinal);
        Assert.StartsWith("Die Dolmetschsprache bitte aus der Liste wählen", byField[nameof(OpenCase.InterpreterLanguage)], StringComparison.Ordinal);
        Assert.Equal("Bitte die Wohnform angeben.", byField[nameof(OpenCase.HousingType)]);
        Assert.Equal("Bitte angeben, seit wann die Person so wohnt.", byField[nameof(OpenCase.HousingSince)]);
        Assert.Equal("Bitte den Aufenthaltsstatus angeben.", byField[nameof(OpenCase.ResidenceKind)]);
        Assert.StartsWith("Der Beginn der Begleitung muss zwischen dem 27.04.2017", byField[nameof(OpenCase.SupportStart)], StringComparison.Ordinal);
        Assert.Equal(before, await CaseCount());
    }

    [Fact]
    public async Task A_probable_duplicate_must_be_confirmed_before_a_second_case_is_opened()
    {
        await Send("im1@musterstadt.example", Intake(first: "Samir", last: "Doppelt", birth: new LocalDate(1985, 3, 3)));
        var before = await CaseCount();

        var warned = await Send("im2@musterstadt.example", Intake(first: "samir", last: "DOPPELT", birth: new LocalDate(1985, 3, 3)));

        var warning = Assert.Single(warned.Errors);
        Assert.Equal((OutcomeKind.Refused, RefusalCode.PossibleDuplicate), (warned.Kind, warned.Code));
        Assert.NotNull(warning.RelatedCaseId);
        Assert.StartsWith("Möglicherweise gibt es diese Person schon (Fall ", warning.Message, StringComparison.Ordinal);
        Assert.Equal(before, await CaseCount());
        var confirmed = await Send("im2@musterstadt.example", Intake(first: "samir", last: "DOPPELT", birth: new LocalDate(1985, 3, 3)) with { ConfirmPossibleDuplicate = true });
        Assert.True(confirmed.Succeeded);
        var sameNameOtherBirthday = await Send("im2@musterstadt.example", Intake(first: "Samir", last: "Doppelt", birth: new LocalDate(1985, 3, 4)));
        Assert.True(sameNameOtherBirthday.Succeeded);
    }

    [Fact]
    public async Task The_duplicate_check_does_not_look_into_other_organisations()
    {
        await Send("im1@beispiel.example", Intake(first: "Nur", last: "Beispiel", birth: new LocalDate(1970, 7, 7)));

        Assert.True((await Send("im1@musterstadt.example", Intake(first: "Nur", last: "Beispiel", birth: new LocalDate(1970, 7, 7)))).Succeeded);
    }

    [Fact]
    public async Task A_team_lead_assigns_a_manager_of_the_own_team_only_and_managers_cannot_assign_colleagues()
    {
        var nordManager = await UserId("im2@musterstadt.example");
        var suedManager = await UserId("im3@musterstadt.example");

        var assigned = await Send("lead@musterstadt.example", Intake(first: "Zugewiesen", last: "Nord", manager: nordManager));
        Assert.True(assigned.Succeeded);
        var otherTeam = await Send("lead@musterstadt.example", Intake(first: "Zugewiesen", last: "Süd", manager: suedManager));
        Assert.Equal(nameof(OpenCase.ManagerId), Assert.Single(otherTeam.Errors).Field);
        var noManager = await Send("lead@musterstadt.example", Intake(first: "Ohne", last: "Zuweisung"));
        Assert.Equal(nameof(OpenCase.ManagerId), Assert.Single(noManager.Errors).Field);
        var colleague = await Send("im1@musterstadt.example", Intake(first: "Kollegin", last: "Fall", manager: nordManager));
        Assert.Equal(nameof(OpenCase.ManagerId), Assert.Single(colleague.Errors).Field);
    }

    [Theory]
    [InlineData("dpo@musterstadt.example")]
    [InlineData("admin@musterstadt.example")]
    public async Task Other_roles_cannot_open_cases(string email)
    {
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => Send(email, Intake(first: "Nicht", last: "Erlaubt")));
    }

    private Task<Guid> UserId(string email) => app.WithDb(db =>
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users.Where(u => u.Email == email).Select(u => u.Id)));

    private Task<int> CaseCount() => app.AsUser("admin@musterstadt.example", async services =>
    {
        await using var session = services.GetRequiredService<IDocumentStore>().QuerySession();
        var all = await session.Query<CaseSummary>().Where(x => x.AnyTenant()).CountAsync();
        return all;
    });
}
