using Marten;

namespace CaseManagement.Reminders;

/// <summary>A reminder as the inbox shows it (case number and name come from the case, never from the reminder).</summary>
public sealed record InboxItem(Guid Id, ReminderKind Kind, string Label, LocalDate DueOn, Guid CaseId, string CaseNumber, string ClientName, LocalDate? SnoozedUntil);

/// <summary>The signed-in user's open reminders that are due today (snoozed ones from their day on), by due date.</summary>
public sealed record ListMyReminders(ReminderKind? Kind = null) : IQuery<IReadOnlyList<InboxItem>>
{
    /// <summary>Due on or after this day.</summary>
    public LocalDate? DueFrom { get; init; }

    /// <summary>Due on or before this day.</summary>
    public LocalDate? DueTo { get; init; }

    /// <summary>Only the reminders of this case.</summary>
    public Guid? CaseId { get; init; }
}

/// <summary>One line of the inbox: a case with its reminders, the earliest due first.</summary>
public sealed record InboxCase(Guid CaseId, string CaseNumber, string ClientName, IReadOnlyList<InboxItem> Items)
{
    public LocalDate FirstDue => Items[0].DueOn;

    /// <summary>The inbox grouped by case, the case with the earliest (most overdue) reminder first.</summary>
    public static IReadOnlyList<InboxCase> Group(IEnumerable<InboxItem> items) =>
        (items ?? []).GroupBy(i => i.CaseId)
            .Select(g => new InboxCase(g.Key, g.First().CaseNumber, g.First().ClientName, g.OrderBy(i => i.DueOn).ThenBy(i => i.Label, StringComparer.Ordinal).ToList()))
            .OrderBy(c => c.FirstDue).ThenBy(c => c.CaseNumber, StringComparer.Ordinal).ToList();
}

