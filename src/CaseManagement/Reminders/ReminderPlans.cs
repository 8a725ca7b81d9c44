using Npgsql;
using NpgsqlTypes;

namespace CaseManagement.Reminders;

/// <summary>
/// When each case is to be evaluated again (<c>cases.reminder_plans</c>, migration 0029) and which open reminders a later
/// change made moot. The daily run no longer reads every case of the organisation: a case is evaluated on the day its
/// next reminder falls due (<see cref="ReminderRules.NextDay"/>), after any change of it (the change dispatcher deletes its
/// plan), after a change of the organisation's reminder settings (all plans deleted), and as long as it was never
/// evaluated. Ids and days only.
/// </summary>
public static class ReminderPlans
{
    /// <summary>
    /// The cases of the organisation the daily run of <paramref name="today"/> evaluates: never planned, due by today, or
    /// changed with the change not yet dispatched (its plan is about to be forgotten; a run in between must not trust it).
    /// </summary>
    public static async Task<IReadOnlyList<Guid>> DueAsync(NpgsqlDataSource dataSource, string tenantId, Guid organisationId, LocalDate today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand(
            $"""
             select s.id from {Storage.MartenSetup.Schema}.mt_doc_casesummary s
             left join cases.reminder_plans p on p.organisation_id = $2 and p.case_id = s.id
             where s.tenant_id = $1
               and (p.case_id is null or p.next_on <= $3
                    or exists (select 1 from cases.case_changes c where c.case_id = s.id))
             """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = today.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    /// <summary>The plans of these cases are void (they changed): the next daily run evaluates them.</summary>
    public static async Task ForgetAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<Guid> caseIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        if (caseIds.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("delete from cases.reminder_plans where case_id = any($1)", connection, transaction);
        command.Parameters.Add(new() { Value = caseIds.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The next day of each evaluated case (<paramref name="again"/>: cases to evaluate again tomorrow, e.g. one that could not
    /// be planned or a reminder for a team without a lead).
    /// </summary>
    public static async Task SaveAsync(
        NpgsqlConnection connection, Guid organisationId, IReadOnlyList<CaseSummary> cases, IReadOnlyDictionary<Guid, IReadOnlyList<AppointmentView>> appointments,
        LocalDate today, ReminderSettings settings, IReadOnlySet<Guid> again, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(appointments);
        ArgumentNullException.ThrowIfNull(again);
        if (cases.Count == 0)
        {
            return;
        }

        var tomorrow = today == LocalDate.MaxIsoValue ? today : today.PlusDays(1);
        var next = cases.Select(c => again.Contains(c.Id) ? tomorrow : NextDayOrTomorrow(c, appointments.GetValueOrDefault(c.Id, []), today, settings, tomorrow)).ToList();
        await using var command = new NpgsqlCommand(
            """
            insert into cases.reminder_plans (organisation_id, case_id, next_on, planned_on)
            select $1, p.case_id, p.next_on, $4 from unnest($2::uuid[], $3::date[]) as p(case_id, next_on)
            on conflict (case_id) do update set organisation_id = excluded.organisation_id, next_on = excluded.next_on, planned_on = excluded.planned_on
            """, connection);
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = cases.Select(c => c.Id).ToArray() });
        command.Parameters.Add(new() { Value = next.Select(d => d is { } day ? (DateOnly?)day.ToDateOnly() : null).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        command.Parameters.Add(new() { Value = today.ToDateOnly(), NpgsqlDbType = NpgsqlDbType.Date });
        await command.ExecuteNonQueryAsync(ct);
    }

    private static LocalDate? NextDayOrTomorrow(CaseSummary c, IReadOnlyList<AppointmentView> appointments, LocalDate today, ReminderSettings settings, LocalDate tomorrow)
    {
        try
        {
            return ReminderRules.NextDay(c, appointments, today, settings, Time.Berlin);
        }
#pragma warning disable CA1031 // a case whose days cannot be computed is simply evaluated again tomorrow (the scan records its problem)
        catch (Exception)
#pragma warning restore CA1031
        {
            return tomorrow;
        }
    }

    /// <summary>
    /// The open reminders of these cases that the rules, evaluated on each reminder's own day with the case as it is now, no
    /// longer give (a moved target date, an achieved goal, a new contact, a decided request, a cancelled appointment) are
    /// withdrawn: done, marked <c>withdrawn_at</c>. A paused case keeps its reminders until it is resumed or closed.
    /// Returns how many were withdrawn.
    /// </summary>
    public static async Task<int> WithdrawMootAsync(
        NpgsqlConnection connection, Guid organisationId, IReadOnlyList<CaseSummary> cases, IReadOnlyDictionary<Guid, IReadOnlyList<AppointmentView>> appointments,
        ReminderSettings settings, Instant now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(appointments);
        var byId = cases.Where(c => c.Status != CaseStatus.Paused).ToDictionary(c => c.Id);
        if (byId.Count == 0)
        {
            return 0;
        }

        var open = new List<(string Kind, Guid CaseId, Guid SubjectId, LocalDate DueOn)>();
        await using (var read = new NpgsqlCommand(
                         "select kind, case_id, subject_id, due_on from cases.reminders where organisation_id = $1 and case_id = any($2) and done_at is null", connection))
        {
            read.Parameters.Add(new() { Value = organisationId });
            read.Parameters.Add(new() { Value = byId.Keys.ToArray() });
            await using var rows = await read.ExecuteReaderAsync(ct);
            while (await rows.ReadAsync(ct))
            {
                open.Add((rows.GetString(0), rows.GetGuid(1), rows.GetGuid(2), rows.GetFieldValue<LocalDate>(3)));
            }
        }

        var moot = open.GroupBy(r => (r.CaseId, r.DueOn))
            .SelectMany(day => Moot(byId[day.Key.CaseId], appointments.GetValueOrDefault(day.Key.CaseId, []), day.Key.DueOn, settings, day))
            .ToList();
        if (moot.Count == 0)
        {
            return 0;
        }

        await using var withdraw = new NpgsqlCommand(
            """
            update cases.reminders r set done_at = $6, withdrawn_at = $6
            from unnest($2::text[], $3::uuid[], $4::uuid[], $5::date[]) as k(kind, case_id, subject_id, due_on)
            where r.organisation_id = $1 and r.kind = k.kind and r.case_id = k.case_id and r.subject_id = k.subject_id and r.due_on = k.due_on and r.done_at is null
            """, connection);
        withdraw.Parameters.Add(new() { Value = organisationId });
        withdraw.Parameters.Add(new() { Value = moot.Select(m => m.Kind).ToArray() });
        withdraw.Parameters.Add(new() { Value = moot.Select(m => m.CaseId).ToArray() });
        withdraw.Parameters.Add(new() { Value = moot.Select(m => m.SubjectId).ToArray() });
        withdraw.Parameters.Add(new() { Value = moot.Select(m => m.DueOn.ToDateOnly()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date });
        withdraw.Parameters.Add(new() { Value = now.ToDateTimeOffset() });
        return await withdraw.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The reminders of one case and day that the rules no longer give on that day.</summary>
    public static IEnumerable<(string Kind, Guid CaseId, Guid SubjectId, LocalDate DueOn)> Moot(
        CaseSummary c, IReadOnlyList<AppointmentView> appointments, LocalDate day, ReminderSettings settings, IEnumerable<(string Kind, Guid CaseId, Guid SubjectId, LocalDate DueOn)> open)
    {
        ArgumentNullException.ThrowIfNull(c);
        HashSet<(string, Guid, LocalDate)> given;
        try
        {
            given = ReminderRules.Due(c, day, settings, Time.Berlin).Concat(ReminderRules.AppointmentsTomorrow(c, appointments, day))
                .Select(r => (r.Kind.ToString(), r.SubjectId, r.DueOn)).ToHashSet();
        }
#pragma warning disable CA1031 // a case that cannot be evaluated keeps its reminders (the scan records its problem)
        catch (Exception)
#pragma warning restore CA1031
        {
            return [];
        }

        return open.Where(r => !given.Contains((r.Kind, r.SubjectId, r.DueOn))).ToList();
    }
}
