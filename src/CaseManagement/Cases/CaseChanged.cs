namespace CaseManagement.Cases;

/// <summary>A change of a case was accepted: the case's new version.</summary>
public sealed record CaseChanged(Guid CaseId, long Version);