public sealed class ListMyRemindersHandler(AppDbContext db, IQuerySession session, ICurrentUser user, IClock clock) : IQueryHandler<ListMyReminders, IReadOnlyList<InboxItem>>
{
    public async ValueTask<IReadOnlyList<InboxItem>> Handle(ListMyReminders query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CaseAccess.RequireCaseWorker(user);
        var today = clock.Today().ToDateOnly();
        // The same due item once: a subject (goal, review, case) whose reminder came again under a later due day shows
        // once, at its earliest due day.
        var open = (await ReminderRows.OpenFor(db, user.OrganisationId, user.UserId, today, query.Kind?.ToString(), cancellationToken))
            .Where(r => (query.DueFrom is not { } from || r.DueOn >= from.ToDateOnly()) && (query.DueTo is not { } to || r.DueOn <= to.ToDateOnly())
                        && (query.CaseId is not { } only || r.CaseId == only))
            .GroupBy(r => (r.Kind, r.CaseId, r.SubjectId)).Select(g => g.OrderBy(r => r.DueOn).First())
            .ToList();
        var cases = (await session.LoadManyAsync<CaseSummary>(cancellationToken, open.Select(r => r.CaseId).Distinct())).ToDictionary(c => c.Id);
        return open
            .Where(r => cases.ContainsKey(r.CaseId))
            .Select(r =>
            {
                var kind = Enum.Parse<ReminderKind>(r.Kind);
                var c = cases[r.CaseId];
                return new InboxItem(r.Id, kind, ReminderRules.Label(kind), LocalDate.FromDateOnly(r.DueOn), c.Id, c.CaseNumber, $"{c.LastName}, {c.FirstName}",
                    r.SnoozedUntil is { } s ? LocalDate.FromDateOnly(s) : null);
            })
            .OrderBy(i => i.DueOn)
            .ThenBy(i => i.CaseNumber, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>Marks own reminders as done, many at once (after the confirmation of their count).</summary>
public sealed record MarkRemindersDone(IReadOnlyList<Guid>? ReminderIds) : ICommand<Outcome<int>>;

/// <summary>Puts own reminders away until a later day, many at once.</summary>
public sealed record SnoozeReminders(IReadOnlyList<Guid>? ReminderIds, LocalDate? Until) : ICommand<Outcome<int>>;

/// <summary>Marks an own reminder as done.</summary>
public sealed record MarkReminderDone(Guid ReminderId) : ICommand<Outcome<Guid>>;

/// <summary>Puts an own reminder away until a later day.</summary>
public sealed record SnoozeReminder(Guid ReminderId, LocalDate? Until) : ICommand<Outcome<Guid>>;

public sealed class ReminderCommandHandlers(AppDbContext db, ICurrentUser user, IClock clock) :
    ICommandHandler<MarkReminderDone, Outcome<Guid>>,
    ICommandHandler<SnoozeReminder, Outcome<Guid>>,
    ICommandHandler<MarkRemindersDone, Outcome<int>>,
    ICommandHandler<SnoozeReminders, Outcome<int>>
{
    /// <summary>At most this many reminders in one bulk step.</summary>
    public const int MaxBulk = 500;

    public async ValueTask<Outcome<int>> Handle(MarkRemindersDone command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Selection(command.ReminderIds) is { } error)
        {
            return error;
        }

        var reminders = await OwnMany(command.ReminderIds!, cancellationToken);
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        var open = reminders.Where(r => r.DoneAt is null).ToList();
        open.ForEach(r => r.DoneAt = now);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<int>.Success(open.Count);
    }

    public async ValueTask<Outcome<int>> Handle(SnoozeReminders command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (Selection(command.ReminderIds) is { } error)
        {
            return error;
        }

        var today = clock.Today();
        if (command.Until is not { } until || until <= today || until > today.PlusYears(1))
        {
            return Outcome<int>.Fail(nameof(SnoozeReminders.Until), Messages.Reminders.SnoozeDay);
        }

        var reminders = await OwnMany(command.ReminderIds!, cancellationToken);
        var open = reminders.Where(r => r.DoneAt is null).ToList();
        open.ForEach(r => r.SnoozedUntil = until.ToDateOnly());
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<int>.Success(open.Count);
    }

    private static Outcome<int>? Selection(IReadOnlyList<Guid>? ids) =>
        (ids ?? []).Distinct().Count() switch
        {
            0 => Outcome<int>.Fail("ReminderIds", Messages.Reminders.SelectionEmpty),
            > MaxBulk => Outcome<int>.Fail("ReminderIds", Messages.Reminders.SelectionTooLarge),
            _ => null,
        };

    private async Task<List<Reminder>> OwnMany(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        CaseAccess.RequireCaseWorker(user);
        var wanted = ids.Distinct().ToList();
        var own = await ReminderRows.FindMany(db, user.OrganisationId, user.UserId, wanted, ct);
        // A reminder of someone else (or another organisation) reads as "not found", and nothing changes.
        return own.Count == wanted.Count ? own : throw new NotFoundException("Reminder");
    }

    public async ValueTask<Outcome<Guid>> Handle(MarkReminderDone command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reminder = await Own(command.ReminderId, cancellationToken);
        reminder.DoneAt ??= clock.GetCurrentInstant().ToDateTimeOffset();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(reminder.Id);
    }

    public async ValueTask<Outcome<Guid>> Handle(SnoozeReminder command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reminder = await Own(command.ReminderId, cancellationToken);
        var today = clock.Today();
        if (command.Until is not { } until || until <= today || until > today.PlusYears(1))
        {
            return Outcome<Guid>.Fail(nameof(SnoozeReminder.Until), Messages.Reminders.SnoozeDay);
        }

        reminder.SnoozedUntil = until.ToDateOnly();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(reminder.Id);
    }

    private async Task<Reminder> Own(Guid id, CancellationToken ct)
    {
        CaseAccess.RequireCaseWorker(user);
        return await ReminderRows.Find(db, user.OrganisationId, user.UserId, id, ct) ?? throw new NotFoundException("Reminder");
    }
}

/// <summary>Whether the signed-in user gets the daily digest e-mail.</summary>
public sealed record GetMyDigestChoice : IQuery<bool>;

/// <summary>Turns the own daily digest e-mail on or off.</summary>
public sealed record SetMyDigestChoice(bool Enabled) : ICommand<bool>;

public sealed class DigestChoiceHandlers(AppDbContext db, ICurrentUser user) :
    IQueryHandler<GetMyDigestChoice, bool>,
    ICommandHandler<SetMyDigestChoice, bool>
{
    public async ValueTask<bool> Handle(GetMyDigestChoice query, CancellationToken cancellationToken)
    {
        CaseAccess.RequireCaseWorker(user);
        return await ReminderRows.DigestChoice(db, user.OrganisationId, user.UserId, cancellationToken);
    }

    public async ValueTask<bool> Handle(SetMyDigestChoice command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        CaseAccess.RequireCaseWorker(user);
        await ReminderRows.SetDigestChoice(db, user.OrganisationId, user.UserId, command.Enabled, cancellationToken);
        return command.Enabled;
    }
}
