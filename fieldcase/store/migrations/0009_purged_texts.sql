-- What a purge remembers of each text it erased, so that the same text is not imported again
-- unnoticed: a keyed fingerprint (HMAC-SHA256, under the project's own random secret, of the
-- text's SHA-256), never the words, with who purged it and when. One row a text: a later purge
-- of the same text replaces it.

CREATE TABLE purged_texts (
    fingerprint TEXT PRIMARY KEY,
    purged_at   TEXT NOT NULL,
    purged_by   TEXT NOT NULL,
    change_id   INTEGER NOT NULL
);
