using Marten;

namespace CaseManagement.Reminders;

/// <summary>A reminder as the inbox shows it (case number and name come from the case, never from the reminder).</summary>
public sealed record InboxItem(Guid Id, ReminderKind Kind, string Label, LocalDate DueOn, Guid CaseId, string CaseNumber, string ClientName, LocalDate? SnoozedUntil);

/// <summary>The signed-in user's open reminders that are due today (snoozed ones from their day on), by due date.</summary>
public sealed record ListMyReminders(ReminderKind? Kind = null) : IQuery<IReadOnlyList<InboxItem>>;

public sealed class ListMyRemindersHandler(AppDbContext db, IQuerySession session, ICurrentUser user, IClock clock) : IQueryHandler<ListMyReminders, IReadOnlyList<InboxItem>>
{
    public async ValueTask<IReadOnlyList<InboxItem>> Handle(ListMyReminders query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        CaseAccess.RequireCaseWorker(user);
        var today = clock.Today().ToDateOnly();
        var open = await ReminderRows.OpenFor(db, user.OrganisationId, user.UserId, today, query.Kind?.ToString(), cancellationToken);
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

/// <summary>Marks an own reminder as done.</summary>
public sealed record MarkReminderDone(Guid ReminderId) : ICommand<Outcome<Guid>>;

/// <summary>Puts an own reminder away until a later day.</summary>
public sealed record SnoozeReminder(Guid ReminderId, LocalDate? Until) : ICommand<Outcome<Guid>>;

public sealed class ReminderCommandHandlers(AppDbContext db, ICurrentUser user, IClock clock) :
    ICommandHandler<MarkReminderDone, Outcome<Guid>>,
    ICommandHandler<SnoozeReminder, Outcome<Guid>>
{
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
            return Outcome<Guid>.Fail(nameof(SnoozeReminder.Until), "Bitte einen Tag nach heute wählen, höchstens ein Jahr später.");
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
