-- Purges on the hub. When a participant withdraws, the member who purges their source (or
-- case) has it scrubbed from the hub at their next sync: its rows and texts go, and its
-- words are replaced by a marker in the history, which is otherwise append-only. The one
-- way to change the history is purge_scrub() below (SECURITY DEFINER, executable by the
-- member role only); it records each purge in "purges" (what went, by whom, when, and the
-- purging project's keyed fingerprints of its texts: never the words nor a plain hash).
-- Every other member pulls the records and erases the same things in their own copy.

CREATE TABLE purges (
    seq          bigserial PRIMARY KEY,
    group_uuid   text NOT NULL,  -- the purge's change group (pushed with it)
    kind         text NOT NULL CHECK (kind IN ('source', 'case', 'history')),
    target_uuid  text NOT NULL,  -- the source (or case) purged, or whose earlier texts went
    fingerprints text[] NOT NULL DEFAULT '{}',  -- HMAC-SHA256 keyed with the purging project's secret
    purged_by    text NOT NULL DEFAULT session_user,
    purged_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (group_uuid, kind, target_uuid)
);

CREATE TRIGGER purges_append_only BEFORE UPDATE OR DELETE ON purges
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER purges_no_truncate BEFORE TRUNCATE ON purges
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The history's guard lets through an UPDATE made inside purge_scrub() that changes only
-- the columns that may hold words (a summary; an entry's key and JSON): never a DELETE,
-- never a group's uuid, order, author or time.
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME IN ('groups', 'entries')
       AND current_setting('fieldcase.scrubbing', true) = 'on'
       AND (to_jsonb(NEW) - 'summary' - 'row_key' - 'columns' - 'origin')
         = (to_jsonb(OLD) - 'summary' - 'row_key' - 'columns' - 'origin') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'fieldcase hub: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

-- ``text`` with each of ``words`` (longest first) replaced by the marker.
CREATE FUNCTION scrub_words(text text, words text[]) RETURNS text
    LANGUAGE plpgsql IMMUTABLE SET search_path = fieldcase, pg_temp AS $$
DECLARE
    word text;
BEGIN
    IF text IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH word IN ARRAY words LOOP
        text := replace(text, word, '[purged]');
    END LOOP;
    RETURN text;
END
$$;

-- Scrub what one purge erased: sources, cases and codes (by uuid) with every row that hangs
-- on them, the texts no source holds any more (the purged ones and earlier versions), the
-- conflicts about them; their names, quotes and contexts in the history become the marker.
CREATE FUNCTION purge_scrub(p_group text, p_sources text[], p_cases text[], p_codes text[],
                            p_history text[], p_fingerprints text[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = fieldcase, pg_temp AS $$
DECLARE
    v_codings text[];
    v_cells   text[];
    v_keys    text[];
    v_names   text[];
    v_words   text[];
    v_json    text[];
    v_done    integer := 0;
    v_count   integer;
BEGIN
    p_sources := coalesce(p_sources, '{}');
    p_cases := coalesce(p_cases, '{}');
    p_codes := coalesce(p_codes, '{}');
    p_history := coalesce(p_history, '{}');
    -- a source holding the same text (the same file imported by two members) goes with it
    p_sources := ARRAY(SELECT uuid FROM sources WHERE text_sha256 IN
                           (SELECT text_sha256 FROM sources WHERE uuid = ANY(p_sources))
                       UNION SELECT unnest(p_sources));
    v_codings := ARRAY(SELECT uuid FROM codings WHERE source_uuid = ANY(p_sources) OR code_uuid = ANY(p_codes));
    v_cells := ARRAY(SELECT uuid FROM framework_cells WHERE case_uuid = ANY(p_cases) OR code_uuid = ANY(p_codes));
    -- the words, read before their rows go: names anywhere; quotes and contexts too
    v_names := ARRAY(
        SELECT DISTINCT w FROM (
            SELECT title AS w FROM sources WHERE uuid = ANY(p_sources)
            UNION SELECT name FROM cases WHERE uuid = ANY(p_cases)
            UNION SELECT jsonb_array_elements_text(aliases::jsonb) FROM cases WHERE uuid = ANY(p_cases)
            UNION SELECT unnest(ARRAY[name_zh, name_en]) FROM codes WHERE uuid = ANY(p_codes)
        ) found WHERE length(w) >= 2);
    v_words := ARRAY(
        SELECT w FROM (
            SELECT unnest(v_names) AS w
            UNION SELECT unnest(ARRAY[quote, context_before, context_after]) FROM codings WHERE uuid = ANY(v_codings)
        ) found WHERE length(w) >= 2 ORDER BY length(w) DESC, w);
    v_names := ARRAY(SELECT w FROM unnest(v_names) AS w ORDER BY length(w) DESC, w);
    -- (in JSON a word is written escaped)
    v_json := ARRAY(SELECT substr(to_jsonb(w)::text, 2, length(to_jsonb(w)::text) - 2) FROM unnest(v_words) AS w);

    DELETE FROM memos WHERE (target_type = 'source' AND target_uuid = ANY(p_sources))
                         OR (target_type = 'case' AND target_uuid = ANY(p_cases))
                         OR (target_type = 'code' AND target_uuid = ANY(p_codes))
                         OR (target_type = 'coding' AND target_uuid = ANY(v_codings));
    DELETE FROM framework_links WHERE coding_uuid = ANY(v_codings) OR cell_uuid = ANY(v_cells);
    DELETE FROM framework_cells WHERE uuid = ANY(v_cells);
    DELETE FROM codings WHERE uuid = ANY(v_codings);
    DELETE FROM speakers WHERE source_uuid = ANY(p_sources);
    UPDATE speakers SET case_uuid = NULL WHERE case_uuid = ANY(p_cases);
    DELETE FROM source_cases WHERE source_uuid = ANY(p_sources) OR case_uuid = ANY(p_cases);
    DELETE FROM source_attribute_values WHERE source_uuid = ANY(p_sources);
    DELETE FROM case_attribute_values WHERE case_uuid = ANY(p_cases);
    DELETE FROM set_sources WHERE source_uuid = ANY(p_sources);
    DELETE FROM set_codes WHERE code_uuid = ANY(p_codes);
    DELETE FROM sources WHERE uuid = ANY(p_sources);
    DELETE FROM cases WHERE uuid = ANY(p_cases);
    DELETE FROM codes WHERE uuid = ANY(p_codes);
    -- the purged texts and the earlier versions of every source: only current texts are pulled
    DELETE FROM texts WHERE sha256 NOT IN (SELECT text_sha256 FROM sources);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_done := v_done + v_count;
    v_keys := p_sources || p_cases || p_codes || v_codings;
    DELETE FROM conflicts WHERE row_uuid = ANY(v_keys)
        OR EXISTS (SELECT 1 FROM unnest(v_words) AS w
                    WHERE position(w IN coalesce(mine, '') || ' ' || coalesce(theirs, '')) > 0);

    PERFORM set_config('fieldcase.scrubbing', 'on', true);
    IF cardinality(v_names) > 0 THEN
        UPDATE groups SET summary = scrub_words(summary, v_names)
         WHERE EXISTS (SELECT 1 FROM unnest(v_names) AS w WHERE position(w IN summary) > 0);
        GET DIAGNOSTICS v_count = ROW_COUNT;
        v_done := v_done + v_count;
    END IF;
    -- an entry's key may be a name (a pseudonym's real name, a glossary term) ...
    UPDATE entries SET row_key = scrub_words(row_key, v_names)
     WHERE table_name IN ('pseudonyms', 'glossary')
       AND EXISTS (SELECT 1 FROM unnest(v_names) AS w WHERE position(w IN row_key) > 0);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_done := v_done + v_count;
    -- ... and the JSON of an entry about a row that went (or a link to one) may hold its words
    UPDATE entries SET columns = scrub_words(columns::text, v_json)::jsonb,
                       origin = scrub_words(origin::text, v_json)::jsonb
     WHERE (row_key = ANY(v_keys) OR split_part(row_key, '|', 1) = ANY(v_keys)
            OR split_part(row_key, '|', 2) = ANY(v_keys))
       AND EXISTS (SELECT 1 FROM unnest(v_json) AS w
                    WHERE position(w IN coalesce(columns::text, '') || coalesce(origin::text, '')) > 0);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_done := v_done + v_count;
    PERFORM set_config('fieldcase.scrubbing', 'off', true);

    INSERT INTO purges (group_uuid, kind, target_uuid, fingerprints)
    SELECT p_group, kind, target, coalesce(p_fingerprints, '{}')
      FROM (SELECT 'source' AS kind, unnest(p_sources) AS target
            UNION ALL SELECT 'case', unnest(p_cases)
            UNION ALL SELECT 'history', unnest(p_history)) found
    ON CONFLICT (group_uuid, kind, target_uuid) DO NOTHING;
    RETURN v_done;
END
$$;

REVOKE ALL ON FUNCTION purge_scrub(text, text[], text[], text[], text[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION scrub_words(text, text[]) FROM PUBLIC;
