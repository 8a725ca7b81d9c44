using Marten;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;
using NodaTime.Text;

namespace CaseManagement.DataProtection;

/// <summary>
/// A search for a data subject by the DPO (table <c>identity.subject_searches</c>): who, when, the stated
/// purpose, how many and which cases (ids) were found. The search words are not kept — they would be personal
/// data that outlives an erasure; an erasure removes the case's id and the purpose from every search that found it.
/// </summary>
public sealed class SubjectSearchEntry
{
    public long Id { get; init; }

    public Guid OrganisationId { get; init; }

    public Guid UserId { get; init; }

    public DateTimeOffset At { get; init; }

    public string? Purpose { get; init; }

    public int Results { get; init; }

    /// <summary>The ids of the cases found (removed by an erasure, with the purpose).</summary>
    public Guid[] FoundCases { get; init; } = [];
}

/// <summary>A case found for the subject search.</summary>
public sealed record SubjectMatch(Guid CaseId, string CaseNumber, string FirstName, string LastName, LocalDate BirthDate, CaseStatus Status, bool Restricted);

/// <summary>The DPO searches the organisation's cases by name, birth date (TT.MM.JJJJ) or case number; every search is logged with its purpose.</summary>
public sealed record FindSubjects(string? Query, string? Purpose) : IQuery<Outcome<SubjectSearchResult>>;

/// <summary>Live cases found, and erasures whose case number was searched (proof that the case is gone).</summary>
public sealed record SubjectSearchResult(IReadOnlyList<SubjectMatch> Cases, IReadOnlyList<ErasureView> Erased);

public sealed class FindSubjectsHandler(IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock, IMediator mediator)
    : IQueryHandler<FindSubjects, Outcome<SubjectSearchResult>>
{
    public const int MaxPurposeLength = 200;
    public const int MaxQueryLength = 200;
    public const int MaxResults = 100;

    private static readonly LocalDatePattern GermanDate = LocalDatePattern.CreateWithInvariantCulture("dd.MM.uuuu");

    public async ValueTask<Outcome<SubjectSearchResult>> Handle(FindSubjects query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var checks = new Checks();
        var words = (query.Query ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0 || words.All(w => w.Length < 2))
        {
            checks.Add("Query", "Bitte Name, Geburtsdatum (TT.MM.JJJJ) oder Fallnummer eingeben (mindestens 2 Zeichen).");
        }
        else
        {
            checks.Text(query.Query, MaxQueryLength, "Query", "den Suchbegriff");
        }

        checks.Text(query.Purpose, MaxPurposeLength, "Purpose", "den Zweck der Suche");
        if (checks.Failed)
        {
            return Outcome<SubjectSearchResult>.Failure(checks.Errors);
        }

        var dates = words.Select(w => (Word: w, Date: GermanDate.Parse(w) is { Success: true } a ? a.Value : LocalDatePattern.Iso.Parse(w) is { Success: true } b ? b.Value : (LocalDate?)null)).ToList();
        var texts = dates.Where(d => d.Date is null).Select(d => d.Word).ToArray();
        var birthDates = dates.Where(d => d.Date is not null).Select(d => d.Date!.Value).ToHashSet();

        // Names and case numbers are filtered in the database (the first word), the rest in memory (NodaTime dates).
        var cases = session.Query<CaseSummary>();
        IReadOnlyList<CaseSummary> candidates = texts.Length > 0
            ? await cases.Where(c => c.LastName.Contains(texts[0], StringComparison.OrdinalIgnoreCase)
                                     || c.FirstName.Contains(texts[0], StringComparison.OrdinalIgnoreCase)
                                     || c.CaseNumber.Contains(texts[0], StringComparison.OrdinalIgnoreCase)).ToListAsync(cancellationToken)
            : await cases.ToListAsync(cancellationToken);
        var found = candidates
            .Where(c => texts.All(c.MatchesSearch)
                        && (birthDates.Count == 0 || birthDates.Contains(c.BirthDate)))
            .OrderBy(c => c.LastName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.FirstName, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.CaseNumber, StringComparer.Ordinal)
            .Take(MaxResults)
            .Select(c => new SubjectMatch(c.Id, c.CaseNumber, c.FirstName, c.LastName, c.BirthDate, c.Status, c.Restriction is not null))
            .ToList();

        var erased = (await mediator.Send(new ListErasures(), cancellationToken))
            .Where(e => e.Status == ErasureStatus.Completed && texts.Any(t => string.Equals(t, e.CaseNumber, StringComparison.OrdinalIgnoreCase)))
            .ToList();

        db.SubjectSearches.Add(new SubjectSearchEntry
        {
            OrganisationId = organisationId,
            UserId = user.UserId,
            At = clock.GetCurrentInstant().ToDateTimeOffset(),
            Purpose = Checks.Trimmed(query.Purpose),
            Results = found.Count,
            FoundCases = [.. found.Select(f => f.CaseId)],
        });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<SubjectSearchResult>.Success(new SubjectSearchResult(found, erased));
    }
}

/// <summary>What the subject page shows of one case (no goal texts or notes: those are in the export).</summary>
public sealed record SubjectOverview(
    CaseSummary Case,
    string ManagerName,
    int Events,
    int Reminders,
    int AccessLogEntries,
    IReadOnlyList<SubjectMatch> OtherCasesOfThePerson,
    IReadOnlyList<ErasureView> Erasures)
{
    public string? ReadOnlyReason => Cases.ProcessingRules.ReadOnlyReason(Case);

    public ErasureView? PendingErasure => Erasures.FirstOrDefault(e => e.Status == ErasureStatus.Requested);
}

/// <summary>The DPO opens the subject page of a case (logged in the access log with the purpose).</summary>
public sealed record GetSubject(Guid CaseId, string? Purpose = null) : IQuery<SubjectOverview>;

public sealed class GetSubjectHandler(IQuerySession session, AppDbContext db, ICurrentUser user, CaseAccessLog accessLog, IMediator mediator)
    : IQueryHandler<GetSubject, SubjectOverview>
{
    public async ValueTask<SubjectOverview> Handle(GetSubject query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var c = await session.LoadAsync<CaseSummary>(query.CaseId, cancellationToken) ?? throw new NotFoundException("Case");
        await accessLog.RecordAsync(c.Id, "Betroffenenseite", query.Purpose, cancellationToken);

        var sameName = await session.Query<CaseSummary>()
            .Where(o => o.Id != c.Id && o.LastName == c.LastName && o.FirstName == c.FirstName).ToListAsync(cancellationToken);
        var others = sameName.Where(o => o.BirthDate == c.BirthDate)
            .Select(o => new SubjectMatch(o.Id, o.CaseNumber, o.FirstName, o.LastName, o.BirthDate, o.Status, o.Restriction is not null)).ToList();
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId == c.Id).CountAsync(cancellationToken);
        var reminders = await Ef.CountAsync(db.Reminders, r => r.OrganisationId == organisationId && r.CaseId == c.Id, cancellationToken);
        var reads = await Ef.CountAsync(db.CaseAccessLog, e => e.OrganisationId == organisationId && e.CaseId == c.Id, cancellationToken);
        var manager = (await UserNames.Of(db, organisationId, [c.ManagerId], cancellationToken)).GetValueOrDefault(c.ManagerId, "–");
        return new SubjectOverview(c, manager, events, reminders, reads, others, await mediator.Send(new ListErasures(c.Id), cancellationToken));
    }
}
