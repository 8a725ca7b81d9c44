using Microsoft.Extensions.Localization;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// German (and English) plural forms of a count: "1 Kontakt", "2 Kontakte", "0 Fälle". Every view that shows a
/// count followed by a noun goes through here; both forms are resource keys with the count as {0}.
/// </summary>
public static class Plurals
{
    /// <summary><paramref name="one"/> for exactly 1, otherwise <paramref name="other"/>; {0} is the count, further arguments follow.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, int count, string one, string other, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(localizer);
        ArgumentNullException.ThrowIfNull(more);
        return localizer[count == 1 ? one : other, [count, .. more]];
    }

    /// <summary>The German sentence for a count where no localizer is at hand (confirmations of controllers): {0} is the count.</summary>
    public static string German(int count, string one, string other, params object[] more)
    {
        ArgumentNullException.ThrowIfNull(more);
        return string.Format(System.Globalization.CultureInfo.GetCultureInfo("de-DE"), count == 1 ? one : other, [count, .. more]);
    }
}
