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

    /// <summary>Field of the duplicate warning on the intake form (the confirmation checkbox).</summary>
    public const string DuplicateField = nameof(OpenCase.ConfirmPossibleDuplicate);

    public async ValueTask<Outcome<OpenedCase>> Handle(OpenCase command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        Intake.RequireMayOpen(currentUser, command);
        var today = clock.Today();
        var managers = await ManagerTeams.ActiveOf(db, currentUser.OrganisationId, command.ManagerId is { } requested ? [requested] : [], cancellationToken);
        var intake = Intake.Check(command, today, currentUser, managers);
        if (intake.Errors.Count > 0)
        {
            return Outcome<OpenedCase>.Failure([.. intake.Errors]);
        }

        if (!command.ConfirmPossibleDuplicate && await FindDuplicate(intake.Person!, cancellationToken) is { } duplicate)
        {
            return Intake.PossibleDuplicate(duplicate.Id, duplicate.CaseNumber);
        }

        var caseId = Guid.CreateVersion7();
        var caseNumber = command.ValidateOnly ? "" : await CaseNumbers.NextAsync(dataSource, currentUser.RequireTenantId(), today.Year, cancellationToken);
        var events = intake.Decide(caseId, caseNumber, rules, today, currentUser.UserId, clock.GetCurrentInstant());
        if (command.ValidateOnly)
        {
            return Outcome<OpenedCase>.Success(new OpenedCase(Guid.Empty, "", 0, Intake.Verdict(events)));
        }

        var personKey = Intake.Queue(session, currentUser.OrganisationId, caseId, command, intake.Person!, events);
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
            return Intake.PossibleDuplicate(winner ?? Guid.Empty, existing?.CaseNumber ?? "");
        }

        return Outcome<OpenedCase>.Success(new OpenedCase(caseId, caseNumber, events.Length, Intake.Verdict(events)));
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

/// <summary>
/// Intake of many cases at once (an import's batch of rows). Each row is an <see cref="OpenCase"/> checked and decided
/// exactly as a single intake (<see cref="Intake"/>: the same input checks, manager rule, duplicate rule and decision);
/// what the single intake asks the database per row is asked once for the batch (the managers, the cases with the same
/// last names, a range of case numbers). Rows that pass are started through the gate in one transaction
/// (<see cref="CaseGate.StartAll"/>): all of them, or — when the commit fails, e.g. a concurrent intake of the same person
/// or reference — none, and the answer says so (<see cref="OpenedCases.Committed"/> false), so the caller retries the
/// rows one by one and one bad row never stops the others.
/// </summary>
public sealed record OpenCases(IReadOnlyList<OpenCase> Rows) : ICommand<OpenedCases>;

/// <summary>Per row of <see cref="OpenCases"/> its outcome (in order); empty and <c>Committed = false</c> when the batch's commit failed.</summary>
public sealed record OpenedCases(IReadOnlyList<Outcome<OpenedCase>> Outcomes, bool Committed);

