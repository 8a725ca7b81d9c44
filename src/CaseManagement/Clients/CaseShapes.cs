namespace CaseManagement.Clients;

/// <summary>
/// The case read model in the shape lists, the Team dashboard and the reminder rules read it: everything they
/// use, without the consultations' details, the profile, contact data, developments, referrals and decisions
/// (a three-year case's summary is mostly those). PostgreSQL cuts the document down; far less JSON travels
/// and is parsed (benchmark scenarios 2, 5 and 7).
/// </summary>
public static class CaseShapes
{
    public static IQueryable<CaseSummary> Light(this IQueryable<CaseSummary> cases) => cases.Select(c => new CaseSummary
    {
        Id = c.Id,
        CaseNumber = c.CaseNumber,
        FirstName = c.FirstName,
        LastName = c.LastName,
        BirthDate = c.BirthDate,
        Nationality = c.Nationality,
        ManagerId = c.ManagerId,
        Status = c.Status,
        Verdict = c.Verdict,
        IndividualDecisionPending = c.IndividualDecisionPending,
        IndividualDecisionApproved = c.IndividualDecisionApproved,
        ExtensionPending = c.ExtensionPending,
        Housing = c.Housing,
        Residence = c.Residence,
        ResidenceValidUntil = c.ResidenceValidUntil,
        ResidenceChangedOn = c.ResidenceChangedOn,
        SupportStart = c.SupportStart,
        SupportEnd = c.SupportEnd,
        ClosedOn = c.ClosedOn,
        ClosingReason = c.ClosingReason,
        OpenedAt = c.OpenedAt,
        LastChangedAt = c.LastChangedAt,
        LastReviewOn = c.LastReviewOn,
        NextReviewOn = c.NextReviewOn,
        LastContact = c.LastContact,
        Goals = c.Goals,
        ConsultationDates = c.ConsultationDates,
        Consent = c.Consent,
        ConsentWithdrawal = c.ConsentWithdrawal,
        Restriction = c.Restriction,
        PendingRequests = c.PendingRequests,
        PendingTransfer = c.PendingTransfer,
    });
}
