using System.IO.Compression;
using System.Text;

namespace CaseManagement.Documents;

/// <summary>What is wrong with an uploaded file as a whole (the API answers 422, 413 and 415).</summary>
public enum DocumentFileProblem
{
    None,

    /// <summary>No file or an empty one (422).</summary>
    Empty,

    /// <summary>Larger than <see cref="DocumentFiles.MaxBytes"/> (413).</summary>
    TooLarge,

    /// <summary>Not a PDF, JPEG, PNG, DOCX or ODT by its content (415).</summary>
    UnsupportedType,
}

/// <summary>An accepted file: its content type (from the content, not the name) and the file-name extension that goes with it.</summary>
public sealed record DocumentFileType(string ContentType, string Extension);

/// <summary>
/// The files a case takes: PDF, JPEG, PNG, DOCX and ODT of at most 20 MB, recognised by their content — the first
/// bytes (PDF, JPEG, PNG) and, for the two ZIP-based formats, the ZIP's structure: DOCX has <c>[Content_Types].xml</c>
/// and entries under <c>word/</c>, ODT an entry <c>mimetype</c> reading <c>application/vnd.oasis.opendocument.text</c>.
/// The name a file was uploaded with plays no part.
/// </summary>
public static class DocumentFiles
{
    /// <summary>20 MB (20 × 1,024 × 1,024 bytes).</summary>
    public const long MaxBytes = 20L * 1024 * 1024;

    /// <summary>The request size the upload endpoints allow: the file plus 1 MB for the other fields and the multipart framing.</summary>
    public const long MaxRequestBytes = MaxBytes + (1024 * 1024);

    public static readonly DocumentFileType Pdf = new("application/pdf", ".pdf");
    public static readonly DocumentFileType Jpeg = new("image/jpeg", ".jpg");
    public static readonly DocumentFileType Png = new("image/png", ".png");
    public static readonly DocumentFileType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly DocumentFileType Odt = new("application/vnd.oasis.opendocument.text", ".odt");

    public static readonly IReadOnlyList<DocumentFileType> Accepted = [Pdf, Jpeg, Png, Docx, Odt];

    /// <summary>The German message of a problem (one sentence each, for the field and the API's problem).</summary>
    public static string Message(DocumentFileProblem problem) => problem switch
    {
        DocumentFileProblem.Empty => "Bitte eine Datei wählen (sie darf nicht leer sein).",
        DocumentFileProblem.TooLarge => "Die Datei ist zu groß: Dokumente dürfen höchstens 20 MB groß sein.",
        DocumentFileProblem.UnsupportedType => "Dieser Dateityp wird nicht angenommen. Erlaubt sind PDF, JPEG, PNG, DOCX und ODT (geprüft wird der Inhalt, nicht der Dateiname).",
        _ => "",
    };

    /// <summary>
    /// Checks a file of <paramref name="length"/> bytes; <paramref name="content"/> must be seekable (it is read from
    /// the start and left at the start). The type is null unless the problem is <see cref="DocumentFileProblem.None"/>.
    /// </summary>
    public static (DocumentFileProblem Problem, DocumentFileType? Type) Check(Stream? content, long length)
    {
        if (content is null || length <= 0)
        {
            return (DocumentFileProblem.Empty, null);
        }

        if (length > MaxBytes)
        {
            return (DocumentFileProblem.TooLarge, null);
        }

        if (!content.CanSeek)
        {
            throw new ArgumentException("The document's content must be seekable (the upload is buffered by the server).", nameof(content));
        }

        try
        {
            var type = Detect(content);
            return type is null ? (DocumentFileProblem.UnsupportedType, null) : (DocumentFileProblem.None, type);
        }
        finally
        {
            content.Position = 0;
        }
    }

    private static ReadOnlySpan<byte> JpegStart => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static DocumentFileType? Detect(Stream content)
    {
        content.Position = 0;
        Span<byte> head = stackalloc byte[8];
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..read];
        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        if (head.StartsWith(JpegStart))
        {
            return Jpeg;
        }

        if (head.StartsWith(PngSignature))
        {
            return Png;
        }

        return head.StartsWith("PK\u0003\u0004"u8) ? ZipBased(content) : null;
    }

    /// <summary>DOCX or ODT by the ZIP's entries; anything else (another ZIP, a broken one) is not accepted.</summary>
    private static DocumentFileType? ZipBased(Stream content)
    {
        content.Position = 0;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToList();
            if (names.Contains("[Content_Types].xml", StringComparer.Ordinal) && names.Any(n => n.StartsWith("word/", StringComparison.Ordinal)))
            {
                return Docx;
            }

            if (zip.GetEntry("mimetype") is { Length: < 200 } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                return reader.ReadToEnd().Trim() == Odt.ContentType ? Odt : null;
            }

            return null;
        }
        catch (Exception broken) when (broken is InvalidDataException or IOException or ArgumentException or NotSupportedException)
        {
            // Not a readable ZIP (truncated, a central directory pointing nowhere …): not a DOCX or ODT.
            return null;
        }
    }

    /// <summary>The extension of a stored content type (".bin" for none of ours).</summary>
    public static string ExtensionOf(string contentType) =>
        Accepted.FirstOrDefault(t => t.ContentType == contentType)?.Extension ?? ".bin";

    /// <summary>A file name for a download or the export: the title without characters file systems refuse, and the type's extension.</summary>
    public static string FileName(string title, string contentType)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['/', '\\', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var name = new string(title.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray()).Trim().TrimEnd('.');
        return (name.Length == 0 ? "Dokument" : name[..Math.Min(name.Length, 120)]) + ExtensionOf(contentType);
    }
}
