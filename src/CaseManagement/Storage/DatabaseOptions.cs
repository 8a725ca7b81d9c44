namespace CaseManagement.Storage;

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Let Marten create or update its schema objects on the fly. Only for local experiments;
    /// the default is off everywhere so that migrations/ stays the single source of the schema.
    /// </summary>
    public bool AutoCreateSchema { get; set; }

    /// <summary>Where the reviewed SQL files live; found automatically when empty.</summary>
    public string? MigrationsPath { get; set; }
}