public sealed class OpenCasesHandler(
    IDocumentSession session,
    CaseGate gate,
    AppDbContext db,
    NpgsqlDataSource dataSource,
    ICurrentUser currentUser,
    IClock clock,
    EligibilityRules rules) : ICommandHandler<OpenCases, OpenedCases>
{
    public async ValueTask<OpenedCases> Handle(OpenCases command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var row in command.Rows)
        {
            Intake.RequireMayOpen(currentUser, row);
        }

        var today = clock.Today();
        var now = clock.GetCurrentInstant();
        var managers = await ManagerTeams.ActiveOf(db, currentUser.OrganisationId, command.Rows.Select(r => r.ManagerId).OfType<Guid>().Distinct().ToList(), cancellationToken);
        var checkedRows = command.Rows.Select(r => Intake.Check(r, today, currentUser, managers)).ToList();
        var known = await SameLastNamesAsync(checkedRows.Select(c => c.Person).OfType<PersonalData>().Select(p => p.LastName.ToUpperInvariant()).Distinct().ToArray(), cancellationToken);

        var outcomes = new Outcome<OpenedCase>?[command.Rows.Count];
        var accepted = new List<int>();
        for (var i = 0; i < command.Rows.Count; i++)
        {
            var (row, intake) = (command.Rows[i], checkedRows[i]);
            if (intake.Errors.Count > 0)
            {
                outcomes[i] = Outcome<OpenedCase>.Failure([.. intake.Errors]);
                continue;
            }

            var key = PersonKey(intake.Person!);
            if (!row.ConfirmPossibleDuplicate && known.TryGetValue(key, out var duplicate))
            {
                outcomes[i] = Intake.PossibleDuplicate(duplicate.CaseId, duplicate.CaseNumber);
                continue;
            }

            accepted.Add(i);
        }

        // Numbers only for the rows that will be stored (a failed commit leaves a gap, never a duplicate).
        var toStore = accepted.Where(i => !command.Rows[i].ValidateOnly).ToList();
        var numbers = toStore.Count == 0 ? [] : await CaseNumbers.NextRangeAsync(dataSource, currentUser.RequireTenantId(), today.Year, toStore.Count, cancellationToken);
        var started = new List<(Guid CaseId, object[] Events)>();
        foreach (var i in accepted)
        {
            var (row, intake) = (command.Rows[i], checkedRows[i]);
            var store = !row.ValidateOnly;
            var caseId = store ? Guid.CreateVersion7() : Guid.Empty;
            var caseNumber = store ? numbers[started.Count] : "";
            var events = intake.Decide(caseId, caseNumber, rules, today, currentUser.UserId, now);
            if (store)
            {
                Intake.Queue(session, currentUser.OrganisationId, caseId, row, intake.Person!, events);
                started.Add((caseId, events));
            }

            // A later row of the same person in this batch is a probable duplicate of this one, as it would be one by one.
            known.TryAdd(PersonKey(intake.Person!), (caseId, caseNumber));
            outcomes[i] = Outcome<OpenedCase>.Success(new OpenedCase(caseId, caseNumber, store ? events.Length : 0, Intake.Verdict(events)));
        }

        if (started.Count > 0)
        {
            try
            {
                if (!(await gate.StartAll(started, cancellationToken)).Succeeded)
                {
                    return new OpenedCases([], Committed: false);
                }
            }
            catch (Exception e) when (RefusedByDatabase(e))
            {
                session.EjectAllPendingChanges();
                return new OpenedCases([], Committed: false);
            }
        }

        return new OpenedCases(outcomes.Select(o => o!).ToList(), Committed: true);
    }

    /// <summary>A constraint of the batch's transaction refused it (a reference or a person taken meanwhile): retry row by row.</summary>
    private static bool RefusedByDatabase(Exception e) => e is PostgresException || e.InnerException is { } inner && RefusedByDatabase(inner);

    private static string PersonKey(PersonalData person) =>
        string.Join('\u001f', person.LastName.ToUpperInvariant(), person.FirstName.ToUpperInvariant(), person.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The organisation's cases whose last name is one of the batch's (one query), by the duplicate check's key.</summary>
    private async Task<Dictionary<string, (Guid CaseId, string CaseNumber)>> SameLastNamesAsync(string[] lastNames, CancellationToken ct)
    {
        var found = new Dictionary<string, (Guid, string)>(StringComparer.Ordinal);
        if (lastNames.Length == 0)
        {
            return found;
        }

        await using var command = dataSource.CreateCommand(
            $"select id, data ->> 'caseNumber', data ->> 'lastName', data ->> 'firstName', data ->> 'birthDate' from {Storage.MartenSetup.Schema}.mt_doc_casesummary "
            + "where tenant_id = $1 and upper(data ->> 'lastName') = any($2)");
        command.Parameters.Add(new() { Value = currentUser.RequireTenantId() });
        command.Parameters.Add(new() { Value = lastNames });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (reader.IsDBNull(2) || reader.IsDBNull(3) || reader.IsDBNull(4))
            {
                continue;
            }

            var key = string.Join('\u001f', reader.GetString(2).ToUpperInvariant(), reader.GetString(3).ToUpperInvariant(), reader.GetString(4));
            found.TryAdd(key, (reader.GetGuid(0), reader.IsDBNull(1) ? "" : reader.GetString(1)));
        }

        return found;
    }
}

/// <summary>What the single and the batch intake share: who may open, the checks, the manager rule, the decision and what goes with the first events.</summary>
internal static class Intake
{
    /// <summary>The checked row: its errors, or the person and the rest of what the decision needs.</summary>
    internal sealed record Checked(List<InputError> Errors, OpenCase Command, PersonalData? Person, Guid ManagerId, ContactDetails Contact, Consent? Consent)
    {
        public object[] Decide(Guid caseId, string caseNumber, EligibilityRules rules, LocalDate today, Guid actor, Instant now)
        {
            var events = ClientCaseDecisions.Open(
                caseId, caseNumber, Person!,
                new Housing(Command.HousingType!.Value, Command.HousingSince!.Value),
                new ResidenceStatus(Command.ResidenceKind!.Value, Command.ResidenceValidUntil),
                Command.SupportStart!.Value, ManagerId, rules, today, actor, now, Contact, Consent);
            if (Command.Import is { } import)
            {
                // Provenance in the case's first event.
                events[0] = ((CaseOpened)events[0]) with { Imported = import };
            }

            return events;
        }
    }

    public static void RequireMayOpen(ICurrentUser user, OpenCase command)
    {
        if (!user.IsAuthenticated || !(user.IsInRole(Roles.Manager) || user.IsInRole(Roles.TeamLead) || IsImportByAdministrator(user, command)))
        {
            throw new UnauthorizedAccessException("Only managers and team leads open cases.");
        }
    }

