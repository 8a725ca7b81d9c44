using CaseManagement.Web.Features.Cases;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace CaseManagement.Web.Features.Consultations;

public sealed class ConsultationForm : VersionedForm
{
    public DateOnly? Date { get; set; }

    public int? DurationMinutes { get; set; }

    public ConsultationMode? Mode { get; set; }

    public List<FieldOfAction> Fields { get; set; } = [];

    public string? InterpreterLanguage { get; set; }

    public string? Note { get; set; }
}

/// <summary>The consultations (Beratungskontakte) with the client.</summary>
[Route("faelle")]
public sealed class ConsultationsController(IMediator mediator, IClock clock) : CasePageController(mediator, clock)
{
    [HttpPost("{id:guid}/kontakte")]
    public async Task<IActionResult> RecordConsultation(Guid id, ConsultationForm form, CancellationToken ct) =>
        await Change(id, new RecordConsultation(id, form.Version, Date(form.Date), form.DurationMinutes, form.Mode, form.Fields,
            form.InterpreterLanguage, form.Note), "Der Beratungskontakt ist erfasst.", ct, form);
}
