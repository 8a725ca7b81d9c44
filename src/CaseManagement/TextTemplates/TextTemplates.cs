using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.TextTemplates;

/// <summary>Whose a text template is: the whole organisation's (administrators manage it) or one user's own.</summary>
public enum TextTemplateScope
{
    Organisation,
    Personal,
}

/// <summary>
/// Textbaustein: a short name and a text that a user inserts into any free-text field by typing <c>::name</c>.
/// Placeholders (<c>{Vorname}</c>, <c>{Datum}</c>) are filled in on insertion, in the browser. Not case content,
/// but never logged either.
/// </summary>
public sealed class TextTemplate
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    /// <summary>The user of a personal template; null for an organisation-wide one.</summary>
    public Guid? OwnerId { get; init; }

    public required string Name { get; set; }

    public required string Text { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A template as lists and the insertion script show it.</summary>
public sealed record TextTemplateView(Guid Id, TextTemplateScope Scope, string Name, string Text);

/// <summary>The templates of one scope, for the page that manages them (administrators: the organisation's; everyone: their own).</summary>
public sealed record ListTextTemplates(TextTemplateScope Scope) : IQuery<IReadOnlyList<TextTemplateView>>;

/// <summary>What the signed-in user can insert: their own templates first, then the organisation's.</summary>
public sealed record GetInsertableTextTemplates : IQuery<IReadOnlyList<TextTemplateView>>;

/// <summary>Creates (<paramref name="Id"/> null) or changes a template of the scope.</summary>
public sealed record SaveTextTemplate(TextTemplateScope Scope, Guid? Id, string? Name, string? Text) : ICommand<Outcome<Guid>>;

public sealed record DeleteTextTemplate(TextTemplateScope Scope, Guid Id) : ICommand<Outcome<Guid>>;

public sealed partial class TextTemplateHandlers(AppDbContext db, ICurrentUser user, IClock clock) :
    IQueryHandler<ListTextTemplates, IReadOnlyList<TextTemplateView>>,
    IQueryHandler<GetInsertableTextTemplates, IReadOnlyList<TextTemplateView>>,
    ICommandHandler<SaveTextTemplate, Outcome<Guid>>,
    ICommandHandler<DeleteTextTemplate, Outcome<Guid>>
{
    public const int MinNameLength = 2;

    public const int MaxNameLength = 30;

    public const int MaxTextLength = 2000;

    /// <summary>Templates per scope (the organisation's, or one user's own).</summary>
    public const int MaxPerScope = 200;

    public const string NameRule = "Der Kurzname besteht aus 2 bis 30 Kleinbuchstaben (a–z, ä, ö, ü, ß), Ziffern oder Bindestrichen und beginnt mit einem Buchstaben.";

    public const string NameTaken = "Diesen Kurznamen gibt es hier schon. Bitte einen anderen wählen.";

    public static string TextRule => $"Bitte einen Text mit höchstens {MaxTextLength} Zeichen angeben.";

    public static string TooMany => $"Es sind höchstens {MaxPerScope} Textbausteine möglich. Bitte zuerst einen löschen.";

    [GeneratedRegex("^[a-zäöüß][a-zäöüß0-9-]{1,29}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    /// <summary>The name as stored (trimmed, lower case), or null when it breaks <see cref="NameRule"/>.</summary>
    public static string? NormaliseName(string? name)
    {
        var normalised = name?.Trim().ToLowerInvariant();
        return normalised is { Length: >= MinNameLength and <= MaxNameLength } && NamePattern().IsMatch(normalised) ? normalised : null;
    }

    public async ValueTask<IReadOnlyList<TextTemplateView>> Handle(ListTextTemplates query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var owner = Owner(query.Scope);
        return await Of(db.Set<TextTemplate>().Where(t => t.OrganisationId == user.OrganisationId && t.OwnerId == owner))
            .ToListAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<TextTemplateView>> Handle(GetInsertableTextTemplates query, CancellationToken cancellationToken)
    {
        RequireSignedIn();
        var all = await Of(db.Set<TextTemplate>().Where(t => t.OrganisationId == user.OrganisationId && (t.OwnerId == null || t.OwnerId == user.UserId)))
            .ToListAsync(cancellationToken);
        return all.OrderBy(t => t.Scope == TextTemplateScope.Personal ? 0 : 1).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public async ValueTask<Outcome<Guid>> Handle(SaveTextTemplate command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var owner = Owner(command.Scope);
        var name = NormaliseName(command.Name);
        var text = command.Text?.Trim();
        var checks = new Checks();
        if (name is null)
        {
            checks.Add(nameof(command.Name), NameRule);
        }

        if (string.IsNullOrEmpty(text) || text.Length > MaxTextLength)
        {
            checks.Add(nameof(command.Text), TextRule);
        }

        if (checks.Failed)
        {
            return Outcome<Guid>.Failure(checks.Errors);
        }

        var scope = db.Set<TextTemplate>().Where(t => t.OrganisationId == user.OrganisationId && t.OwnerId == owner);
        if (await scope.AnyAsync(t => t.Name == name && t.Id != command.Id, cancellationToken))
        {
            return Outcome<Guid>.Fail(nameof(command.Name), NameTaken);
        }

        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        TextTemplate row;
        if (command.Id is { } id)
        {
            row = await scope.SingleOrDefaultAsync(t => t.Id == id, cancellationToken) ?? throw new NotFoundException("Text template");
            row.Name = name!;
            row.Text = text!;
            row.UpdatedAt = now;
        }
        else
        {
            if (await scope.CountAsync(cancellationToken) >= MaxPerScope)
            {
                return Outcome<Guid>.Fail(nameof(command.Name), TooMany);
            }

            row = new TextTemplate { Id = Guid.CreateVersion7(), OrganisationId = user.OrganisationId, OwnerId = owner, Name = name!, Text = text!, CreatedAt = now, UpdatedAt = now };
            db.Add(row);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The unique name index: someone saved the same name in this scope at the same moment.
            db.ChangeTracker.Clear();
            return Outcome<Guid>.Fail(nameof(command.Name), NameTaken);
        }

        return Outcome<Guid>.Success(row.Id);
    }

    public async ValueTask<Outcome<Guid>> Handle(DeleteTextTemplate command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var owner = Owner(command.Scope);
        var deleted = await db.Set<TextTemplate>()
            .Where(t => t.OrganisationId == user.OrganisationId && t.OwnerId == owner && t.Id == command.Id)
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? throw new NotFoundException("Text template") : Outcome<Guid>.Success(command.Id);
    }

    /// <summary>The owner of the scope's templates: none for the organisation's (administrators only), the user for personal ones.</summary>
    private Guid? Owner(TextTemplateScope scope)
    {
        if (scope == TextTemplateScope.Organisation)
        {
            user.RequireAdministratorOrganisation();
            return null;
        }

        RequireSignedIn();
        return user.UserId;
    }

    private void RequireSignedIn()
    {
        if (!user.IsAuthenticated || user.OrganisationId == Guid.Empty)
        {
            throw new UnauthorizedAccessException("Not signed in.");
        }
    }

    private static IQueryable<TextTemplateView> Of(IQueryable<TextTemplate> rows) =>
        rows.OrderBy(t => t.Name)
            .Select(t => new TextTemplateView(t.Id, t.OwnerId == null ? TextTemplateScope.Organisation : TextTemplateScope.Personal, t.Name, t.Text));

    /// <summary>EF Core mapping (schema <c>cases</c>, migrations/0022_text_templates.sql).</summary>
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<TextTemplate>(t =>
        {
            t.ToTable("text_templates", AppDbContext.CasesSchema);
            t.HasKey(x => x.Id);
            t.Property(x => x.Id).HasColumnName("id");
            t.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            t.Property(x => x.OwnerId).HasColumnName("owner_id");
            t.Property(x => x.Name).HasColumnName("name");
            t.Property(x => x.Text).HasColumnName("text");
            t.Property(x => x.CreatedAt).HasColumnName("created_at");
            t.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            t.HasIndex(x => new { x.OrganisationId, x.Name }).IsUnique().HasFilter("owner_id IS NULL").HasDatabaseName("ux_text_templates_organisation_name");
            t.HasIndex(x => new { x.OrganisationId, x.OwnerId, x.Name }).IsUnique().HasFilter("owner_id IS NOT NULL").HasDatabaseName("ux_text_templates_personal_name");
        });
    }
}
