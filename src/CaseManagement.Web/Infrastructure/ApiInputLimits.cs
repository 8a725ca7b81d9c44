using System.Globalization;
using Microsoft.OpenApi;

namespace CaseManagement.Web.Infrastructure;

/// <summary>
/// The limits of docs/input-limits.md as schema keywords of the OpenAPI document: each field's own limit where the use
/// case checks one, otherwise the outer bounds of the input guard (text 10,000 characters, lists 1,000 entries, dates
/// 1900–2100) — which also bound every text and list the API answers with, since each came in through them.
/// </summary>
public static class ApiInputLimits
{
    private sealed record Limit(int? MinLength = null, int? MaxLength = null, int? MaxItems = null, int? Minimum = null, int? Maximum = null, string? Pattern = null, string? Dates = null);

    private const string Iso3166 = "^[A-Za-z]{2}$";
    private const string Iso639 = "^[A-Za-z]{2,3}$";
    private const string Programme = "27.04.2017 (Beginn des Pakts für Integration) bis heute";
    private const string Recorded = "die letzten 20 Jahre bis heute";
    private const string Plan = "20 Jahre zurück bis 20 Jahre voraus";
    private const string Life = "01.01.1900 bis heute, nicht vor dem Geburtsdatum";

    /// <summary>Keyed by the declaring type's name and the JSON field name.</summary>
    private static readonly Dictionary<(string Type, string Field), Limit> Fields = new()
    {
        [("CreateClientRequest", "firstName")] = new(MaxLength: 100),
        [("CreateClientRequest", "lastName")] = new(MaxLength: 100),
        [("CreateClientRequest", "nationality")] = new(MinLength: 2, MaxLength: 2, Pattern: Iso3166),
        [("CreateClientRequest", "languages")] = new(MaxItems: 10),
        [("CreateClientRequest", "interpreterLanguage")] = new(MinLength: 2, MaxLength: 3, Pattern: Iso639),
        [("CreateClientRequest", "birthDate")] = new(Dates: "01.01.1900 bis heute"),
        [("CreateClientRequest", "arrivedOn")] = new(Dates: Life),
        [("CreateClientRequest", "supportStart")] = new(Dates: "27.04.2017 bis drei Monate voraus"),
        [("HousingInput", "since")] = new(Dates: Life),
        [("ResidenceStatusInput", "validUntil")] = new(Dates: "01.01.1900 bis 31.12.2100, nicht vor dem Geburtsdatum"),
        [("ContactInput", "phone")] = new(MaxLength: 30, Pattern: @"^[0-9 +()/\-]*$"),
        [("ContactInput", "email")] = new(MaxLength: 200),
        [("ContactInput", "street")] = new(MaxLength: 100),
        [("ContactInput", "postalCode")] = new(MaxLength: 5, Pattern: "^[0-9]{5}$"),
        [("ContactInput", "city")] = new(MaxLength: 100),
        [("ConsentInput", "formVersion")] = new(MaxLength: 20),
        [("ConsentInput", "scopes")] = new(MaxItems: 3),
        [("ConsentInput", "givenOn")] = new(Dates: Programme),
        [("ConsentWithdrawalInput", "scopes")] = new(MaxItems: 3),
        [("ConsentWithdrawalInput", "withdrawnOn")] = new(Dates: Programme),
        [("HouseholdLinkInput", "memberCaseNumber")] = new(MaxLength: 20),
        [("ProfileInput", "qualifications")] = new(MaxLength: 2000),
        [("ProfileInput", "competences")] = new(MaxLength: 2000),
        [("ProfileInput", "schoolYears")] = new(Minimum: 0, Maximum: 20),
        [("ProfileInput", "schoolCertificate")] = new(MaxLength: 200),
        [("ProfileInput", "schoolCountry")] = new(MinLength: 2, MaxLength: 2, Pattern: Iso3166),
        [("ProfileInput", "vocationalDegree")] = new(MaxLength: 500),
        [("ProfileInput", "workExperience")] = new(MaxLength: 2000),
        [("LanguageLevelInput", "language")] = new(MinLength: 2, MaxLength: 3, Pattern: Iso639),
        [("LanguageLevelInput", "certificate")] = new(MaxLength: 200),
        [("LanguageLevelInput", "assessedOn")] = new(Dates: "01.01.1950 bis heute"),
        [("DevelopmentInput", "text")] = new(MaxLength: 2000),
        [("DevelopmentInput", "date")] = new(Dates: Programme),
        [("ReferralInput", "serviceName")] = new(MaxLength: 200),
        [("ReferralInput", "note")] = new(MaxLength: 1000),
        [("ReferralInput", "date")] = new(Dates: Programme),
        [("GoalInput", "text")] = new(MaxLength: 1000),
        [("GoalInput", "agreedOn")] = new(Dates: Recorded),
        [("GoalInput", "targetDate")] = new(Dates: Plan),
        [("GoalInput", "nextReview")] = new(Dates: Plan),
        [("GoalStatusInput", "reason")] = new(MaxLength: 500),
        [("StepInput", "text")] = new(MaxLength: 500),
        [("StepInput", "service")] = new(MaxLength: 200),
        [("StepInput", "dueDate")] = new(Dates: Plan),
        [("StepDoneInput", "completedOn")] = new(Dates: Recorded),
        [("SignatureInput", "signedOn")] = new(Dates: Recorded),
        [("ReviewInput", "summary")] = new(MaxLength: 4000),
        [("ReviewInput", "goals")] = new(MaxItems: 100),
        [("ReviewInput", "date")] = new(Dates: Recorded),
        [("ReviewInput", "nextReview")] = new(Dates: Plan),
        [("GoalReview", "newText")] = new(MaxLength: 1000),
        [("GoalReview", "reason")] = new(MaxLength: 500),
        [("GoalReview", "newTargetDate")] = new(Dates: Plan),
        [("ConsultationInput", "durationMinutes")] = new(Minimum: 5, Maximum: 600),
        [("ConsultationInput", "fields")] = new(MaxItems: 10),
        [("ConsultationInput", "interpreterLanguage")] = new(MinLength: 2, MaxLength: 3, Pattern: Iso639),
        [("ConsultationInput", "note")] = new(MaxLength: 2000),
        [("ConsultationInput", "date")] = new(Dates: Programme),
        [("NoteInput", "note")] = new(MaxLength: 2000),
        [("CloseInput", "note")] = new(MaxLength: 2000),
        [("CloseInput", "closedOn")] = new(Dates: Recorded + ", nicht vor dem Förderbeginn"),
        [("JustificationInput", "justification")] = new(MinLength: 20, MaxLength: 4000),
        [("ApprovalDecisionInput", "comment")] = new(MaxLength: 2000),
        [("ReassignInput", "caseIds")] = new(MaxItems: 1000),
        [("ReassignInput", "note")] = new(MaxLength: 1000),
        [("RestrictionInput", "reason")] = new(MaxLength: 2000),
        [("ErasureInput", "reason")] = new(MaxLength: 2000),
        [("ErasureInput", "legalBasis")] = new(MaxLength: 200),
        [("ConfirmErasureInput", "caseNumber")] = new(MaxLength: 20),
        [("HoldInput", "reason")] = new(MaxLength: 1000),
        [("SubjectSearchInput", "query")] = new(MaxLength: 200),
        [("SubjectSearchInput", "purpose")] = new(MaxLength: 200),
        [("ExportInput", "password")] = new(MinLength: 8, MaxLength: 200),
        [("ExportInput", "purpose")] = new(MaxLength: 200),
        [("SnoozeInput", "until")] = new(Dates: "morgen bis ein Jahr voraus"),
        [("LoginRequest", "email")] = new(MaxLength: 256),
    };

