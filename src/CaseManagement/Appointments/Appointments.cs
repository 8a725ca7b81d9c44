using System.Collections.Immutable;

namespace CaseManagement.Appointments;

/// <summary>Where an appointment takes place.</summary>
public enum AppointmentPlace
{
    /// <summary>Büro.</summary>
    Office,

    /// <summary>Hausbesuch (aufsuchend, e.g. in the Anschlussunterbringung).</summary>
    HomeVisit,

    /// <summary>Telefon.</summary>
    Phone,

    /// <summary>Video.</summary>
    Video,

    /// <summary>Anderer Dienst (e.g. accompanying the client to the Jobcenter).</summary>
    OtherService,
}

/// <summary>What became of an appointment.</summary>
public enum AppointmentStatus
{
    Scheduled,
    TookPlace,
    Missed,
    Cancelled,
}

/// <summary>What the manager records after the appointment's start.</summary>
public enum AppointmentOutcome
{
    /// <summary>Wahrgenommen: it counts as a consultation (Beratungskontakt).</summary>
    TookPlace,

    /// <summary>Versäumt: the client did not come; it does not count as a contact.</summary>
    Missed,
}

/// <summary>A Termin with the client: local start (Europe/Berlin), duration, place, whether an interpreter is needed, a short note.</summary>
public sealed record AppointmentScheduled(
    Guid CaseId, Guid AppointmentId, LocalDateTime Start, int DurationMinutes, AppointmentPlace Place, bool InterpreterNeeded, string? Note,
    Guid ScheduledBy, Instant ScheduledAt) : ICaseEvent
{
    /// <summary>The case's number (it never changes): what the calendar feed names instead of the client.</summary>
    public string CaseNumber { get; init; } = "";

    Guid ICaseEvent.Actor => ScheduledBy;

    Instant ICaseEvent.At => ScheduledAt;
}

/// <summary>The appointment moved (time, duration, place, interpreter or note).</summary>
public sealed record AppointmentChanged(
    Guid CaseId, Guid AppointmentId, LocalDateTime Start, int DurationMinutes, AppointmentPlace Place, bool InterpreterNeeded, string? Note,
    Guid ChangedBy, Instant ChangedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ChangedBy;

    Instant ICaseEvent.At => ChangedAt;
}

public sealed record AppointmentCancelled(Guid CaseId, Guid AppointmentId, Guid CancelledBy, Instant CancelledAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => CancelledBy;

    Instant ICaseEvent.At => CancelledAt;
}

/// <summary>The client did not come. Not a contact: the funding report does not count it.</summary>
public sealed record AppointmentMissed(Guid CaseId, Guid AppointmentId, Guid RecordedBy, Instant RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RecordedBy;

    Instant ICaseEvent.At => RecordedAt;
}

/// <summary>The appointment took place; it is recorded as the consultation <see cref="ConsultationId"/> in the same step.</summary>
public sealed record AppointmentTookPlace(Guid CaseId, Guid AppointmentId, Guid ConsultationId, Guid RecordedBy, Instant RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RecordedBy;

    Instant ICaseEvent.At => RecordedAt;
}

/// <summary>What the write model keeps of an appointment: enough to decide changes and to record it as a consultation.</summary>
public sealed record AppointmentSlot(LocalDateTime Start, int DurationMinutes, AppointmentPlace Place, AppointmentStatus Status);

/// <summary>The documented ranges of an appointment (docs/input-limits.md) and the pure decisions.</summary>
public static class AppointmentRules
{
    public const int MinDurationMinutes = 5;
    public const int MaxDurationMinutes = 480;
    public const int MaxNoteLength = 1000;

    /// <summary>How far back an appointment may be entered (recorded afterwards).</summary>
    public static readonly Period Back = Period.FromYears(1);

    /// <summary>How far ahead an appointment may be planned.</summary>
    public static readonly Period Ahead = Period.FromYears(2);

    public static string PlaceLabel(AppointmentPlace place) => Labels.Of(place);

    public static string StatusLabel(AppointmentStatus status) => Labels.Of(status);

