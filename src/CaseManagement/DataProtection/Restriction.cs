namespace CaseManagement.DataProtection;

/// <summary>Decisions of the data-protection capability over the case's write model (pure; German messages).</summary>
public static class ProcessingDecisions
{
    public const int MaxReasonLength = 2000;

    public static object[] WithdrawConsent(ClientCase state, LocalDate withdrawnOn, IReadOnlyList<ConsentScope> scopes, LocalDate today, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scopes);
        if (state.ConsentGivenOn is not { } givenOn || state.ConsentedScopes.Count == 0)
        {
            throw new CaseRuleException("Es ist keine Einwilligung erfasst, die widerrufen werden könnte.");
        }

        if (scopes.Count == 0)
        {
            throw new CaseRuleException(Messages.Consent.WithdrawalScopesRequired);
        }

        if (scopes.Any(s => !state.ConsentedScopes.Contains(s)))
        {
            throw new CaseRuleException("Widerrufen werden kann nur, wofür die Einwilligung gilt: "
                                        + string.Join(", ", state.ConsentedScopes.Order().Select(ContactRules.ScopeLabel)) + ".");
        }

        if (withdrawnOn > today || withdrawnOn < givenOn)
        {
            throw new CaseRuleException($"Der Widerruf muss zwischen der Einwilligung ({Time.Format(givenOn)}) und heute liegen.");
        }

        return [new ConsentWithdrawn(state.Id, withdrawnOn, scopes.Distinct().Order().ToList(), actor, now)];
    }

    public static object[] Restrict(ClientCase state, string? reason, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Restricted)
        {
            throw CaseRuleException.Transition("Die Verarbeitung ist bereits eingeschränkt.");
        }

        var text = reason?.Trim() ?? "";
        return text.Length switch
        {
            0 => throw new CaseRuleException("Bitte den Grund der Einschränkung angeben (z. B. „Richtigkeit bestritten, Art. 18 Abs. 1 lit. a DSGVO“)."),
            > MaxReasonLength => throw new CaseRuleException($"Der Grund darf höchstens {MaxReasonLength} Zeichen lang sein."),
            _ => [new ProcessingRestricted(state.Id, text, actor, now)],
        };
    }

    public static object[] Lift(ClientCase state, string? note, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Restricted)
        {
            throw CaseRuleException.Transition("Die Verarbeitung ist nicht eingeschränkt.");
        }

        var text = note?.Trim();
        return text?.Length > MaxReasonLength
            ? throw new CaseRuleException($"Die Notiz darf höchstens {MaxReasonLength} Zeichen lang sein.")
            : [new ProcessingRestrictionLifted(state.Id, string.IsNullOrEmpty(text) ? null : text, actor, now)];
    }
}

/// <summary>The client withdraws consent (date, scopes). Recorded by the manager, or by the data-protection officer.</summary>
public sealed record WithdrawConsent(Guid CaseId, long? ExpectedVersion, LocalDate? WithdrawnOn, IReadOnlyList<ConsentScope>? Scopes) : ICommand<Outcome<CaseChanged>>;

public sealed class WithdrawConsentHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<WithdrawConsent, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(WithdrawConsent command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var checks = new Checks();
        checks.PastDate(command.WithdrawnOn, today, OpenCaseHandler.ProgrammeStart, nameof(WithdrawConsent.WithdrawnOn), "das Datum des Widerrufs");
        if (command.Scopes is not { Count: > 0 } scopes)
        {
            checks.Add(nameof(WithdrawConsent.Scopes), Messages.Consent.WithdrawalScopesRequired);
        }
        else if (scopes.Any(s => !Enum.IsDefined(s)))
        {
            checks.Add(nameof(WithdrawConsent.Scopes), Messages.Consent.ScopesFromList);
        }
        else
        {
            checks.Count(scopes, ContactRules.MaxScopes, nameof(WithdrawConsent.Scopes), "Zwecke (jeden einmal)");
        }

        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        object[] Decide(ClientCase state) =>
            ProcessingDecisions.WithdrawConsent(state, command.WithdrawnOn!.Value, command.Scopes!, today, user.UserId, clock.GetCurrentInstant());

        // Without a version: the DPO's subject page (any case of the organisation; a fact added on top of what the case
        // holds now). With one: the manager's case page or API, at the version the manager saw.
        return await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.WithdrawConsent, Decide, cancellationToken,
            command.ExpectedVersion is null ? GateAccess.DataProtectionOfficer : GateAccess.CaseWorker);
    }
}

/// <summary>The data-protection officer restricts processing of a case (Art. 18), or lifts the restriction.</summary>
public sealed record SetProcessingRestriction(Guid CaseId, bool Restricted, string? Reason) : ICommand<Outcome<CaseChanged>>
{
    /// <summary>The version the officer confirmed (the confirmation page); null: the current one.</summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Only check (the confirmation page): every check and the decision run, nothing is written.</summary>
    public bool CheckOnly { get; init; }
}

public sealed class SetProcessingRestrictionHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<SetProcessingRestriction, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(SetProcessingRestriction command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Text(command.Reason, ProcessingDecisions.MaxReasonLength, "Reason", command.Restricted ? "den Grund" : "die Notiz");
        if (checks.Failed)
        {
            return Outcome<CaseChanged>.Failure(checks.Errors);
        }

        Func<ClientCase, object[]> decide = state => command.Restricted
            ? ProcessingDecisions.Restrict(state, command.Reason, user.UserId, clock.GetCurrentInstant())
            : ProcessingDecisions.Lift(state, command.Reason, user.UserId, clock.GetCurrentInstant());
        return command.CheckOnly
            ? await gate.Check(command.CaseId, command.ExpectedVersion, CaseChangeKind.Restriction, decide, cancellationToken, GateAccess.DataProtectionOfficer)
            : await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Restriction, decide, cancellationToken, GateAccess.DataProtectionOfficer);
    }
}
