using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Consultations;

/// <summary>The mode and duration a user recorded a quick note with last: the quick note's defaults next time.</summary>
public sealed class QuickNoteDefaults
{
    public Guid UserId { get; init; }

    public Guid OrganisationId { get; init; }

    public ConsultationMode Mode { get; set; }

    public int DurationMinutes { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What the quick note form starts with: the last used mode and duration, else no mode and 30 minutes.</summary>
public sealed record QuickNotePresets(ConsultationMode? Mode, int DurationMinutes)
{
    public const int FirstDuration = 30;
}

public sealed record GetQuickNotePresets : IQuery<QuickNotePresets>;

/// <summary>
/// Kurznotiz: a consultation recorded in one step from "Meine Fälle" or the top of the case page. It is the
/// consultation command (same input check, same gate); on success the mode and duration are remembered for the user.
/// </summary>
public sealed record RecordQuickNote(RecordConsultation Consultation) : ICommand<Outcome<CaseChanged>>;

public sealed class QuickNoteHandlers(IMediator mediator, AppDbContext db, ICurrentUser user, IClock clock) :
    IQueryHandler<GetQuickNotePresets, QuickNotePresets>,
    ICommandHandler<RecordQuickNote, Outcome<CaseChanged>>
{
    public async ValueTask<QuickNotePresets> Handle(GetQuickNotePresets query, CancellationToken cancellationToken)
    {
        var last = await db.Set<QuickNoteDefaults>().AsNoTracking()
            .SingleOrDefaultAsync(d => d.UserId == user.UserId && d.OrganisationId == user.OrganisationId, cancellationToken);
        return last is null ? new QuickNotePresets(null, QuickNotePresets.FirstDuration) : new QuickNotePresets(last.Mode, last.DurationMinutes);
    }

    public async ValueTask<Outcome<CaseChanged>> Handle(RecordQuickNote command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = await mediator.Send(command.Consultation, cancellationToken);
        if (outcome.Succeeded)
        {
            // Accepted means the input check passed: mode and duration are set and in range.
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                insert into cases.quick_note_defaults (user_id, organisation_id, mode, duration_minutes, updated_at)
                values ({user.UserId}, {user.OrganisationId}, {command.Consultation.Mode!.Value.ToString()}, {command.Consultation.DurationMinutes!.Value}, {clock.GetCurrentInstant().ToDateTimeOffset()})
                on conflict (user_id) do update set mode = excluded.mode, duration_minutes = excluded.duration_minutes, updated_at = excluded.updated_at
                """,
                cancellationToken);
        }

        return outcome;
    }

    /// <summary>EF Core mapping (schema <c>cases</c>, migrations/0022_text_templates.sql).</summary>
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<QuickNoteDefaults>(d =>
        {
            d.ToTable("quick_note_defaults", AppDbContext.CasesSchema);
            d.HasKey(x => x.UserId);
            d.Property(x => x.UserId).HasColumnName("user_id");
            d.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            d.Property(x => x.Mode).HasColumnName("mode").HasConversion<string>();
            d.Property(x => x.DurationMinutes).HasColumnName("duration_minutes");
            d.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        });
    }
}
