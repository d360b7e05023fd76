-- Pseudonyms: real names and places and what exports print instead (张三 -> H, Y村 -> X village).
-- A variant (老张, 张书记) points at the entry it belongs to. Stored text is never rewritten.

CREATE TABLE pseudonyms (
    id          INTEGER PRIMARY KEY,
    real        TEXT NOT NULL UNIQUE CHECK (length(trim(real)) > 0),
    pseudonym   TEXT NOT NULL,
    variant_of  INTEGER REFERENCES pseudonyms(id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL
);
