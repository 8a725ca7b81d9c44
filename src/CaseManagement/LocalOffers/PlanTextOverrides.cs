using CaseManagement.Plans.Translations;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.LocalOffers;

/// <summary>An organisation's own wording of one fixed text of the printed plan in one language (docs/client-language.md).</summary>
public sealed class PlanTextOverride
{
    public Guid OrganisationId { get; init; }

    public required string Language { get; init; }

    public required string Key { get; init; }

    public required string Text { get; set; }

    public Guid ChangedBy { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>One fixed text of a language: the file's text and the organisation's override, if any.</summary>
public sealed record PlanTextRow(string Key, string German, string FileText, string? Override);

/// <summary>Every fixed text of a language with the organisation's overrides (administrators).</summary>
public sealed record ListPlanTextOverrides(string? Language) : IQuery<IReadOnlyList<PlanTextRow>>;

/// <summary>The organisation's overrides of a language, key → text (the print; everyone of the organisation).</summary>
public sealed record GetPlanTextOverrides(string Language) : IQuery<IReadOnlyDictionary<string, string>>;

/// <summary>Sets the override of one text; an empty text removes it (the file's text applies again).</summary>
public sealed record SavePlanTextOverride(string? Language, string? Key, string? Text) : ICommand<Outcome<string>>;

public sealed class PlanTextOverrideHandlers(AppDbContext db, ICurrentUser user, IClock clock) :
    IQueryHandler<ListPlanTextOverrides, IReadOnlyList<PlanTextRow>>,
    IQueryHandler<GetPlanTextOverrides, IReadOnlyDictionary<string, string>>,
    ICommandHandler<SavePlanTextOverride, Outcome<string>>
{
    public const int MaxTextLength = 1000;

    public const string UnknownKey = "Diesen Text gibt es im gedruckten Plan nicht.";

    public static string TextRule => $"Bitte einen Text mit höchstens {MaxTextLength} Zeichen angeben (leer: der mitgelieferte Text gilt wieder).";

    public async ValueTask<IReadOnlyList<PlanTextRow>> Handle(ListPlanTextOverrides query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var organisation = user.RequireAdministratorOrganisation();
        var language = PlanTranslations.Find(query.Language) ?? throw new NotFoundException("Plan language");
        var overrides = await Overrides(organisation, language.Code, cancellationToken);
        return PlanTranslations.German.Texts.Keys.Order(StringComparer.Ordinal)
            .Select(k => new PlanTextRow(k, PlanTranslations.German[k], language[k], overrides.GetValueOrDefault(k)))
            .ToList();
    }

    public async ValueTask<IReadOnlyDictionary<string, string>> Handle(GetPlanTextOverrides query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (!user.IsAuthenticated || user.OrganisationId == Guid.Empty)
        {
            throw new UnauthorizedAccessException("Not signed in.");
        }

        return await Overrides(user.OrganisationId, query.Language, cancellationToken);
    }

    public async ValueTask<Outcome<string>> Handle(SavePlanTextOverride command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var organisation = user.RequireAdministratorOrganisation();
        var language = PlanTranslations.Find(command.Language);
        if (language is null)
        {
            return Outcome<string>.Fail(nameof(command.Language), PlanTranslations.Unsupported(command.Language ?? ""));
        }

        if (command.Key is null || !PlanTranslations.German.Texts.ContainsKey(command.Key))
        {
            return Outcome<string>.Fail(nameof(command.Key), UnknownKey);
        }

        var text = Checks.Trimmed(command.Text);
        if (text is { Length: > MaxTextLength })
        {
            return Outcome<string>.Fail(nameof(command.Text), TextRule);
        }

        var existing = await db.Set<PlanTextOverride>()
            .SingleOrDefaultAsync(o => o.OrganisationId == organisation && o.Language == language.Code && o.Key == command.Key, cancellationToken);
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        if (text is null || text == language[command.Key])
        {
            if (existing is not null)
            {
                db.Remove(existing);
            }
        }
        else if (existing is null)
        {
            db.Add(new PlanTextOverride { OrganisationId = organisation, Language = language.Code, Key = command.Key, Text = text, ChangedBy = user.UserId, ChangedAt = now });
        }
        else
        {
            existing.Text = text;
            existing.ChangedBy = user.UserId;
            existing.ChangedAt = now;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two administrators saved the same text at the same moment: the other one's text stands.
            db.ChangeTracker.Clear();
        }

        return Outcome<string>.Success(command.Key);
    }

    private async Task<Dictionary<string, string>> Overrides(Guid organisation, string language, CancellationToken cancellationToken) =>
        await db.Set<PlanTextOverride>().AsNoTracking()
            .Where(o => o.OrganisationId == organisation && o.Language == language)
            .ToDictionaryAsync(o => o.Key, o => o.Text, StringComparer.Ordinal, cancellationToken);
}
