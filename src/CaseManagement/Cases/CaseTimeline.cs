using Marten;

namespace CaseManagement.Cases;

/// <summary>One line of a case's history: version, moment, author and what happened (German).</summary>
public sealed record TimelineEntry(long Version, Instant At, Guid AuthorId, string Author, string Description);

/// <summary>Every event of the case with its author, newest first (event sourcing keeps them all).</summary>
/// <remarks>
/// Written to the access log as <see cref="What"/>; null when the history is part of a read that is logged
/// already (the case page shows it below the case file: one read, one entry).
/// </remarks>
public sealed record GetCaseTimeline(Guid CaseId, string? What = "Verlauf") : IQuery<IReadOnlyList<TimelineEntry>>;

public sealed class GetCaseTimelineHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser, DataProtection.CaseAccessLog accessLog)
    : IQueryHandler<GetCaseTimeline, IReadOnlyList<TimelineEntry>>
{
    public async ValueTask<IReadOnlyList<TimelineEntry>> Handle(GetCaseTimeline query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        if (query.What is { } what)
        {
            await accessLog.RecordAsync(query.CaseId, what, cancellationToken);
        }

        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        var caseEvents = events.Where(e => e.Data is ICaseEvent).ToList();
        var people = caseEvents.Select(e => ((ICaseEvent)e.Data).Actor)
            .Concat(caseEvents.Select(e => e.Data).OfType<CaseReassigned>().SelectMany(r => new[] { r.FromManagerId, r.ToManagerId }));
        var names = await UserNames.Of(db, currentUser.OrganisationId, people, cancellationToken);
        string Name(Guid id) => names.TryGetValue(id, out var name) ? name : "unbekannt";
        return caseEvents
            .Select(e =>
            {
                var data = (ICaseEvent)e.Data;
                var description = e.Data is CaseReassigned moved
                    ? $"Fall umverteilt von {Name(moved.FromManagerId)} an {Name(moved.ToManagerId)}" + (moved.Note is null ? "" : $": {moved.Note}")
                    : CaseHistory.Describe(e.Data);
                return new TimelineEntry(e.Version, data.At, data.Actor, Name(data.Actor), description);
            })
            .OrderByDescending(t => t.Version)
            .ToList();
    }
}
