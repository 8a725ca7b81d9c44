-- 0027 District view (issue 20, item 3): a district (Landkreis) kept by one organisation, the invitations of other
-- organisations into it with every step (who, when), and the role "Koordination (Landkreis)". A district reads no case:
-- its coordinators see aggregated, suppressed figures of the organisations that are members at the time of the request
-- (docs/district.md). Ids only; no case content.

CREATE TABLE identity.districts (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    name character varying(200) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by uuid NOT NULL,
    CONSTRAINT "PK_districts" PRIMARY KEY (id)
);

CREATE UNIQUE INDEX ux_districts_organisation ON identity.districts (organisation_id);

CREATE TABLE identity.district_memberships (
    id uuid NOT NULL,
    district_id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    status character varying(20) NOT NULL,
    invited_at timestamp with time zone NOT NULL,
    invited_by uuid NOT NULL,
    answered_at timestamp with time zone,
    answered_by uuid,
    ended_at timestamp with time zone,
    ended_by uuid,
    ended_by_organisation uuid,
    CONSTRAINT "PK_district_memberships" PRIMARY KEY (id)
);

CREATE INDEX ix_district_memberships_district ON identity.district_memberships (district_id, organisation_id);

CREATE INDEX ix_district_memberships_organisation ON identity.district_memberships (organisation_id);

INSERT INTO identity."AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES
    ('0192f000-0000-7000-8000-000000000006', 'DistrictCoordinator', 'DISTRICTCOORDINATOR', '0192f000-0000-7000-8000-000000000006')
ON CONFLICT ("Id") DO NOTHING;
