using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseManagement.Plans.Translations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CaseManagement.LocalOffers;

/// <summary>The organisation's Integreat region, from which its directory of local offers is filled.</summary>
public sealed class IntegreatConnection
{
    public Guid OrganisationId { get; init; }

    public required string Region { get; set; }

    public required string BaseUrl { get; set; }

    public DateTimeOffset? LastRefreshAt { get; set; }

    public bool? LastRefreshSucceeded { get; set; }

    /// <summary>The German result of the last refresh ("… Orte übernommen" or why nothing changed).</summary>
    public string? LastRefreshMessage { get; set; }

    public Guid ChangedBy { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

public sealed record IntegreatConnectionView(string Region, string BaseUrl, DateTimeOffset? LastRefreshAt, bool? LastRefreshSucceeded, string? LastRefreshMessage);

/// <summary>The organisation's connection, or null when none is set (administrators).</summary>
public sealed record GetIntegreatConnection : IQuery<IntegreatConnectionView?>;

/// <summary>Connects the organisation to an Integreat region (slug and base URL); administrators only.</summary>
public sealed record SaveIntegreatConnection(string? Region, string? BaseUrl) : ICommand<Outcome<string>>;

/// <summary>Fills and refreshes the directory from the connected region now; the outcome carries the German result.</summary>
public sealed record RefreshLocalOffers : ICommand<Outcome<string>>;

/// <summary>Why a refresh changed nothing, in German.</summary>
public sealed class IntegreatException(string message) : Exception(message);

public sealed partial class IntegreatHandlers(AppDbContext db, ICurrentUser user, IClock clock, IntegreatImport import) :
    IQueryHandler<GetIntegreatConnection, IntegreatConnectionView?>,
    ICommandHandler<SaveIntegreatConnection, Outcome<string>>,
    ICommandHandler<RefreshLocalOffers, Outcome<string>>
{
    public const string DefaultBaseUrl = "https://cms.integreat-app.de";

    public const int MaxRegionLength = 100;

    public const int MaxBaseUrlLength = 200;

    public const string RegionRule = "Bitte die Kennung der Region angeben, wie sie in der Integreat-Adresse steht (Kleinbuchstaben, Ziffern, Bindestriche; höchstens 100 Zeichen), z. B. „augsburg“.";

    public const string BaseUrlRule = "Bitte die Adresse des Integreat-Servers angeben (https://…, ohne Pfad, höchstens 200 Zeichen).";

    public const string NotConnected = "Die Organisation ist noch mit keiner Integreat-Region verbunden.";

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    public async ValueTask<IntegreatConnectionView?> Handle(GetIntegreatConnection query, CancellationToken cancellationToken)
    {
        var organisation = user.RequireAdministratorOrganisation();
        return await db.Set<IntegreatConnection>().AsNoTracking().Where(c => c.OrganisationId == organisation)
            .Select(c => new IntegreatConnectionView(c.Region, c.BaseUrl, c.LastRefreshAt, c.LastRefreshSucceeded, c.LastRefreshMessage))
            .SingleOrDefaultAsync(cancellationToken);
    }

    public async ValueTask<Outcome<string>> Handle(SaveIntegreatConnection command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisation = user.RequireAdministratorOrganisation();
        var checks = new Checks();
        var region = command.Region?.Trim().ToLowerInvariant();
        if (region is null || !RegionPattern().IsMatch(region))
        {
            checks.Add(nameof(command.Region), RegionRule);
        }

        var baseUrl = string.IsNullOrWhiteSpace(command.BaseUrl) ? DefaultBaseUrl : command.BaseUrl.Trim().TrimEnd('/');
        if (!import.AcceptsBaseUrl(baseUrl))
        {
            checks.Add(nameof(command.BaseUrl), BaseUrlRule);
        }

        if (checks.Failed)
        {
            return Outcome<string>.Failure(checks.Errors);
        }

        var row = await db.Set<IntegreatConnection>().SingleOrDefaultAsync(c => c.OrganisationId == organisation, cancellationToken);
        if (row is null)
        {
            row = new IntegreatConnection { OrganisationId = organisation, Region = region!, BaseUrl = baseUrl };
            db.Add(row);
        }

        row.Region = region!;
        row.BaseUrl = baseUrl;
        row.ChangedBy = user.UserId;
        row.ChangedAt = clock.GetCurrentInstant().ToDateTimeOffset();
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<string>.Success(region!);
    }

    public async ValueTask<Outcome<string>> Handle(RefreshLocalOffers command, CancellationToken cancellationToken)
    {
        var organisation = user.RequireAdministratorOrganisation();
        var result = await import.Refresh(organisation, cancellationToken);
        return result.Succeeded ? Outcome<string>.Success(result.Message) : Outcome<string>.Fail("Refresh", result.Message);
    }
}

/// <summary>The result of a refresh: how many places, or why nothing changed.</summary>
public sealed record IntegreatRefreshResult(bool Succeeded, string Message);

/// <summary>
/// Reads the places of an Integreat region (<c>GET {base}/api/v3/{region}/languages/</c>, then
/// <c>GET {base}/api/v3/{region}/{language}/locations/</c> for German and every client language the plan prints in that
/// the region offers) and replaces the organisation's imported offers with them in one transaction; the organisation's
/// own entries stay. Only GET requests with fixed paths: nothing of ours is sent. Every answer is limited in size and
/// time; an answer that is not what we expect leaves the directory unchanged and says why (docs/local-offers.md).
/// </summary>
public sealed class IntegreatImport(AppDbContext db, IClock clock, IHttpClientFactory http, IConfiguration configuration)
{
    public const string HttpClientName = "integreat";

    /// <summary>Largest answer read (bytes, per request).</summary>
    public const int MaxResponseBytes = 5 * 1024 * 1024;

    /// <summary>Longest wait per request (seconds, 1–60; <c>Integreat:TimeoutSeconds</c>, default 20).</summary>
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Integreat:TimeoutSeconds", 20), 1, 60));

    /// <summary>Plain http is refused unless configured (tests serve a recorded answer on 127.0.0.1).</summary>
    private bool AllowHttp => configuration.GetValue("Integreat:AllowHttp", false);

    public bool AcceptsBaseUrl(string? baseUrl) =>
        baseUrl is { Length: <= IntegreatHandlers.MaxBaseUrlLength }
        && Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (AllowHttp && uri.Scheme == Uri.UriSchemeHttp))
        && string.IsNullOrEmpty(uri.UserInfo) && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>Refreshes the organisation's imported offers; records the result on the connection.</summary>
    public async Task<IntegreatRefreshResult> Refresh(Guid organisationId, CancellationToken cancellationToken)
    {
        var connection = await db.Set<IntegreatConnection>().SingleOrDefaultAsync(c => c.OrganisationId == organisationId, cancellationToken);
        if (connection is null)
        {
            return new IntegreatRefreshResult(false, IntegreatHandlers.NotConnected);
        }

        IntegreatRefreshResult result;
        try
        {
            var places = await Read(connection.BaseUrl, connection.Region, cancellationToken);
            var count = await Replace(organisationId, places, cancellationToken);
            result = new IntegreatRefreshResult(true, $"{count} Orte aus Integreat übernommen (Sprachen: {string.Join(", ", places.Languages)}).");
        }
        catch (IntegreatException e)
        {
            db.ChangeTracker.Clear();
            result = new IntegreatRefreshResult(false, "Das Verzeichnis ist unverändert: " + e.Message);
        }

        var row = await db.Set<IntegreatConnection>().SingleAsync(c => c.OrganisationId == organisationId, cancellationToken);
        row.LastRefreshAt = clock.GetCurrentInstant().ToDateTimeOffset();
        row.LastRefreshSucceeded = result.Succeeded;
        row.LastRefreshMessage = result.Message;
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }

    private sealed record Place(string ExternalId, OfferCategory Category, string Name, string? Address, string? OpeningHours, string? Contact)
    {
        public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);
    }

