using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;

namespace CaseManagement.Appointments;

/// <summary>An appointment as the case page, "Meine Termine", the reminders and the calendar feed show it.</summary>
public sealed record AppointmentView(
    Guid Id, LocalDateTime Start, int DurationMinutes, AppointmentPlace Place, bool InterpreterNeeded, string? Note, AppointmentStatus Status)
{
    public LocalDateTime End => Start.PlusMinutes(DurationMinutes);
}

/// <summary>
/// The appointments of one case (read model, one document per case that ever had one): the case number for the
/// calendar feed and the list of its appointments. Written inline with the events; gone with an erasure.
/// </summary>
public sealed record CaseAppointments
{
    public Guid Id { get; init; }

    public string CaseNumber { get; init; } = "";

    public IReadOnlyList<AppointmentView> Appointments { get; init; } = [];

    /// <summary>The planned appointments still ahead (start at or after <paramref name="now"/>), earliest first.</summary>
    public IEnumerable<AppointmentView> Upcoming(LocalDateTime now) =>
        Appointments.Where(a => a.Status == AppointmentStatus.Scheduled && a.Start >= now).OrderBy(a => a.Start);

    public long Version { get; set; }
}

public sealed class CaseAppointmentsProjection : SingleStreamProjection<CaseAppointments, Guid>
{
    public static CaseAppointments Create(IEvent<AppointmentScheduled> e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new CaseAppointments { Id = e.Data.CaseId, CaseNumber = e.Data.CaseNumber, Appointments = [View(e.Data)] };
    }

    public static CaseAppointments Apply(AppointmentScheduled e, CaseAppointments current) => current with { Appointments = [.. current.Appointments, View(e)] };

    public static CaseAppointments Apply(AppointmentChanged e, CaseAppointments current) =>
        Change(current, e.AppointmentId, a => a with { Start = e.Start, DurationMinutes = e.DurationMinutes, Place = e.Place, InterpreterNeeded = e.InterpreterNeeded, Note = e.Note });

    public static CaseAppointments Apply(AppointmentCancelled e, CaseAppointments current) => Change(current, e.AppointmentId, a => a with { Status = AppointmentStatus.Cancelled });

    public static CaseAppointments Apply(AppointmentMissed e, CaseAppointments current) => Change(current, e.AppointmentId, a => a with { Status = AppointmentStatus.Missed });

    public static CaseAppointments Apply(AppointmentTookPlace e, CaseAppointments current) => Change(current, e.AppointmentId, a => a with { Status = AppointmentStatus.TookPlace });

    /// <summary>An erased case keeps no appointments (their notes are personal data).</summary>
    public static bool ShouldDelete(DataProtection.CaseErased e) => true;

    private static AppointmentView View(AppointmentScheduled e) =>
        new(e.AppointmentId, e.Start, e.DurationMinutes, e.Place, e.InterpreterNeeded, e.Note, AppointmentStatus.Scheduled);

    private static CaseAppointments Change(CaseAppointments current, Guid id, Func<AppointmentView, AppointmentView> change) =>
        current with { Appointments = current.Appointments.Select(a => a.Id == id ? change(a) : a).ToList() };
}

/// <summary>An appointment of one of the manager's cases, with the case it belongs to.</summary>
public sealed record ManagerAppointment(Guid CaseId, string CaseNumber, string ClientName, AppointmentView Appointment);

/// <summary>Reads of the appointments: per case, and of a manager's cases (their ids from the list rows, <see cref="Caseloads.CaseFiguresReadModel"/>).</summary>
public static class AppointmentReads
{
    /// <summary>The documents of the cases the manager is responsible for (ids from the list rows, indexed by manager; no case is loaded).</summary>
    public static async Task<IReadOnlyList<CaseAppointments>> OfManagerAsync(IQuerySession session, Guid managerId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var caseIds = await session.AdvancedSql.QueryAsync<Guid>(Caseloads.CaseFiguresReadModel.CaseIdsOfManagers("?", "?"), ct, session.TenantId, new[] { managerId });
        return caseIds.Count == 0 ? [] : await session.LoadManyAsync<CaseAppointments>(ct, caseIds);
    }

