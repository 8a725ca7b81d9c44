// The capabilities of the domain (src/CaseManagement/<Capability>/), visible everywhere in this project.
global using CaseManagement.Appointments;
global using CaseManagement.Approvals;
global using CaseManagement.Caseloads;
global using CaseManagement.Cases;
global using CaseManagement.Common;
global using CaseManagement.Consultations;
global using CaseManagement.Demo;
global using CaseManagement.Plans;
global using CaseManagement.Reporting;
