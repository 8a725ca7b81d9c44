using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace CaseManagement.Web.Infrastructure;

/// <summary>German is the product language (source strings are German); English is switchable per user by cookie.</summary>
public static class Localization
{
    public static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    public static void Configure(RequestLocalizationOptions options)
    {
        options.DefaultRequestCulture = new RequestCulture(German);
        options.SupportedCultures = [German, English];
        options.SupportedUICultures = [German, English];
        // Only an explicit choice switches the language, not the browser's Accept-Language; an API client's
        // Accept-Language is such a choice (the API has no cookie).
        options.RequestCultureProviders = [new CookieRequestCultureProvider(), new SharedTexts.ApiAcceptLanguage()];
    }

    /// <summary>German texts for the model binder's built-in messages.</summary>
    public static void UseGermanBindingMessages(DefaultModelBindingMessageProvider messages)
    {
        messages.SetAttemptedValueIsInvalidAccessor((value, field) => $"Der Wert „{value}“ ist für „{field}“ ungültig.");
        messages.SetMissingBindRequiredValueAccessor(field => $"Bitte „{field}“ angeben.");
        messages.SetMissingKeyOrValueAccessor(() => "Bitte einen Wert angeben.");
        messages.SetMissingRequestBodyRequiredValueAccessor(() => "Die Anfrage enthält keine Daten.");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"Der Wert „{value}“ ist ungültig.");
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "Der Wert ist ungültig.");
        messages.SetNonPropertyValueMustBeANumberAccessor(() => "Bitte eine Zahl angeben.");
        messages.SetUnknownValueIsInvalidAccessor(field => $"Der Wert für „{field}“ ist ungültig.");
        messages.SetValueIsInvalidAccessor(value => $"Der Wert „{value}“ ist ungültig.");
        messages.SetValueMustBeANumberAccessor(field => $"„{field}“ muss eine Zahl sein.");
        messages.SetValueMustNotBeNullAccessor(field => $"Bitte „{field}“ angeben.");
    }
}
