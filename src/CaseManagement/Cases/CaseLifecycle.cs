using Marten;

namespace CaseManagement.Cases;

/// <summary>Lifecycle and requests to the team lead; every command carries the version the user saw.</summary>
public sealed record PauseCase(Guid CaseId, long ExpectedVersion, string? Note) : ICommand<Outcome<CaseChanged>>;

public sealed record ResumeCase(Guid CaseId, long ExpectedVersion) : ICommand<Outcome<CaseChanged>>;

public sealed record CloseCase(Guid CaseId, long ExpectedVersion, ClosingReason? Reason, LocalDate? ClosedOn, string? Note) : ICommand<Outcome<CaseChanged>>
{
    /// <summary>Only check (the confirmation page): every check and the decision run, nothing is written.</summary>
    public bool CheckOnly { get; init; }
}

public sealed record ReopenCase(Guid CaseId, long ExpectedVersion, string? Note) : ICommand<Outcome<CaseChanged>>;

/// <summary>Eligibility by individual decision: the manager's written justification goes to the team lead.</summary>
public sealed record RequestIndividualDecision(Guid CaseId, long ExpectedVersion, string? Justification) : ICommand<Outcome<CaseChanged>>;

/// <summary>Extension of the support period to 4 years (VwV 2023): justification, approval by the team lead.</summary>
public sealed record RequestSupportExtension(Guid CaseId, long ExpectedVersion, string? Justification) : ICommand<Outcome<CaseChanged>>;

public sealed class CaseLifecycleHandlers(CaseGate gate, ICurrentUser user, IClock clock) :
    ICommandHandler<PauseCase, Outcome<CaseChanged>>,
    ICommandHandler<ResumeCase, Outcome<CaseChanged>>,
    ICommandHandler<CloseCase, Outcome<CaseChanged>>,
    ICommandHandler<ReopenCase, Outcome<CaseChanged>>,
    ICommandHandler<RequestIndividualDecision, Outcome<CaseChanged>>,
    ICommandHandler<RequestSupportExtension, Outcome<CaseChanged>>
{
    public const int MaxNoteLength = 2000;

    public async ValueTask<Outcome<CaseChanged>> Handle(PauseCase command, CancellationToken cancellationToken) =>
        TooLong(command?.Note) ?? await Write(command!.CaseId, command.ExpectedVersion, (s, now) => ClientCaseDecisions.Pause(s, command.Note, user.UserId, now), cancellationToken);

    public async ValueTask<Outcome<CaseChanged>> Handle(ResumeCase command, CancellationToken cancellationToken) =>
        await Write(command.CaseId, command.ExpectedVersion, (s, now) => ClientCaseDecisions.Resume(s, user.UserId, now), cancellationToken);

    public async ValueTask<Outcome<CaseChanged>> Handle(CloseCase command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Reason is not { } reason || !Enum.IsDefined(reason))
        {
            return Outcome<CaseChanged>.Fail(nameof(CloseCase.Reason), Messages.Lifecycle.CloseReasonRequired);
        }

        // Closing is the one step still possible after the client withdrew consent: the counselling ends.
        var today = clock.Today();
        var checks = new Checks();
        checks.Date(command.ClosedOn, DateRange.Recorded(today), nameof(CloseCase.ClosedOn), "der Tag des Abschlusses", required: false);
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        Func<ClientCase, object[]> decide = s => ClientCaseDecisions.Close(s, reason, command.Note, command.ClosedOn ?? today, today, user.UserId, clock.GetCurrentInstant());
        return TooLong(command.Note) ?? (command.CheckOnly
            ? await gate.Check(command.CaseId, command.ExpectedVersion, CaseChangeKind.Close, decide, cancellationToken)
            : await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Close, decide, cancellationToken));
    }

    public async ValueTask<Outcome<CaseChanged>> Handle(ReopenCase command, CancellationToken cancellationToken) =>
        TooLong(command?.Note) ?? await Write(command!.CaseId, command.ExpectedVersion, CaseChangeKind.Reopen,
            (s, now) => ClientCaseDecisions.Reopen(s, command.Note, clock.Today(), user.UserId, now), cancellationToken);

    public async ValueTask<Outcome<CaseChanged>> Handle(RequestIndividualDecision command, CancellationToken cancellationToken) =>
        TooLongJustification(command?.Justification) ?? await Write(command!.CaseId, command.ExpectedVersion,
            (s, now) => ClientCaseDecisions.RequestIndividualDecision(s, command!.Justification ?? "", user.UserId, now), cancellationToken);

    public async ValueTask<Outcome<CaseChanged>> Handle(RequestSupportExtension command, CancellationToken cancellationToken) =>
        TooLongJustification(command?.Justification) ?? await Write(command!.CaseId, command.ExpectedVersion,
            (s, now) => ClientCaseDecisions.RequestSupportExtension(s, command.Justification ?? "", user.UserId, now), cancellationToken);

    private async Task<Outcome<CaseChanged>> Write(Guid caseId, long expectedVersion, Func<ClientCase, Instant, object[]> decide, CancellationToken ct) =>
        await Write(caseId, expectedVersion, CaseChangeKind.Work, decide, ct);

    private async Task<Outcome<CaseChanged>> Write(Guid caseId, long expectedVersion, CaseChangeKind kind, Func<ClientCase, Instant, object[]> decide, CancellationToken ct) =>
        await gate.Change(caseId, expectedVersion, kind, state => decide(state, clock.GetCurrentInstant()), ct);

    /// <summary>Longest justification of a request to the team lead (the decision rule asks for at least 20 characters).</summary>
    public const int MaxJustificationLength = 4000;

    private static Outcome<CaseChanged>? TooLongJustification(string? justification) =>
        justification?.Trim().Length > MaxJustificationLength
            ? Outcome<CaseChanged>.Fail("Justification", Messages.Lifecycle.JustificationTooLong(MaxJustificationLength))
            : null;

    private static Outcome<CaseChanged>? TooLong(string? note) =>
        note is { Length: > MaxNoteLength } ? Outcome<CaseChanged>.Fail("Note", Messages.Lifecycle.NoteTooLong(MaxNoteLength)) : null;
}
