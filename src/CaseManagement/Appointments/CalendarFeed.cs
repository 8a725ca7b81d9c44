using System.Security.Cryptography;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Marten;
using Npgsql;

namespace CaseManagement.Appointments;

/// <summary>Row of <c>cases.calendar_feeds</c>: whose link, and the SHA-256 hash of its token (never the token).</summary>
public sealed class CalendarFeedRecord
{
    public Guid UserId { get; init; }

    public Guid OrganisationId { get; init; }

    public byte[] TokenHash { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// The personal calendar feed of a manager (iCalendar, for Outlook and phones): a secret link with a random 256-bit
/// token, of which only the SHA-256 hash is stored (<c>cases.calendar_feeds</c>, one per user). A new link replaces
/// (revokes) the old one; an unknown or revoked token, or the token of a deactivated account, finds nothing.
/// </summary>
public sealed class CalendarFeeds(NpgsqlDataSource dataSource, IClock clock)
{
    /// <summary>Creates the user's link, replacing any earlier one; returns the token (shown once, never stored).</summary>
    public async Task<string> RenewAsync(Guid userId, Guid organisationId, CancellationToken ct)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        await using var command = dataSource.CreateCommand(
            """
            insert into cases.calendar_feeds (user_id, organisation_id, token_hash, created_at) values ($1, $2, $3, $4)
            on conflict (user_id) do update set organisation_id = excluded.organisation_id, token_hash = excluded.token_hash, created_at = excluded.created_at
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = organisationId });
        command.Parameters.Add(new() { Value = Hash(token) });
        command.Parameters.Add(new() { Value = clock.GetCurrentInstant() });
        await command.ExecuteNonQueryAsync(ct);
        return token;
    }

    /// <summary>When the user's current link was created (null: none).</summary>
    public async Task<Instant?> CreatedAtAsync(Guid userId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("select created_at from cases.calendar_feeds where user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteScalarAsync(ct) is Instant at ? at : null;
    }

    /// <summary>The link stops working.</summary>
    public async Task RevokeAsync(Guid userId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("delete from cases.calendar_feeds where user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The owner of a token (user, organisation), or null for an unknown or revoked one.</summary>
    public async Task<(Guid UserId, Guid OrganisationId)?> OwnerAsync(string token, CancellationToken ct)
    {
        if (!IsWellFormed(token))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand("select user_id, organisation_id from cases.calendar_feeds where token_hash = $1");
        command.Parameters.Add(new() { Value = Hash(token) });
        await using var row = await command.ExecuteReaderAsync(ct);
        return await row.ReadAsync(ct) ? (row.GetGuid(0), row.GetGuid(1)) : null;
    }

    /// <summary>43 characters of base64url (32 bytes).</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static byte[] Hash(string token) => SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The feed's content: the manager's appointments from 30 days back to a year ahead, not cancelled. Each event names
/// the case number and the place — never the client's name or the note. Times in Europe/Berlin (TZID with VTIMEZONE).
/// </summary>
public static class CalendarFeedContent
{
    public static readonly NodaTime.Period Back = NodaTime.Period.FromDays(30);
    public static readonly NodaTime.Period Ahead = NodaTime.Period.FromYears(1);

    public static async Task<string> ForManagerAsync(IQuerySession session, Guid managerId, LocalDate today, CancellationToken ct)
    {
        var appointments = await AppointmentReads.BetweenAsync(session, managerId, today.Minus(Back), today.Plus(Ahead), ct);
        return Build(appointments.Select(a => (a.CaseNumber, a.Appointment)));
    }

    public static string Build(IEnumerable<(string CaseNumber, AppointmentView Appointment)> appointments)
    {
        ArgumentNullException.ThrowIfNull(appointments);
        const string zone = "Europe/Berlin";
        var calendar = new Calendar { ProductId = "-//CaseManagement//Integrationsmanagement//DE" };
        calendar.AddTimeZone(zone);
        foreach (var (caseNumber, a) in appointments)
        {
            var place = AppointmentRules.PlaceLabel(a.Place);
            var status = a.Status == AppointmentStatus.Scheduled ? "" : $" ({AppointmentRules.StatusLabel(a.Status)})";
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{a.Id:N}@casemanagement",
                Summary = $"Termin Fall {caseNumber} – {place}{status}",
                Location = place,
                Description = a.InterpreterNeeded ? "Dolmetschung nötig" : null,
                DtStart = At(a.Start, zone),
                DtEnd = At(a.End, zone),
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static CalDateTime At(LocalDateTime t, string zone) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, zone);
}
