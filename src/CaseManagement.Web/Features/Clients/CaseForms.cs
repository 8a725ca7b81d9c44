
namespace CaseManagement.Web.Features.Clients;

public sealed class ContactForm : VersionedForm
{
    public string? Phone { get; set; }

    public string? Email { get; set; }

    public string? Street { get; set; }

    public string? PostalCode { get; set; }

    public string? City { get; set; }

    public static ContactForm From(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new()
        {
            Version = c.Version, Phone = c.Contact.Phone, Email = c.Contact.Email, Street = c.Contact.Street, PostalCode = c.Contact.PostalCode, City = c.Contact.City,
        };
    }
}

public sealed class ConsentForm : VersionedForm
{
    public DateOnly? GivenOn { get; set; }

    public List<ConsentScope> Scopes { get; set; } = [];

    public string? FormVersion { get; set; }
}

public sealed class ConsentWithdrawalForm : VersionedForm
{
    public DateOnly? WithdrawnOn { get; set; }

    public List<ConsentScope> Scopes { get; set; } = [];
}

public sealed class HouseholdForm : VersionedForm
{
    public string? MemberCaseNumber { get; set; }

    public HouseholdRelation? Relation { get; set; }
}

public sealed class ProfileForm : VersionedForm
{
    public string? Qualifications { get; set; }

    public string? Competences { get; set; }

    public int? SchoolYears { get; set; }

    public string? SchoolCertificate { get; set; }

    public string? SchoolCountry { get; set; }

    public string? VocationalDegree { get; set; }

    public string? WorkExperience { get; set; }

    public static ProfileForm From(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var p = c.Profile;
        return new()
        {
            Version = c.Version, Qualifications = p.Qualifications, Competences = p.Competences, SchoolYears = p.SchoolYears,
            SchoolCertificate = p.SchoolCertificate, SchoolCountry = p.SchoolCountry, VocationalDegree = p.VocationalDegree, WorkExperience = p.WorkExperience,
        };
    }
}

public sealed class LanguageLevelForm : VersionedForm
{
    public string? Language { get; set; }

    public CefrLevel? Level { get; set; }

    public LevelBasis? Basis { get; set; }

    public string? Certificate { get; set; }

    public DateOnly? AssessedOn { get; set; }
}

public sealed class DevelopmentForm : VersionedForm
{
    public DateOnly? Date { get; set; }

    public string? Text { get; set; }
}

public sealed class ReferralForm : VersionedForm
{
    public RegularService? Service { get; set; }

    public string? ServiceName { get; set; }

    public DateOnly? Date { get; set; }

    public Guid? GoalId { get; set; }

    public string? Note { get; set; }
}
