namespace CaseManagement.Reminders;

/// <summary>
/// A reminder in someone's inbox (relational side table <c>cases.reminders</c>). The natural key
/// (organisation, kind, case, subject, due date) is unique, so creating it twice creates it once.
/// Ids only — the text comes from the case when the inbox is shown.
/// </summary>
public sealed class Reminder
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public string Kind { get; init; } = "";

    public Guid CaseId { get; init; }

    public Guid SubjectId { get; init; }

    public DateOnly DueOn { get; init; }

    public Guid AssigneeId { get; set; }

    public string Audience { get; init; } = "";

    public DateOnly? SnoozedUntil { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>Set with <see cref="DoneAt"/> when a later change of the case made the reminder moot (<see cref="ReminderPlans"/>).</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
}
