using System.Text.Json;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;

namespace CaseManagement.DataProtection;

/// <summary>
/// One completed erasure as the erasure log keeps it outside the database (README "Sicherung und Wiederherstellung"):
/// ids, the case number and when — no name, no reason text (the reason a DPO typed may name the person).
/// </summary>
public sealed record ErasureLogEntry(Guid ErasureId, Guid OrganisationId, Guid CaseId, string CaseNumber, ErasureTrigger Trigger, DateTimeOffset CompletedAt);

/// <summary>
/// Carries Art. 17 erasures into restored backups. <c>export-erasures &lt;file&gt;</c> writes every completed erasure
/// of the live database (table <c>identity.erasures</c>) as JSON lines; the file is kept apart from the backups and
/// at least as long as they are. After a restore, <c>replay-erasures &lt;file&gt;</c> erases again every case the log
/// names (<see cref="CaseEraser"/>: safe on a case that is already erased) together with every completed erasure
/// the restored table itself holds, and records the log's erasures in the restored table.
/// </summary>
public sealed class ErasureReplay(AppDbContext db, CaseEraser eraser)
{
    /// <summary>The reason recorded for an erasure that the restored database learns from the log.</summary>
    public const string ReplayedReason = "Nach einer Wiederherstellung aus dem Löschprotokoll erneut angewendet.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<ErasureLogEntry>> CompletedAsync(CancellationToken ct) =>
        (await Ef.ToListAsync(db.Erasures.Where(e => e.Status == ErasureStatus.Completed), ct))
        .Select(e => new ErasureLogEntry(e.Id, e.OrganisationId, e.CaseId, e.CaseNumber, e.Trigger, e.CompletedAt ?? e.RequestedAt))
        .OrderBy(e => e.CompletedAt)
        .ToList();

    public async Task<int> ExportAsync(string path, CancellationToken ct)
    {
        var entries = await CompletedAsync(ct);
        await File.WriteAllLinesAsync(path, entries.Select(e => JsonSerializer.Serialize(e, Json)), ct);
        return entries.Count;
    }

    public static async Task<IReadOnlyList<ErasureLogEntry>> ReadAsync(string path, CancellationToken ct) =>
        (await File.ReadAllLinesAsync(path, ct))
        .Where(line => !string.IsNullOrWhiteSpace(line))
        .Select(line => JsonSerializer.Deserialize<ErasureLogEntry>(line, Json)
                        ?? throw new InvalidDataException("Eine Zeile des Löschprotokolls ist leer."))
        .ToList();

    /// <summary>Erases again what <paramref name="log"/> and the restored table name; returns how many erasures were applied.</summary>
    public async Task<int> ReplayAsync(IReadOnlyList<ErasureLogEntry> log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        var known = (await CompletedAsync(ct)).ToDictionary(e => e.ErasureId);
        var all = known.Values.Concat(log.Where(e => !known.ContainsKey(e.ErasureId))).DistinctBy(e => e.ErasureId).OrderBy(e => e.CompletedAt).ToList();
        foreach (var entry in all)
        {
            await eraser.EraseAsync(entry.OrganisationId, entry.CaseId, entry.ErasureId, Guid.Empty, ct);
            if (known.ContainsKey(entry.ErasureId))
            {
                continue;
            }

            // The restored table may still hold the request (confirmed only after the backup) or nothing at all.
            if (await Ef.SingleOrDefaultAsync(db.Erasures, e => e.Id == entry.ErasureId, ct) is { } requested)
            {
                requested.Status = ErasureStatus.Completed;
                requested.CompletedAt = entry.CompletedAt;
            }
            else
            {
                db.Erasures.Add(new ErasureRecord
                {
                    Id = entry.ErasureId,
                    OrganisationId = entry.OrganisationId,
                    CaseId = entry.CaseId,
                    CaseNumber = entry.CaseNumber,
                    Reason = ReplayedReason,
                    LegalBasis = "Art. 17 DSGVO",
                    Trigger = entry.Trigger,
                    Status = ErasureStatus.Completed,
                    RequestedAt = entry.CompletedAt,
                    CompletedAt = entry.CompletedAt,
                });
            }

            await db.SaveChangesAsync(ct);
        }

        return all.Count;
    }
}
