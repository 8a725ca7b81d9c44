using CaseManagement.Web.Infrastructure;

namespace CaseManagement.Tests.Infrastructure;

/// <summary>
/// Certificates for the data-protection key ring, made by the application's own generator (the
/// <c>create-certificate</c> verb) into a temporary folder that is removed when the test run ends.
/// Every application under test encrypts its key ring with <see cref="KeyRing"/>, as production must.
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("cm-test-certificates-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return folder;
    });

    private static readonly Lazy<Certificate> Shared = new(Create);

    /// <summary>The certificate of every application under test.</summary>
    public static Certificate KeyRing => Shared.Value;

    /// <summary>A new, different certificate.</summary>
    public static Certificate Create()
    {
        var password = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var path = Path.Combine(Folder.Value, Guid.NewGuid().ToString("N") + ".pfx");
        File.WriteAllBytes(path, KeyRingProtection.CreateSelfSigned(NodaTime.SystemClock.Instance.GetCurrentInstant(), password));
        return new Certificate(path, password);
    }

    public sealed record Certificate(string Path, string Password);
}
