using CaseManagement.Common;

namespace CaseManagement.Tests.Common;

/// <summary>Cutting text to a column's length never leaves half of a surrogate pair (Npgsql refuses such a string).</summary>
public sealed class InputLimitsTests
{
    [Theory]
    [InlineData("Beratung", 200, "Beratung")]
    [InlineData("Beratung", 4, "Bera")]
    [InlineData("ab\U0001F600", 3, "ab")]
    [InlineData("ab\U0001F600", 4, "ab\U0001F600")]
    [InlineData("\U0001F600", 1, "")]
    public void Cut_keeps_at_most_the_length_and_never_splits_a_pair(string text, int length, string expected)
    {
        var cut = InputLimits.Cut(text, length);
        Assert.Equal(expected, cut);
        Assert.False(InputLimits.HasForbiddenCharacters(cut));
    }
}
