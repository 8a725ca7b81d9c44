using Microsoft.AspNetCore.Identity;

namespace CaseManagement.Organisations;

/// <summary>Identity's validation messages in German (the UI language of the product).</summary>
public sealed class GermanIdentityErrorDescriber : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), "Ein unbekannter Fehler ist aufgetreten.");
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), "Jemand anderes hat diese Angaben inzwischen geändert. Bitte laden Sie die Seite neu und prüfen Sie die aktuellen Werte.");
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "Das Passwort ist falsch.");
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), "Der Code ist ungültig oder abgelaufen.");
    public override IdentityError LoginAlreadyAssociated() => Error(nameof(LoginAlreadyAssociated), "Diese Anmeldung ist bereits einem anderen Konto zugeordnet.");
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "Der Benutzername ist ungültig.");
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), "Die E-Mail-Adresse ist ungültig.");
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), Messages.Accounts.EmailTaken);
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), Messages.Accounts.EmailTaken);
    public override IdentityError InvalidRoleName(string? role) => Error(nameof(InvalidRoleName), "Die Rolle ist ungültig.");
    public override IdentityError DuplicateRoleName(string role) => Error(nameof(DuplicateRoleName), "Die Rolle existiert bereits.");
    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword), "Für dieses Konto ist bereits ein Passwort gesetzt.");
    public override IdentityError UserLockoutNotEnabled() => Error(nameof(UserLockoutNotEnabled), "Sperren ist für dieses Konto nicht aktiviert.");
    public override IdentityError UserAlreadyInRole(string role) => Error(nameof(UserAlreadyInRole), Messages.Accounts.AlreadyInRole);
    public override IdentityError UserNotInRole(string role) => Error(nameof(UserNotInRole), Messages.Accounts.NotInRole);
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), $"Das Passwort muss mindestens {length} Zeichen lang sein.");
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), $"Das Passwort muss mindestens {uniqueChars} verschiedene Zeichen enthalten.");
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "Das Passwort muss mindestens ein Sonderzeichen enthalten.");
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "Das Passwort muss mindestens eine Ziffer enthalten.");
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "Das Passwort muss mindestens einen Kleinbuchstaben enthalten.");
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "Das Passwort muss mindestens einen Großbuchstaben enthalten.");
    public override IdentityError RecoveryCodeRedemptionFailed() => Error(nameof(RecoveryCodeRedemptionFailed), "Der Wiederherstellungscode ist ungültig.");

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
