-- The hub's first schema, inside the PostgreSQL schema "fieldcase" (search_path is set to
-- it while a migration runs). The history (groups, entries, texts) is append-only; the
-- state tables mirror the project file's, keyed by uuid, with foreign keys held as uuids.

CREATE TABLE hub_info (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- One row per change group ever pushed; seq is the order in which members pull them.
CREATE TABLE groups (
    seq       bigserial PRIMARY KEY,
    uuid      text NOT NULL UNIQUE,
    at        timestamptz NOT NULL,
    author    text NOT NULL,
    action    text NOT NULL,
    summary   text NOT NULL,
    project   text,
    pushed_by text NOT NULL DEFAULT current_user,
    pushed_at timestamptz NOT NULL DEFAULT now()
);

-- The row changes of a group, in order. row_key is the row's uuid (for a link or value
-- table, "first-uuid/second-uuid"). columns holds the changed columns with their new
-- values, {"name": value, ...} (foreign keys as uuids, a source's text as its sha256 in
-- texts; null for a delete); origin maps each changed column to the group whose value
-- this one replaced (null: none, a new row), which is how the merge rules see a conflict.
CREATE TABLE entries (
    group_uuid text NOT NULL REFERENCES groups(uuid),
    seq        integer NOT NULL,
    op         text NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    table_name text NOT NULL,
    row_key    text NOT NULL,
    columns    jsonb,
    origin     jsonb,
    PRIMARY KEY (group_uuid, seq)
);
CREATE INDEX entries_row ON entries (table_name, row_key);

