using Marten;

namespace CaseManagement.Plans;

/// <summary>Language level on the Common European Framework of Reference.</summary>
public enum CefrLevel
{
    A1,
    A2,
    B1,
    B2,
    C1,
    C2,
}

/// <summary>Whether a language level is proven by a certificate or estimated in counselling.</summary>
public enum LevelBasis
{
    Certificate,
    Estimate,
}

/// <summary>The profile part of the Integrationsplan: what the client brings along.</summary>
public sealed record ClientProfile(
    string? Qualifications,
    string? Competences,
    int? SchoolYears,
    string? SchoolCertificate,
    string? SchoolCountry,
    string? VocationalDegree,
    string? WorkExperience)
{
    public static readonly ClientProfile Empty = new(null, null, null, null, null, null, null);
}

public sealed record ProfileUpdated(Guid CaseId, ClientProfile Profile, Guid UpdatedBy, Instant UpdatedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => UpdatedBy;

    Instant ICaseEvent.At => UpdatedAt;
}

public sealed record LanguageLevelAssessed(
    Guid CaseId, string Language, CefrLevel Level, LevelBasis Basis, string? Certificate, LocalDate AssessedOn, Guid AssessedBy, Instant AssessedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => AssessedBy;

    Instant ICaseEvent.At => AssessedAt;
}

/// <summary>An individual development worth keeping in the plan (dated entry).</summary>
public sealed record DevelopmentNoted(Guid CaseId, Guid EntryId, LocalDate Date, string Text, Guid NotedBy, Instant NotedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => NotedBy;

    Instant ICaseEvent.At => NotedAt;
}

/// <summary>The latest level per language as the case page shows it.</summary>
public sealed record LanguageLevelView(string Language, CefrLevel Level, LevelBasis Basis, string? Certificate, LocalDate AssessedOn);

public sealed record DevelopmentView(Guid Id, LocalDate Date, string Text);

public static class ProfileLabels
{
    public const int MaxTextLength = 2000;

    public static string Basis(LevelBasis basis) => basis == LevelBasis.Certificate ? "Zertifikat" : "Einschätzung";
}

/// <summary>Saves the whole profile part as entered (a snapshot; the history keeps every earlier one).</summary>
public sealed record UpdateProfile(
    Guid CaseId, long ExpectedVersion, string? Qualifications, string? Competences, int? SchoolYears, string? SchoolCertificate,
    string? SchoolCountry, string? VocationalDegree, string? WorkExperience) : ICommand<Outcome<CaseChanged>>;

public sealed class UpdateProfileHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<UpdateProfile, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(UpdateProfile command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Text(command.Qualifications, ProfileLabels.MaxTextLength, nameof(UpdateProfile.Qualifications), "die Qualifikationen");
        checks.Text(command.Competences, ProfileLabels.MaxTextLength, nameof(UpdateProfile.Competences), "die Kompetenzen");
        if (command.SchoolYears is < 0 or > 20)
        {
            checks.Add(nameof(UpdateProfile.SchoolYears), "Die Schuljahre bitte als Zahl von 0 bis 20 angeben.");
        }

        checks.Text(command.SchoolCertificate, 200, nameof(UpdateProfile.SchoolCertificate), "den Schulabschluss");
        if (Checks.Trimmed(command.SchoolCountry) is { } country && !(country.Length == 2 && country.All(char.IsAsciiLetter)))
        {
            checks.Add(nameof(UpdateProfile.SchoolCountry), "Das Land des Schulbesuchs bitte als zweistelligen Ländercode angeben (ISO 3166-1, z. B. SY).");
        }

        checks.Text(command.VocationalDegree, 500, nameof(UpdateProfile.VocationalDegree), "den Berufsabschluss");
        checks.Text(command.WorkExperience, ProfileLabels.MaxTextLength, nameof(UpdateProfile.WorkExperience), "die Berufserfahrung");
        var profile = new ClientProfile(
            Checks.Trimmed(command.Qualifications), Checks.Trimmed(command.Competences), command.SchoolYears, Checks.Trimmed(command.SchoolCertificate),
            Checks.Trimmed(command.SchoolCountry)?.ToUpperInvariant(), Checks.Trimmed(command.VocationalDegree), Checks.Trimmed(command.WorkExperience));
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
                profile == state.Profile
                ? throw new CaseRuleException("Das Profil ist unverändert.")
                : [new ProfileUpdated(state.Id, profile, user.UserId, clock.GetCurrentInstant())],
            cancellationToken);
    }
}

/// <summary>Records a language level (CEFR) with its basis; the newest assessment per language counts.</summary>
public sealed record AssessLanguageLevel(
    Guid CaseId, long ExpectedVersion, string? Language, CefrLevel? Level, LevelBasis? Basis, string? Certificate, LocalDate? AssessedOn)
    : ICommand<Outcome<CaseChanged>>;

public sealed class AssessLanguageLevelHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<AssessLanguageLevel, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(AssessLanguageLevel command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        var language = Checks.Trimmed(command.Language)?.ToLowerInvariant();
        if (language is null || language.Length is < 2 or > 3 || !language.All(char.IsAsciiLetter))
        {
            checks.Add(nameof(AssessLanguageLevel.Language), "Die Sprache bitte als Sprachcode angeben (ISO 639, z. B. de).");
        }

        checks.Defined(command.Level, nameof(AssessLanguageLevel.Level), "Bitte das Sprachniveau wählen (A1 bis C2).");
        checks.Defined(command.Basis, nameof(AssessLanguageLevel.Basis), "Bitte angeben, ob das Niveau durch ein Zertifikat belegt oder eingeschätzt ist.");
        checks.Text(command.Certificate, 200, nameof(AssessLanguageLevel.Certificate), "das Zertifikat", required: command.Basis == LevelBasis.Certificate);
        checks.PastDate(command.AssessedOn, clock.Today(), new LocalDate(1950, 1, 1), nameof(AssessLanguageLevel.AssessedOn), "das Datum der Einstufung");
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
            {
                return
                [
                    new LanguageLevelAssessed(state.Id, language!, command.Level!.Value, command.Basis!.Value,
                        command.Basis == LevelBasis.Certificate ? Checks.Trimmed(command.Certificate) : null, command.AssessedOn!.Value,
                        user.UserId, clock.GetCurrentInstant()),
                ];
            },
            cancellationToken);
    }
}

/// <summary>Notes an individual development (dated entry) in the profile part.</summary>
public sealed record NoteDevelopment(Guid CaseId, long ExpectedVersion, LocalDate? Date, string? Text) : ICommand<Outcome<CaseChanged>>;

public sealed class NoteDevelopmentHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<NoteDevelopment, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(NoteDevelopment command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.PastDate(command.Date, clock.Today(), OpenCaseHandler.ProgrammeStart, nameof(NoteDevelopment.Date), "das Datum");
        checks.Text(command.Text, ProfileLabels.MaxTextLength, nameof(NoteDevelopment.Text), "die Entwicklung", required: true);
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
                [new DevelopmentNoted(state.Id, Guid.CreateVersion7(), command.Date!.Value, command.Text!.Trim(), user.UserId, clock.GetCurrentInstant())],
            cancellationToken);
    }
}