    /// <summary>Sets the field's limits on its schema, and the outer bounds where it has none of its own.</summary>
    public static void Apply(OpenApiSchema schema, Type? declaringType, string? field)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Limit? limit = null;
        if (declaringType is not null && field is not null)
        {
            Fields.TryGetValue((declaringType.Name, field), out limit);
        }

        // Lists a client sends are bounded (1,000 at most); lists the API answers with grow with the case (history, goals).
        var request = declaringType is not null && (declaringType.Name.EndsWith("Input", StringComparison.Ordinal)
                                                     || declaringType.Name.EndsWith("Request", StringComparison.Ordinal) || declaringType.Name == "GoalReview");
        OuterBounds(schema, limit, request);
        if (limit?.Dates is { } dates)
        {
            schema.Description = $"{schema.Description} Zulässig: {dates}.".Trim();
        }
    }

    /// <summary>The outer bounds of every request (and so of every stored value): text, list, number, date.</summary>
    private static void OuterBounds(OpenApiSchema schema, Limit? limit, bool request)
    {
        var type = schema.Type ?? 0;
        if (type.HasFlag(JsonSchemaType.String) && schema.Enum is not { Count: > 0 })
        {
            schema.MaxLength = limit?.MaxLength ?? schema.MaxLength ?? (schema.Format switch
            {
                "uuid" => 36,
                "date" => 10,
                "date-time" => 35,
                _ => InputLimits.MaxTextLength,
            });
            schema.MinLength = limit?.MinLength ?? schema.MinLength;
            schema.Pattern = limit?.Pattern ?? schema.Pattern;
        }

        if (type.HasFlag(JsonSchemaType.Array) && (request || limit?.MaxItems is not null))
        {
            schema.MaxItems = limit?.MaxItems ?? schema.MaxItems ?? InputLimits.MaxListCount;
        }

        if (type.HasFlag(JsonSchemaType.Integer))
        {
            var is64 = schema.Format == "int64";
            schema.Format ??= "int32";
            schema.Minimum = limit?.Minimum?.ToString(CultureInfo.InvariantCulture) ?? schema.Minimum ?? (is64 ? long.MinValue : int.MinValue).ToString(CultureInfo.InvariantCulture);
            schema.Maximum = limit?.Maximum?.ToString(CultureInfo.InvariantCulture) ?? schema.Maximum ?? (is64 ? long.MaxValue : int.MaxValue).ToString(CultureInfo.InvariantCulture);
        }
    }
}
