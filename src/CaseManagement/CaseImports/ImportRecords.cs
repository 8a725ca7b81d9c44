using Microsoft.EntityFrameworkCore;

namespace CaseManagement.CaseImports;

/// <summary>Where an imported case came from (in its first event, so its history says so).</summary>
public sealed record ImportProvenance(Guid ImportId, string Reference, string FileName, int Row);

/// <summary>Where an import stands (the API's <c>status</c>). <see cref="Draft"/>: uploaded in the wizard, not started yet.</summary>
public enum ImportStatus
{
    Draft,
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>What became of a row.</summary>
public enum RowOutcome
{
    Created,
    AlreadyPresent,
    Rejected,
}

/// <summary>A problem of one row in one column (row numbers as Excel shows them: header = 1; column "" = the whole row).</summary>
public sealed record ImportError(string Sheet, int Row, string Column, string Message);

/// <summary>Row of <c>cases.imports</c>: one upload, its settings and its progress. No case content.</summary>
public sealed class ImportRecord
{
    public Guid Id { get; init; }

    public Guid OrganisationId { get; init; }

    /// <summary>The importing team lead's team (null: an administrator's import for the whole organisation).</summary>
    public Guid? TeamId { get; init; }

    public Guid CreatedBy { get; init; }

    public string FileName { get; init; } = "";

    public ImportFormat Format { get; init; }

    public string? CasesSheet { get; set; }

    public string? GoalsSheet { get; set; }

    /// <summary>Template column → header of the file (JSON).</summary>
    public string Mapping { get; set; } = "{}";

    public bool DryRun { get; set; }

    /// <summary>For a case already present: take changed housing or residence status over as new, dated events.</summary>
    public bool UpdateSituation { get; set; }

    /// <summary>Create rows that are probable duplicates (same name and birth date) anyway.</summary>
    public bool ConfirmDuplicates { get; set; }

    public ImportStatus Status { get; set; }

    public int TotalRows { get; set; }

    public int DoneRows { get; set; }

    public int Created { get; set; }

    public int AlreadyPresent { get; set; }

    public int Rejected { get; set; }

    public bool CancelRequested { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>
    /// Renewed when the import is queued, when its job starts and after every batch: an import queued or running whose
    /// heartbeat is older than <see cref="ImportJobs.Lease"/> lost its worker and is queued again by <see cref="ImportJobs.Sweep"/>.
    /// </summary>
    public DateTimeOffset? HeartbeatAt { get; set; }
}

/// <summary>Row of <c>cases.import_files</c>: the uploaded file, kept for the job, resuming and the error file; erased with a case it created.</summary>
public sealed class ImportFileRecord
{
    public Guid ImportId { get; init; }

    public byte[] Content { get; init; } = [];
}

/// <summary>Row of <c>cases.import_rows</c>: what became of one row of the file (the errors as JSON, German messages only).</summary>
public sealed class ImportRowRecord
{
    public Guid ImportId { get; init; }

    public string Sheet { get; init; } = "";

    public int RowNumber { get; init; }

    public RowOutcome Outcome { get; init; }

    public Guid? CaseId { get; init; }

    public string? Errors { get; init; }
}

/// <summary>Row of <c>cases.import_references</c>: the previous system's reference of an imported case, unique per organisation.</summary>
public sealed class ImportReference
{
    public Guid OrganisationId { get; init; }

    public string Reference { get; init; } = "";

    public Guid CaseId { get; init; }

    public Guid ImportId { get; init; }

    public int RowNumber { get; init; }
}

/// <summary>Row of <c>cases.import_mappings</c>: the column mapping an organisation confirmed last (JSON).</summary>
public sealed class ImportMappingRecord
{
    public Guid OrganisationId { get; init; }

    public string Mapping { get; set; } = "{}";

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>EF mapping of the import tables (migrations/0019_imports.sql).</summary>
public static class ImportTables
{
    public static void Configure(ModelBuilder builder, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Entity<ImportRecord>(i =>
        {
            i.ToTable("imports", schema);
            i.HasKey(x => x.Id);
            i.Property(x => x.Id).HasColumnName("id");
            i.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            i.Property(x => x.TeamId).HasColumnName("team_id");
            i.Property(x => x.CreatedBy).HasColumnName("created_by");
            i.Property(x => x.FileName).HasColumnName("file_name");
            i.Property(x => x.Format).HasColumnName("format").HasConversion<string>();
            i.Property(x => x.CasesSheet).HasColumnName("cases_sheet");
            i.Property(x => x.GoalsSheet).HasColumnName("goals_sheet");
            i.Property(x => x.Mapping).HasColumnName("mapping");
            i.Property(x => x.DryRun).HasColumnName("dry_run");
            i.Property(x => x.UpdateSituation).HasColumnName("update_situation");
            i.Property(x => x.ConfirmDuplicates).HasColumnName("confirm_duplicates");
            i.Property(x => x.Status).HasColumnName("status").HasConversion<string>();
            i.Property(x => x.TotalRows).HasColumnName("total_rows");
            i.Property(x => x.DoneRows).HasColumnName("done_rows");
            i.Property(x => x.Created).HasColumnName("created");
            i.Property(x => x.AlreadyPresent).HasColumnName("already_present");
            i.Property(x => x.Rejected).HasColumnName("rejected");
            i.Property(x => x.CancelRequested).HasColumnName("cancel_requested");
            i.Property(x => x.CreatedAt).HasColumnName("created_at");
            i.Property(x => x.StartedAt).HasColumnName("started_at");
            i.Property(x => x.FinishedAt).HasColumnName("finished_at");
            i.Property(x => x.HeartbeatAt).HasColumnName("heartbeat_at");
            i.HasIndex(x => new { x.OrganisationId, x.CreatedAt }).HasDatabaseName("ix_imports_organisation");
        });

        builder.Entity<ImportFileRecord>(f =>
        {
            f.ToTable("import_files", schema);
            f.HasKey(x => x.ImportId);
            f.Property(x => x.ImportId).HasColumnName("import_id");
            f.Property(x => x.Content).HasColumnName("content");
        });

        builder.Entity<ImportRowRecord>(r =>
        {
            r.ToTable("import_rows", schema);
            r.HasKey(x => new { x.ImportId, x.Sheet, x.RowNumber });
            r.Property(x => x.ImportId).HasColumnName("import_id");
            r.Property(x => x.Sheet).HasColumnName("sheet");
            r.Property(x => x.RowNumber).HasColumnName("row_number");
            r.Property(x => x.Outcome).HasColumnName("outcome").HasConversion<string>();
            r.Property(x => x.CaseId).HasColumnName("case_id");
            r.Property(x => x.Errors).HasColumnName("errors");
        });

        builder.Entity<ImportReference>(r =>
        {
            r.ToTable("import_references", schema);
            r.HasKey(x => new { x.OrganisationId, x.Reference });
            r.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            r.Property(x => x.Reference).HasColumnName("reference");
            r.Property(x => x.CaseId).HasColumnName("case_id");
            r.Property(x => x.ImportId).HasColumnName("import_id");
            r.Property(x => x.RowNumber).HasColumnName("row_number");
            r.HasIndex(x => new { x.OrganisationId, x.CaseId }).HasDatabaseName("ix_import_references_case");
        });

        builder.Entity<ImportMappingRecord>(m =>
        {
            m.ToTable("import_mappings", schema);
            m.HasKey(x => x.OrganisationId);
            m.Property(x => x.OrganisationId).HasColumnName("organisation_id");
            m.Property(x => x.Mapping).HasColumnName("mapping");
            m.Property(x => x.ChangedAt).HasColumnName("changed_at");
        });
    }
}
