namespace CaseManagement.Cases;

/// <summary>
/// The kinds of change a case can take, as the processing rules tell them apart (the rows of the table in
/// docs/processing-rules.md). Every command names its kind when it passes the gate.
/// </summary>
public enum CaseChangeKind
{
    /// <summary>The counselling itself: person, situation, plan, consultations, referrals, requests to the lead, pause/resume.</summary>
    Work,

    /// <summary>New or renewed consent.</summary>
    RecordConsent,

    /// <summary>The client withdraws consent (recorded by the manager or the DPO).</summary>
    WithdrawConsent,

    /// <summary>The DPO restricts processing or lifts the restriction (Art. 18).</summary>
    Restriction,

    /// <summary>The case is closed.</summary>
    Close,

    /// <summary>A closed case is reopened.</summary>
    Reopen,

    /// <summary>Another manager becomes responsible (reassignment, transfer request and decision).</summary>
    Responsibility,

    /// <summary>The team lead decides an individual decision or an extension.</summary>
    ApprovalDecision,

    /// <summary>Household members are linked or unlinked.</summary>
    Household,

    /// <summary>The case is erased (Art. 17); an erasure also unlinks the household members' cases.</summary>
    Erasure,
}

/// <summary>
/// The one table of which changes a restricted, consent-withdrawn, closed or erased case still takes
/// (docs/processing-rules.md). The gate applies it to every change; nothing else decides it.
/// </summary>
public static class ProcessingRules
{
    public const string ErasedMessage = "Der Fall wurde nach DSGVO Art. 17 gelöscht; er kann nicht mehr geändert werden.";

    public const string RestrictedMessage =
        "Die Verarbeitung ist eingeschränkt (DSGVO Art. 18): Der Fall kann nur gelesen werden, bis die oder der Datenschutzbeauftragte die Einschränkung aufhebt.";

    public const string WithdrawnMessage =
        "Die Einwilligung in die Beratung wurde widerrufen: Der Fall kann nur gelesen werden. Erst eine neue Einwilligung erlaubt wieder Änderungen.";

    public const string ClosedMessage = "Der Fall ist abgeschlossen; bitte zuerst wieder eröffnen.";

    /// <summary>Which kinds each state still takes. A kind not listed for a state the case is in is refused.</summary>
    private static readonly Dictionary<RefusalCode, CaseChangeKind[]> StillAllowed = new()
    {
        // Nothing is appended to an erased stream (the eraser cleans it again, idempotently, without appending).
        [RefusalCode.Erased] = [],

        // Only storage: the DPO lifts it; a withdrawal is a fact that further restricts; responsibility follows staff
        // changes (no content is processed); erasure ends it.
        [RefusalCode.Restricted] = [CaseChangeKind.Restriction, CaseChangeKind.WithdrawConsent, CaseChangeKind.Responsibility, CaseChangeKind.Erasure],

        // Read-only until new consent: new consent, a further withdrawal, closing (the counselling ends), the DPO's
        // restriction, responsibility, erasure.
        [RefusalCode.ConsentWithdrawn] =
        [
            CaseChangeKind.RecordConsent, CaseChangeKind.WithdrawConsent, CaseChangeKind.Close, CaseChangeKind.Restriction,
            CaseChangeKind.Responsibility, CaseChangeKind.Erasure,
        ],

        // No change until reopened; consent can still be withdrawn, the DPO can restrict, responsibility can move
        // (the case is kept until its retention ends) and it can be erased.
        [RefusalCode.Closed] =
        [
            CaseChangeKind.Reopen, CaseChangeKind.WithdrawConsent, CaseChangeKind.Restriction, CaseChangeKind.Responsibility, CaseChangeKind.Erasure,
        ],
    };

    /// <summary>The states of the case that can refuse, in the order they are reported (the strongest first).</summary>
    public static IEnumerable<RefusalCode> StatesOf(ClientCase state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return States(state.Erased, state.Restricted, state.CounsellingConsentWithdrawn, state.Status == CaseStatus.Closed);
    }

    /// <summary>The states of the case as its summary shows them (an erased case has no summary).</summary>
    public static IEnumerable<RefusalCode> StatesOf(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return States(erased: false, c.Restriction is not null, c.CounsellingConsentWithdrawn, c.Status == CaseStatus.Closed);
    }

    /// <summary>Whether the case, as its summary shows it, takes a change of <paramref name="kind"/>: what the case page offers.</summary>
    public static bool Takes(CaseSummary c, CaseChangeKind kind) => StatesOf(c).All(s => StillAllowed[s].Contains(kind));

    /// <summary>Why the case does not take a change of <paramref name="kind"/> now, or null when it does.</summary>
    public static (RefusalCode Code, string Message)? Refusal(ClientCase state, CaseChangeKind kind) =>
        StatesOf(state).Where(s => !StillAllowed[s].Contains(kind)).Select(s => (s, Message(s))).Cast<(RefusalCode, string)?>().FirstOrDefault();

    /// <summary>Whether a case in <paramref name="state"/> takes a change of <paramref name="kind"/> (the table, for docs and tests).</summary>
    public static bool Allows(RefusalCode state, CaseChangeKind kind) => StillAllowed[state].Contains(kind);

    private static IEnumerable<RefusalCode> States(bool erased, bool restricted, bool consentWithdrawn, bool closed)
    {
        if (erased)
        {
            yield return RefusalCode.Erased;
        }

        if (restricted)
        {
            yield return RefusalCode.Restricted;
        }

        if (consentWithdrawn)
        {
            yield return RefusalCode.ConsentWithdrawn;
        }

        if (closed)
        {
            yield return RefusalCode.Closed;
        }
    }

    public static string Message(RefusalCode code) => code switch
    {
        RefusalCode.Erased => ErasedMessage,
        RefusalCode.Restricted => RestrictedMessage,
        RefusalCode.ConsentWithdrawn => WithdrawnMessage,
        RefusalCode.Closed => ClosedMessage,
        _ => "Diese Änderung ist beim jetzigen Stand des Falls nicht möglich.",
    };

    /// <summary>Why the case is read-only for managers, as the case page shows it; null when it is not.</summary>
    public static string? ReadOnlyReason(CaseSummary c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return c.Restriction is not null ? RestrictedMessage : c.CounsellingConsentWithdrawn ? WithdrawnMessage : null;
    }
}
