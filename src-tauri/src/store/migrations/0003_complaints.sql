-- Complaints (投诉): categories, per-year serial numbers, the register and processing form,
-- and the append-only handling log.
CREATE TABLE complaint_categories (
    id       INTEGER PRIMARY KEY,
    code     TEXT UNIQUE,                 -- built-in categories; the UI translates the code
    name     TEXT NOT NULL CHECK (length(name) > 0),
    position INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
INSERT INTO complaint_categories (code, name, position) VALUES
 ('product_quality', '产品质量 · Product quality', 1),
 ('service_attitude', '服务态度 · Service attitude', 2),
 ('waiting_time', '等候时间 · Waiting time', 3),
 ('billing', '收费 · Billing', 4),
 ('hygiene', '卫生 · Hygiene', 5),
 ('facilities', '设施 · Facilities', 6),
 ('other', '其他 · Other', 99);

-- The last serial number given out per year: numbers are never reused.
CREATE TABLE complaint_serials (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE complaints (
    id                     INTEGER PRIMARY KEY,
    serial                 TEXT NOT NULL UNIQUE,      -- TS-2026-000123
    customer_id            INTEGER NOT NULL REFERENCES customers (id),
    channel                TEXT NOT NULL CHECK (channel IN ('phone','in_person','letter','fax','online','wechat','other')),
    received_at            TEXT NOT NULL,             -- UTC
    category_id            INTEGER NOT NULL REFERENCES complaint_categories (id),
    severity               TEXT NOT NULL CHECK (severity IN ('low','normal','high','urgent')),
    summary                TEXT NOT NULL CHECK (length(summary) > 0),
    details                TEXT NOT NULL DEFAULT '',
    claim_kind             TEXT CHECK (claim_kind IN ('compensation','repair','non_material','apology','other')),
    claim_amount_cents     INTEGER,
    claim_text             TEXT NOT NULL DEFAULT '',
    state                  TEXT NOT NULL DEFAULT 'registered'
                           CHECK (state IN ('registered','in_progress','waiting','resolved','closed','rejected','duplicate')),
    is_open                INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0,1)),
    duplicate_of           INTEGER REFERENCES complaints (id),
    handler                TEXT NOT NULL DEFAULT '',
    response_due           TEXT,                      -- UTC deadlines, moved on by pauses
    resolution_due         TEXT,
    next_due               TEXT,                      -- the earliest deadline still running (NULL when paused or done)
    first_response_at      TEXT,
    paused_since           TEXT,
    paused_minutes         INTEGER NOT NULL DEFAULT 0,
    escalation_level       INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 3),
    response_breached_at   TEXT,
    resolution_breached_at TEXT,
    resolution             TEXT NOT NULL DEFAULT '',
    remedy_kind            TEXT CHECK (remedy_kind IN ('compensation','repair','non_material','apology','other')),
    remedy_amount_cents    INTEGER,
    root_cause_category    TEXT NOT NULL DEFAULT '',
    root_cause             TEXT NOT NULL DEFAULT '',
    corrective_action      TEXT NOT NULL DEFAULT '',
    resolved_at            TEXT,
    closed_at              TEXT,
    satisfaction           INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    accepted               INTEGER CHECK (accepted IN (0,1)),
    return_visit_id        INTEGER REFERENCES visits (id),
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX complaints_open_due ON complaints (is_open, next_due);
CREATE INDEX complaints_customer ON complaints (customer_id, is_open);
CREATE INDEX complaints_received ON complaints (received_at);

-- The handling log (处理记录): appended to, never edited.
CREATE TABLE complaint_log (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    at           TEXT NOT NULL,
    staff        TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL,
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX complaint_log_complaint ON complaint_log (complaint_id, id);
CREATE TRIGGER complaint_log_no_update BEFORE UPDATE ON complaint_log
BEGIN SELECT RAISE(ABORT, 'the complaint handling log cannot be edited'); END;
CREATE TRIGGER complaint_log_no_delete BEFORE DELETE ON complaint_log
BEGIN SELECT RAISE(ABORT, 'the complaint handling log cannot be edited'); END;
