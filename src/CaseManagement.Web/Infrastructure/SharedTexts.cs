using System.Globalization;
using CaseManagement.Common;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.Extensions.Localization;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The one localizer of the web's texts (<c>@L["German text"]</c>, data annotations, controllers), keyed by the German
/// text: the web's own translations (<c>Resources/SharedResource.en.resx</c>), then the domain's
/// (<see cref="Translations"/>: messages and labels). A text with values in it is found by its template
/// (<c>"{0} Fälle"</c>), so a confirmation or message composed in German (<c>Model.Message</c>) still reads English.
/// German stays German; a text without an entry stays as it is.
/// </summary>
public sealed class SharedTexts(IStringLocalizerFactory factory) : IStringLocalizer<SharedResource>
{
    private readonly IStringLocalizer resources = factory.Create(typeof(SharedResource));

    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var culture = CultureInfo.CurrentUICulture;
            return Translations.IsGerman(culture)
                ? new LocalizedString(name, name, resourceNotFound: false)
                : Find(name, culture) is { } found ? new LocalizedString(name, found, false) : new LocalizedString(name, name, true);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => resources.GetAllStrings(includeParentCultures);

    /// <summary>The translation of <paramref name="german"/> into <paramref name="culture"/>, or null.</summary>
    public string? Find(string german, CultureInfo culture)
    {
        if (string.IsNullOrEmpty(german))
        {
            return null;
        }

        var own = Translations.TableOf(culture, "web", () => resources.GetAllStrings(includeParentCultures: true)
            .Where(s => !s.ResourceNotFound)
            .Select(s => new KeyValuePair<string, string>(s.Name, s.Value))
            .ToList());
        return own.Translate(german, culture, value => Find(value, culture)) ?? Translations.Find(german, culture);
    }

    /// <summary>
    /// The API's language: <c>Accept-Language</c> chooses it there (a client asks for it explicitly); the pages follow
    /// only the user's choice (the cookie), not the browser.
    /// </summary>
    public sealed class ApiAcceptLanguage : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            ArgumentNullException.ThrowIfNull(httpContext);
            if (!httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                return NullProviderCultureResult;
            }

            var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage;
            foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
            {
                var tag = language.Value.Value ?? "";
                if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                {
                    return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(Localization.English.Name));
                }

                if (tag.StartsWith("de", StringComparison.OrdinalIgnoreCase))
                {
                    return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(Localization.German.Name));
                }
            }

            return NullProviderCultureResult;
        }
    }
}

/// <summary>
/// Every problem the API answers with (RFC 9457) in the language of the request (<c>Accept-Language: en</c>):
/// title, detail and each field's message, translated once, where the answer leaves — whoever built it.
/// </summary>
public sealed class ProblemLanguageFilter(IStringLocalizer<SharedResource> texts) : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is ObjectResult { Value: ProblemDetails problem })
        {
            Translate(problem, texts);
        }
        else if (context.Result is ViewResult or PartialViewResult && !Translations.IsGerman(CultureInfo.CurrentUICulture))
        {
            // Messages a controller put next to a field (and the model binder's) in the user's language.
            foreach (var entry in context.ModelState.Values.Where(e => e.Errors.Count > 0))
            {
                var messages = entry.Errors.Select(e => texts[e.ErrorMessage].Value).ToList();
                entry.Errors.Clear();
                messages.ForEach(entry.Errors.Add);
            }
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }

    /// <summary>Title, detail and field messages of <paramref name="problem"/> in the current UI language.</summary>
    public static void Translate(ProblemDetails problem, IStringLocalizer texts)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(texts);
        if (Translations.IsGerman(CultureInfo.CurrentUICulture))
        {
            return;
        }

        problem.Title = problem.Title is null ? null : texts[problem.Title].Value;
        problem.Detail = problem.Detail is null ? null : texts[problem.Detail].Value;
        if (problem is ValidationProblemDetails validation)
        {
            foreach (var field in validation.Errors.Keys.ToList())
            {
                validation.Errors[field] = validation.Errors[field].Select(m => texts[m].Value).ToArray();
            }
        }
    }
}
