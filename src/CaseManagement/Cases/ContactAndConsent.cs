using System.Text.RegularExpressions;
using CaseManagement.Cases;
using CaseManagement.Common;
using CaseManagement.Storage;
using CaseManagement.Tenancy;
using Marten;
using Mediator;
using NodaTime;

namespace CaseManagement.Cases;

/// <summary>How to reach the client: phone, e-mail and postal address (all optional).</summary>
public sealed record ContactDetails(string? Phone, string? Email, string? Street, string? PostalCode, string? City)
{
    public static readonly ContactDetails None = new(null, null, null, null, null);

    public bool IsEmpty => this == None;
}

/// <summary>What the client agreed to in the consent form (Einwilligungserklärung).</summary>
public enum ConsentScope
{
    /// <summary>Beratung und Integrationsplan (processing for the case work itself).</summary>
    Counselling,

    /// <summary>Austausch mit Regeldiensten (Jobcenter, Ausländerbehörde, Schule …).</summary>
    SharingWithServices,

    /// <summary>Kontakt per Telefon, E-Mail oder Messenger.</summary>
    ContactByPhoneOrEmail,
}

/// <summary>Consent given on a day, for a scope, on a version of the organisation's form.</summary>
public sealed record Consent(LocalDate GivenOn, IReadOnlyList<ConsentScope> Scopes, string FormVersion);

public sealed record ContactDetailsChanged(Guid CaseId, ContactDetails Contact, Guid ChangedBy, Instant ChangedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => ChangedBy;

    Instant ICaseEvent.At => ChangedAt;
}

public sealed record ConsentRecorded(Guid CaseId, Consent Consent, Guid RecordedBy, Instant RecordedAt) : ICaseEvent
{
    Guid ICaseEvent.Actor => RecordedBy;

    Instant ICaseEvent.At => RecordedAt;
}

public static partial class ContactRules
{
    /// <summary>Each purpose of the consent form once.</summary>
    public static readonly int MaxScopes = Enum.GetValues<ConsentScope>().Length;

    public static string ScopeLabel(ConsentScope scope) => scope switch
    {
        ConsentScope.Counselling => "Beratung und Integrationsplan",
        ConsentScope.SharingWithServices => "Austausch mit Regeldiensten (z. B. Jobcenter, Ausländerbehörde)",
        _ => "Kontakt per Telefon, E-Mail oder Messenger",
    };

    /// <summary>Checks contact input; field names are <paramref name="prefix"/> + Phone, Email, Street, PostalCode, City.</summary>
    internal static ContactDetails Check(Checks checks, string? phone, string? email, string? street, string? postalCode, string? city, string prefix = "")
    {
        var contact = new ContactDetails(Checks.Trimmed(phone), Checks.Trimmed(email), Checks.Trimmed(street), Checks.Trimmed(postalCode), Checks.Trimmed(city));
        if (contact.Phone is { } p && (p.Length > 30 || !PhonePattern().IsMatch(p)))
        {
            checks.Add(prefix + nameof(ContactDetails.Phone), "Die Telefonnummer bitte nur mit Ziffern, Leerzeichen und + ( ) / - angeben (höchstens 30 Zeichen).");
        }

        if (contact.Email is { } e && (e.Length > 200 || !EmailPattern().IsMatch(e)))
        {
            checks.Add(prefix + nameof(ContactDetails.Email), "Bitte eine gültige E-Mail-Adresse angeben (z. B. name@example.org).");
        }

        checks.Text(contact.Street, 100, prefix + nameof(ContactDetails.Street), "Straße und Hausnummer");
        if (contact.PostalCode is { } zip && !PostalCodePattern().IsMatch(zip))
        {
            checks.Add(prefix + nameof(ContactDetails.PostalCode), "Die Postleitzahl hat fünf Ziffern.");
        }

        checks.Text(contact.City, 100, prefix + nameof(ContactDetails.City), "den Ort");
        return contact;
    }

    /// <summary>Checks consent input; nothing entered at all means "no consent recorded" unless <paramref name="required"/>.</summary>
    internal static Consent? Check(
        Checks checks, LocalDate? givenOn, IReadOnlyList<ConsentScope>? scopes, string? formVersion, LocalDate today, bool required, string prefix = "")
    {
        var anything = givenOn is not null || scopes is { Count: > 0 } || !string.IsNullOrWhiteSpace(formVersion);
        if (!anything && !required)
        {
            return null;
        }

        var before = checks.Errors.Count;
        checks.PastDate(givenOn, today, OpenCaseHandler.ProgrammeStart, prefix + "GivenOn", "das Datum der Einwilligung");
        if (scopes is not { Count: > 0 })
        {
            checks.Add(prefix + "Scopes", "Bitte angeben, wofür die Einwilligung gilt.");
        }
        else if (scopes.Any(s => !Enum.IsDefined(s)))
        {
            checks.Add(prefix + "Scopes", Messages.Consent.ScopesFromList);
        }
        else
        {
            checks.Count(scopes, MaxScopes, prefix + "Scopes", "Zwecke (jeden einmal)");
        }

        checks.Text(formVersion, 20, prefix + "FormVersion", "die Version des Einwilligungsformulars", required: true);
        return checks.Errors.Count > before ? null : new Consent(givenOn!.Value, scopes!.Distinct().Order().ToList(), formVersion!.Trim());
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 ()/\-]{3,}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^[0-9]{5}$")]
    private static partial Regex PostalCodePattern();
}

/// <summary>New contact details and address; empty fields remove what was stored.</summary>
public sealed record ChangeContactDetails(Guid CaseId, long ExpectedVersion, string? Phone, string? Email, string? Street, string? PostalCode, string? City)
    : ICommand<Outcome<CaseChanged>>;

public sealed class ChangeContactDetailsHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<ChangeContactDetails, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(ChangeContactDetails command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        var contact = ContactRules.Check(checks, command.Phone, command.Email, command.Street, command.PostalCode, command.City);
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.Work, state =>
                contact == state.Contact
                ? throw new CaseRuleException("Die Kontaktdaten sind unverändert.")
                : [new ContactDetailsChanged(state.Id, contact, user.UserId, clock.GetCurrentInstant())],
            cancellationToken);
    }
}

/// <summary>Consent given (or renewed on a newer form): date, scope, form version.</summary>
public sealed record RecordConsent(Guid CaseId, long ExpectedVersion, LocalDate? GivenOn, IReadOnlyList<ConsentScope>? Scopes, string? FormVersion)
    : ICommand<Outcome<CaseChanged>>;

public sealed class RecordConsentHandler(CaseGate gate, ICurrentUser user, IClock clock)
    : ICommandHandler<RecordConsent, Outcome<CaseChanged>>
{
    public async ValueTask<Outcome<CaseChanged>> Handle(RecordConsent command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var checks = new Checks();
        var consent = ContactRules.Check(checks, command.GivenOn, command.Scopes, command.FormVersion, clock.Today(), required: true);
        // New consent is the one change a case takes after the client withdrew consent.
        return await gate.Change(checks.Errors, command.CaseId, command.ExpectedVersion, CaseChangeKind.RecordConsent, state =>
                [new ConsentRecorded(state.Id, consent!, user.UserId, clock.GetCurrentInstant())],
            cancellationToken);
    }
}
