using CaseManagement.Organisations;
using CaseManagement.Reminders;

namespace CaseManagement.Tests.Common;

/// <summary>Every value users see has its German label in the one resource (src/CaseManagement/Common/Labels.resx).</summary>
public sealed class LabelsTests
{
    public static TheoryData<Type> Labelled() =>
    [
        typeof(FieldOfAction), typeof(GoalStatus), typeof(RegularService), typeof(ReminderKind), typeof(CaseFigure), typeof(ConsultationMode), typeof(CaseManagement.Documents.DocumentKind),
        typeof(HouseholdRelation), typeof(ResidenceKind), typeof(HousingType), typeof(ConsentScope), typeof(Gender),
        typeof(AppointmentPlace), typeof(AppointmentStatus), typeof(CaseManagement.LocalOffers.OfferCategory),
    ];

    [Theory]
    [MemberData(nameof(Labelled))]
    public void Every_value_has_a_German_label(Type type)
    {
        var missing = Enum.GetNames(type).Where(name => global::CaseManagement.Common.Labels.Find(type.Name, name) is not { Length: > 0 }).ToList();
        Assert.True(missing.Count == 0, $"{type.Name}: no label for {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Labelled))]
    public void Every_value_has_an_English_label_of_its_own(Type type)
    {
        var english = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
        var missing = Enum.GetNames(type)
            .Where(name => global::CaseManagement.Common.Labels.In(type.Name, name, english) is not { Length: > 0 } label
                           || label == global::CaseManagement.Common.Labels.In(type.Name, name, System.Globalization.CultureInfo.InvariantCulture) && label.Any(c => "äöüß".Contains(c, StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, $"{type.Name}: no English label for {string.Join(", ", missing)}");
    }

    [Fact]
    public void Labels_follow_the_users_language_and_German_stays_the_default()
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        try
        {
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
            Assert.Equal("partly achieved", Goals.StatusLabel(GoalStatus.PartlyAchieved));
            Assert.Equal("Team lead", Roles.Label(Roles.TeamLead));
            Assert.Equal("teilweise erreicht", global::CaseManagement.Common.Labels.German(GoalStatus.PartlyAchieved));
            // A label computed in German earlier is found again in the user's language.
            Assert.Equal("Recognition of foreign qualifications", global::CaseManagement.Common.Translations.Localize("Anerkennung ausländischer Qualifikationen", System.Globalization.CultureInfo.CurrentUICulture));
            System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("teilweise erreicht", Goals.StatusLabel(GoalStatus.PartlyAchieved));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void Labels_read_as_before()
    {
        Assert.Equal("Anerkennung ausländischer Qualifikationen", Goals.FieldLabel(FieldOfAction.QualificationRecognition));
        Assert.Equal("teilweise erreicht", Goals.StatusLabel(GoalStatus.PartlyAchieved));
        Assert.Equal("Migrationsberatung für Erwachsene (MBE)", Referrals.ServiceLabel(RegularService.MigrationCounselling));
        Assert.Equal("Teamleitung", Roles.Label(Roles.TeamLead));
        Assert.Equal("Unbekannt", Roles.Label("Unbekannt"));
    }
}
