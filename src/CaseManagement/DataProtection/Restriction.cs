using CaseManagement.Clients;
using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using JasperFx;
using Marten;
using Mediator;
using NodaTime;

namespace CaseManagement.DataProtection;

/// <summary>Which changes a case takes under data protection (pure).</summary>
public static class ProcessingRules
{
    public const string ErasedMessage = "Der Fall wurde nach DSGVO Art. 17 gelöscht; er kann nicht mehr geändert werden.";

    public const string RestrictedMessage =
        "Die Verarbeitung ist eingeschränkt (DSGVO Art. 18): Der Fall kann nur gelesen werden, bis die oder der Datenschutzbeauftragte die Einschränkung aufhebt.";

    public const string WithdrawnMessage =
        "Die Einwilligung in die Beratung wurde widerrufen: Der Fall kann nur gelesen werden. Erst eine neue Einwilligung erlaubt wieder Änderungen.";

    /// <summary>Whether a refusal of a change is one of these rules (the API answers 409 instead of 422).</summary>
    public static bool IsRefusal(string message) => message is ErasedMessage or RestrictedMessage or WithdrawnMessage;

    /// <summary>Why the case takes no change now (German), or null when it does.</summary>
    public static string? Refusal(ClientCase state, bool allowedWithoutConsent = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Erased ? ErasedMessage
            : state.Restricted ? RestrictedMessage
            : state.CounsellingConsentWithdrawn && !allowedWithoutConsent ? WithdrawnMessage
            : null;
    }

    /// <summary>Why the case is read-only for managers, as the case page shows it; null when it is not.</summary>
    public static string? ReadOnlyReason(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Restriction is not null ? RestrictedMessage : c.CounsellingConsentWithdrawn ? WithdrawnMessage : null;
    }
}

/// <summary>Decisions of the data-protection capability over the case's write model (pure; German messages).</summary>
public static class ProcessingDecisions
{
    public const int MaxReasonLength = 2000;

    public static object[] WithdrawConsent(ClientCase state, LocalDate withdrawnOn, IReadOnlyList<ConsentScope> scopes, LocalDate today, Guid actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scopes);
        if (state.Erased)
        {
            throw new CaseRuleException(ProcessingRules.ErasedMessage);
        }

        if (state.ConsentGivenOn is not { } givenOn || state.ConsentedScopes.Count == 0)
        {
            throw new CaseRuleException("Es ist keine Einwilligung erfasst, die widerrufen werden könnte.");
        }

        if (scopes.Count == 0)
        {
            throw new CaseRuleException("Bitte angeben, wofür die Einwilligung widerrufen wird.");
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
        if (state.Erased)
        {
            throw new CaseRuleException(ProcessingRules.ErasedMessage);
        }

        if (state.Restricted)
        {
            throw new CaseRuleException("Die Verarbeitung ist bereits eingeschränkt.");
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
            throw new CaseRuleException("Die Verarbeitung ist nicht eingeschränkt.");
        }

        var text = note?.Trim();
        return text?.Length > MaxReasonLength
            ? throw new CaseRuleException($"Die Notiz darf höchstens {MaxReasonLength} Zeichen lang sein.")
            : [new ProcessingRestrictionLifted(state.Id, string.IsNullOrEmpty(text) ? null : text, actor, now)];
    }
}

/// <summary>
/// Changes by the data-protection officer: the case of any manager of the own organisation (others: not
/// found), without an expected version — restriction is a fact added on top of whatever the case holds now;
/// a change that lands in between is simply read again (never overwritten).
/// </summary>
public static class SubjectWriter
{
    public static async Task<Outcome<CaseChanged>> Execute(IDocumentSession session, ICurrentUser user, Guid caseId, Func<ClientCase, object[]> decide, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(decide);
        user.RequireDataProtectionOfficer();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stream = await session.Events.FetchForWriting<ClientCase>(caseId, ct);
                if (stream.Aggregate is null)
                {
                    throw new NotFoundException("Case");
                }

                object[] events;
                try
                {
                    events = decide(stream.Aggregate);
                }
                catch (CaseRuleException rule)
                {
                    return Outcome<CaseChanged>.Fail("", rule.Message);
                }

                stream.AppendMany(events);
                await session.SaveChangesAsync(ct);
                return Outcome<CaseChanged>.Success(new CaseChanged(caseId, (stream.StartingVersion ?? 0) + events.Length));
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                session.EjectAllPendingChanges();
            }
        }
    }
}

/// <summary>The client withdraws consent (date, scopes). Recorded by the manager, or by the data-protection officer.</summary>
public sealed record WithdrawConsent(Guid CaseId, long? ExpectedVersion, LocalDate? WithdrawnOn, IReadOnlyList<ConsentScope>? Scopes) : ICommand<Outcome<CaseChanged>>;

public sealed class WithdrawConsentHandler(IDocumentSession session, AppDbContext db, ICurrentUser user, IClock clock)
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
            checks.Add(nameof(WithdrawConsent.Scopes), "Bitte angeben, wofür die Einwilligung widerrufen wird.");
        }
        else if (scopes.Any(s => !Enum.IsDefined(s)))
        {
            checks.Add(nameof(WithdrawConsent.Scopes), "Bitte nur Zwecke aus der Liste wählen.");
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

        // Without a version: the DPO's subject page (any case of the organisation). With one: the manager's case
        // page or API, at the version the manager saw (a withdrawal is recorded even on a read-only case).
        return command.ExpectedVersion is { } version
            ? await CaseWriter.Execute(session, db, user, command.CaseId, version, Decide, allowedWithoutConsent: true, cancellationToken)
            : await SubjectWriter.Execute(session, user, command.CaseId, Decide, cancellationToken);
    }
}

/// <summary>The data-protection officer restricts processing of a case (Art. 18), or lifts the restriction.</summary>
public sealed record SetProcessingRestriction(Guid CaseId, bool Restricted, string? Reason) : ICommand<Outcome<CaseChanged>>;

public sealed class SetProcessingRestrictionHandler(IDocumentSession session, ICurrentUser user, IClock clock)
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

        return await SubjectWriter.Execute(session, user, command.CaseId, state => command.Restricted
            ? ProcessingDecisions.Restrict(state, command.Reason, user.UserId, clock.GetCurrentInstant())
            : ProcessingDecisions.Lift(state, command.Reason, user.UserId, clock.GetCurrentInstant()), cancellationToken);
    }
}
