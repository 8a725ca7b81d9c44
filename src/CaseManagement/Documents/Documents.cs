using Marten;

namespace CaseManagement.Documents;

/// <summary>What a document attached to a case is.</summary>
public enum DocumentKind
{
    /// <summary>Unterschriebener Plan: uploading it records the plan's signature day.</summary>
    SignedPlan,

    /// <summary>Aufenthaltsdokument.</summary>
    ResidenceDocument,

    /// <summary>Nachweis/Zeugnis.</summary>
    Certificate,

    /// <summary>Schreiben.</summary>
    Letter,

    /// <summary>Sonstiges.</summary>
    Other,
}

/// <summary>A file was attached to the case; its bytes are in <c>cases.document_contents</c>, not in the event.</summary>
public sealed record DocumentAttached(
    Guid CaseId, Guid DocumentId, string Title, DocumentKind Kind, LocalDate Date, string ContentType, long Size, Guid AttachedBy, Instant AttachedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => AttachedBy;

    Instant ICaseEvent.At => AttachedAt;
}

/// <summary>A document was deleted: who, when, which title and why — the bytes are gone, the content is not in the event.</summary>
public sealed record DocumentDeleted(Guid CaseId, Guid DocumentId, string Title, string? Reason, Guid DeletedBy, Instant DeletedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => DeletedBy;

    Instant ICaseEvent.At => DeletedAt;
}

/// <summary>A document as the case page and the API list it.</summary>
public sealed record DocumentView(Guid Id, string Title, DocumentKind Kind, LocalDate Date, string ContentType, long Size, Guid UploadedBy, Instant UploadedAt);

/// <summary>A document attached: the case's new version and the document's id.</summary>
public sealed record AttachedDocument(Guid CaseId, Guid DocumentId, long Version);

/// <summary>
/// Attach a file to a case (title, kind, date). The file is checked by its content (<see cref="DocumentFiles"/>),
/// streamed to PostgreSQL and then recorded through the gate at the version the client saw (the API's <c>If-Match</c>), or,
/// from the case page, as a fact added whatever the version (null: no upload of 20 MB is lost to a change someone else made meanwhile). A signed plan also records the plan's signature
/// on the document's date (<see cref="PlanSignatureRules"/>). <paramref name="Content"/> must be seekable.
/// </summary>
public sealed record AttachDocument(Guid CaseId, long? ExpectedVersion, string? Title, DocumentKind? Kind, LocalDate? Date, Stream? Content, long Length)
    : ICommand<Outcome<AttachedDocument>>;

public sealed class AttachDocumentHandler(CaseGate gate, IQuerySession session, AppDbContext db, ICurrentUser user, IClock clock, DocumentContents contents)
    : ICommandHandler<AttachDocument, Outcome<AttachedDocument>>
{
    public const int MaxTitleLength = 200;

    /// <summary>Documents are dated from 01.01.1900 up to today.</summary>
    public static DateRange Dates(LocalDate today) => DateRange.Life(today);

    public static string KindLabel(DocumentKind kind) => Labels.Of(kind);

    public async ValueTask<Outcome<AttachedDocument>> Handle(AttachDocument command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var today = clock.Today();
        var checks = new Checks();
        var (problem, type) = DocumentFiles.Check(command.Content, command.Length);
        if (problem != DocumentFileProblem.None)
        {
            checks.Add("File", DocumentFiles.Message(problem));
        }

        checks.Text(command.Title, MaxTitleLength, nameof(AttachDocument.Title), "einen Titel", required: true);
        checks.Defined(command.Kind, nameof(AttachDocument.Kind), "Bitte die Art des Dokuments wählen.");
        if (command.Kind == DocumentKind.SignedPlan)
        {
            if (PlanSignatureRules.Check(command.Date, today, nameof(AttachDocument.Date)) is { } signature)
            {
                checks.Add(signature.Field, signature.Message);
            }
        }
        else
        {
            checks.Date(command.Date, Dates(today), nameof(AttachDocument.Date), "das Datum des Dokuments");
        }

        if (checks.Failed)
        {
            return Outcome<AttachedDocument>.Failure(checks.Errors);
        }

        // Not found before a byte is written; the processing rules and the decision follow in the gate.
        await CaseAccess.Require(session, db, user, command.CaseId, cancellationToken);
        var documentId = Guid.CreateVersion7();
        var size = await contents.WriteAsync(user.OrganisationId, command.CaseId, documentId, command.Content!, cancellationToken);
        Outcome<CaseChanged> outcome;
        try
        {
            var title = command.Title!.Trim();
            outcome = await gate.Change(command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
                state => Decide(state, documentId, title, command.Kind!.Value, command.Date!.Value, type!.ContentType, size, user.UserId, clock.GetCurrentInstant()),
                cancellationToken);
        }
        catch
        {
            await contents.DeleteAsync(user.OrganisationId, command.CaseId, documentId, CancellationToken.None);
            throw;
        }

        if (!outcome.Succeeded)
        {
            await contents.DeleteAsync(user.OrganisationId, command.CaseId, documentId, CancellationToken.None);
            return outcome.As<AttachedDocument>();
        }

        return Outcome<AttachedDocument>.Success(new AttachedDocument(command.CaseId, documentId, outcome.Value!.Version));
    }

    /// <summary>The pure decision: the document attached; a signed plan also signs the plan on the document's date.</summary>
    public static object[] Decide(ClientCase state, Guid documentId, string title, DocumentKind kind, LocalDate date, string contentType, long size, Guid by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ClientCaseDecisions.RequireNotClosed(state);
        var attached = new DocumentAttached(state.Id, documentId, title, kind, date, contentType, size, by, at);
        return kind == DocumentKind.SignedPlan ? [attached, PlanSignatureRules.Sign(state, date, by, at)] : [attached];
    }
}

