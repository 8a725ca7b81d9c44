using Marten;
using Npgsql;

namespace CaseManagement.Cases;

/// <summary>
/// Intake: an integration manager (or the team lead, for a manager of the team) registers a client and
/// opens the case; the eligibility check runs at once. A probable duplicate (same name and birth date in
/// the organisation) must be confirmed explicitly.
/// </summary>
public sealed record OpenCase(
    string? FirstName,
    string? LastName,
    LocalDate? BirthDate,
    Gender? Gender,
    string? Nationality,
    IReadOnlyList<string>? Languages,
    string? InterpreterLanguage,
    HousingType? HousingType,
    LocalDate? HousingSince,
    ResidenceKind? ResidenceKind,
    LocalDate? ResidenceValidUntil,
    LocalDate? SupportStart,
    Guid? ManagerId,
    bool ConfirmPossibleDuplicate = false) : ICommand<Outcome<OpenedCase>>
{
    /// <summary>Day of arrival in Germany.</summary>
    public LocalDate? ArrivedOn { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public string? Street { get; init; }

    public string? PostalCode { get; init; }

    public string? City { get; init; }

    public LocalDate? ConsentGivenOn { get; init; }

    public IReadOnlyList<ConsentScope>? ConsentScopes { get; init; }

    public string? ConsentFormVersion { get; init; }

    /// <summary>The case comes from an import (provenance in its history); an administrator may then open it for any manager of the organisation.</summary>
    public CaseImports.ImportProvenance? Import { get; init; }

    /// <summary>Only the checks (an import's preview and dry run): nothing is stored, the answer carries no case.</summary>
    public bool ValidateOnly { get; init; }
}

public sealed record OpenedCase(Guid CaseId, string CaseNumber, long Version, EligibilityVerdict Verdict);

public sealed class OpenCaseHandler(
    IDocumentSession session,
    CaseGate gate,
    AppDbContext db,
    NpgsqlDataSource dataSource,
    ICurrentUser currentUser,
    IClock clock,
    EligibilityRules rules) : ICommandHandler<OpenCase, Outcome<OpenedCase>>
{
    /// <summary>Earliest support start: the Pakt für Integration (27.04.2017).</summary>
    public static readonly LocalDate ProgrammeStart = new(2017, 4, 27);

    public async ValueTask<Outcome<OpenedCase>> Handle(OpenCase command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!currentUser.IsAuthenticated || !(currentUser.IsInRole(Roles.Manager) || currentUser.IsInRole(Roles.TeamLead) || IsImportByAdministrator(command)))
        {
            throw new UnauthorizedAccessException("Only managers and team leads open cases.");
        }

        var today = clock.Today();
        var errors = IntakeInput.Validate(command, today);
        var checks = new Checks();
        var contact = ContactRules.Check(checks, command.Phone, command.Email, command.Street, command.PostalCode, command.City);
        var consent = ContactRules.Check(checks, command.ConsentGivenOn, command.ConsentScopes, command.ConsentFormVersion, today, required: false, prefix: "Consent");
        errors.AddRange(checks.Errors);
        var (managerId, managerError) = await ResolveManager(command.ManagerId, IsImportByAdministrator(command), cancellationToken);
        if (managerError is not null)
        {
            errors.Add(managerError);
        }

        if (errors.Count > 0)
        {
            return Outcome<OpenedCase>.Failure(errors);
        }

        var person = new PersonalData(
            command.FirstName!.Trim(), command.LastName!.Trim(), command.BirthDate!.Value, command.Gender!.Value,
            CountryNames.Code(command.Nationality),
            (command.Languages ?? []).Select(LanguageNames.Code).OfType<string>().Distinct().ToList(),
            LanguageNames.Code(command.InterpreterLanguage),
            command.ArrivedOn);

        if (!command.ConfirmPossibleDuplicate && await FindDuplicate(person, cancellationToken) is { } duplicate)
        {
            return PossibleDuplicate(duplicate.Id, duplicate.CaseNumber);
        }

        var caseId = Guid.CreateVersion7();
        var caseNumber = command.ValidateOnly ? "" : await CaseNumbers.NextAsync(dataSource, currentUser.RequireTenantId(), today.Year, cancellationToken);
        var events = ClientCaseDecisions.Open(
            caseId, caseNumber, person,
            new Housing(command.HousingType!.Value, command.HousingSince!.Value),
            new ResidenceStatus(command.ResidenceKind!.Value, command.ResidenceValidUntil),
            command.SupportStart!.Value, managerId, rules, today, currentUser.UserId, clock.GetCurrentInstant(), contact, consent);
        if (command.ValidateOnly)
        {
            return Outcome<OpenedCase>.Success(new OpenedCase(Guid.Empty, "", 0, events.OfType<EligibilityEvaluated>().Single().Verdict));
        }

        if (command.Import is { } import)
        {
            // Provenance in the case's first event; the previous system's reference is taken in the same transaction
            // (cases.import_references: one case per reference and organisation, also when two imports run at once).
            events[0] = ((CaseOpened)events[0]) with { Imported = import };
            session.QueueSqlCommand(
                "insert into cases.import_references (organisation_id, reference, case_id, import_id, row_number) values (?, ?, ?, ?, ?)",
                currentUser.OrganisationId, import.Reference, caseId, import.ImportId, import.Row);
        }
        // The duplicate check above and the insert are one atomic step: of parallel unconfirmed intakes of the same
        // person only one commits (cases.intake_keys, partial unique index, in the case's first transaction).
        var personKey = IntakeKey.For(currentUser.OrganisationId, person);
        session.QueueSqlCommand(
            "insert into cases.intake_keys (case_id, organisation_id, person_key, confirmed_duplicate) values (?, ?, ?, ?)",
            caseId, currentUser.OrganisationId, personKey, command.ConfirmPossibleDuplicate);
        try
        {
            var started = await gate.Start(caseId, events, cancellationToken);
            if (!started.Succeeded)
            {
                return started.As<OpenedCase>();
            }
        }
        catch (Exception e) when (IntakeKey.IsClash(e))
        {
            var winner = await IntakeKey.HolderAsync(dataSource, currentUser.OrganisationId, personKey, cancellationToken);
            await using var reader = session.DocumentStore.QuerySession(currentUser.RequireTenantId());
            var existing = winner is { } id ? await reader.LoadAsync<CaseSummary>(id, cancellationToken) : null;
            return PossibleDuplicate(winner ?? Guid.Empty, existing?.CaseNumber ?? "");
        }

        var verdict = events.OfType<EligibilityEvaluated>().Single().Verdict;
        return Outcome<OpenedCase>.Success(new OpenedCase(caseId, caseNumber, events.Length, verdict));
    }

    /// <summary>Field of the duplicate warning on the intake form (the confirmation checkbox).</summary>
    public const string DuplicateField = nameof(OpenCase.ConfirmPossibleDuplicate);

    private static Outcome<OpenedCase> PossibleDuplicate(Guid caseId, string caseNumber) =>
        Outcome<OpenedCase>.Refused(RefusalCode.PossibleDuplicate,
            $"Möglicherweise gibt es diese Person schon (Fall {caseNumber}: gleicher Name und Geburtsdatum). Bitte prüfen und das Anlegen ausdrücklich bestätigen.",
            caseId == Guid.Empty ? null : caseId);

    /// <summary>An organisation's administrator imports cases for every team (never opens one by hand).</summary>
    private bool IsImportByAdministrator(OpenCase command) => command.Import is not null && currentUser.IsInRole(Roles.Administrator);

    /// <summary>Managers open their own cases; a team lead assigns a manager of the own team; an importing administrator any active manager.</summary>
    private async Task<(Guid ManagerId, InputError? Error)> ResolveManager(Guid? requested, bool anyTeam, CancellationToken ct)
    {
        if (anyTeam && requested is { } anyManager)
        {
            return await ManagerTeams.IsActiveManager(db, currentUser.OrganisationId, anyManager, ct)
                ? (anyManager, null)
                : (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Fälle können nur einer aktiven Integrationsmanagerin oder einem aktiven Integrationsmanager der Organisation zugewiesen werden."));
        }

        if (currentUser.IsInRole(Roles.Manager) && (requested is null || requested == currentUser.UserId))
        {
            return (currentUser.UserId, null);
        }

        if (requested is null)
        {
            return (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Bitte die zuständige Integrationsmanagerin oder den zuständigen Integrationsmanager wählen."));
        }

        var isTeamManager = currentUser.IsInRole(Roles.TeamLead) && currentUser.TeamId is { } team
            && await TeamMembers.IsActiveManagerOfTeam(db, currentUser.OrganisationId, team, requested.Value, ct);
        return isTeamManager
            ? (requested.Value, null)
            : (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Fälle können nur einer aktiven Integrationsmanagerin oder einem aktiven Integrationsmanager des eigenen Teams zugewiesen werden."));
    }

    private async Task<CaseSummary?> FindDuplicate(PersonalData person, CancellationToken ct)
    {
        // Filter by name in the database, by birth date in memory (no LINQ over NodaTime members in Marten).
        var sameName = await session.Query<CaseSummary>()
            .Where(c => c.LastName.Equals(person.LastName, StringComparison.OrdinalIgnoreCase)
                        && c.FirstName.Equals(person.FirstName, StringComparison.OrdinalIgnoreCase))
            .ToListAsync(ct);
        return sameName.FirstOrDefault(c => c.BirthDate == person.BirthDate);
    }
}

internal static class IntakeInput
{
    public const string ValidUntilOutOfRange = "Das Ablaufdatum des Aufenthaltsdokuments muss zwischen 01.01.1900 und 31.12.2100 liegen.";

    public static List<InputError> Validate(OpenCase c, LocalDate today)
    {
        var errors = new List<InputError>();
        void Add(string field, string message) => errors.Add(new InputError(field, message));

        Name(c.FirstName, nameof(OpenCase.FirstName), "den Vornamen", Add);
        Name(c.LastName, nameof(OpenCase.LastName), "den Nachnamen", Add);

        if (c.BirthDate is not { } birth)
        {
            Add(nameof(OpenCase.BirthDate), "Bitte das Geburtsdatum angeben.");
        }
        else if (birth > today || birth < new LocalDate(1900, 1, 1))
        {
            Add(nameof(OpenCase.BirthDate), "Das Geburtsdatum muss zwischen 01.01.1900 und heute liegen.");
        }

        if (c.Gender is not { } gender || !Enum.IsDefined(gender))
        {
            Add(nameof(OpenCase.Gender), "Bitte das Geschlecht angeben (weiblich, männlich, divers oder unbekannt).");
        }

        if (!string.IsNullOrWhiteSpace(c.Nationality) && CountryNames.Code(c.Nationality) is null)
        {
            Add(nameof(OpenCase.Nationality), Messages.Person.NationalityUnknown);
        }

        var languages = c.Languages ?? [];
        if (languages.Count > 10)
        {
            Add(nameof(OpenCase.Languages), "Bitte höchstens 10 Sprachen angeben.");
        }
        else if (languages.Any(l => !string.IsNullOrWhiteSpace(l) && LanguageNames.Code(l) is null))
        {
            Add(nameof(OpenCase.Languages), Messages.Person.LanguageUnknown);
        }

        if (!string.IsNullOrWhiteSpace(c.InterpreterLanguage) && LanguageNames.Code(c.InterpreterLanguage) is null)
        {
            Add(nameof(OpenCase.InterpreterLanguage), Messages.Situation.InterpreterLanguageCode);
        }

        if (c.ArrivedOn is { } arrived && (arrived > today || arrived < InputLimits.EarliestDate || (c.BirthDate is { } bornOn && arrived < bornOn)))
        {
            Add(nameof(OpenCase.ArrivedOn), "Das Einreisedatum darf nicht in der Zukunft und nicht vor der Geburt liegen.");
        }

        if (c.HousingType is not { } housing || !Enum.IsDefined(housing))
        {
            Add(nameof(OpenCase.HousingType), Messages.Situation.HousingTypeRequired);
        }

        if (c.HousingSince is not { } since)
        {
            Add(nameof(OpenCase.HousingSince), Messages.Situation.HousingSinceRequired);
        }
        else if (since > today || since < InputLimits.EarliestDate || (c.BirthDate is { } b && since < b))
        {
            Add(nameof(OpenCase.HousingSince), "Das Einzugsdatum darf nicht in der Zukunft und nicht vor der Geburt liegen.");
        }

        if (c.ResidenceKind is not { } residence || !Enum.IsDefined(residence))
        {
            Add(nameof(OpenCase.ResidenceKind), Messages.Situation.ResidenceKindRequired);
        }

        if (c.ResidenceValidUntil is { } validUntil && !DateRange.Validity.Contains(validUntil))
        {
            Add(nameof(OpenCase.ResidenceValidUntil), ValidUntilOutOfRange);
        }
        else if (c.ResidenceValidUntil is { } until && c.BirthDate is { } born && until < born)
        {
            Add(nameof(OpenCase.ResidenceValidUntil), "Das Ablaufdatum des Aufenthaltsdokuments kann nicht vor der Geburt liegen.");
        }

        if (c.SupportStart is not { } start)
        {
            Add(nameof(OpenCase.SupportStart), "Bitte den Beginn der Begleitung angeben.");
        }
        else if (start < OpenCaseHandler.ProgrammeStart || start > today.PlusMonths(3))
        {
            Add(nameof(OpenCase.SupportStart), "Der Beginn der Begleitung muss zwischen dem 27.04.2017 und drei Monaten ab heute liegen.");
        }

        return errors;
    }

    private static void Name(string? value, string field, string what, Action<string, string> add)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            add(field, $"Bitte {what} angeben.");
        }
        else if (value.Trim().Length > 100)
        {
            add(field, $"Bitte {what} mit höchstens 100 Zeichen angeben.");
        }
    }
}

/// <summary>
/// Row of <c>cases.intake_keys</c>: the person behind a case as a key (no readable personal data), so that the
/// duplicate check of the intake holds under concurrency.
/// </summary>
public sealed class IntakeKey
{
    public Guid CaseId { get; init; }

    public Guid OrganisationId { get; init; }

    public byte[] PersonKey { get; init; } = [];

    public bool ConfirmedDuplicate { get; init; }

    /// <summary>SHA-256 over organisation, first and last name (trimmed, case-insensitive) and birth date — what the duplicate check compares.</summary>
    public static byte[] For(Guid organisationId, PersonalData person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var text = string.Join('\u001f', organisationId.ToString("N"), person.FirstName.Trim().ToUpperInvariant(), person.LastName.Trim().ToUpperInvariant(),
            person.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Whether a failed commit lost the race for the same person.</summary>
    public static bool IsClash(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "ux_intake_keys_person" }
        || exception.InnerException is { } inner && IsClash(inner);

    /// <summary>The case that holds the key (the winner of the race).</summary>
    public static async Task<Guid?> HolderAsync(NpgsqlDataSource dataSource, Guid organisationId, byte[] personKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            "select case_id from cases.intake_keys where organisation_id = $1 and person_key = $2 and not confirmed_duplicate");
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = personKey });
        return await command.ExecuteScalarAsync(ct) is Guid id ? id : null;
    }
}
