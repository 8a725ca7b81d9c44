using Marten;

namespace CaseManagement.Consultations;

/// <summary>How a consultation took place.</summary>
public enum ConsultationMode
{
    /// <summary>Im Büro.</summary>
    Office,

    /// <summary>Hausbesuch / aufsuchend.</summary>
    HomeVisit,

    /// <summary>Telefon.</summary>
    Phone,

    /// <summary>Video.</summary>
    Video,
}

/// <summary>Beratungskontakt: date, duration, mode, fields discussed, interpreter language, short note.</summary>
public sealed record ConsultationRecorded(
    Guid CaseId, Guid ConsultationId, LocalDate Date, int DurationMinutes, ConsultationMode Mode, IReadOnlyList<FieldOfAction> Fields,
    string? InterpreterLanguage, string? Note, Guid RecordedBy, Instant RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RecordedBy;

    Instant ICaseEvent.At => RecordedAt;
}

public sealed record RecordConsultation(
    Guid CaseId, long ExpectedVersion, LocalDate? Date, int? DurationMinutes, ConsultationMode? Mode, IReadOnlyList<FieldOfAction>? Fields,
    string? InterpreterLanguage, string? Note) : ICommand<Outcome<CaseChanged>>;

public sealed class RecordConsultationHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<RecordConsultation, Outcome<CaseChanged>>
{
    public const int MaxNoteLength = 2000;

    public static string ModeLabel(ConsultationMode mode) => Labels.Of(mode);

    public async ValueTask<Outcome<CaseChanged>> Handle(RecordConsultation command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var errors = new List<InputError>();
        if (command.Date is not { } date)
        {
            errors.Add(new InputError(nameof(RecordConsultation.Date), "Bitte das Datum des Kontakts angeben."));
        }
        else if (date > today)
        {
            errors.Add(new InputError(nameof(RecordConsultation.Date), "Das Datum des Kontakts darf nicht in der Zukunft liegen."));
        }
        else if (date < OpenCaseHandler.ProgrammeStart)
        {
            errors.Add(new InputError(nameof(RecordConsultation.Date), $"Das Datum des Kontakts muss zwischen {Time.Format(OpenCaseHandler.ProgrammeStart)} und heute liegen."));
        }

        if (command.DurationMinutes is not { } minutes || minutes < 5 || minutes > 600)
        {
            errors.Add(new InputError(nameof(RecordConsultation.DurationMinutes), "Bitte die Dauer in Minuten angeben (5 bis 600)."));
        }

        if (command.Mode is not { } mode || !Enum.IsDefined(mode))
        {
            errors.Add(new InputError(nameof(RecordConsultation.Mode), "Bitte die Art des Kontakts wählen."));
        }

        if (command.Fields?.Any(f => !Enum.IsDefined(f)) == true)
        {
            errors.Add(new InputError(nameof(RecordConsultation.Fields), "Bitte nur Handlungsfelder aus der Liste wählen."));
        }
        else if (command.Fields?.Count > Enum.GetValues<FieldOfAction>().Length)
        {
            errors.Add(new InputError(nameof(RecordConsultation.Fields), $"Bitte höchstens {Enum.GetValues<FieldOfAction>().Length} Handlungsfelder angeben (jedes einmal)."));
        }

        if (!string.IsNullOrWhiteSpace(command.InterpreterLanguage)
            && LanguageNames.Code(command.InterpreterLanguage) is null)
        {
            errors.Add(new InputError(nameof(RecordConsultation.InterpreterLanguage), Messages.Situation.InterpreterLanguageCode));
        }

        if (command.Note is { Length: > MaxNoteLength })
        {
            errors.Add(new InputError(nameof(RecordConsultation.Note), Messages.Lifecycle.NoteTooLong(MaxNoteLength)));
        }

        if (errors.Count > 0)
        {
            return Outcome<CaseChanged>.Failure(errors);
        }

        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
            {
                ClientCaseDecisions.RequireNotClosed(state);

                return
                [
                    new ConsultationRecorded(state.Id, Guid.CreateVersion7(), command.Date!.Value, command.DurationMinutes!.Value, command.Mode!.Value,
                        (command.Fields ?? []).Distinct().ToList(),
                        LanguageNames.Code(command.InterpreterLanguage),
                        string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim(), user.UserId, clock.GetCurrentInstant()),
                ];
            },
            cancellationToken);
    }
}
