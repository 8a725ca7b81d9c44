using PdfSharp;
using PdfSharp.Fonts;

namespace CaseManagement.Web.Features.Clients.Pdf;

/// <summary>
/// PDFsharp's process-wide settings, applied once and thread-safely: they live in static state that
/// throws when set again differently (the tests run many app instances in one process).
/// </summary>
public static class PdfSharpSetup
{
    /// <summary>Configuration key of a commercial PDFsharp licence; without it the AGPL-3.0 licence applies.</summary>
    public const string LicenseKeySetting = "Pdf:LicenseKey";

    private static readonly Lock Gate = new();
    private static bool applied;

    /// <summary>
    /// PDFsharp 6.5 requires choosing its licence in code: a commercial key when the operator configured
    /// one, otherwise the free AGPL-3.0 licence (see README, "PDF and licences").
    /// </summary>
    public static void Ensure(string? licenseKey)
    {
        lock (Gate)
        {
            if (applied)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(licenseKey))
            {
                PdfSharpLicense.SetAgplLicense();
            }
            else
            {
                PdfSharpLicense.LoadLicense(licenseKey.Trim());
            }

            if (GlobalFontSettings.FontResolver is null)
            {
                GlobalFontSettings.FontResolver = EmbeddedFontResolver.Instance;
            }
            else if (!ReferenceEquals(GlobalFontSettings.FontResolver, EmbeddedFontResolver.Instance))
            {
                throw new InvalidOperationException("Another PDFsharp font resolver is already installed.");
            }

            applied = true;
        }
    }
}
