using PdfSharp.Fonts;

namespace CaseManagement.Web.Features.Clients.Pdf;

/// <summary>
/// Serves DejaVu Sans (regular, bold) from the assembly's embedded resources: PDFsharp's core build has no
/// font lookup on Linux, and shipping the font makes the PDF look the same on every host.
/// </summary>
public sealed class EmbeddedFontResolver : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";

    private const string RegularFace = "DejaVuSans";
    private const string BoldFace = "DejaVuSans-Bold";

    private EmbeddedFontResolver()
    {
    }

    private static readonly Lock Gate = new();

    /// <summary>The one instance: PDFsharp refuses a second, different resolver in the same process.</summary>
    public static EmbeddedFontResolver Instance { get; } = new();

    /// <summary>
    /// Makes this the process-wide PDFsharp font resolver, once and thread-safely: the setting is static state
    /// that throws when set again after use (the tests run many app instances in one process).
    /// </summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (!ReferenceEquals(GlobalFontSettings.FontResolver, Instance))
            {
                throw new InvalidOperationException("Another PDFsharp font resolver is already installed.");
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, FamilyName, StringComparison.OrdinalIgnoreCase)
            ? new FontResolverInfo(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic)
            : null;

    public byte[]? GetFont(string faceName)
    {
        if (faceName is not (RegularFace or BoldFace))
        {
            return null;
        }

        // LogicalName set in CaseManagement.Web.csproj.
        using var resource = typeof(EmbeddedFontResolver).Assembly.GetManifestResourceStream($"CaseManagement.Web.Pdf.Fonts.{faceName}.ttf")
            ?? throw new InvalidOperationException($"Font resource {faceName} is missing from the assembly.");
        using var bytes = new MemoryStream();
        resource.CopyTo(bytes);
        return bytes.ToArray();
    }
}