    /// <summary>The input checks of a new or changed appointment (German, per field).</summary>
    public static IReadOnlyList<InputError> Check(LocalDateTime? start, int? durationMinutes, AppointmentPlace? place, string? note, LocalDate today)
    {
        var checks = new Checks();
        var earliest = today.PlusClamped(-Back);
        var latest = today.PlusClamped(Ahead);
        if (start is not { } s)
        {
            checks.Add(nameof(ScheduleAppointment.Start), "Bitte Datum und Uhrzeit des Termins angeben (TT.MM.JJJJ und SS:MM).");
        }
        else if (s.Date < earliest || s.Date > latest)
        {
            checks.Add(nameof(ScheduleAppointment.Start), $"Der Termin muss zwischen {Time.Format(earliest)} und {Time.Format(latest)} liegen.");
        }

        if (durationMinutes is not { } minutes || minutes < MinDurationMinutes || minutes > MaxDurationMinutes)
        {
            checks.Add(nameof(ScheduleAppointment.DurationMinutes), $"Bitte die Dauer in Minuten angeben ({MinDurationMinutes} bis {MaxDurationMinutes}).");
        }

        checks.Defined(place, nameof(ScheduleAppointment.Place), "Bitte den Ort des Termins wählen.");
        if (note is { } n && n.Trim().Length > MaxNoteLength)
        {
            checks.Add(nameof(ScheduleAppointment.Note), Messages.Lifecycle.NoteTooLong(MaxNoteLength));
        }

        return checks.Errors;
    }

    /// <summary>The appointment of the case, or "not found" (an id of another case tells nothing).</summary>
    public static AppointmentSlot Require(ClientCase state, Guid appointmentId)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Appointments.TryGetValue(appointmentId, out var slot) ? slot : throw new NotFoundException("Appointment");
    }

    /// <summary>Only a planned appointment can be changed, cancelled, or marked.</summary>
    public static AppointmentSlot RequireScheduled(ClientCase state, Guid appointmentId)
    {
        var slot = Require(state, appointmentId);
        return slot.Status == AppointmentStatus.Scheduled
            ? slot
            : throw CaseRuleException.Transition($"Der Termin ist bereits als „{StatusLabel(slot.Status)}“ vermerkt.");
    }

    /// <summary>
    /// Took place or missed, after the appointment's start. Took place also records the consultation (the contact the
    /// funding report counts): day and duration of the appointment, its place as the mode.
    /// </summary>
    public static object[] Outcome(ClientCase state, Guid appointmentId, AppointmentOutcome outcome, LocalDateTime now, Guid by, Instant at)
    {
        var slot = RequireScheduled(state, appointmentId);
        if (slot.Start > now)
        {
            throw CaseRuleException.Transition("Ein Termin kann erst nach seinem Beginn als wahrgenommen oder versäumt vermerkt werden.");
        }

        if (outcome == AppointmentOutcome.Missed)
        {
            return [new AppointmentMissed(state.Id, appointmentId, by, at)];
        }

        var consultationId = Guid.CreateVersion7();
        return
        [
            new AppointmentTookPlace(state.Id, appointmentId, consultationId, by, at),
            new ConsultationRecorded(state.Id, consultationId, slot.Start.Date, slot.DurationMinutes, ModeOf(slot.Place), [], null, null, by, at),
        ];
    }

    /// <summary>The consultation mode of a place; accompanying the client to another service is outreach ("aufsuchend").</summary>
    public static ConsultationMode ModeOf(AppointmentPlace place) => place switch
    {
        AppointmentPlace.Office => ConsultationMode.Office,
        AppointmentPlace.Phone => ConsultationMode.Phone,
        AppointmentPlace.Video => ConsultationMode.Video,
        _ => ConsultationMode.HomeVisit,
    };

    internal static ImmutableDictionary<Guid, AppointmentSlot> With(ImmutableDictionary<Guid, AppointmentSlot> slots, Guid id, Func<AppointmentSlot, AppointmentSlot> change) =>
        slots.TryGetValue(id, out var slot) ? slots.SetItem(id, change(slot)) : slots;
}

