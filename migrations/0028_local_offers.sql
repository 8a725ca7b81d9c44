-- 0028 Local offers (issue 20, item 4) and the leftovers of item 1.
-- local_offers: the organisation's directory of local services (Angebote vor Ort): own entries (source null) and
-- places imported from Integreat (source 'integreat', external_id = the Integreat location id, refreshed_at).
-- local_offer_names: an offer's name in another language (from Integreat), printed for a client of that language.
-- integreat_connections: the organisation's Integreat region (slug, base URL) and the result of its last refresh.
-- plan_text_overrides: an organisation's own wording of a fixed text of the client-language plan print.
-- None of these tables holds case content.

CREATE TABLE cases.local_offers (
    id uuid NOT NULL,
    organisation_id uuid NOT NULL,
    category text NOT NULL,
    name text NOT NULL,
    address text,
    opening_hours text,
    contact text,
    languages text,
    source text,
    external_id text,
    refreshed_at timestamp with time zone,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_local_offers" PRIMARY KEY (id)
);

CREATE INDEX ix_local_offers_organisation_name ON cases.local_offers (organisation_id, name);

CREATE UNIQUE INDEX ux_local_offers_source_external_id ON cases.local_offers (organisation_id, source, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE cases.local_offer_names (
    offer_id uuid NOT NULL,
    language text NOT NULL,
    name text NOT NULL,
    CONSTRAINT "PK_local_offer_names" PRIMARY KEY (offer_id, language),
    CONSTRAINT fk_local_offer_names_offer FOREIGN KEY (offer_id) REFERENCES cases.local_offers (id) ON DELETE CASCADE
);

CREATE TABLE cases.integreat_connections (
    organisation_id uuid NOT NULL,
    region text NOT NULL,
    base_url text NOT NULL,
    last_refresh_at timestamp with time zone,
    last_refresh_succeeded boolean,
    last_refresh_message text,
    changed_by uuid NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_integreat_connections" PRIMARY KEY (organisation_id)
);

CREATE TABLE cases.plan_text_overrides (
    organisation_id uuid NOT NULL,
    language text NOT NULL,
    key text NOT NULL,
    text text NOT NULL,
    changed_by uuid NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_plan_text_overrides" PRIMARY KEY (organisation_id, language, key)
);
