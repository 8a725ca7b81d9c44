using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using CaseManagement.Reminders;
using ICSharpCode.SharpZipLib.Zip;
using Marten;
using NodaTime.Serialization.SystemTextJson;
using Ef = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions;

namespace CaseManagement.DataProtection;

/// <summary>The export file (DSGVO Art. 15 and 20): a ZIP with <c>fall.json</c> and <c>auskunft.html</c>.</summary>
public sealed record SubjectExportFile(string FileName, byte[] Content, bool Encrypted);

/// <summary>
/// Export of everything about the data subject of a case: the current state, every event with moment and
/// author role, consultations, goals, consent records, reminders and the access-log entries, as
/// machine-readable JSON and as a German HTML document; optionally an AES-256 encrypted ZIP. Staff appear by
/// role, household members by case number only. The export is written to the access log; nothing is kept on disk.
/// </summary>
public sealed record ExportSubject(Guid CaseId, string? Password = null, string? Purpose = null) : IQuery<Outcome<SubjectExportFile>>;

public sealed class ExportSubjectHandler(
    IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock, CaseAccessLog accessLog, RetentionSettings retention, AccessLogSettings accessLogSettings,
    DocumentContents documents)
    : IQueryHandler<ExportSubject, Outcome<SubjectExportFile>>
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 200;

    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Converters = { new JsonStringEnumConverter() },
    }.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);

    public async ValueTask<Outcome<SubjectExportFile>> Handle(ExportSubject query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisationId = user.RequireDataProtectionOfficer();
        var c = await session.LoadAsync<CaseSummary>(query.CaseId, cancellationToken) ?? throw new NotFoundException("Case");
        if (!string.IsNullOrEmpty(query.Password) && query.Password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            return Outcome<SubjectExportFile>.Fail("Password", $"Das Passwort muss {MinPasswordLength} bis {MaxPasswordLength} Zeichen lang sein (oder leer bleiben).");
        }

        var checks = new Checks();
        checks.Text(query.Purpose, FindSubjectsHandler.MaxPurposeLength, "Purpose", "den Zweck");
        if (checks.Failed)
        {
            return Outcome<SubjectExportFile>.Failure(checks.Errors);
        }

        var now = clock.GetCurrentInstant();
        var events = await session.Events.FetchStreamAsync(c.Id, token: cancellationToken);
        var staff = await Staff(organisationId, cancellationToken);
        string Role(Guid id) => id == Guid.Empty ? "System (Aufbewahrungsfrist)" : staff.GetValueOrDefault(id, "Mitarbeiter:in");

        var reminders = await Ef.ToListAsync(Ef.AsNoTracking(db.Reminders).Where(r => r.OrganisationId == organisationId && r.CaseId == c.Id).OrderBy(r => r.DueOn), cancellationToken);
        var reads = await Ef.ToListAsync(Ef.AsNoTracking(db.CaseAccessLog).Where(e => e.OrganisationId == organisationId && e.CaseId == c.Id).OrderBy(e => e.At), cancellationToken);
        var organisation = await OrganisationNames.Of(db, organisationId, cancellationToken);

        var history = events.Where(e => e.Data is ICaseEvent).Select(e => new ExportedEvent(
            e.Version, e.Data.GetType().Name, ((ICaseEvent)e.Data).At, Role(((ICaseEvent)e.Data).Actor), CaseHistory.Describe(e.Data),
            WithoutStaffIds(JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), Json), staff))).ToList();
        var accessLogEntries = reads.Select(e => new ExportedRead(Instant.FromDateTimeOffset(e.At), Roles.Label(e.Role), e.Channel, e.What, e.Purpose)).ToList();
        var document = new ExportDocument(
            "CaseManagement-Auskunft/1",
            "Art. 15 und Art. 20 DSGVO",
            now,
            organisation,
            c.CaseNumber,
            ProcessingInformationRules.For(c, organisation, history, accessLogEntries, reminders.Count, retention, accessLogSettings),
            WithoutStaffIds(JsonSerializer.SerializeToNode(c, Json), staff),
            history,
            c.Consultations,
            c.Goals,
            history.Where(e => e.Type is nameof(ConsentRecorded) or nameof(ConsentWithdrawn)).ToList(),
            reminders.Select(r => new ExportedReminder(r.Kind, ReminderLabel(r.Kind), LocalDate.FromDateOnly(r.DueOn), Instant.FromDateTimeOffset(r.CreatedAt),
                r.DoneAt is { } done ? Instant.FromDateTimeOffset(done) : null, r.SnoozedUntil is { } s ? LocalDate.FromDateOnly(s) : null)).ToList(),
            accessLogEntries,
            c.Household.Select(m => new ExportedHouseholdMember(m.CaseNumber, HouseholdRules.RelationLabel(m.Relation))).ToList());

        var json = JsonSerializer.SerializeToUtf8Bytes(document, Json);
        var html = Encoding.UTF8.GetBytes(ExportHtml.Render(document, c));
        var encrypted = !string.IsNullOrEmpty(query.Password);
        // The documents' files, each streamed from the database into the ZIP (folder "dokumente/", numbered so that equal titles do not clash).
        var files = c.Documents.Select((d, i) => (
            $"dokumente/{i + 1:00}-{DocumentFiles.FileName(d.Title, d.ContentType)}",
            (Func<Stream, CancellationToken, Task>)((target, ct) => documents.CopyToAsync(organisationId, c.Id, d.Id, target, ct)))).ToList();
        var zip = await ZipAsync([("fall.json", json), ("auskunft.html", html)], files, query.Password, now, cancellationToken);
        await accessLog.RecordAsync(c.Id, "Export", query.Purpose ?? "Auskunft/Datenübertragbarkeit (Art. 15/20 DSGVO)", cancellationToken);
        return Outcome<SubjectExportFile>.Success(new SubjectExportFile($"auskunft-{c.CaseNumber}.zip", zip, encrypted));
    }

    /// <summary>Every user of the organisation (and its teams) by id, with the role label that replaces the id in the export.</summary>
    private async Task<Dictionary<Guid, string>> Staff(Guid organisationId, CancellationToken ct)
    {
        var roles = await Ef.ToListAsync(
            from u in db.Users
            where u.OrganisationId == organisationId
            join ur in db.UserRoles on u.Id equals ur.UserId into userRoles
            from ur in userRoles.DefaultIfEmpty()
            join r in db.Roles on ur.RoleId equals r.Id into roleNames
            from r in roleNames.DefaultIfEmpty()
            select new { u.Id, Role = r == null ? null : r.Name }, ct);
        var staff = roles.GroupBy(x => x.Id).ToDictionary(g => g.Key, g => string.Join(", ", g.Where(x => x.Role is not null).Select(x => Roles.Label(x.Role!))));
        foreach (var team in await Ef.ToListAsync(db.Teams.Where(t => t.OrganisationId == organisationId).Select(t => t.Id), ct))
        {
            staff[team] = "Team";
        }

        return staff;
    }

    /// <summary>Ids of staff members and teams in the JSON are replaced by their role ("Integrationsmanager:in", "Team").</summary>
    private static JsonNode? WithoutStaffIds(JsonNode? node, Dictionary<Guid, string> staff)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.ToList())
                {
                    o[key] = WithoutStaffIds(value?.DeepClone(), staff);
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    a[i] = WithoutStaffIds(a[i]?.DeepClone(), staff);
                }

                return a;
            case JsonValue v when v.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id) && staff.TryGetValue(id, out var role):
                return JsonValue.Create(role);
            default:
                return node;
        }
    }

    private static string ReminderLabel(string kind) => Enum.TryParse<ReminderKind>(kind, out var k) ? ReminderRules.Label(k) : kind;

    private static async Task<byte[]> ZipAsync(
        IEnumerable<(string Name, byte[] Content)> files, IEnumerable<(string Name, Func<Stream, CancellationToken, Task> CopyTo)> streamed, string? password, Instant now,
        CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipOutputStream(buffer))
        {
            zip.SetLevel(6);
            if (!string.IsNullOrEmpty(password))
            {
                zip.Password = password;
            }

            foreach (var (name, content) in files)
            {
                var entry = new ZipEntry(name) { DateTime = now.ToDateTimeUtc(), Size = content.Length };
                if (!string.IsNullOrEmpty(password))
                {
                    entry.AESKeySize = 256;
                }

                zip.PutNextEntry(entry);
                zip.Write(content, 0, content.Length);
                zip.CloseEntry();
            }

            foreach (var (name, copyTo) in streamed)
            {
                var entry = new ZipEntry(name) { DateTime = now.ToDateTimeUtc() };
                if (!string.IsNullOrEmpty(password))
                {
                    entry.AESKeySize = 256;
                }

                zip.PutNextEntry(entry);
                await copyTo(zip, ct);
                zip.CloseEntry();
            }

            zip.Finish();
        }

        return buffer.ToArray();
    }
}

