using System.Globalization;

namespace CaseManagement.Tests.Common;

/// <summary>Countries and languages: ISO codes stored, German names (from .NET's ICU data) shown and accepted (issue 17, item 4).</summary>
public sealed class WorldNamesTests
{
    [Theory]
    [InlineData("AF", "Afghanistan")]
    [InlineData("SY", "Syrien")]
    [InlineData("IQ", "Irak")]
    [InlineData("ER", "Eritrea")]
    [InlineData("UA", "Ukraine")]
    [InlineData("XK", "Kosovo")]
    public void A_country_code_shows_its_German_name(string code, string name)
    {
        Assert.Equal(name, CountryNames.Name(code));
        Assert.Equal(code, CountryNames.Code(name));
        Assert.Equal(code, CountryNames.Code(name.ToUpperInvariant()));
        Assert.Equal(code, CountryNames.Code(code.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("ar", "Arabisch")]
    [InlineData("fa", "Persisch")]
    [InlineData("prs", "Dari")]
    [InlineData("ti", "Tigrinya")]
    [InlineData("uk", "Ukrainisch")]
    [InlineData("de", "Deutsch")]
    public void A_language_code_shows_its_German_name(string code, string name)
    {
        Assert.Equal(name, LanguageNames.Name(code));
        Assert.Equal(code, LanguageNames.Code(name));
        Assert.Equal(code, LanguageNames.Code(code.ToUpperInvariant()));
    }

    [Fact]
    public void The_names_stay_German_whatever_the_culture_of_the_request()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en-GB");
            Assert.Equal("Syrien", CountryNames.Name("SY"));
            Assert.Equal("Arabisch", LanguageNames.Name("ar"));
            Assert.Equal("SY", CountryNames.Code("Syria"));
            Assert.Equal("ar", LanguageNames.Code("Arabic"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Fact]
    public void The_lists_hold_every_country_and_language_once_sorted_by_German_name()
    {
        Assert.InRange(CountryNames.All.Count, 240, 260);
        Assert.InRange(LanguageNames.All.Count, 120, 200);
        Assert.Equal(CountryNames.All.Count, CountryNames.All.Select(c => c.Code).Distinct().Count());
        Assert.All(CountryNames.All, c => Assert.Matches("^[A-Z]{2}$", c.Code));
        Assert.DoesNotContain(CountryNames.All, c => c.Name == c.Code);
        Assert.Equal("Afghanistan", CountryNames.All[0].Name);
        Assert.Contains(LanguageNames.All, l => l.Name.StartsWith("Arab", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ZZ")]
    [InlineData("SYR")]
    [InlineData("Atlantis")]
    [InlineData("\0")]
    public void An_unknown_country_has_no_code(string text) => Assert.Null(CountryNames.Code(text));

    [Theory]
    [InlineData("Klingonisch")]
    [InlineData("xx")]
    [InlineData("1")]
    public void An_unknown_language_has_no_code(string text) => Assert.Null(LanguageNames.Code(text));

    [Fact]
    public void Office_spellings_of_the_import_are_accepted()
    {
        Assert.Equal("RU", CountryNames.Code("Russische Föderation"));
        Assert.Equal("BY", CountryNames.Code("Weißrussland"));
        Assert.Equal("fa", LanguageNames.Code("Farsi"));
        Assert.Equal("kmr", LanguageNames.Code("Kurmandschi"));
        Assert.Equal("ku", LanguageNames.Code("Kurdisch"));
    }
}
