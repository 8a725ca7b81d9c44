using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Storage;

/// <summary>Counter behind <see cref="Cases.CaseNumbers"/>.</summary>
public sealed class CaseNumberSeries
{
    public required string TenantId { get; init; }

    public int Year { get; init; }

    public int LastNumber { get; set; }
}

/// <summary>
/// The relational side of the system (EF Core, schema <c>identity</c>): users, roles, organisations,
/// teams and the data-protection keys shared by all application nodes. Case data lives in Marten.
/// </summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<UserAccount, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public const string Schema = "identity";

    /// <summary>Schema of the relational side tables of the case module.</summary>
    public const string CasesSchema = "cases";

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Team> Teams => Set<Team>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<CaseNumberSeries> CaseNumberSeries => Set<CaseNumberSeries>();

    public DbSet<DeputyGrant> DeputyGrants => Set<DeputyGrant>();

    public DbSet<Reminders.Reminder> Reminders => Set<Reminders.Reminder>();

    public DbSet<Reminders.OrganisationReminderSettings> ReminderSettings => Set<Reminders.OrganisationReminderSettings>();

    public DbSet<Reminders.ReminderDigestSent> ReminderDigests => Set<Reminders.ReminderDigestSent>();

    public DbSet<Reminders.ReminderCheck> ReminderChecks => Set<Reminders.ReminderCheck>();

    public DbSet<Cases.IntakeKey> IntakeKeys => Set<Cases.IntakeKey>();

    public DbSet<Reminders.CaseChangeRecord> CaseChanges => Set<Reminders.CaseChangeRecord>();

    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();
    public DbSet<Appointments.CalendarFeedRecord> CalendarFeeds => Set<Appointments.CalendarFeedRecord>();

    public DbSet<Reminders.ReminderRunRecord> ReminderRuns => Set<Reminders.ReminderRunRecord>();

    public DbSet<Reminders.ReminderProblemRecord> ReminderProblems => Set<Reminders.ReminderProblemRecord>();

    public DbSet<DataProtection.CaseAccessEntry> CaseAccessLog => Set<DataProtection.CaseAccessEntry>();

    public DbSet<DataProtection.ErasureRecord> Erasures => Set<DataProtection.ErasureRecord>();

    public DbSet<CaseImports.ImportRecord> Imports => Set<CaseImports.ImportRecord>();

    public DbSet<CaseImports.ImportFileRecord> ImportFiles => Set<CaseImports.ImportFileRecord>();

    public DbSet<CaseImports.ImportRowRecord> ImportRows => Set<CaseImports.ImportRowRecord>();

    public DbSet<CaseImports.ImportReference> ImportReferences => Set<CaseImports.ImportReference>();

    public DbSet<CaseImports.ImportMappingRecord> ImportMappings => Set<CaseImports.ImportMappingRecord>();

    public DbSet<DataProtection.SubjectSearchEntry> SubjectSearches => Set<DataProtection.SubjectSearchEntry>();

    public DbSet<DataProtection.RetentionNotice> RetentionNotices => Set<DataProtection.RetentionNotice>();

    public DbSet<SignIn.UserSession> UserSessions => Set<SignIn.UserSession>();

    public DbSet<RoleChange> RoleChanges => Set<RoleChange>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        CaseManagement.CaseImports.ImportTables.Configure(builder, CasesSchema);
        CaseManagement.Documents.DocumentContentChunk.Configure(builder, CasesSchema);
        ReadModelTables.Configure(builder, CasesSchema);
        TextTemplates.TextTemplateHandlers.Configure(builder);
        LocalOffers.LocalOfferDirectory.Configure(builder);
        QuickNoteHandlers.Configure(builder);
        Districts.DistrictTables.Configure(builder);

        builder.Entity<Organisation>(o =>
        {
            o.ToTable("organisations");
            o.HasKey(x => x.Id);
            o.Property(x => x.Name).HasMaxLength(200).IsRequired();
            o.HasIndex(x => x.Name).IsUnique();
            o.Ignore(x => x.TenantId);
        });

        builder.Entity<Team>(t =>
        {
            t.ToTable("teams");
            t.HasKey(x => x.Id);
            t.Property(x => x.Name).HasMaxLength(100).IsRequired();
            t.HasIndex(x => new { x.OrganisationId, x.Name }).IsUnique();
            t.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<UserAccount>(u =>
        {
            u.Property(x => x.DisplayName).HasMaxLength(200).IsRequired();
            u.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            u.HasOne<Team>().WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.Restrict);
            u.HasIndex(x => x.OrganisationId);
        });

        builder.Entity<DataProtectionKey>().ToTable("data_protection_keys");

        builder.Entity<Reminders.Reminder>(r =>
        {
            r.ToTable("reminders", CasesSchema);
            r.HasKey(x => x.Id);
            r.Property(x => x.Id).HasColumnName("id");
            r.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            r.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(40);
            r.Property(x => x.CaseId).HasColumnName("case_id");
            r.Property(x => x.SubjectId).HasColumnName("subject_id");
            r.Property(x => x.DueOn).HasColumnName("due_on");
            r.Property(x => x.AssigneeId).HasColumnName("assignee_id");
            r.Property(x => x.Audience).HasColumnName("audience").HasMaxLength(20);
            r.Property(x => x.SnoozedUntil).HasColumnName("snoozed_until");
            r.Property(x => x.CreatedAt).HasColumnName("created_at");
            r.Property(x => x.DoneAt).HasColumnName("done_at");
            r.Property(x => x.WithdrawnAt).HasColumnName("withdrawn_at");
            r.HasIndex(x => new { x.OrganisationId, x.Kind, x.CaseId, x.SubjectId, x.DueOn }).IsUnique().HasDatabaseName("ux_reminders_natural_key");
            r.HasIndex(x => new { x.OrganisationId, x.AssigneeId, x.DoneAt }).HasDatabaseName("ix_reminders_inbox");
            r.HasIndex(x => x.CaseId).HasDatabaseName("ix_reminders_case");
        });

        builder.Entity<Reminders.OrganisationReminderSettings>(r =>
        {
            r.ToTable("reminder_settings");
            r.HasKey(x => x.OrganisationId);
            r.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            r.Property(x => x.NoContactWeeks).HasColumnName("no_contact_weeks");
            r.Property(x => x.SupportEndingMonths).HasColumnName("support_ending_months");
            r.Property(x => x.ResidenceExpiringWeeks).HasColumnName("residence_expiring_weeks");
            r.Property(x => x.ConsentValidMonths).HasColumnName("consent_valid_months");
            r.Property(x => x.ConsentRenewalNoticeWeeks).HasColumnName("consent_renewal_notice_weeks");
            r.Property(x => x.ApprovalWaitingWorkingDays).HasColumnName("approval_waiting_working_days");
            r.Property(x => x.EligibilityRecheckDays).HasColumnName("eligibility_recheck_days");
            r.Property(x => x.DailyAt).HasColumnName("daily_at");
            r.Property(x => x.Version).HasColumnName("version").IsConcurrencyToken();
            r.HasOne<Organisation>().WithOne().HasForeignKey<Reminders.OrganisationReminderSettings>(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Reminders.ReminderDigestSent>(d =>
        {
            d.ToTable("reminder_digests", CasesSchema);
            d.HasKey(x => new { x.UserId, x.Day });
            d.Property(x => x.UserId).HasColumnName("user_id");
            d.Property(x => x.Day).HasColumnName("day");
            d.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            d.Property(x => x.DueCount).HasColumnName("due_count");
            d.Property(x => x.SentAt).HasColumnName("sent_at");
        });

        builder.Entity<Reminders.ReminderCheck>(c =>
        {
            c.ToTable("reminder_checks", CasesSchema);
            c.HasKey(x => new { x.CaseId, x.RunOn });
            c.Property(x => x.CaseId).HasColumnName("case_id");
            c.Property(x => x.RunOn).HasColumnName("run_on");
        });

        builder.Entity<Cases.IntakeKey>(k =>
        {
            k.ToTable("intake_keys", CasesSchema);
            k.HasKey(x => x.CaseId);
            k.Property(x => x.CaseId).HasColumnName("case_id");
            k.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            k.Property(x => x.PersonKey).HasColumnName("person_key");
            k.Property(x => x.ConfirmedDuplicate).HasColumnName("confirmed_duplicate");
            k.HasIndex(x => new { x.OrganisationId, x.PersonKey }).IsUnique().HasFilter("NOT confirmed_duplicate").HasDatabaseName("ux_intake_keys_person");
        });

        builder.Entity<Reminders.CaseChangeRecord>(c =>
        {
            c.ToTable("case_changes", CasesSchema);
            c.HasKey(x => x.Id);
            c.Property(x => x.Id).HasColumnName("id");
            c.Property(x => x.CaseId).HasColumnName("case_id");
            c.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            c.Property(x => x.ChangedAt).HasColumnName("changed_at");
            c.Property(x => x.Moved).HasColumnName("moved");
            c.HasIndex(x => x.CaseId).HasDatabaseName("ix_case_changes_case");
        });

        builder.Entity<IdempotencyRecord>(k =>
        {
            k.ToTable("idempotency_keys", CasesSchema);
            k.HasKey(x => new { x.UserId, x.Key });
            k.Property(x => x.UserId).HasColumnName("user_id");
            k.Property(x => x.Key).HasColumnName("key");
            k.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            k.Property(x => x.RequestHash).HasColumnName("request_hash");
            k.Property(x => x.Status).HasColumnName("status");
            k.Property(x => x.Location).HasColumnName("location");
            k.Property(x => x.ETag).HasColumnName("etag");
            k.Property(x => x.Body).HasColumnName("body");
            k.Property(x => x.CaseId).HasColumnName("case_id");
            k.Property(x => x.CreatedAt).HasColumnName("created_at");
            k.HasIndex(x => x.CreatedAt).HasDatabaseName("ix_idempotency_keys_created_at");
            k.HasIndex(x => x.CaseId).HasDatabaseName("ix_idempotency_keys_case");
        });

        builder.Entity<Appointments.CalendarFeedRecord>(f =>
        {
            f.ToTable("calendar_feeds", CasesSchema);
            f.HasKey(x => x.UserId);
            f.Property(x => x.UserId).HasColumnName("user_id");
            f.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            f.Property(x => x.TokenHash).HasColumnName("token_hash");
            f.Property(x => x.CreatedAt).HasColumnName("created_at");
            f.HasIndex(x => x.TokenHash).IsUnique().HasDatabaseName("ix_calendar_feeds_token_hash");
        });

        builder.Entity<Reminders.ReminderRunRecord>(r =>
        {
            r.ToTable("reminder_runs", CasesSchema);
            r.HasKey(x => x.OrganisationId);
            r.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            r.Property(x => x.StartedAt).HasColumnName("started_at");
            r.Property(x => x.FinishedAt).HasColumnName("finished_at");
            r.Property(x => x.Cases).HasColumnName("cases");
            r.Property(x => x.Created).HasColumnName("created");
            r.Property(x => x.Failed).HasColumnName("failed");
        });

        builder.Entity<Reminders.ReminderProblemRecord>(p =>
        {
            p.ToTable("reminder_problems", CasesSchema);
            p.HasKey(x => new { x.OrganisationId, x.CaseId });
            p.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            p.Property(x => x.CaseId).HasColumnName("case_id");
            p.Property(x => x.Problem).HasColumnName("problem");
            p.Property(x => x.FirstSeenAt).HasColumnName("first_seen_at");
            p.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
        });

        builder.Entity<DataProtection.CaseAccessEntry>(e =>
        {
            e.ToTable("case_access_log");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.Role).HasColumnName("role").HasMaxLength(40);
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Channel).HasColumnName("channel").HasMaxLength(10);
            e.Property(x => x.What).HasColumnName("what").HasMaxLength(40);
            e.Property(x => x.Purpose).HasColumnName("purpose").HasMaxLength(200);
            e.HasIndex(x => new { x.OrganisationId, x.At }).HasDatabaseName("ix_case_access_log_org_at");
            e.HasIndex(x => new { x.OrganisationId, x.CaseId }).HasDatabaseName("ix_case_access_log_case");
        });

        builder.Entity<DataProtection.ErasureRecord>(e =>
        {
            e.ToTable("erasures");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.CaseNumber).HasColumnName("case_number").HasMaxLength(20);
            e.Property(x => x.Reason).HasColumnName("reason").HasMaxLength(DataProtection.RequestErasureHandler.MaxReasonLength);
            e.Property(x => x.LegalBasis).HasColumnName("legal_basis").HasMaxLength(DataProtection.RequestErasureHandler.MaxLegalBasisLength);
            e.Property(x => x.Trigger).HasColumnName("trigger").HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasColumnName("status").HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.RequestedBy).HasColumnName("requested_by");
            e.Property(x => x.RequestedAt).HasColumnName("requested_at");
            e.Property(x => x.ConfirmedBy).HasColumnName("confirmed_by");
            e.Property(x => x.ConfirmedAt).HasColumnName("confirmed_at");
            e.Property(x => x.CompletedAt).HasColumnName("completed_at");
            e.HasIndex(x => new { x.OrganisationId, x.CaseId }).HasDatabaseName("ix_erasures_case");
        });

        builder.Entity<DataProtection.SubjectSearchEntry>(e =>
        {
            e.ToTable("subject_searches");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.At).HasColumnName("at");
            e.Property(x => x.Purpose).HasColumnName("purpose").HasMaxLength(DataProtection.FindSubjectsHandler.MaxPurposeLength);
            e.Property(x => x.Results).HasColumnName("results");
            e.Property(x => x.FoundCases).HasColumnName("found_cases");
            e.HasIndex(x => new { x.OrganisationId, x.At }).HasDatabaseName("ix_subject_searches_org_at");
        });

        builder.Entity<DataProtection.RetentionNotice>(e =>
        {
            e.ToTable("retention_notices");
            e.HasKey(x => x.CaseId);
            e.Property(x => x.CaseId).HasColumnName("case_id");
            e.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            e.Property(x => x.CaseNumber).HasColumnName("case_number").HasMaxLength(20);
            e.Property(x => x.ClosedOn).HasColumnName("closed_on");
            e.Property(x => x.DueOn).HasColumnName("due_on");
            e.Property(x => x.AnnouncedOn).HasColumnName("announced_on");
            e.Property(x => x.HoldReason).HasColumnName("hold_reason").HasMaxLength(DataProtection.RetentionRules.MaxHoldReasonLength);
            e.Property(x => x.HoldBy).HasColumnName("hold_by");
            e.Property(x => x.HoldAt).HasColumnName("hold_at");
            e.HasIndex(x => new { x.OrganisationId, x.DueOn }).HasDatabaseName("ix_retention_notices_org_due");
        });

        // Server-side sessions: every request looks one up by its primary key (SignIn/UserSessions.cs).
        builder.Entity<SignIn.UserSession>(e =>
        {
            e.ToTable("user_sessions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.Kind).HasColumnName("kind").HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.SecurityStamp).HasColumnName("security_stamp").HasMaxLength(100);
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
            e.Property(x => x.EndedAt).HasColumnName("ended_at");
            e.Property(x => x.EndReason).HasColumnName("end_reason").HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.RefreshTokenHash).HasColumnName("refresh_token_hash").HasMaxLength(64);
            e.Property(x => x.RefreshTokenExpiresAt).HasColumnName("refresh_token_expires_at");
            e.HasOne<UserAccount>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.UserId).HasDatabaseName("ix_user_sessions_user");
        });

        // Audit trail of role grants and revocations (ids only), read by the organisation's DPO.
        builder.Entity<RoleChange>(e =>
        {
            e.ToTable("role_changes");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
            e.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            e.Property(x => x.UserId).HasColumnName("user_id");
            e.Property(x => x.Role).HasColumnName("role").HasMaxLength(40);
            e.Property(x => x.Change).HasColumnName("change").HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.ChangedBy).HasColumnName("changed_by");
            e.Property(x => x.At).HasColumnName("at");
            e.HasIndex(x => new { x.OrganisationId, x.At }).HasDatabaseName("ix_role_changes_org_at");
        });

        builder.Entity<DeputyGrant>(g =>
        {
            g.ToTable("deputy_grants");
            g.HasKey(x => x.Id);
            g.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
            g.HasOne<UserAccount>().WithMany().HasForeignKey(x => x.DeputyId).OnDelete(DeleteBehavior.Restrict);
            g.HasOne<UserAccount>().WithMany().HasForeignKey(x => x.AbsentManagerId).OnDelete(DeleteBehavior.Restrict);
            g.HasIndex(x => new { x.OrganisationId, x.DeputyId, x.LastDay });
            g.HasIndex(x => new { x.OrganisationId, x.AbsentManagerId, x.LastDay });
        });

        // Relational side table of the case module (schema cases): one counter per organisation and year.
        builder.Entity<CaseNumberSeries>(c =>
        {
            c.ToTable("case_number_series", CasesSchema);
            c.HasKey(x => new { x.TenantId, x.Year });
            c.Property(x => x.TenantId).HasColumnName("tenant_id").HasMaxLength(64);
            c.Property(x => x.Year).HasColumnName("year");
            c.Property(x => x.LastNumber).HasColumnName("last_number");
        });
    }
}
