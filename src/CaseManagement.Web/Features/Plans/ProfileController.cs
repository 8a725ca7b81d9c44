using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Plans;

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

/// <summary>The client's profile in the plan: qualifications and schooling, language levels, individual developments.</summary>
[Route("faelle")]
public sealed class ProfileController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/profil")]
    public async Task<IActionResult> UpdateProfile(Guid id, ProfileForm form, CancellationToken ct) =>
        await Change(id, new UpdateProfile(id, form.Version, form.Qualifications, form.Competences, form.SchoolYears, form.SchoolCertificate,
            form.SchoolCountry, form.VocationalDegree, form.WorkExperience), "Das Profil ist gespeichert.", new CasePlace(CaseTab.Plan, "profile-title"), ct, form);

    [HttpPost("{id:guid}/sprachniveau")]
    public async Task<IActionResult> AssessLanguageLevel(Guid id, LanguageLevelForm form, CancellationToken ct) =>
        await Change(id, new AssessLanguageLevel(id, form.Version, form.Language, form.Level, form.Basis, form.Certificate, Date(form.AssessedOn)),
            "Das Sprachniveau ist erfasst.", new CasePlace(CaseTab.Plan, "profile-title"), ct, form);

    [HttpPost("{id:guid}/entwicklungen")]
    public async Task<IActionResult> NoteDevelopment(Guid id, DevelopmentForm form, CancellationToken ct) =>
        await Change(id, new NoteDevelopment(id, form.Version, Date(form.Date), form.Text), "Die Entwicklung ist notiert.", new CasePlace(CaseTab.Plan, "profile-title"), ct, form);
}
