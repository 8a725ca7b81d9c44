namespace CaseManagement.Common;

/// <summary>
/// A problem with the user's input, attached to the form field it concerns ("" = whole form). The domain writes it in
/// German; it is kept in the user's language (<see cref="Translations"/>, by the current UI culture) from the start,
/// so pages and API answer in the language the user chose.
/// </summary>
public sealed record InputError(string Field, string Message)
{
    /// <summary>The message in the current UI language (German unless the user chose English).</summary>
    public string Message { get; init; } = Translations.Localize(Message, System.Globalization.CultureInfo.CurrentUICulture);

    /// <summary>The existing case the problem points to (e.g. a possible duplicate of an intake), if any.</summary>
    public Guid? RelatedCaseId { get; init; }
}

/// <summary>What became of a command — one vocabulary for every use case, mapped once to HTTP and once to the pages.</summary>
public enum OutcomeKind
{
    /// <summary>Done (API 200/201).</summary>
    Accepted,

    /// <summary>The input is incomplete or outside its range; nothing stored (API 422, <c>errors</c> per field).</summary>
    Invalid,

    /// <summary>Someone else changed the data since the user read it; nothing stored (API 412, <c>currentVersion</c>).</summary>
    Stale,

    /// <summary>The input is fine, but the case does not take this change now (API 409, <c>code</c>).</summary>
    Refused,
}

/// <summary>Why a case refused a change (the API's <c>code</c>; docs/processing-rules.md).</summary>
public enum RefusalCode
{
    /// <summary>Processing is restricted (DSGVO Art. 18).</summary>
    Restricted,

    /// <summary>The client withdrew consent to the counselling.</summary>
    ConsentWithdrawn,

    /// <summary>The case is closed.</summary>
    Closed,

    /// <summary>The case was erased (DSGVO Art. 17).</summary>
    Erased,

    /// <summary>The step does not follow from the case's current state (e.g. a goal already achieved, a case already paused).</summary>
    InvalidTransition,

    /// <summary>The person probably has a case already (intake).</summary>
    PossibleDuplicate,
}

/// <summary>What a command did: accepted with a value, or changed nothing and says why (<see cref="OutcomeKind"/>).</summary>
public sealed record Outcome<T>
{
    private Outcome(OutcomeKind kind, T? value, IReadOnlyList<InputError> errors)
    {
        Kind = kind;
        Value = value;
        Errors = errors;
    }

    public OutcomeKind Kind { get; }

    public T? Value { get; }

    /// <summary>The German messages (by field for <see cref="OutcomeKind.Invalid"/>; one message otherwise).</summary>
    public IReadOnlyList<InputError> Errors { get; }

    /// <summary>For <see cref="OutcomeKind.Refused"/>: why.</summary>
    public RefusalCode? Code { get; private init; }

    /// <summary>For <see cref="OutcomeKind.Stale"/>: the version the data has now.</summary>
    public long? CurrentVersion { get; private init; }

    public bool Succeeded => Kind == OutcomeKind.Accepted;

    /// <summary>The single message of a stale or refused outcome (or the first input error).</summary>
    public string Message => Errors.Count > 0 ? Errors[0].Message : "";

    public static Outcome<T> Success(T value) => new(OutcomeKind.Accepted, value, []);

    public static Outcome<T> Failure(params InputError[] errors) =>
        errors.Length == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(OutcomeKind.Invalid, default, errors);

    public static Outcome<T> Failure(IEnumerable<InputError> errors) => Failure(errors.ToArray());

    public static Outcome<T> Fail(string field, string message) => Failure(new InputError(field, message));

    /// <summary>Someone else changed the data; <paramref name="message"/> says what (German).</summary>
    public static Outcome<T> Stale(long currentVersion, string message) =>
        new(OutcomeKind.Stale, default, [new InputError(StaleField, message)]) { CurrentVersion = currentVersion };

    /// <summary>The case does not take the change; <paramref name="message"/> says why (German).</summary>
    public static Outcome<T> Refused(RefusalCode code, string message, Guid? relatedCaseId = null) =>
        new(OutcomeKind.Refused, default, [new InputError("", message) { RelatedCaseId = relatedCaseId }]) { Code = code };

    /// <summary>The same failure as an outcome of another type (a use case built on another).</summary>
    public Outcome<TOther> As<TOther>() => Kind == OutcomeKind.Accepted
        ? throw new InvalidOperationException("Only a failure can be carried over.")
        : new Outcome<TOther>(Kind, default, Errors) { Code = Code, CurrentVersion = CurrentVersion };

    /// <summary>The form field that shows a stale answer on the pages (next to the version the user saw).</summary>
    public const string StaleField = "Version";
}

/// <summary>Signals that the requested thing does not exist for the signed-in user's organisation.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} not found.")
{
}
