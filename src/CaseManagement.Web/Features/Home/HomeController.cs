using CaseManagement.Organisations;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Home;

public sealed class HomeController(IMediator mediator, IClock clock) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        // Administrators see at once when the daily reminder run could not plan some cases.
        ViewData[ReminderProblemsKey] = User.IsInRole(Roles.Administrator) ? await mediator.Send(new CaseManagement.Reminders.CountReminderProblems(), ct) : 0;
        return View(await mediator.Send(new GetMyProfile(), ct));
    }

    public const string ReminderProblemsKey = "ReminderProblems";

    /// <summary>Switches the UI language for this browser (cookie); German is the default.</summary>
    [HttpPost("/sprache")]
    [AllowAnonymous]
    public IActionResult Language(string culture, string? returnUrl)
    {
        var chosen = culture == "en-GB" ? "en-GB" : "de-DE";
        Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = clock.GetCurrentInstant().Plus(Duration.FromDays(365)).ToDateTimeOffset(), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
        return LocalRedirect(!string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }
}
