using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.LocalOffers;

/// <summary>What kind of local service an offer (Angebot vor Ort) is; German labels in Common/Labels.resx.</summary>
public enum OfferCategory
{
    IntegrationCourse,
    LanguageCourse,
    Jobcenter,
    RecognitionCounselling,
    MigrationCounselling,
    School,
    DayCare,
    HousingOffice,
    Volunteers,
    Other,
}

/// <summary>
/// Angebot vor Ort: a local service of the organisation's directory (integration and language courses, Jobcenter,
/// counselling, schools, day care, housing office, volunteers …). Entered by the organisation's administrators or
/// imported from Integreat (<see cref="Source"/>). Not case content: a directory of public places.
/// </summary>
public sealed class LocalOffer
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    public OfferCategory Category { get; set; }

    public required string Name { get; set; }

    public string? Address { get; set; }

    public string? OpeningHours { get; set; }

    public string? Contact { get; set; }

    /// <summary>ISO 639-1 codes of the languages spoken there, comma-separated (<c>ar,en</c>).</summary>
    public string? Languages { get; set; }

    /// <summary>Null for the organisation's own entries; <c>integreat</c> for imported ones.</summary>
    public string? Source { get; set; }

    /// <summary>The id of the place at the source (Integreat: the location's id), unique per organisation and source.</summary>
    public string? ExternalId { get; set; }

    /// <summary>When an imported entry was last refreshed from its source.</summary>
    public DateTimeOffset? RefreshedAt { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<LocalOfferName> Names { get; init; } = [];
}

/// <summary>The name of an offer in another language (from Integreat), printed for a client of that language.</summary>
public sealed class LocalOfferName
{
    public Guid OfferId { get; init; }

    public required string Language { get; init; }

    public required string Name { get; set; }
}

/// <summary>An offer as the directory, the referral form and the print show it.</summary>
public sealed record LocalOfferView(
    Guid Id, OfferCategory Category, string Name, string? Address, string? OpeningHours, string? Contact, IReadOnlyList<string> Languages,
    string? Source, DateTimeOffset? RefreshedAt, IReadOnlyDictionary<string, string> Names)
{
    public bool Imported => Source is not null;

    /// <summary>The offer's name in a language, when the directory has it (German: the name itself).</summary>
    public string? NameIn(string language) => language == "de" ? Name : Names.GetValueOrDefault(language);

    public string CategoryLabel => LocalOfferDirectory.CategoryLabel(Category);

    /// <summary>"Name – Straße, Ort" for a select.</summary>
    public string Label => Address is null ? Name : $"{Name} – {Address}";
}

/// <summary>The organisation's directory, for everyone of the organisation (the referral form shows it).</summary>
public sealed record ListLocalOffers : IQuery<IReadOnlyList<LocalOfferView>>;

/// <summary>Offers by id (the print's next steps); ids not in the organisation's directory are left out.</summary>
public sealed record GetLocalOffers(IReadOnlyCollection<Guid> Ids) : IQuery<IReadOnlyDictionary<Guid, LocalOfferView>>;

/// <summary>Adds (<paramref name="Id"/> null) or changes an offer; administrators only.</summary>
public sealed record SaveLocalOffer(
    Guid? Id, OfferCategory? Category, string? Name, string? Address, string? OpeningHours, string? Contact, string? Languages)
    : ICommand<Outcome<Guid>>;

public sealed record DeleteLocalOffer(Guid Id) : ICommand<Outcome<Guid>>;

public static partial class LocalOfferDirectory
{
    public const int MinNameLength = 2;

    public const int MaxNameLength = 200;

    public const int MaxAddressLength = 300;

    public const int MaxOpeningHoursLength = 500;

    public const int MaxContactLength = 300;

    public const int MaxLanguages = 20;

    /// <summary>Offers per organisation, own and imported together.</summary>
    public const int MaxPerOrganisation = 1000;

    public const string IntegreatSource = "integreat";

    public static string CategoryLabel(OfferCategory category) => Labels.Of(category);

    public static string NameRule => $"Bitte den Namen des Angebots mit {MinNameLength} bis {MaxNameLength} Zeichen angeben.";

    public const string LanguagesRule = "Bitte die Sprachen als Sprachkürzel (ISO 639-1, z. B. „ar, en, tr“) durch Kommas getrennt angeben, höchstens 20.";

    public const string CategoryRule = "Bitte die Art des Angebots wählen.";

    public static string TooMany => $"Das Verzeichnis hat schon {MaxPerOrganisation} Angebote. Bitte zuerst eines löschen.";