    /// <summary>The input checks and the manager rule, pure given the active managers (id → team) asked for.</summary>
    public static Checked Check(OpenCase command, LocalDate today, ICurrentUser user, IReadOnlyDictionary<Guid, Guid?> activeManagers)
    {
        var errors = IntakeInput.Validate(command, today);
        var checks = new Checks();
        var contact = ContactRules.Check(checks, command.Phone, command.Email, command.Street, command.PostalCode, command.City);
        var consent = ContactRules.Check(checks, command.ConsentGivenOn, command.ConsentScopes, command.ConsentFormVersion, today, required: false, prefix: "Consent");
        errors.AddRange(checks.Errors);
        var (managerId, managerError) = ResolveManager(command.ManagerId, IsImportByAdministrator(user, command), user, activeManagers);
        if (managerError is not null)
        {
            errors.Add(managerError);
        }

        var person = errors.Count > 0 ? null : new PersonalData(
            command.FirstName!.Trim(), command.LastName!.Trim(), command.BirthDate!.Value, command.Gender!.Value,
            CountryNames.Code(command.Nationality),
            (command.Languages ?? []).Select(LanguageNames.Code).OfType<string>().Distinct().ToList(),
            LanguageNames.Code(command.InterpreterLanguage),
            command.ArrivedOn);
        return new Checked(errors, command, person, managerId, contact, consent);
    }

    /// <summary>
    /// Queues what goes with the case's first events, in their transaction: the previous system's reference of an import
    /// (<c>cases.import_references</c>: one case per reference and organisation, also when two imports run at once) and the
    /// person's key (<c>cases.intake_keys</c>, partial unique index: of parallel unconfirmed intakes of the same person only
    /// one commits). Returns the key.
    /// </summary>
    public static byte[] Queue(IDocumentSession session, Guid organisationId, Guid caseId, OpenCase command, PersonalData person, object[] events)
    {
        if (command.Import is { } import)
        {
            session.QueueSqlCommand(
                "insert into cases.import_references (organisation_id, reference, case_id, import_id, row_number) values (?, ?, ?, ?, ?)",
                organisationId, import.Reference, caseId, import.ImportId, import.Row);
        }

        var personKey = IntakeKey.For(organisationId, person);
        session.QueueSqlCommand(
            "insert into cases.intake_keys (case_id, organisation_id, person_key, confirmed_duplicate) values (?, ?, ?, ?)",
            caseId, organisationId, personKey, command.ConfirmPossibleDuplicate);
        return personKey;
    }

    public static EligibilityVerdict Verdict(object[] events) => events.OfType<EligibilityEvaluated>().Single().Verdict;

    public static Outcome<OpenedCase> PossibleDuplicate(Guid caseId, string caseNumber) =>
        Outcome<OpenedCase>.Refused(RefusalCode.PossibleDuplicate,
            $"Möglicherweise gibt es diese Person schon (Fall {caseNumber}: gleicher Name und Geburtsdatum). Bitte prüfen und das Anlegen ausdrücklich bestätigen.",
            caseId == Guid.Empty ? null : caseId);

    /// <summary>An organisation's administrator imports cases for every team (never opens one by hand).</summary>
    private static bool IsImportByAdministrator(ICurrentUser user, OpenCase command) => command.Import is not null && user.IsInRole(Roles.Administrator);

    /// <summary>Managers open their own cases; a team lead assigns a manager of the own team; an importing administrator any active manager.</summary>
    private static (Guid ManagerId, InputError? Error) ResolveManager(Guid? requested, bool anyTeam, ICurrentUser user, IReadOnlyDictionary<Guid, Guid?> activeManagers)
    {
        if (anyTeam && requested is { } anyManager)
        {
            return activeManagers.ContainsKey(anyManager)
                ? (anyManager, null)
                : (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Fälle können nur einer aktiven Integrationsmanagerin oder einem aktiven Integrationsmanager der Organisation zugewiesen werden."));
        }

        if (user.IsInRole(Roles.Manager) && (requested is null || requested == user.UserId))
        {
            return (user.UserId, null);
        }

        if (requested is null)
        {
            return (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Bitte die zuständige Integrationsmanagerin oder den zuständigen Integrationsmanager wählen."));
        }

        var isTeamManager = user.IsInRole(Roles.TeamLead) && user.TeamId is { } team
            && activeManagers.TryGetValue(requested.Value, out var managerTeam) && managerTeam == team;
        return isTeamManager
            ? (requested.Value, null)
            : (Guid.Empty, new InputError(nameof(OpenCase.ManagerId), "Fälle können nur einer aktiven Integrationsmanagerin oder einem aktiven Integrationsmanager des eigenen Teams zugewiesen werden."));
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
