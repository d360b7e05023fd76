-- Attribute values keep their type on the hub: a number stays a number (an integer an
-- integer), a text a text, as the project file holds them. Held as JSON scalars; for psql,
-- the view attribute_values shows every owner's values with their names, as text and as
-- numbers.

DO $$
DECLARE
    v_table text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['site_attribute_values', 'case_attribute_values', 'source_attribute_values'] LOOP
        EXECUTE format('ALTER TABLE %I ADD COLUMN typed jsonb', v_table);
        EXECUTE format('UPDATE %I SET typed = to_jsonb(value) WHERE value IS NOT NULL', v_table);
        -- values pushed before this step are text: a number's (by its attribute's type) is read back
        EXECUTE format($f$UPDATE %I v SET typed = to_jsonb(v.value::bigint) FROM attributes a
                          WHERE a.uuid = v.attribute_uuid AND a.value_type IN ('integer', 'boolean')
                            AND v.value ~ '^-?[0-9]{1,18}$'$f$, v_table);
        EXECUTE format($f$UPDATE %I v SET typed = to_jsonb(v.value::float8) FROM attributes a
                          WHERE a.uuid = v.attribute_uuid AND a.value_type = 'number'
                            AND v.value ~ '^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$'$f$, v_table);
        EXECUTE format('ALTER TABLE %I DROP COLUMN value', v_table);
        EXECUTE format('ALTER TABLE %I RENAME COLUMN typed TO value', v_table);
    END LOOP;
END
$$;

CREATE VIEW attribute_values AS
SELECT owner_type, owner_uuid, a.name AS attribute, a.value_type, v.value #>> '{}' AS value_text,
       CASE WHEN jsonb_typeof(v.value) = 'number' THEN (v.value #>> '{}')::numeric END AS value_number
  FROM (SELECT 'site' AS owner_type, site_uuid AS owner_uuid, attribute_uuid, value FROM site_attribute_values
        UNION ALL SELECT 'case', case_uuid, attribute_uuid, value FROM case_attribute_values
        UNION ALL SELECT 'source', source_uuid, attribute_uuid, value FROM source_attribute_values) v
  LEFT JOIN attributes a ON a.uuid = v.attribute_uuid;