    [GeneratedRegex("^[a-z]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguageCode();

    /// <summary>The languages as stored (<c>ar,en</c>: lower case, unique, in the order given), or null when one is not a code.</summary>
    public static IReadOnlyList<string>? ParseLanguages(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var codes = text.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(c => c.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        return codes.Count <= MaxLanguages && codes.All(c => LanguageCode().IsMatch(c)) ? codes : null;
    }

    /// <summary>The regular service a referral to an offer of this kind goes to.</summary>
    public static RegularService Service(OfferCategory category) => category switch
    {
        OfferCategory.IntegrationCourse or OfferCategory.LanguageCourse => RegularService.IntegrationCourse,
        OfferCategory.Jobcenter => RegularService.Jobcenter,
        OfferCategory.RecognitionCounselling => RegularService.RecognitionCounselling,
        OfferCategory.MigrationCounselling => RegularService.MigrationCounselling,
        OfferCategory.School => RegularService.School,
        OfferCategory.DayCare => RegularService.DayCare,
        OfferCategory.HousingOffice => RegularService.HousingOffice,
        _ => RegularService.Other,
    };

    /// <summary>The offers as views, ordered by name (names in other languages loaded with them).</summary>
    internal static async Task<List<LocalOfferView>> Views(IQueryable<LocalOffer> offers, CancellationToken cancellationToken)
    {
        var rows = await offers.AsNoTracking().Include(o => o.Names).OrderBy(o => o.Name).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        return rows.Select(View).ToList();
    }

    public static LocalOfferView View(LocalOffer o)
    {
        ArgumentNullException.ThrowIfNull(o);
        return new(o.Id, o.Category, o.Name, o.Address, o.OpeningHours, o.Contact,
            o.Languages is null ? [] : o.Languages.Split(','), o.Source, o.RefreshedAt,
            o.Names.ToDictionary(n => n.Language, n => n.Name, StringComparer.Ordinal));
    }

    /// <summary>EF Core mapping (schema <c>cases</c>, migrations/0028_local_offers.sql).</summary>
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<LocalOffer>(t =>
        {
            t.ToTable("local_offers", AppDbContext.CasesSchema);
            t.HasKey(x => x.Id);
            t.Property(x => x.Id).HasColumnName("id");
            t.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            t.Property(x => x.Category).HasColumnName("category").HasConversion<string>();
            t.Property(x => x.Name).HasColumnName("name");
            t.Property(x => x.Address).HasColumnName("address");
            t.Property(x => x.OpeningHours).HasColumnName("opening_hours");
            t.Property(x => x.Contact).HasColumnName("contact");
            t.Property(x => x.Languages).HasColumnName("languages");
            t.Property(x => x.Source).HasColumnName("source");
            t.Property(x => x.ExternalId).HasColumnName("external_id");
            t.Property(x => x.RefreshedAt).HasColumnName("refreshed_at");
            t.Property(x => x.CreatedAt).HasColumnName("created_at");
            t.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            t.HasIndex(x => new { x.OrganisationId, x.Name }).HasDatabaseName("ix_local_offers_organisation_name");
            t.HasIndex(x => new { x.OrganisationId, x.Source, x.ExternalId }).IsUnique().HasFilter("external_id IS NOT NULL")
                .HasDatabaseName("ux_local_offers_source_external_id");
            t.HasMany(x => x.Names).WithOne().HasForeignKey(n => n.OfferId).OnDelete(DeleteBehavior.Cascade)
                .HasConstraintName("fk_local_offer_names_offer");
        });
        builder.Entity<LocalOfferName>(t =>
        {
            t.ToTable("local_offer_names", AppDbContext.CasesSchema);
            t.HasKey(x => new { x.OfferId, x.Language });
            t.Property(x => x.OfferId).HasColumnName("offer_id");
            t.Property(x => x.Language).HasColumnName("language");
            t.Property(x => x.Name).HasColumnName("name");
        });
        builder.Entity<IntegreatConnection>(t =>
        {
            t.ToTable("integreat_connections", AppDbContext.CasesSchema);
            t.HasKey(x => x.OrganisationId);
            t.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            t.Property(x => x.Region).HasColumnName("region");
            t.Property(x => x.BaseUrl).HasColumnName("base_url");
            t.Property(x => x.LastRefreshAt).HasColumnName("last_refresh_at");
            t.Property(x => x.LastRefreshSucceeded).HasColumnName("last_refresh_succeeded");
            t.Property(x => x.LastRefreshMessage).HasColumnName("last_refresh_message");
            t.Property(x => x.ChangedBy).HasColumnName("changed_by");
            t.Property(x => x.ChangedAt).HasColumnName("changed_at");
        });
        builder.Entity<PlanTextOverride>(t =>
        {
            t.ToTable("plan_text_overrides", AppDbContext.CasesSchema);
            t.HasKey(x => new { x.OrganisationId, x.Language, x.Key });
            t.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            t.Property(x => x.Language).HasColumnName("language");
            t.Property(x => x.Key).HasColumnName("key");
            t.Property(x => x.Text).HasColumnName("text");
            t.Property(x => x.ChangedBy).HasColumnName("changed_by");
            t.Property(x => x.ChangedAt).HasColumnName("changed_at");
        });
    }
}

public sealed class LocalOfferHandlers(AppDbContext db, ICurrentUser user, IClock clock) :
    IQueryHandler<ListLocalOffers, IReadOnlyList<LocalOfferView>>,
    IQueryHandler<GetLocalOffers, IReadOnlyDictionary<Guid, LocalOfferView>>,
    ICommandHandler<SaveLocalOffer, Outcome<Guid>>,
    ICommandHandler<DeleteLocalOffer, Outcome<Guid>>
{
    public async ValueTask<IReadOnlyList<LocalOfferView>> Handle(ListLocalOffers query, CancellationToken cancellationToken)
    {
        var organisation = SignedIn();
        return await LocalOfferDirectory.Views(db.Set<LocalOffer>().Where(o => o.OrganisationId == organisation), cancellationToken);
    }

    public async ValueTask<IReadOnlyDictionary<Guid, LocalOfferView>> Handle(GetLocalOffers query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisation = SignedIn();
        if (query.Ids.Count == 0)
        {
            return new Dictionary<Guid, LocalOfferView>();
        }

        var ids = query.Ids.Distinct().ToList();
        var offers = await LocalOfferDirectory.Views(db.Set<LocalOffer>().Where(o => o.OrganisationId == organisation && ids.Contains(o.Id)), cancellationToken);
        return offers.ToDictionary(o => o.Id);
    }

    public async ValueTask<Outcome<Guid>> Handle(SaveLocalOffer command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisation = user.RequireAdministratorOrganisation();
        var checks = new Checks();
        checks.Defined(command.Category, nameof(command.Category), LocalOfferDirectory.CategoryRule);
        var name = Checks.Trimmed(command.Name);
        if (name is not { Length: >= LocalOfferDirectory.MinNameLength and <= LocalOfferDirectory.MaxNameLength })
        {
            checks.Add(nameof(command.Name), LocalOfferDirectory.NameRule);
        }

        checks.Text(command.Address, LocalOfferDirectory.MaxAddressLength, nameof(command.Address), "die Anschrift");
        checks.Text(command.OpeningHours, LocalOfferDirectory.MaxOpeningHoursLength, nameof(command.OpeningHours), "die Öffnungszeiten");
        checks.Text(command.Contact, LocalOfferDirectory.MaxContactLength, nameof(command.Contact), "den Kontakt");
        var languages = LocalOfferDirectory.ParseLanguages(command.Languages);
        if (languages is null)
        {
            checks.Add(nameof(command.Languages), LocalOfferDirectory.LanguagesRule);
        }

        if (checks.Failed)
        {
            return Outcome<Guid>.Failure(checks.Errors);
        }

        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        var offers = db.Set<LocalOffer>().Where(o => o.OrganisationId == organisation);
        LocalOffer row;
        if (command.Id is { } id)
        {
            row = await offers.SingleOrDefaultAsync(o => o.Id == id, cancellationToken) ?? throw new NotFoundException("Local offer");
        }
        else
        {
            if (await offers.CountAsync(cancellationToken) >= LocalOfferDirectory.MaxPerOrganisation)
            {
                return Outcome<Guid>.Fail(nameof(command.Name), LocalOfferDirectory.TooMany);
            }

            row = new LocalOffer { Id = Guid.CreateVersion7(), OrganisationId = organisation, Name = name!, CreatedAt = now };
            db.Add(row);
        }

        row.Category = command.Category!.Value;
        row.Name = name!;
        row.Address = Checks.Trimmed(command.Address);
        row.OpeningHours = Checks.Trimmed(command.OpeningHours);
        row.Contact = Checks.Trimmed(command.Contact);
        row.Languages = languages!.Count == 0 ? null : string.Join(',', languages);
        row.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Guid>.Success(row.Id);
    }

    public async ValueTask<Outcome<Guid>> Handle(DeleteLocalOffer command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisation = user.RequireAdministratorOrganisation();
        var deleted = await db.Set<LocalOffer>().Where(o => o.OrganisationId == organisation && o.Id == command.Id).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw new NotFoundException("Local offer") : Outcome<Guid>.Success(command.Id);
    }

    private Guid SignedIn()
    {
        if (!user.IsAuthenticated || user.OrganisationId == Guid.Empty)
        {
            throw new UnauthorizedAccessException("Not signed in.");
        }

        return user.OrganisationId;
    }
}