/// <summary>Plans an appointment with the client (the caller chooses its id, so that a retry does not plan it twice).</summary>
public sealed record ScheduleAppointment(
    Guid CaseId, long? ExpectedVersion, Guid AppointmentId, LocalDateTime? Start, int? DurationMinutes, AppointmentPlace? Place, bool InterpreterNeeded, string? Note)
    : ICommand<Outcome<CaseChanged>>;

public sealed class ScheduleAppointmentHandler(CaseGate gate, ICurrentUser user, IClock clock) : ICommandHandler<ScheduleAppointment, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ScheduleAppointment command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = AppointmentRules.Check(command.Start, command.DurationMinutes, command.Place, command.Note, clock.Today());
        return await gate.Change(errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
        {
            ClientCaseDecisions.RequireNotClosed(state);
            if (state.Appointments.ContainsKey(command.AppointmentId))
            {
                throw CaseRuleException.Transition("Diesen Termin gibt es schon.");
            }

            return
            [
                new AppointmentScheduled(state.Id, command.AppointmentId, command.Start!.Value, command.DurationMinutes!.Value, command.Place!.Value,
                    command.InterpreterNeeded, Checks.Trimmed(command.Note), user.UserId, clock.GetCurrentInstant()) { CaseNumber = state.CaseNumber },
            ];
        }, cancellationToken);
    }
}

/// <summary>Moves a planned appointment (all its fields are given again).</summary>
public sealed record ChangeAppointment(
    Guid CaseId, long? ExpectedVersion, Guid AppointmentId, LocalDateTime? Start, int? DurationMinutes, AppointmentPlace? Place, bool InterpreterNeeded, string? Note)
    : ICommand<Outcome<CaseChanged>>;

public sealed class ChangeAppointmentHandler(CaseGate gate, ICurrentUser user, IClock clock) : ICommandHandler<ChangeAppointment, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ChangeAppointment command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var errors = AppointmentRules.Check(command.Start, command.DurationMinutes, command.Place, command.Note, clock.Today());
        return await gate.Change(errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
        {
            ClientCaseDecisions.RequireNotClosed(state);
            AppointmentRules.RequireScheduled(state, command.AppointmentId);
            return
            [
                new AppointmentChanged(state.Id, command.AppointmentId, command.Start!.Value, command.DurationMinutes!.Value, command.Place!.Value,
                    command.InterpreterNeeded, Checks.Trimmed(command.Note), user.UserId, clock.GetCurrentInstant()),
            ];
        }, cancellationToken);
    }
}

/// <summary>Cancels a planned appointment (Termin abgesagt).</summary>
public sealed record CancelAppointment(Guid CaseId, long? ExpectedVersion, Guid AppointmentId) : ICommand<Outcome<CaseChanged>>;

public sealed class CancelAppointmentHandler(CaseGate gate, ICurrentUser user, IClock clock) : ICommandHandler<CancelAppointment, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(CancelAppointment command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
        {
            AppointmentRules.RequireScheduled(state, command.AppointmentId);
            return [new AppointmentCancelled(state.Id, command.AppointmentId, user.UserId, clock.GetCurrentInstant())];
        }, cancellationToken);
    }
}

/// <summary>Records whether a past appointment took place or was missed.</summary>
public sealed record RecordAppointmentOutcome(Guid CaseId, long? ExpectedVersion, Guid AppointmentId, AppointmentOutcome? Outcome) : ICommand<Outcome<CaseChanged>>;

public sealed class RecordAppointmentOutcomeHandler(CaseGate gate, ICurrentUser user, IClock clock) : ICommandHandler<RecordAppointmentOutcome, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(RecordAppointmentOutcome command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Defined(command.Outcome, nameof(RecordAppointmentOutcome.Outcome), "Bitte angeben, ob der Termin wahrgenommen oder versäumt wurde.");
        var now = clock.GetCurrentInstant();
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
        {
            ClientCaseDecisions.RequireNotClosed(state);
            return AppointmentRules.Outcome(state, command.AppointmentId, command.Outcome!.Value, now.InZone(Time.Berlin).LocalDateTime, user.UserId, now);
        }, cancellationToken);
    }
}