    private sealed record Places(IReadOnlyList<string> Languages, IReadOnlyDictionary<string, Place> ById);

    private async Task<Places> Read(string baseUrl, string region, CancellationToken cancellationToken)
    {
        var root = baseUrl.TrimEnd('/') + "/api/v3/" + Uri.EscapeDataString(region) + "/";
        using var languagesJson = await Get(root + "languages/", cancellationToken);
        if (languagesJson.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new IntegreatException("Integreat hat statt einer Liste der Sprachen etwas anderes geliefert.");
        }

        var offered = languagesJson.RootElement.EnumerateArray()
            .Select(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null)
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!offered.Contains("de"))
        {
            throw new IntegreatException("Die Region bietet kein Deutsch an.");
        }

        string[] languages = ["de", .. PlanTranslations.ClientLanguages.Select(l => l.Code).Where(offered.Contains)];
        var byId = new Dictionary<string, Place>(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            using var locations = await Get(root + language + "/locations/", cancellationToken);
            if (locations.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new IntegreatException($"Integreat hat für die Sprache „{language}“ statt einer Liste von Orten etwas anderes geliefert.");
            }

            foreach (var item in locations.RootElement.EnumerateArray())
            {
                var (id, title) = IdAndTitle(item, language);
                if (language == "de")
                {
                    if (byId.Count >= LocalOfferDirectory.MaxPerOrganisation)
                    {
                        throw new IntegreatException($"Die Region hat mehr als {LocalOfferDirectory.MaxPerOrganisation} Orte.");
                    }

                    byId[id] = ToPlace(id, title, item);
                }
                else if (byId.TryGetValue(id, out var place) && title != place.Name)
                {
                    place.Names[language] = title;
                }
            }
        }