public sealed record ExportedEvent(long Version, string Type, Instant At, string AuthorRole, string Description, JsonNode? Data);

public sealed record ExportedReminder(string Kind, string Label, LocalDate DueOn, Instant CreatedAt, Instant? DoneAt, LocalDate? SnoozedUntil);

public sealed record ExportedRead(Instant At, string Role, string Channel, string What, string? Purpose);

public sealed record ExportedHouseholdMember(string CaseNumber, string Relation);

public sealed record ExportDocument(
    string Format,
    string LegalBasis,
    Instant ExportedAt,
    string Organisation,
    string CaseNumber,
    ProcessingInformation Processing,
    JsonNode? Case,
    IReadOnlyList<ExportedEvent> Events,
    IReadOnlyList<ConsultationView> Consultations,
    IReadOnlyList<GoalView> Goals,
    IReadOnlyList<ExportedEvent> ConsentRecords,
    IReadOnlyList<ExportedReminder> Reminders,
    IReadOnlyList<ExportedRead> AccessLog,
    IReadOnlyList<ExportedHouseholdMember> Household);

/// <summary>The human-readable part of the export: a German HTML document that prints on A4.</summary>
internal static class ExportHtml
{
    /// <summary>HTML-encodes markup characters only: German letters stay readable (no numeric entities).</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Render(ExportDocument d, CaseSummary c)
    {
        var html = new StringBuilder();
        void Line(string text) => html.Append(text).Append('\n');
        string E(string? text) => Encoder.Encode(text ?? "");
        string D(LocalDate? date) => date is { } x ? Time.Format(x) : "–";
        string M(Instant at) => at.InZone(Time.Berlin).ToString("dd.MM.yyyy HH:mm", CultureInfo.InvariantCulture);
        void Row(string label, string? value) => Line($"<tr><th scope=\"row\">{E(label)}</th><td>{E(string.IsNullOrWhiteSpace(value) ? "–" : value)}</td></tr>");
        void Table(string caption, string[] headers, IEnumerable<string?[]> rows)
        {
            var list = rows.ToList();
            Line($"<h2>{E(caption)}</h2>");
            if (list.Count == 0)
            {
                Line("<p>Keine Einträge.</p>");
                return;
            }

            Line("<table><thead><tr>" + string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>")) + "</tr></thead><tbody>");
            foreach (var row in list)
            {
                Line("<tr>" + string.Concat(row.Select(cell => $"<td>{E(cell)}</td>")) + "</tr>");
            }

            Line("</tbody></table>");
        }

        Line("<!DOCTYPE html>");
        Line($"<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Auskunft – Fall {E(d.CaseNumber)}</title>");
        Line("<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;color:#111}table{border-collapse:collapse;width:100%;margin-bottom:1rem}"
             + "th,td{border:1px solid #555;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eee}</style></head><body>");
        Line($"<h1>Auskunft über gespeicherte Daten (Art. 15 DSGVO)</h1>");
        Line($"<p>{E(d.Organisation)} · Fall {E(d.CaseNumber)} · erstellt am {E(M(d.ExportedAt))}. "
             + "Die Datei <code>fall.json</code> enthält dieselben Angaben maschinenlesbar (Art. 20 DSGVO).</p>");

        RenderProcessing(d.Processing, Line, E, M);

        Line("<h2>Person</h2><table><tbody>");
        Row("Name", $"{c.FirstName} {c.LastName}");
        Row("Geburtsdatum", D(c.BirthDate));
        Row("Geschlecht", FundingReportBuilder.GenderLabel(c.Gender));
        Row("Staatsangehörigkeit", CountryNames.Name(c.Nationality));
        Row("Sprachen", string.Join(", ", c.Languages.Select(LanguageNames.Name)));
        Row("Dolmetschsprache", LanguageNames.Name(c.InterpreterLanguage));
        Row("Eingereist am", D(c.ArrivedOn));
        Row("Wohnform", $"{EligibilityCheck.HousingLabel(c.Housing)} seit {D(c.HousingSince)}");
        Row("Aufenthaltsstatus", EligibilityCheck.ResidenceLabel(c.Residence) + (c.ResidenceValidUntil is { } until ? $", gültig bis {D(until)}" : ""));
        Row("Zielgruppe", CaseHistory.Verdict(c.Verdict) + (c.EligibilityReasons.Count > 0 ? ": " + string.Join(" ", c.EligibilityReasons) : ""));
        Row("Begleitung", $"{D(c.SupportStart)} bis {D(c.SupportEnd)}");
        Row("Stand des Falls", c.Status switch { CaseStatus.Open => "offen", CaseStatus.Paused => "ruhend", _ => $"abgeschlossen am {D(c.ClosedOn)}" });
        Row("Telefon", c.Contact.Phone);
        Row("E-Mail", c.Contact.Email);
        Row("Anschrift", string.Join(", ", new[] { c.Contact.Street, $"{c.Contact.PostalCode} {c.Contact.City}".Trim() }.Where(x => !string.IsNullOrWhiteSpace(x))));
        Row("Einschränkung der Verarbeitung", c.Restriction is { } r ? $"seit {M(r.RestrictedAt)}: {r.Reason}" : "keine");
        Line("</tbody></table>");

        Table("Einwilligungen", ["Zeitpunkt", "Erfasst von", "Vorgang"], d.ConsentRecords.Select(e => new[] { M(e.At), e.AuthorRole, e.Description }));

        Line("<h2>Profil</h2><table><tbody>");
        Row("Qualifikationen", c.Profile.Qualifications);
        Row("Kompetenzen", c.Profile.Competences);
        Row("Schuljahre", c.Profile.SchoolYears?.ToString(CultureInfo.InvariantCulture));
        Row("Schulabschluss", c.Profile.SchoolCertificate);
        Row("Land der Schule", c.Profile.SchoolCountry);
        Row("Berufsabschluss", c.Profile.VocationalDegree);
        Row("Berufserfahrung", c.Profile.WorkExperience);
        Line("</tbody></table>");
        Table("Sprachniveaus", ["Sprache", "Niveau", "Grundlage", "Zertifikat", "am"],
            c.LanguageLevels.Select(l => new[] { LanguageNames.Name(l.Language), l.Level.ToString(), ProfileLabels.Basis(l.Basis), l.Certificate, D(l.AssessedOn) }));
        Table("Individuelle Entwicklungen", ["Datum", "Eintrag"], c.Developments.Select(x => new[] { D(x.Date), x.Text }));

        Table("Integrationsplan: Ziele", ["Handlungsfeld", "Ziel", "vereinbart", "Zieltermin", "Stand", "Schritte"],
            c.Goals.Select(g => new[]
            {
                Goals.FieldLabel(g.Field), g.Text, D(g.AgreedOn), D(g.TargetDate), Goals.StatusLabel(g.Status) + (g.StatusReason is null ? "" : $" ({g.StatusReason})"),
                string.Join("; ", g.Steps.Select(s => $"{s.Text} ({GoalSteps.ResponsibleLabel(s.Responsible, s.Service)}, fällig {D(s.DueDate)}{(s.CompletedOn is { } done ? $", erledigt {D(done)}" : "")})")),
            }));
        Table("Vermittlungen", ["Datum", "an", "Notiz"], c.Referrals.Select(x => new[] { D(x.Date), x.Label, x.Note }));
        Table("Beratungskontakte", ["Datum", "Dauer (Min.)", "Art", "Themen", "Dolmetschung", "Notiz"],
            c.Consultations.Select(k => new[]
            {
                D(k.Date), k.DurationMinutes.ToString(CultureInfo.InvariantCulture), RecordConsultationHandler.ModeLabel(k.Mode),
                string.Join(", ", k.Fields.Select(Goals.FieldLabel)), LanguageNames.Name(k.InterpreterLanguage), k.Note,
            }));
        Table("Dokumente (die Dateien liegen im Ordner „dokumente“ dieser ZIP-Datei)", ["Titel", "Art", "Datum", "Dateityp", "Größe (Bytes)", "hochgeladen"],
            c.Documents.Select(x => new[]
            {
                x.Title, AttachDocumentHandler.KindLabel(x.Kind), D(x.Date), x.ContentType, x.Size.ToString(CultureInfo.InvariantCulture), M(x.UploadedAt),
            }));
        Table("Haushalt (andere Fälle nur mit Fallnummer)", ["Fallnummer", "Beziehung"], d.Household.Select(m => new[] { m.CaseNumber, m.Relation }));
        Table("Verlauf: alle Änderungen", ["Zeitpunkt", "durch (Rolle)", "Änderung"], d.Events.Select(e => new[] { M(e.At), e.AuthorRole, e.Description }));
        Table("Erinnerungen", ["Art", "fällig am", "erledigt"], d.Reminders.Select(r => new[] { r.Label, D(r.DueOn), r.DoneAt is { } done ? M(done) : "offen" }));
        Table("Zugriffe auf die Fallakte", ["Zeitpunkt", "Rolle", "Kanal", "gelesen", "Zweck"], d.AccessLog.Select(a => new[] { M(a.At), a.Role, a.Channel, a.What, a.Purpose }));

        Line("</body></html>");
        return html.ToString();
    }

    /// <summary>The information Art. 15 Abs. 1 lit. a–h DSGVO asks for, before the data itself.</summary>
    private static void RenderProcessing(ProcessingInformation p, Action<string> line, Func<string?, string> e, Func<Instant, string> moment)
    {
        void List(string heading, IEnumerable<string> items) =>
            line($"<h2>{e(heading)}</h2><ul>" + string.Concat(items.Select(i => $"<li>{e(i)}</li>")) + "</ul>");

        line("<section id=\"art15\">");
        List("Zwecke der Verarbeitung (Art. 15 Abs. 1 lit. a DSGVO)", p.Purposes);
        List("Kategorien personenbezogener Daten in dieser Fallakte (lit. b)", p.DataCategories.Select(c => $"{c.Name}: {c.Contents}"));
        line($"<h2>{e("Empfänger (lit. c)")}</h2>");
        line("<p>Innerhalb des Trägers haben folgende Rollen die Fallakte gelesen (laut Zugriffsprotokoll) oder geändert (laut Verlauf); "
             + "Personen werden nicht genannt.</p>");
        line("<table><thead><tr><th scope=\"col\">Organisation</th><th scope=\"col\">Rolle</th><th scope=\"col\">Lesezugriffe</th>"
             + "<th scope=\"col\">Änderungen</th><th scope=\"col\">erster Zugriff</th><th scope=\"col\">letzter Zugriff</th></tr></thead><tbody>");
        foreach (var r in p.Recipients)
        {
            line($"<tr><td>{e(r.Organisation)}</td><td>{e(r.Role)}</td><td>{r.Reads}</td><td>{r.Changes}</td>"
                 + $"<td>{e(r.FirstReadAt is { } first ? moment(first) : "–")}</td><td>{e(r.LastReadAt is { } last ? moment(last) : "–")}</td></tr>");
        }

        line("</tbody></table>");
        line("<ul>" + string.Concat(p.RecipientsOutsideTheOrganisation.Select(i => $"<li>{e(i)}</li>")) + "</ul>");
        line($"<h2>{e("Speicherdauer (lit. d)")}</h2><p>{e(p.Storage.Description)}</p>");
        List("Ihre Rechte (lit. e und f)", [.. p.Rights, "Zuständige Aufsichtsbehörde: " + p.SupervisoryAuthority + "."]);
        List("Herkunft der Daten (lit. g)", p.Sources);
        line($"<h2>{e("Automatisierte Entscheidungen (lit. h)")}</h2><p>{e(p.AutomatedDecisionMaking.Description)}</p>");
        line("</section>");
    }
}
