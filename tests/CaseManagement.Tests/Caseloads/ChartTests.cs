using System.Globalization;
using CaseManagement.Web.Infrastructure;

namespace CaseManagement.Tests.Caseloads;

/// <summary>The numbers and labels of the team charts: invariant coordinates under German culture, labels that fit.</summary>
public sealed class ChartTests
{
    [Fact]
    public void Coordinates_have_a_decimal_point_under_German_and_English_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            foreach (var culture in new[] { "de-DE", "en-GB" })
            {
                CultureInfo.CurrentCulture = new CultureInfo(culture);
                Assert.Equal("523.1", Svg.Number(260 + 263.14));
                Assert.Equal("120", Svg.Number(120.0));
                Assert.Equal("51.4", Svg.Number(360 / 7.0));
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("Miriam Keller")]
    [InlineData("Maximiliane Alexandra von Hohenberg-Schwarzenfeld")]
    [InlineData("Leutheusser-Schnarrenberger-Oberkirchnerhausenbach Sabine")]
    [InlineData("Bildung, Ausbildung und Qualifizierung sowie berufliche Anerkennung")]
    public void Labels_fit_the_label_column_in_at_most_two_lines(string label)
    {
        var lines = Svg.Lines(label);

        Assert.InRange(lines.Count, 1, 2);
        Assert.All(lines, l => Assert.True(l.Length <= 30, l));
        if (label.Length <= 30)
        {
            Assert.Equal(label, Assert.Single(lines));
        }
    }
}
