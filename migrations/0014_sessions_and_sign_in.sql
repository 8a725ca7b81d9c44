-- 0014 Sessions and sign-in (issue 14, findings 2, 3 and 8).
-- * identity.user_sessions: one row per sign-in (browser cookie or API token). Every request looks its
--   session up by primary key; signing out, a new password, a changed role or a deactivation end it.
--   API sessions keep the SHA-256 of their current (rotating, single-use) refresh token, never the token.
-- * identity.role_changes: audit trail of every role grant and revocation (ids only), read by the DPO.
-- * The platform-operator role (job dashboard across organisations), granted only by operator verbs.
-- * Identity's lockout is replaced by the sign-in throttle: no account is locked any more.
-- From `ef-script` (EF model of AppDbContext), reviewed.

CREATE TABLE identity.user_sessions (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind character varying(10) NOT NULL,
    security_stamp character varying(100) NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    end_reason character varying(30),
    refresh_token_hash character varying(64),
    refresh_token_expires_at timestamp with time zone,
    CONSTRAINT "PK_user_sessions" PRIMARY KEY (id),
    CONSTRAINT "FK_user_sessions_AspNetUsers_user_id" FOREIGN KEY (user_id) REFERENCES identity."AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX ix_user_sessions_user ON identity.user_sessions (user_id);

CREATE TABLE identity.role_changes (
    id bigint GENERATED ALWAYS AS IDENTITY,
    organisation_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role character varying(40) NOT NULL,
    change character varying(10) NOT NULL,
    changed_by uuid,
    at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_role_changes" PRIMARY KEY (id)
);

CREATE INDEX ix_role_changes_org_at ON identity.role_changes (organisation_id, at);

INSERT INTO identity."AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES
    ('0192f000-0000-7000-8000-000000000005', 'PlatformOperator', 'PLATFORMOPERATOR', '0192f000-0000-7000-8000-000000000005')
ON CONFLICT ("Id") DO NOTHING;

UPDATE identity."AspNetUsers" SET "LockoutEnabled" = false, "LockoutEnd" = NULL, "AccessFailedCount" = 0;
