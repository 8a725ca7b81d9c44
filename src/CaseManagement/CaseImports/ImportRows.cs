using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Plans;
using NodaTime;

namespace CaseManagement.CaseImports;

/// <summary>Which cell of a row feeds which template column (from the confirmed mapping), and the file's header of each.</summary>
public sealed class ColumnMap
{
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> headers = new(StringComparer.Ordinal);

    public ColumnMap(IReadOnlyList<string> fileHeaders, IReadOnlyDictionary<string, string> mapping)
    {
        ArgumentNullException.ThrowIfNull(fileHeaders);
        ArgumentNullException.ThrowIfNull(mapping);
        FileHeaders = fileHeaders;
        foreach (var (key, header) in mapping)
        {
            var position = fileHeaders.ToList().IndexOf(header);
            if (position >= 0)
            {
                index[key] = position;
                headers[key] = header;
            }
        }
    }

    public IReadOnlyList<string> FileHeaders { get; }

    public bool Has(TemplateColumn column) => index.ContainsKey(column.Key);

    public string Text(ImportRow row, TemplateColumn column) => index.TryGetValue(column.Key, out var i) ? row.Cell(i).Trim() : "";

    /// <summary>The column as the user knows it: the file's header, or the template's when the column is not in the file.</summary>
    public string Header(TemplateColumn column) => headers.TryGetValue(column.Key, out var h) ? h : column.Header;

    /// <summary>The template's required columns the mapping leaves out (a German message each).</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<TemplateColumn> columns, IReadOnlyList<string> fileHeaders, IReadOnlyDictionary<string, string> mapping) =>
        columns.Where(c => c.Required && (!mapping.TryGetValue(c.Key, out var h) || !fileHeaders.Contains(h, StringComparer.Ordinal)))
            .Select(c => $"Die Pflichtspalte „{c.Header}“ ist keiner Spalte der Datei zugeordnet.").ToList();
}

/// <summary>A row of the sheet "Fälle" read as the intake command, with the problems found while reading the cells.</summary>
public sealed record CaseRow(int Row, string Reference, OpenCase Command, IReadOnlyList<ImportError> Errors);