/// <summary>Delete a document: a reason is required; the event keeps who, when, which title and why; the bytes are removed.</summary>
public sealed record DeleteDocument(Guid CaseId, long? ExpectedVersion, Guid DocumentId, string? Reason) : ICommand<Outcome<CaseChanged>>;

public sealed class DeleteDocumentHandler(CaseGate gate, ICurrentUser user, IClock clock, DocumentContents contents)
    : ICommandHandler<DeleteDocument, Outcome<CaseChanged>>
{
    public const int MaxReasonLength = 1000;

    public async ValueTask<Outcome<CaseChanged>> Handle(DeleteDocument command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        checks.Text(command.Reason, MaxReasonLength, nameof(DeleteDocument.Reason), "den Grund der Löschung", required: true);
        var outcome = await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work,
            state => [Decide(state, command.DocumentId, command.Reason!.Trim(), user.UserId, clock.GetCurrentInstant())], cancellationToken);
        if (outcome.Succeeded)
        {
            await contents.DeleteAsync(user.OrganisationId, command.CaseId, command.DocumentId, CancellationToken.None);
        }

        return outcome;
    }

    /// <summary>The pure decision: a document of the case (else not found) is deleted.</summary>
    public static DocumentDeleted Decide(ClientCase state, Guid documentId, string reason, Guid by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ClientCaseDecisions.RequireNotClosed(state);
        return state.Documents.TryGetValue(documentId, out var title)
            ? new DocumentDeleted(state.Id, documentId, title, reason, by, at)
            : throw new NotFoundException("Document");
    }
}

/// <summary>A document to download: its metadata and how to copy its bytes (chunk by chunk) to a stream.</summary>
public sealed record DocumentDownload(DocumentView Document, Func<Stream, CancellationToken, Task> CopyTo)
{
    public string FileName => DocumentFiles.FileName(Document.Title, Document.ContentType);
}

/// <summary>
/// One document of a case, for those who may read the case (else not found); every download is in the access log
/// ("Dokument").
/// </summary>
public sealed record GetDocument(Guid CaseId, Guid DocumentId) : IQuery<DocumentDownload>;

public sealed class GetDocumentHandler(IQuerySession session, AppDbContext db, ICurrentUser user, DataProtection.CaseAccessLog accessLog, DocumentContents contents)
    : IQueryHandler<GetDocument, DocumentDownload>
{
    public const string AccessLogWhat = "Dokument";

    public async ValueTask<DocumentDownload> Handle(GetDocument query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var summary = await CaseAccess.Load(session, db, user, query.CaseId, cancellationToken);
        var document = summary.Documents.FirstOrDefault(d => d.Id == query.DocumentId) ?? throw new NotFoundException("Document");
        await accessLog.RecordAsync(query.CaseId, AccessLogWhat, cancellationToken);
        var organisationId = user.OrganisationId;
        return new DocumentDownload(document, async (destination, ct) =>
        {
            if (!await contents.CopyToAsync(organisationId, query.CaseId, query.DocumentId, destination, ct))
            {
                throw new NotFoundException("Document");
            }
        });
    }
}
