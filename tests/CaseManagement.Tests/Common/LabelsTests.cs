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
