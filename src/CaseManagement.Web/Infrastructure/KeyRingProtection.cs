using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using NodaTime;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The data-protection key ring (the keys behind sign-in cookies, bearer tokens and antiforgery tokens, stored in
/// <c>identity.data_protection_keys</c>) is encrypted with a certificate from configuration (section
/// <c>DataProtection</c>): <c>Certificate:Path</c> (PFX with private key) and <c>Certificate:Password</c>; after a
/// rotation the earlier certificates stay readable through <c>PreviousCertificates:n:Path</c> / <c>…:Password</c>.
/// Keys written before a certificate was configured stay readable (they carry no encryption). Production refuses
/// to start without a certificate. See docs/operations.md.
/// </summary>
public static class KeyRingProtection
{
    public const string Section = "DataProtection";

    /// <summary>Encrypts new keys with the configured certificate; decrypts with it and with the previous ones.</summary>
    public static IDataProtectionBuilder ProtectKeysFromConfiguration(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        if (Load(configuration.GetSection($"{Section}:Certificate"), $"{Section}__Certificate") is not { } current)
        {
            return builder;
        }

        builder.ProtectKeysWithCertificate(current);
        var previous = configuration.GetSection($"{Section}:PreviousCertificates").GetChildren()
            .Select(section => Load(section, $"{Section}__PreviousCertificates__{section.Key}"))
            .OfType<X509Certificate2>()
            .ToArray();
        builder.UnprotectKeysWithAnyCertificate([current, .. previous]);
        return builder;
    }

    /// <summary>In Production a node does not start without a certificate for the key ring.</summary>
    public static void RequireCertificateInProduction(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.IsProduction() && string.IsNullOrWhiteSpace(configuration[$"{Section}:Certificate:Path"]))
        {
            throw new InvalidOperationException(
                "Der Schlüsselbund der Anmeldungen (Data Protection) würde unverschlüsselt in der Datenbank liegen. In Production bitte ein Zertifikat angeben: "
                + "DataProtection__Certificate__Path (PFX-Datei mit privatem Schlüssel) und DataProtection__Certificate__Password; "
                + "ein neues erzeugt das Verb create-certificate (docs/operations.md).");
        }
    }

    /// <summary>
    /// Verb <c>create-certificate [&lt;pfx-file&gt;]</c>: writes a new self-signed certificate for the key ring to the given
    /// file (default <c>DataProtection:Certificate:Path</c>), protected with <c>DataProtection:Certificate:Password</c>.
    /// Never overwrites a file. Needs no database.
    /// </summary>
    public static async Task<int> CreateCertificateAsync(IConfiguration configuration, string[] args)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(args);
        var path = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : configuration[$"{Section}:Certificate:Path"];
        var password = configuration[$"{Section}:Certificate:Password"];
        if (string.IsNullOrWhiteSpace(path) || string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync(
                "Aufruf: create-certificate <pfx-Datei>  (Passwort aus DataProtection__Certificate__Password; ohne Datei: DataProtection__Certificate__Path)");
            return 2;
        }

        if (File.Exists(path))
        {
            await Console.Error.WriteLineAsync($"{path} gibt es schon; ein vorhandenes Zertifikat wird nicht überschrieben.");
            return 2;
        }

        var pfx = CreateSelfSigned(SystemClock.Instance.GetCurrentInstant(), password);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new FileStream(path, options))
        {
            await file.WriteAsync(pfx);
        }

        await Console.Out.WriteLineAsync($"Zertifikat für den Schlüsselbund geschrieben: {path}");
        return 0;
    }

    /// <summary>A self-signed RSA certificate (3072 bit, ten years from <paramref name="now"/>) as a password-protected PFX.</summary>
    public static byte[] CreateSelfSigned(Instant now, string password)
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=CaseManagement Data Protection", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var notBefore = now.ToDateTimeOffset().AddDays(-1);
        using var certificate = request.CreateSelfSigned(notBefore, notBefore.AddYears(10));
        return certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password);
    }

    private static X509Certificate2? Load(IConfigurationSection section, string setting)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{setting}__Path: die Datei „{path}“ gibt es nicht.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"]);
        }
        catch (CryptographicException)
        {
            throw new InvalidOperationException($"{setting}: „{path}“ lässt sich nicht öffnen – ist es eine PFX-Datei und stimmt {setting}__Password?");
        }

        if (certificate.GetRSAPrivateKey() is not { } privateKey)
        {
            certificate.Dispose();
            throw new InvalidOperationException($"{setting}: „{path}“ enthält keinen privaten RSA-Schlüssel; der Schlüsselbund braucht ihn zum Entschlüsseln.");
        }

        privateKey.Dispose();
        return certificate;
    }
}