        return new Places(languages, byId);
    }

    private static (string Id, string Title) IdAndTitle(JsonElement item, string language)
    {
        if (item.ValueKind == JsonValueKind.Object
            && item.TryGetProperty("location", out var location) && location.ValueKind == JsonValueKind.Object
            && location.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.Number && id.TryGetInt64(out var number)
            && item.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String
            && Clean(title.GetString(), LocalOfferDirectory.MaxNameLength) is { Length: >= LocalOfferDirectory.MinNameLength } name)
        {
            return (number.ToString(CultureInfo.InvariantCulture), name);
        }

        throw new IntegreatException($"Ein Ort in der Sprache „{language}“ hat keine Nummer oder keinen Namen; die Antwort hat nicht die erwartete Form.");
    }

    private static Place ToPlace(string id, string name, JsonElement item)
    {
        var location = item.GetProperty("location");
        var street = Text(location, "address");
        var town = string.Join(' ', new[] { Text(location, "postcode"), Text(location, "town") }.Where(t => t is not null));
        var address = Clean(string.Join(", ", new[] { street, town.Length == 0 ? null : town }.Where(t => t is not null)), LocalOfferDirectory.MaxAddressLength);
        var contact = Clean(string.Join(" · ", new[] { Text(item, "phone_number"), Text(item, "email"), Text(item, "website") }.Where(t => t is not null)),
            LocalOfferDirectory.MaxContactLength);
        var category = item.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.Object ? Text(c, "name") : null;
        return new Place(id, Category(category, name), name, address, OpeningHours(item), contact);
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? Clean(value.GetString(), 500) : null;

    /// <summary>Control characters removed, whitespace collapsed, cut to <paramref name="max"/>; null when empty.</summary>
    private static string? Clean(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(text.Length, max));
        var space = false;
        foreach (var ch in text)
        {
            if (char.IsWhiteSpace(ch) || char.IsControl(ch))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(ch);
        }

        var result = builder.Length > max ? builder.ToString(0, max).TrimEnd() : builder.ToString();
        return result.Length == 0 ? null : result;
    }

    private static readonly string[] Weekdays = ["Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"];

    /// <summary>Integreat's seven days (Monday first: allDay, closed, appointmentOnly, timeSlots) as a German line.</summary>
    private static string? OpeningHours(JsonElement item)
    {
        if (!item.TryGetProperty("opening_hours", out var hours) || hours.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var days = new List<string>();
        var index = 0;
        foreach (var day in hours.EnumerateArray().Take(7))
        {
            var name = Weekdays[index++];
            if (day.ValueKind != JsonValueKind.Object || Flag(day, "closed"))
            {
                continue;
            }

            if (Flag(day, "allDay"))
            {
                days.Add(name + " ganztägig");
                continue;
            }

            var slots = day.TryGetProperty("timeSlots", out var s) && s.ValueKind == JsonValueKind.Array
                ? s.EnumerateArray().Select(t => t.ValueKind == JsonValueKind.Object && Text(t, "start") is { } start && Text(t, "end") is { } end ? $"{start}–{end}" : null)
                    .OfType<string>().ToList()
                : [];
            var text = slots.Count > 0 ? name + " " + string.Join(", ", slots) : null;
            if (Flag(day, "appointmentOnly"))
            {
                text = (text ?? name) + " (nur mit Termin)";
            }

            if (text is not null)
            {
                days.Add(text);
            }
        }

        return days.Count == 0 ? null : Clean(string.Join("; ", days), LocalOfferDirectory.MaxOpeningHoursLength);
    }

    private static bool Flag(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The kind of offer from Integreat's category name (German) and the place's name; "andere" when nothing fits.</summary>
    internal static OfferCategory Category(string? category, string name)
    {
        var text = (category + " " + name).ToLowerInvariant();
        return text switch
        {
            _ when text.Contains("integrationskurs", StringComparison.Ordinal) => OfferCategory.IntegrationCourse,
            _ when text.Contains("sprach", StringComparison.Ordinal) || text.Contains("deutschkurs", StringComparison.Ordinal) => OfferCategory.LanguageCourse,
            _ when text.Contains("jobcenter", StringComparison.Ordinal) => OfferCategory.Jobcenter,
            _ when text.Contains("anerkennung", StringComparison.Ordinal) => OfferCategory.RecognitionCounselling,
            _ when text.Contains("migration", StringComparison.Ordinal) || text.Contains("beratung", StringComparison.Ordinal) => OfferCategory.MigrationCounselling,
            _ when text.Contains("schule", StringComparison.Ordinal) => OfferCategory.School,
            _ when text.Contains("kita", StringComparison.Ordinal) || text.Contains("kinderbetreuung", StringComparison.Ordinal) || text.Contains("kindergarten", StringComparison.Ordinal) => OfferCategory.DayCare,
            _ when text.Contains("wohn", StringComparison.Ordinal) => OfferCategory.HousingOffice,
            _ when text.Contains("ehrenamt", StringComparison.Ordinal) || text.Contains("freiwillig", StringComparison.Ordinal) => OfferCategory.Volunteers,
            _ => OfferCategory.Other,
        };
    }

    private async Task<JsonDocument> Get(string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var client = http.CreateClient(HttpClientName);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new IntegreatException($"Integreat antwortete mit dem Fehler {(int)response.StatusCode} ({Reason(response.StatusCode)}).");
            }

            if (response.Content.Headers.ContentType?.MediaType is not { } type || !type.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                throw new IntegreatException("Integreat hat keine JSON-Antwort geliefert (vielleicht stimmt die Adresse oder die Region nicht).");
            }

            if (response.Content.Headers.ContentLength > MaxResponseBytes)
            {
                throw TooLarge();
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw TooLarge();
                }

                buffer.Write(chunk, 0, read);
            }

            buffer.Position = 0;
            return await JsonDocument.ParseAsync(buffer, new JsonDocumentOptions { MaxDepth = 32 }, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IntegreatException($"Integreat hat nicht innerhalb von {RequestTimeout.TotalSeconds:0} Sekunden geantwortet.");
        }
        catch (HttpRequestException)
        {
            throw new IntegreatException("Integreat war nicht erreichbar (Adresse prüfen).");
        }
        catch (JsonException)
        {
            throw new IntegreatException("Die Antwort von Integreat ist kein gültiges JSON.");
        }
    }

    private static IntegreatException TooLarge() =>
        new($"Die Antwort von Integreat ist größer als {MaxResponseBytes / (1024 * 1024)} MB.");

    private static string Reason(HttpStatusCode status) => (int)status switch
    {
        404 => "Region oder Sprache nicht gefunden",
        >= 500 => "Störung beim Server",
        _ => "Anfrage abgelehnt",
    };

    /// <summary>Replaces the organisation's Integreat offers in one transaction (kept ids for places seen before); own entries stay.</summary>
    private async Task<int> Replace(Guid organisationId, Places places, CancellationToken cancellationToken)
    {
        var own = await db.Set<LocalOffer>().CountAsync(o => o.OrganisationId == organisationId && o.Source == null, cancellationToken);
        if (own + places.ById.Count > LocalOfferDirectory.MaxPerOrganisation)
        {
            throw new IntegreatException($"Mit den {places.ById.Count} Orten der Region hätte das Verzeichnis mehr als {LocalOfferDirectory.MaxPerOrganisation} Angebote.");
        }

        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Set<LocalOffer>().Include(o => o.Names)
            .Where(o => o.OrganisationId == organisationId && o.Source == LocalOfferDirectory.IntegreatSource)
            .ToListAsync(cancellationToken);
        foreach (var gone in existing.Where(o => o.ExternalId is null || !places.ById.ContainsKey(o.ExternalId)))
        {
            db.Remove(gone);
        }

        var byExternal = existing.Where(o => o.ExternalId is not null).ToDictionary(o => o.ExternalId!, StringComparer.Ordinal);
        foreach (var place in places.ById.Values)
        {
            if (!byExternal.TryGetValue(place.ExternalId, out var row))
            {
                row = new LocalOffer
                {
                    Id = Guid.CreateVersion7(), OrganisationId = organisationId, Name = place.Name, Source = LocalOfferDirectory.IntegreatSource,
                    ExternalId = place.ExternalId, CreatedAt = now,
                };
                db.Add(row);
            }

            row.Category = place.Category;
            row.Name = place.Name;
            row.Address = place.Address;
            row.OpeningHours = place.OpeningHours;
            row.Contact = place.Contact;
            row.RefreshedAt = now;
            row.UpdatedAt = now;
            foreach (var name in row.Names.Where(n => !place.Names.ContainsKey(n.Language)).ToList())
            {
                row.Names.Remove(name);
            }

            foreach (var (language, name) in place.Names)
            {
                if (row.Names.FirstOrDefault(n => n.Language == language) is { } known)
                {
                    known.Name = name;
                }
                else
                {
                    row.Names.Add(new LocalOfferName { OfferId = row.Id, Language = language, Name = name });
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return places.ById.Count;
    }
}
