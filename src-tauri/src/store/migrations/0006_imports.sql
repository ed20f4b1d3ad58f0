-- Imports: each import of customers from a file is a recorded batch, so that the last one
-- can be undone while none of its customers has changed since.
CREATE TABLE import_batches (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,              -- UTC, when it was written
    staff      TEXT NOT NULL DEFAULT '',   -- who was at the desk
    file       TEXT NOT NULL,              -- the file's name
    headers    TEXT NOT NULL,              -- JSON array: the file's header row
    mapping    TEXT NOT NULL,              -- JSON array: the field each column fed
    duplicates TEXT NOT NULL CHECK (duplicates IN ('skip','fill','create')),
    created    INTEGER NOT NULL DEFAULT 0,
    updated    INTEGER NOT NULL DEFAULT 0,
    skipped    INTEGER NOT NULL DEFAULT 0,
    invalid    INTEGER NOT NULL DEFAULT 0,
    change_id  INTEGER NOT NULL DEFAULT 0, -- the audit trail's last change of the import
    undone_at  TEXT
);
CREATE INDEX import_batches_headers ON import_batches (headers, id);

-- What an import did to each customer: created it, or filled its empty fields (`before`
-- holds the record as it was, as JSON). No foreign key: undoing deletes the created ones.
CREATE TABLE import_items (
    batch_id    INTEGER NOT NULL REFERENCES import_batches (id),
    customer_id INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('created','filled')),
    before      TEXT,
    PRIMARY KEY (batch_id, customer_id)
) WITHOUT ROWID;
