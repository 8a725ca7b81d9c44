namespace CaseManagement.Common;

/// <summary>
/// The catalogue of German sentences that more than one place says: an input check and the decision behind it,
/// intake and a later change, a form and the API. Each sentence exists once, here; a test
/// (Common/MessageCatalogueTests) fails when a sentence of the domain appears twice in the source. English
/// texts live beside the web project's other translations (SharedResource.en.resx), keyed by the German sentence.
/// Sentences only one place says stay with that place.
/// </summary>
public static class Messages
{
    /// <summary>Housing and residence: intake (OpenCase) and later changes (ChangeHousing, ChangeResidenceStatus).</summary>
    public static class Situation
    {
        public const string HousingTypeRequired = "Bitte die Wohnform angeben.";
        public const string HousingSinceRequired = "Bitte angeben, seit wann die Person so wohnt.";
        public const string ResidenceKindRequired = "Bitte den Aufenthaltsstatus angeben.";
        public const string InterpreterLanguageCode = "Die Dolmetschsprache bitte aus der Liste wählen (Name oder Sprachcode, z. B. Arabisch oder ar).";
    }

    /// <summary>The reminder inbox: done and postponed, one or many.</summary>
    public static class Reminders
    {
        public const string SnoozeDay = "Bitte einen Tag nach heute wählen, höchstens ein Jahr später.";
        public const string SelectionEmpty = "Bitte mindestens eine Erinnerung auswählen.";
        public const string SelectionTooLarge = "Bitte höchstens 500 Erinnerungen auf einmal wählen.";
    }

    /// <summary>The person: nationality and languages, chosen by German name or ISO code (CountryNames, LanguageNames).</summary>
    public static class Person
    {
        public const string NationalityUnknown = "Die Staatsangehörigkeit bitte aus der Liste wählen (Name oder Ländercode, z. B. Syrien oder SY).";
        public const string LanguageUnknown = "Sprachen bitte aus der Liste wählen (Namen oder Sprachcodes, z. B. Arabisch, Deutsch oder ar, de).";
    }

    /// <summary>Goals of the Integrationsplan: agreeing one, changing its status, adjusting it in a review.</summary>
    public static class Goals
    {
        public const string TextRequired = "Bitte das Ziel beschreiben.";
        public const string AgreedInFuture = "Ein Ziel kann nicht in der Zukunft vereinbart worden sein.";
        public const string TargetBeforeAgreed = "Der Zieltermin darf nicht vor dem Tag der Vereinbarung liegen.";
        public const string ReviewBeforeAgreed = "Die nächste Überprüfung darf nicht vor dem Tag der Vereinbarung liegen.";
        public const string DropReasonRequired = "Bitte angeben, warum das Ziel aufgegeben wird.";

        public static string TextTooLong(int max) => $"Das Ziel darf höchstens {max} Zeichen lang sein.";
    }

    /// <summary>Closing a case and asking the team lead for something.</summary>
    public static class Lifecycle
    {
        public const string CloseReasonRequired = "Bitte einen Grund für den Abschluss wählen.";

        public static string JustificationTooLong(int max) => $"Die Begründung darf höchstens {max.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("de-DE"))} Zeichen lang sein.";

        public static string NoteTooLong(int max) => $"Die Notiz darf höchstens {max} Zeichen lang sein.";
    }

    /// <summary>Consent and its withdrawal.</summary>
    public static class Consent
    {
        public const string WithdrawalScopesRequired = "Bitte angeben, wofür die Einwilligung widerrufen wird.";
        public const string ScopesFromList = "Bitte nur Zwecke aus der Liste wählen.";
    }

    /// <summary>Accounts and roles (Identity's describer and the platform operator's verbs).</summary>
    public static class Accounts
    {
        public const string EmailTaken = "Diese E-Mail-Adresse ist bereits vergeben.";
        public const string AlreadyInRole = "Das Konto hat diese Rolle bereits.";
        public const string NotInRole = "Das Konto hat diese Rolle nicht.";

        /// <summary>Not shown to users (an <see cref="UnauthorizedAccessException"/> becomes a 403).</summary>
        public const string DataProtectionOfficerRequired = "Data-protection officer role required.";

        /// <summary>Not shown to users (a 403): imports and the organisation's export.</summary>
        public const string ImporterRequired = "Imports are for administrators and team leads.";
    }

    /// <summary>The DPO's access log.</summary>
    public static class AccessLog
    {
        public const string CaseNumberTooLong = "Die Fallnummer hat höchstens 20 Zeichen, z. B. 2026-0001.";
    }

    /// <summary>Periods of the reports (funding report, district figures).</summary>
    public static class Reports
    {
        public const string PeriodThreeYears = "Das Ende muss nach dem Beginn liegen, höchstens drei Jahre später.";

        public const string CoordinatorRequired = "District figures are for the district's coordinators.";
    }

    /// <summary>"Bitte … angeben." for a required value named by its label.</summary>
    public static string Required(string label) => $"Bitte {label} angeben.";
}
