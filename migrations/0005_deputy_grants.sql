-- 0005 Deputies (Vertretung): grants of access to an absent colleague's caseload for a date range.
-- EF side table in schema identity, from `ef-script`; reviewed.

CREATE TABLE identity.deputy_grants (
    "Id" uuid NOT NULL,
    "OrganisationId" uuid NOT NULL,
    "DeputyId" uuid NOT NULL,
    "AbsentManagerId" uuid NOT NULL,
    "FirstDay" date NOT NULL,
    "LastDay" date NOT NULL,
    "GrantedBy" uuid NOT NULL,
    "GrantedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_deputy_grants" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_deputy_grants_AspNetUsers_AbsentManagerId" FOREIGN KEY ("AbsentManagerId") REFERENCES identity."AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_deputy_grants_AspNetUsers_DeputyId" FOREIGN KEY ("DeputyId") REFERENCES identity."AspNetUsers" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_deputy_grants_organisations_OrganisationId" FOREIGN KEY ("OrganisationId") REFERENCES identity.organisations ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_deputy_grants_AbsentManagerId" ON identity.deputy_grants ("AbsentManagerId");
CREATE INDEX "IX_deputy_grants_DeputyId" ON identity.deputy_grants ("DeputyId");
CREATE INDEX "IX_deputy_grants_OrganisationId_AbsentManagerId_LastDay" ON identity.deputy_grants ("OrganisationId", "AbsentManagerId", "LastDay");
CREATE INDEX "IX_deputy_grants_OrganisationId_DeputyId_LastDay" ON identity.deputy_grants ("OrganisationId", "DeputyId", "LastDay");