/// <summary>A row of the sheet "Ziele".</summary>
public sealed record GoalRow(int Row, string Reference, FieldOfAction? Field, string Text, LocalDate? AgreedOn, LocalDate? TargetDate, GoalStatus Status, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Reads rows of the template into commands: dates (TT.MM.JJJJ, ISO or date cells), choices (German label or API name),
/// nationality (code or German name), languages, the manager by e-mail address. The ranges and required fields are the
/// intake's and the goal form's own checks (<see cref="OpenCase"/>, <see cref="AgreeGoalInput"/>); only what cannot be
/// read at all is reported here, in German, without repeating the cell's content.
/// </summary>
public sealed class ImportRowReader(ColumnMap map, IReadOnlyDictionary<string, Guid> managersByEmail, LocalDate today, string sheet = ImportTemplate.CasesSheet)
{
    public const string NoDate = "Kein gültiges Datum. Bitte als TT.MM.JJJJ (z. B. 31.01.2024) oder JJJJ-MM-TT angeben.";
    public const string UnknownManager = "Unbekannte E-Mail-Adresse: keine aktive Integrationsmanagerin und kein aktiver Integrationsmanager der Organisation.";
    public const int MaxReferenceLength = 50;

    /// <summary>The template column of each field of the intake command (for its error messages).</summary>
    private static readonly Dictionary<string, TemplateColumn> CaseFields = new(StringComparer.Ordinal)
    {
        [nameof(OpenCase.FirstName)] = ImportTemplate.FirstName,
        [nameof(OpenCase.LastName)] = ImportTemplate.LastName,
        [nameof(OpenCase.BirthDate)] = ImportTemplate.BirthDate,
        [nameof(OpenCase.Gender)] = ImportTemplate.Gender,
        [nameof(OpenCase.Nationality)] = ImportTemplate.Nationality,
        [nameof(OpenCase.Languages)] = ImportTemplate.Languages,
        [nameof(OpenCase.ResidenceKind)] = ImportTemplate.Residence,
        [nameof(OpenCase.ResidenceValidUntil)] = ImportTemplate.ResidenceValidUntil,
        [nameof(OpenCase.HousingType)] = ImportTemplate.Housing,
        [nameof(OpenCase.HousingSince)] = ImportTemplate.HousingSince,
        [nameof(OpenCase.SupportStart)] = ImportTemplate.SupportStart,
        [nameof(OpenCase.ManagerId)] = ImportTemplate.Manager,
    };

    private static readonly Dictionary<string, TemplateColumn> GoalFields = new(StringComparer.Ordinal)
    {
        [nameof(AgreeGoal.Field)] = ImportTemplate.GoalField,
        [nameof(AgreeGoal.Text)] = ImportTemplate.GoalText,
        [nameof(AgreeGoal.AgreedOn)] = ImportTemplate.GoalAgreedOn,
        [nameof(AgreeGoal.TargetDate)] = ImportTemplate.GoalTargetDate,
    };

    public CaseRow ReadCase(ImportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var errors = new List<ImportError>();
        var reference = Reference(row, ImportTemplate.Reference, errors);
        var gender = Choice(row, ImportTemplate.Gender, ImportTemplate.Genders, errors);
        var housing = Choice(row, ImportTemplate.Housing, ImportTemplate.HousingTypes, errors);
        var residence = Choice(row, ImportTemplate.Residence, ImportTemplate.ResidenceKinds, errors);
        Guid? manager = null;
        var email = map.Text(row, ImportTemplate.Manager);
        if (email.Length > 0)
        {
            if (managersByEmail.TryGetValue(email.ToUpperInvariant(), out var id))
            {
                manager = id;
            }
            else
            {
                errors.Add(Error(row, ImportTemplate.Manager, UnknownManager));
            }
        }

        var command = new OpenCase(
            Text(row, ImportTemplate.FirstName), Text(row, ImportTemplate.LastName), Date(row, ImportTemplate.BirthDate, errors), gender,
            ImportTemplate.NationalityCode(map.Text(row, ImportTemplate.Nationality)), ImportTemplate.LanguageList(map.Text(row, ImportTemplate.Languages)), null,
            housing, Date(row, ImportTemplate.HousingSince, errors), residence, Date(row, ImportTemplate.ResidenceValidUntil, errors),
            Date(row, ImportTemplate.SupportStart, errors), manager);
        return new CaseRow(row.Number, reference, command, errors);
    }

    public GoalRow ReadGoal(ImportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var errors = new List<ImportError>();
        var reference = Reference(row, ImportTemplate.GoalReference, errors);
        var field = Choice(row, ImportTemplate.GoalField, ImportTemplate.Fields, errors);
        var status = map.Text(row, ImportTemplate.GoalStatus).Length == 0 ? GoalStatus.Agreed : Choice(row, ImportTemplate.GoalStatus, ImportTemplate.GoalStatuses, errors) ?? GoalStatus.Agreed;
        var text = map.Text(row, ImportTemplate.GoalText);
        var agreedOn = Date(row, ImportTemplate.GoalAgreedOn, errors);
        var target = Date(row, ImportTemplate.GoalTargetDate, errors);
        errors.AddRange(Merge(row, errors, AgreeGoalInput.Validate(field, text, agreedOn, target, null, today), GoalFields).ToList());
        return new GoalRow(row.Number, reference, field, text, agreedOn, target, status, errors);
    }

    /// <summary>The intake's own messages for the row, next to the columns (a column already reported while reading keeps its first message).</summary>
    public IEnumerable<ImportError> IntakeErrors(int row, IReadOnlyList<ImportError> readErrors, IEnumerable<InputError> intake) =>
        Merge(new ImportRow(row, []), readErrors, intake, CaseFields);

    private IEnumerable<ImportError> Merge(ImportRow row, IReadOnlyList<ImportError> readErrors, IEnumerable<InputError> checks, Dictionary<string, TemplateColumn> fields)
    {
        foreach (var error in checks)
        {
            var column = fields.TryGetValue(error.Field, out var c) ? map.Header(c) : "";
            if (column.Length > 0 && readErrors.Any(e => e.Column == column))
            {
                continue;
            }

            yield return new ImportError(sheet, row.Number, column, error.Message);
        }
    }

    private string Reference(ImportRow row, TemplateColumn column, List<ImportError> errors)
    {
        var reference = map.Text(row, column);
        if (reference.Length == 0)
        {
            errors.Add(Error(row, column, "Bitte das Aktenzeichen angeben."));
        }
        else if (reference.Length > MaxReferenceLength)
        {
            errors.Add(Error(row, column, $"Bitte das Aktenzeichen mit höchstens {MaxReferenceLength} Zeichen angeben."));
        }
        else if (InputLimits.HasForbiddenCharacters(reference))
        {
            errors.Add(Error(row, column, "Das Aktenzeichen enthält Steuerzeichen."));
        }

        return reference;
    }

    private string? Text(ImportRow row, TemplateColumn column) => map.Text(row, column) is { Length: > 0 } text ? text : null;

    private LocalDate? Date(ImportRow row, TemplateColumn column, List<ImportError> errors)
    {
        var text = map.Text(row, column);
        if (text.Length == 0)
        {
            return null;
        }

        var date = ImportTemplate.ParseDate(text)
                   ?? (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var serial) ? ImportTemplate.FromSerial(serial) : null);
        if (date is null)
        {
            errors.Add(Error(row, column, NoDate));
        }

        return date;
    }

    private T? Choice<T>(ImportRow row, TemplateColumn column, ValueTable<T> table, List<ImportError> errors)
        where T : struct, Enum
    {
        var text = map.Text(row, column);
        if (text.Length == 0)
        {
            return null;
        }

        var value = table.Parse(text);
        if (value is null)
        {
            errors.Add(Error(row, column, $"Unbekannter Wert. Erlaubt sind: {string.Join(", ", table.Labels.Values)}."));
        }

        return value;
    }

    private ImportError Error(ImportRow row, TemplateColumn column, string message) => new(sheet, row.Number, map.Header(column), message);
}
