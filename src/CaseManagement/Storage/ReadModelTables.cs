using Microsoft.EntityFrameworkCore;

namespace CaseManagement.Storage;

/// <summary>Row of <c>cases.case_figures</c> (written by the trigger of migrations 0029 and 0030, read with SQL; mapped so the schema is one model).</summary>
public sealed class CaseFiguresRecord
{
    public string TenantId { get; init; } = "";

    public Guid CaseId { get; init; }

    public Guid ManagerId { get; init; }

    public string Status { get; init; } = "";

    public DateOnly? SupportStart { get; init; }

    public DateOnly? SupportEnd { get; init; }

    public DateOnly? ClosedOn { get; init; }

    public DateOnly? LastContact { get; init; }

    public DateOnly? NextReviewOn { get; init; }

    public DateOnly[] ConsultationDates { get; init; } = [];

    public string[] GoalFields { get; init; } = [];

    public bool[] GoalFinal { get; init; } = [];

    public string[] GoalStatus { get; init; } = [];

    public DateOnly[] GoalAgreed { get; init; } = [];

    public DateOnly[] GoalFinished { get; init; } = [];

    public DateOnly[] GoalTarget { get; init; } = [];

    public DateOnly[] GoalReview { get; init; } = [];

    // What a list row shows (migration 0030; Caseloads/CaseCards.RowsOfManagersAsync).
    public string CaseNumber { get; init; } = "";

    public string FirstName { get; init; } = "";

    public string LastName { get; init; } = "";

    public DateOnly? BirthDate { get; init; }

    public string Verdict { get; init; } = "";

    public bool IndividualDecisionApproved { get; init; }

    public bool Restricted { get; init; }

    public bool CounsellingWithdrawn { get; init; }

    public long SummaryVersion { get; init; }
}

/// <summary>Row of <c>cases.reminder_plans</c> (written by <see cref="Reminders.ReminderPlans"/> with SQL; mapped so the schema is one model).</summary>
public sealed class ReminderPlanRecord
{
    public Guid CaseId { get; init; }

    public Guid OrganisationId { get; init; }

    public DateOnly? NextOn { get; init; }

    public DateOnly PlannedOn { get; init; }
}

/// <summary>The tables of the Team dashboard's read model and of the reminder plans (migration 0029).</summary>
public static class ReadModelTables
{
    public static void Configure(ModelBuilder builder, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<CaseFiguresRecord>(f =>
        {
            f.ToTable("case_figures", schema);
            f.HasKey(x => new { x.TenantId, x.CaseId });
            f.Property(x => x.TenantId).HasColumnName("tenant_id").HasColumnType("character varying");
            f.Property(x => x.CaseId).HasColumnName("case_id");
            f.Property(x => x.ManagerId).HasColumnName("manager_id");
            f.Property(x => x.Status).HasColumnName("status");
            f.Property(x => x.SupportStart).HasColumnName("support_start");
            f.Property(x => x.SupportEnd).HasColumnName("support_end");
            f.Property(x => x.ClosedOn).HasColumnName("closed_on");
            f.Property(x => x.LastContact).HasColumnName("last_contact");
            f.Property(x => x.NextReviewOn).HasColumnName("next_review_on");
            f.Property(x => x.ConsultationDates).HasColumnName("consultation_dates");
            f.Property(x => x.GoalFields).HasColumnName("goal_fields");
            f.Property(x => x.GoalFinal).HasColumnName("goal_final");
            f.Property(x => x.GoalStatus).HasColumnName("goal_status");
            f.Property(x => x.GoalAgreed).HasColumnName("goal_agreed");
            f.Property(x => x.GoalFinished).HasColumnName("goal_finished");
            f.Property(x => x.GoalTarget).HasColumnName("goal_target");
            f.Property(x => x.GoalReview).HasColumnName("goal_review");
            f.Property(x => x.CaseNumber).HasColumnName("case_number").HasDefaultValue("");
            f.Property(x => x.FirstName).HasColumnName("first_name").HasDefaultValue("");
            f.Property(x => x.LastName).HasColumnName("last_name").HasDefaultValue("");
            f.Property(x => x.BirthDate).HasColumnName("birth_date");
            f.Property(x => x.Verdict).HasColumnName("verdict").HasDefaultValue("");
            f.Property(x => x.IndividualDecisionApproved).HasColumnName("individual_decision_approved").HasDefaultValue(false);
            f.Property(x => x.Restricted).HasColumnName("restricted").HasDefaultValue(false);
            f.Property(x => x.CounsellingWithdrawn).HasColumnName("counselling_withdrawn").HasDefaultValue(false);
            f.Property(x => x.SummaryVersion).HasColumnName("summary_version").HasDefaultValue(0L);
            f.HasIndex(x => new { x.TenantId, x.ManagerId }).HasDatabaseName("ix_case_figures_manager");
        });

        builder.Entity<ReminderPlanRecord>(p =>
        {
            p.ToTable("reminder_plans", schema);
            p.HasKey(x => x.CaseId);
            p.Property(x => x.CaseId).HasColumnName("case_id");
            p.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            p.Property(x => x.NextOn).HasColumnName("next_on");
            p.Property(x => x.PlannedOn).HasColumnName("planned_on");
            p.HasIndex(x => new { x.OrganisationId, x.NextOn }).HasDatabaseName("ix_reminder_plans_organisation");
        });
    }
}
