using System.Globalization;
using Microsoft.AspNetCore.Identity;

namespace CaseManagement.SignIn;

/// <summary>
/// Passwords after NIST SP 800-63B: length over composition (12 to 128 characters, any characters, no rules
/// for upper case, digits or special characters); no password from the list of common and breached
/// passwords, none made of one such password with digits or symbols around it or repeated, no run like
/// "abcdefghijkl"; none containing the account's e-mail address or a part of its name.
/// Identity's own validator checks the minimum length (<c>Password.RequiredLength</c>).
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<UserAccount>
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    /// <summary>Words of this service that make a password guessable for it.</summary>
    private static readonly string[] ServiceWords = ["casemanagement", "integrationsmanagement", "integrationsplan"];

    public const string TooLong = "Das Passwort darf höchstens 128 Zeichen lang sein.";
    public const string TooCommon =
        "Dieses Passwort ist zu verbreitet oder taucht in Listen gestohlener Passwörter auf. Bitte wählen Sie ein anderes, z. B. einen Satz aus mehreren Wörtern.";
    public const string ContainsAccount = "Das Passwort darf weder die E-Mail-Adresse noch den Namen des Kontos enthalten.";

    public Task<IdentityResult> ValidateAsync(UserManager<UserAccount> manager, UserAccount user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var errors = Check(password ?? "", user.Email, user.DisplayName).Select(e => new IdentityError { Code = e.Code, Description = e.Message }).ToArray();
        return Task.FromResult(errors.Length == 0 ? IdentityResult.Success : IdentityResult.Failed(errors));
    }

    /// <summary>The policy's objections beyond the minimum length (codes start with "Password" so that they land on the password field).</summary>
    public static IReadOnlyList<(string Code, string Message)> Check(string password, string? email, string? displayName)
    {
        ArgumentNullException.ThrowIfNull(password);
        var problems = new List<(string, string)>();
        if (password.Length > MaxLength)
        {
            problems.Add(("PasswordTooLong", TooLong));
            return problems;
        }

        if (password.Length >= MinLength && IsCommon(password))
        {
            problems.Add(("PasswordTooCommon", TooCommon));
        }

        if (ContainsAccountWords(password, email, displayName))
        {
            problems.Add(("PasswordContainsAccount", ContainsAccount));
        }

        return problems;
    }

    public static bool IsCommon(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var lower = password.ToLower(CultureInfo.InvariantCulture);
        var core = lower.Trim("0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~§€".ToCharArray());
        return InList(lower) || (core.Length > 0 && InList(core))
            || IsRepetition(lower) || IsRun(lower) || ServiceWords.Any(lower.Contains);
    }

    /// <summary>One short piece repeated (e.g. "abcabcabcabc", "passwortpasswort").</summary>
    private static bool IsRepetition(string value)
    {
        for (var length = 1; length <= value.Length / 2; length++)
        {
            if (value.Length % length == 0 && value.Replace(value[..length], "", StringComparison.Ordinal).Length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Consecutive characters up or down (e.g. "123456789012" wraps at most once, "abcdefghijkl", "zyxwvutsrqpo").</summary>
    private static bool IsRun(string value)
    {
        var steps = value.Zip(value.Skip(1), (a, b) => b - a).ToList();
        return steps.All(step => step is 1 or -9) || steps.All(step => step is -1 or 9);
    }

    private static bool ContainsAccountWords(string password, string? email, string? displayName)
    {
        var lower = password.ToLower(CultureInfo.InvariantCulture);
        var words = new List<string>();
        if (!string.IsNullOrWhiteSpace(email))
        {
            var address = email.Trim().ToLower(CultureInfo.InvariantCulture);
            words.Add(address);
            words.AddRange(address.Split('@')[0].Split(['.', '_', '-', '+']));
        }

        if (!string.IsNullOrWhiteSpace(displayName))
        {
            words.AddRange(displayName.ToLower(CultureInfo.InvariantCulture).Split([' ', '-', '.', ',']));
        }

        return words.Where(w => w.Length >= 4).Any(lower.Contains);
    }

    /// <summary>
    /// The 30,000 most common passwords of zxcvbn's list (NuGet package zxcvbn-core 1.1.17, MIT licence,
    /// © Dropbox, Inc. and Tony Richards), read once from the package's embedded resource.
    /// </summary>
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static int CommonPasswordCount => List.Value.Count;

    private static bool InList(string value) => List.Value.Contains(value);

    private static HashSet<string> Load()
    {
        const string resource = "zxcvbn-core.Dictionaries.passwords.lst";
        var assembly = typeof(Zxcvbn.Zxcvbn).Assembly;
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The password list {resource} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Trim() is { Length: > 0 } word)
            {
                set.Add(word.ToLower(CultureInfo.InvariantCulture));
            }
        }

        return set;
    }
}
