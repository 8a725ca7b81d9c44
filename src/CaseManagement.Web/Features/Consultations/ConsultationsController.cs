using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Consultations;

/// <summary>The fields of a consultation as the forms post them (the full form on the case page and the quick note).</summary>
public abstract class ConsultationFields : VersionedForm
{
    public DateOnly? Date { get; set; }

    public int? DurationMinutes { get; set; }

    public ConsultationMode? Mode { get; set; }

    public List<FieldOfAction> Fields { get; set; } = [];

    public string? InterpreterLanguage { get; set; }

    public string? Note { get; set; }

    public RecordConsultation ToCommand(Guid caseId) =>
        new(caseId, Version, Date is { } d ? LocalDate.FromDateOnly(d) : null, DurationMinutes, Mode, Fields, InterpreterLanguage, Note);
}

public sealed class ConsultationForm : ConsultationFields;

/// <summary>The consultations (Beratungskontakte) with the client.</summary>
[Route("faelle")]
public sealed class ConsultationsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/kontakte")]
    public async Task<IActionResult> RecordConsultation(Guid id, ConsultationForm form, CancellationToken ct) =>
        await Change(id, form.ToCommand(id), "Der Beratungskontakt ist erfasst.", new CasePlace(CaseTab.Consultations, "consultations-title"), ct, form);
}
