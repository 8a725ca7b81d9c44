using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CaseManagement.Reminders;

/// <summary>SMTP settings (configuration section <c>Mail</c>). Without a host no e-mail is sent.</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>None, Auto, StartTls, StartTlsWhenAvailable or SslOnConnect (MailKit's SecureSocketOptions).</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "CaseManagement <noreply@localhost>";

    /// <summary>Address of the application as users reach it, for the link in e-mails.</summary>
    public string BaseUrl { get; set; } = "http://localhost:5080";

    public bool Configured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>SMTP over MailKit: one connection per batch of messages.</summary>
public sealed class Mailer(MailOptions options)
{
    public MailOptions Options => options;

    public async Task<SmtpClient> ConnectAsync(CancellationToken ct)
    {
        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(options.Host!, options.Port, options.Security, ct);
            if (!string.IsNullOrEmpty(options.UserName))
            {
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public MimeMessage Compose(string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }
}

/// <summary>
/// The optional daily digest e-mail: for every user who asked for it and has due reminders, the number of
/// due reminders, how many are new today, and a link — no client data. Each user gets at most one per
/// day: the record in <c>cases.reminder_digests</c> is written in the same transaction that is committed
/// only after the SMTP server accepted the message, so a retried job sends the rest and nothing twice.
/// </summary>
public sealed partial class ReminderDigest(AppDbContext db, Mailer mailer, IClock clock, ILogger<ReminderDigest> logger)
{
    public async Task<int> SendAsync(Guid organisationId, CancellationToken ct)
    {
        if (!mailer.Options.Configured)
        {
            return 0;
        }

        var now = clock.GetCurrentInstant();
        var today = now.InZone(Time.Berlin).Date;
        var day = today.ToDateOnly();
        var startOfDay = today.AtStartOfDayInZone(Time.Berlin).ToInstant().ToDateTimeOffset();
        var recipients = await db.Users
            .Where(u => u.OrganisationId == organisationId && u.ReminderDigest && u.IsActive && u.Email != null)
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(ct);
        if (recipients.Count == 0)
        {
            return 0;
        }

        var ids = recipients.Select(r => r.Id).ToList();
        var counts = await db.Reminders
            .Where(r => r.OrganisationId == organisationId && ids.Contains(r.AssigneeId) && r.DoneAt == null && r.DueOn <= day
                        && (r.SnoozedUntil == null || r.SnoozedUntil <= day))
            .GroupBy(r => r.AssigneeId)
            .Select(g => new { g.Key, Due = g.Count(), New = g.Count(r => r.CreatedAt >= startOfDay) })
            .ToDictionaryAsync(g => g.Key, ct);

        var sent = 0;
        var failed = 0;
        SmtpClient? smtp = null;
        try
        {
            foreach (var recipient in recipients.Where(r => counts.ContainsKey(r.Id)))
            {
                var count = counts[recipient.Id];
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var claimed = await db.Database.ExecuteSqlInterpolatedAsync(
                    $"insert into cases.reminder_digests (user_id, day, organisation_id, due_count, sent_at) values ({recipient.Id}, {day}, {organisationId}, {count.Due}, {now.ToDateTimeOffset()}) on conflict do nothing",
                    ct);
                if (claimed == 0)
                {
                    continue; // sent earlier today (a retry or a second run)
                }

                try
                {
                    smtp ??= await mailer.ConnectAsync(ct);
                    await smtp.SendAsync(mailer.Compose(recipient.Email!, Subject(count.Due), Text(count.Due, count.New, mailer.Options.BaseUrl)), ct);
                    await transaction.CommitAsync(ct);
                    sent++;
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or MailKit.ProtocolException or MailKit.CommandException or AuthenticationException)
                {
                    failed++;
                    LogSendFailed(logger, e.GetType().Name);
                    smtp?.Dispose();
                    smtp = null;
                }
            }
        }
        finally
        {
            if (smtp is not null)
            {
                await smtp.DisconnectAsync(quit: true, CancellationToken.None);
                smtp.Dispose();
            }
        }

        LogDigests(logger, sent, failed);
        return failed == 0
            ? sent
            : throw new InvalidOperationException($"{failed} Zusammenfassung(en) konnten nicht verschickt werden; der Auftrag wird wiederholt.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Zusammenfassung konnte nicht verschickt werden ({Error}).")]
    private static partial void LogSendFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tägliche Zusammenfassung: {Sent} verschickt, {Failed} fehlgeschlagen.")]
    private static partial void LogDigests(ILogger logger, int sent, int failed);

    public static string Subject(int due) => due == 1 ? "CaseManagement: 1 fällige Erinnerung" : $"CaseManagement: {due} fällige Erinnerungen";

    public static string Text(int due, int fresh, string baseUrl) =>
        $"""
        Guten Morgen,

        in CaseManagement {(due == 1 ? "wartet heute 1 fällige Erinnerung" : $"warten heute {due} fällige Erinnerungen")} auf Sie, davon {fresh} neu.

        Zu Ihren Erinnerungen: {baseUrl.TrimEnd('/')}/erinnerungen

        Diese E-Mail enthält bewusst keine Angaben zu Klientinnen und Klienten.
        Die tägliche Zusammenfassung können Sie unter „Erinnerungen“ abbestellen.
        """;
}