    /// <summary>The appointments of the manager's cases in [from, to] (days, inclusive), not cancelled, earliest first.</summary>
    public static async Task<IReadOnlyList<ManagerAppointment>> BetweenAsync(IQuerySession session, Guid managerId, LocalDate from, LocalDate to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        var docs = await OfManagerAsync(session, managerId, ct);
        var found = docs.SelectMany(d => d.Appointments.Where(a => a.Status != AppointmentStatus.Cancelled && a.Start.Date >= from && a.Start.Date <= to)
            .Select(a => (Doc: d, Appointment: a))).ToList();
        var names = found.Count == 0
            ? new Dictionary<Guid, string>()
            : (await session.Query<CaseSummary>().Where(c => c.Id.IsOneOf(found.Select(f => f.Doc.Id).Distinct().ToArray()))
                .Select(c => new { c.Id, c.FirstName, c.LastName }).ToListAsync(ct)).ToDictionary(c => c.Id, c => $"{c.FirstName} {c.LastName}");
        return found.OrderBy(f => f.Appointment.Start)
            .Select(f => new ManagerAppointment(f.Doc.Id, f.Doc.CaseNumber, names.GetValueOrDefault(f.Doc.Id, ""), f.Appointment)).ToList();
    }
}

/// <summary>The appointments of a case the user may read (the case page).</summary>
public sealed record GetCaseAppointments(Guid CaseId) : IQuery<IReadOnlyList<AppointmentView>>;

public sealed class GetCaseAppointmentsHandler(IQuerySession session, AppDbContext db, ICurrentUser currentUser)
    : IQueryHandler<GetCaseAppointments, IReadOnlyList<AppointmentView>>
{
    public async ValueTask<IReadOnlyList<AppointmentView>> Handle(GetCaseAppointments query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await CaseAccess.Load(session, db, currentUser, query.CaseId, cancellationToken);
        var doc = await session.LoadAsync<CaseAppointments>(query.CaseId, cancellationToken);
        return doc?.Appointments.OrderBy(a => a.Start).ToList() ?? [];
    }
}

/// <summary>"Meine Termine": the signed-in manager's appointments between two days (inclusive), at most a year.</summary>
public sealed record ListMyAppointments(LocalDate? From, LocalDate? To) : IQuery<Outcome<IReadOnlyList<ManagerAppointment>>>;

public sealed class ListMyAppointmentsHandler(IQuerySession session, ICurrentUser currentUser)
    : IQueryHandler<ListMyAppointments, Outcome<IReadOnlyList<ManagerAppointment>>>
{
    /// <summary>The longest span one request may ask for (docs/input-limits.md).</summary>
    public const int MaxDays = 366;

    public async ValueTask<Outcome<IReadOnlyList<ManagerAppointment>>> Handle(ListMyAppointments query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CaseAccess.RequireCaseWorker(currentUser);
        if (query.From is not { } from || query.To is not { } to)
        {
            return Outcome<IReadOnlyList<ManagerAppointment>>.Fail(query.From is null ? "From" : "To", "Bitte den Zeitraum mit Anfang und Ende angeben (JJJJ-MM-TT).");
        }

        if (to < from || Period.Between(from, to, PeriodUnits.Days).Days >= MaxDays)
        {
            return Outcome<IReadOnlyList<ManagerAppointment>>.Fail("To", $"Das Ende des Zeitraums muss nach dem Anfang und höchstens {MaxDays} Tage danach liegen.");
        }

        return Outcome<IReadOnlyList<ManagerAppointment>>.Success(await AppointmentReads.BetweenAsync(session, currentUser.UserId, from, to, cancellationToken));
    }
}

/// <summary>The next planned appointment of each of the signed-in manager's cases ("Meine Fälle").</summary>
public sealed record GetMyNextAppointments : IQuery<IReadOnlyDictionary<Guid, AppointmentView>>;

public sealed class GetMyNextAppointmentsHandler(IQuerySession session, ICurrentUser currentUser, IClock clock)
    : IQueryHandler<GetMyNextAppointments, IReadOnlyDictionary<Guid, AppointmentView>>
{
    public async ValueTask<IReadOnlyDictionary<Guid, AppointmentView>> Handle(GetMyNextAppointments query, CancellationToken cancellationToken)
    {
        CaseAccess.RequireCaseWorker(currentUser);
        var now = clock.GetCurrentInstant().InZone(Time.Berlin).LocalDateTime;
        var docs = await AppointmentReads.OfManagerAsync(session, currentUser.UserId, cancellationToken);
        return docs.Select(d => (d.Id, Next: d.Upcoming(now).FirstOrDefault())).Where(d => d.Next is not null).ToDictionary(d => d.Id, d => d.Next!);
    }
}
