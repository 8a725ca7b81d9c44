using CaseManagement.SignIn;

namespace CaseManagement.Tests.Account;

/// <summary>The password policy as a pure function: length over composition, no common passwords, nothing of the account.</summary>
public sealed class PasswordPolicyTests
{
    private static List<string> Problems(string password, string email = "petra.schulz@musterstadt.example", string name = "Petra Schulz") =>
        PasswordPolicy.Check(password, email, name).Select(p => p.Message).ToList();

    [Theory]
    [InlineData("zwei kleine wale im see")]
    [InlineData("Feldberg im Nebel 2026")]
    [InlineData("ohnezifferundohnesonderzeichen")]
    [InlineData("Ölmühle-über-Straßen")]
    public void Long_passphrases_without_composition_rules_are_accepted(string password) =>
        Assert.Empty(Problems(password));

    [Theory]
    [InlineData("password1234")]
    [InlineData("Password1234!")]
    [InlineData("!!qwertyuiop!!")]
    [InlineData("1qaz2wsx3edc")]
    [InlineData("abcabcabcabc")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("123456789012")]
    [InlineData("zyxwvutsrqpo")]
    [InlineData("MeinCaseManagement2026")]
    public void Common_breached_and_trivial_passwords_are_refused_in_German(string password) =>
        Assert.Equal([PasswordPolicy.TooCommon], Problems(password));

    [Theory]
    [InlineData("petra.schulz@musterstadt.example")]
    [InlineData("Schulz und Schulz GmbH")]
    [InlineData("Sonnige PETRA 2026")]
    public void Passwords_with_the_accounts_address_or_name_are_refused_in_German(string password) =>
        Assert.Equal([PasswordPolicy.ContainsAccount], Problems(password));

    [Fact]
    public void More_than_128_characters_are_refused_and_128_are_accepted()
    {
        Assert.Equal([PasswordPolicy.TooLong], Problems(new string('x', 100) + " und noch ein paar Wörter dazu"));
        var longest = string.Concat(Enumerable.Repeat("Rhein Main Neckar ", 8))[..128];
        Assert.Empty(Problems(longest));
    }

    [Fact]
    public void The_list_of_common_passwords_ships_with_the_application()
    {
        Assert.True(PasswordPolicy.CommonPasswordCount > 25_000, $"{PasswordPolicy.CommonPasswordCount} entries");
        Assert.True(PasswordPolicy.IsCommon("iloveyou1234"));
    }
}