CREATE TABLE texts (
    sha256 text PRIMARY KEY,
    text   text NOT NULL
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'fieldcase hub: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER groups_append_only BEFORE UPDATE OR DELETE ON groups
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER groups_no_truncate BEFORE TRUNCATE ON groups
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The current state, readable with psql. No foreign key constraints between them: a
-- member's groups arrive in any order, so a row may briefly point at one not yet there.
CREATE TABLE sites (
    uuid        text PRIMARY KEY,
    name        text NOT NULL,
    county      text,
    province    text,
    region      text,
    notes       text,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE cases (
    uuid        text PRIMARY KEY,
    site_uuid   text,
    name        text NOT NULL,
    kind        text NOT NULL,
    notes       text,
    aliases     jsonb NOT NULL DEFAULT '[]',
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE attributes (
    uuid        text PRIMARY KEY,
    applies_to  text NOT NULL,
    name        text NOT NULL,
    value_type  text NOT NULL,
    choices     text,
    description text,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE sources (
    uuid              text PRIMARY KEY,
    kind              text NOT NULL,
    title             text NOT NULL,
    date              text,
    place             text,
    interviewer       text,
    language          text,
    consent           text,
    site_uuid         text,
    original_filename text,
    file_sha256       text,
    encoding          text,
    text_sha256       text NOT NULL REFERENCES texts(sha256),
    chars             integer NOT NULL,
    turns             jsonb NOT NULL DEFAULT '[]',
    created_at        text NOT NULL,
    created_by        text NOT NULL,
    modified_at       text NOT NULL,
    modified_by       text NOT NULL
);

CREATE TABLE codes (
    uuid        text PRIMARY KEY,
    key         text NOT NULL,
    parent_uuid text,
    position    integer NOT NULL DEFAULT 0,
    name_zh     text,
    name_en     text,
    description text,
    inclusion   text,
    exclusion   text,
    example     text,
    color       text,
    keywords    jsonb NOT NULL DEFAULT '[]',
    origin      text NOT NULL DEFAULT 'user',
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE codings (
    uuid           text PRIMARY KEY,
    source_uuid    text NOT NULL,
    code_uuid      text NOT NULL,
    start_offset   integer NOT NULL,
    end_offset     integer NOT NULL,
    coder          text NOT NULL,
    memo           text,
    quote          text NOT NULL,
    context_before text NOT NULL DEFAULT '',
    context_after  text NOT NULL DEFAULT '',
    status         text NOT NULL DEFAULT 'active',
    created_at     text NOT NULL,
    created_by     text NOT NULL,
    modified_at    text NOT NULL,
    modified_by    text NOT NULL
);
CREATE INDEX codings_source ON codings (source_uuid);
CREATE INDEX codings_code ON codings (code_uuid);

CREATE TABLE memos (
    uuid        text PRIMARY KEY,
    target_type text NOT NULL,
    target_uuid text,
    title       text,
    body        text NOT NULL,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

CREATE TABLE speakers (
    uuid        text PRIMARY KEY,
    source_uuid text NOT NULL,
    label       text NOT NULL,
    role        text NOT NULL DEFAULT 'speaker',
    case_uuid   text,
    decided     boolean NOT NULL DEFAULT false,
    created_at  text NOT NULL,
    created_by  text NOT NULL,
    modified_at text NOT NULL,
    modified_by text NOT NULL
);

-- The link and value tables have no uuid in the project file: theirs is the pair they join,
-- written "first-uuid/second-uuid" (the same key the entries' row_key holds for them).
CREATE TABLE source_cases (
    uuid        text PRIMARY KEY,
    source_uuid text NOT NULL,
    case_uuid   text NOT NULL
);

CREATE TABLE site_attribute_values (
    uuid           text PRIMARY KEY,
    attribute_uuid text NOT NULL,
    site_uuid      text NOT NULL,
    value          jsonb
);

CREATE TABLE case_attribute_values (
    uuid           text PRIMARY KEY,
    attribute_uuid text NOT NULL,
    case_uuid      text NOT NULL,
    value          jsonb
);

CREATE TABLE source_attribute_values (
    uuid           text PRIMARY KEY,
    attribute_uuid text NOT NULL,
    source_uuid    text NOT NULL,
    value          jsonb
);

CREATE TABLE pseudonyms (
    uuid         text PRIMARY KEY,
    real         text NOT NULL,
    pseudonym    text NOT NULL,
    variant_uuid text,
    created_at   text NOT NULL,
    created_by   text NOT NULL
);

CREATE TABLE glossary (
    uuid       text PRIMARY KEY,
    term       text NOT NULL,
    note       text,
    created_at text NOT NULL,
    created_by text NOT NULL
);

-- A conflict the merge rules could not settle, as the project file keeps it (0010_merge):
-- both values of one row's field until someone settles it; found_in is a group uuid.
CREATE TABLE conflicts (
    uuid       text PRIMARY KEY,
    table_name text NOT NULL,
    row_uuid   text NOT NULL,
    field      text NOT NULL,
    mine       text,
    theirs     text,
    what       text NOT NULL,
    other      text NOT NULL,
    found_in   text NOT NULL,
    status     text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'mine', 'theirs')),
    settled_at text,
    settled_by text
);

-- For a team lead with psql.
CREATE VIEW coded_segments AS
SELECT s.title AS source, c.key AS code, c.name_zh, c.name_en, k.coder, k.quote,
       k.start_offset AS start, k.end_offset AS "end", k.status
  FROM codings k
  LEFT JOIN sources s ON s.uuid = k.source_uuid
  LEFT JOIN codes c ON c.uuid = k.code_uuid;

CREATE VIEW team_activity AS
SELECT author, count(*) AS groups, max(pushed_at) AS last_push
  FROM groups
 GROUP BY author;

CREATE VIEW code_counts AS
SELECT c.key AS code, c.name_zh, c.name_en, count(k.uuid) AS codings,
       count(DISTINCT k.source_uuid) AS sources, count(DISTINCT k.coder) AS coders
  FROM codes c
  LEFT JOIN codings k ON k.code_uuid = c.uuid
 GROUP BY c.uuid, c.key, c.name_zh, c.name_en;
