// The capabilities of the domain (src/CaseManagement/<Capability>/), visible everywhere in this project.
global using CaseManagement.Appointments;
global using CaseManagement.Approvals;
global using CaseManagement.Caseloads;
global using CaseManagement.Cases;
global using CaseManagement.Common;
global using CaseManagement.Consultations;
global using CaseManagement.Demo;
global using CaseManagement.Documents;
global using CaseManagement.Plans;
global using CaseManagement.Reporting;

// What nearly every use case of the domain works with (Marten stays per file: its query extensions clash with EF Core's).
global using CaseManagement.Organisations;
global using CaseManagement.Storage;
global using CaseManagement.Tenancy;
global using Mediator;
global using NodaTime;
