namespace CaseManagement.Common;

/// <summary>A problem with the user's input, in German, attached to the form field it concerns ("" = whole form).</summary>
public sealed record InputError(string Field, string Message)
{
    /// <summary>The existing case the problem points to (e.g. a possible duplicate of an intake), if any.</summary>
    public Guid? RelatedCaseId { get; init; }
}

/// <summary>What a command did: succeeded with a value, or changed nothing and says why.</summary>
public sealed record Outcome<T>
{
    private Outcome(T? value, IReadOnlyList<InputError> errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    public IReadOnlyList<InputError> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    public static Outcome<T> Success(T value) => new(value, []);

    public static Outcome<T> Failure(params InputError[] errors) =>
        errors.Length == 0 ? throw new ArgumentException("A failure needs at least one error.", nameof(errors)) : new(default, errors);

    public static Outcome<T> Failure(IEnumerable<InputError> errors) => Failure(errors.ToArray());


    public static Outcome<T> Fail(string field, string message) => Failure(new InputError(field, message));

}

/// <summary>Signals that the requested thing does not exist for the signed-in user's organisation.</summary>
public sealed class NotFoundException(string what) : Exception($"{what} not found.")
{
}
