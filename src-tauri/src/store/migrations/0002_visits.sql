-- Return visits (回访): planned contacts, their log, outline templates, follow-up plans,
-- and each customer's last real contact and cadence override.
CREATE TABLE followup_plans (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    steps      TEXT NOT NULL,               -- JSON [{offset_days, channel, purpose, outline}]
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE outline_templates (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL CHECK (length(name) > 0),
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE visits (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    channel       TEXT NOT NULL CHECK (channel IN ('phone','message','wechat','in_person','other')),
    purpose       TEXT NOT NULL CHECK (purpose IN ('satisfaction','birthday','complaint_followup','keep_in_touch','sales','other')),
    due_date      TEXT NOT NULL,            -- the local date the user meant (YYYY-MM-DD)
    due_time      TEXT,                     -- local HH:MM; NULL for an all-day visit
    due_at        TEXT,                     -- UTC instant of due_date + due_time; NULL when all-day
    outline       TEXT NOT NULL DEFAULT '',
    staff         TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'planned' CHECK (state IN ('planned','done','cancelled')),
    attempts      INTEGER NOT NULL DEFAULT 0, -- times tried without reaching the customer
    reached       INTEGER CHECK (reached IN (0,1)),
    outcome_notes TEXT NOT NULL DEFAULT '',
    satisfaction  INTEGER CHECK (satisfaction BETWEEN 1 AND 5),
    next_step     TEXT NOT NULL DEFAULT '',
    completed_at  TEXT,
    repeat_unit   TEXT CHECK (repeat_unit IN ('day','week','month','year')),
    repeat_every  INTEGER CHECK (repeat_every > 0),
    repeat_anchor TEXT,                     -- first occurrence; later ones are anchor + n * interval
    repeat_index  INTEGER NOT NULL DEFAULT 0,
    plan_id       INTEGER REFERENCES followup_plans (id),
    plan_step     INTEGER,
    plan_start    TEXT,                     -- local date the plan was applied
    previous_id   INTEGER REFERENCES visits (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX visits_agenda ON visits (state, due_date, due_time);
CREATE INDEX visits_customer ON visits (customer_id, state, due_date);

-- Append-only log of each visit: planned, not reached, rescheduled, done, corrected, cancelled.
CREATE TABLE visit_log (
    id       INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES visits (id),
    at       TEXT NOT NULL,
    kind     TEXT NOT NULL,
    detail   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX visit_log_visit ON visit_log (visit_id, at);

ALTER TABLE customers ADD COLUMN last_contact_date TEXT;   -- local date of the last real contact
ALTER TABLE customers ADD COLUMN cadence_ideal_days INTEGER CHECK (cadence_ideal_days > 0);
ALTER TABLE customers ADD COLUMN cadence_max_days INTEGER CHECK (cadence_max_days > 0);

INSERT INTO followup_plans (name, steps, created_at, updated_at) VALUES
 ('投诉后回访 · After a complaint',
  '[{"offset_days":1,"channel":"phone","purpose":"complaint_followup","outline":"问题是否已解决?还有什么需要我们做的? / Is the problem solved? Anything else we can do?"},{"offset_days":7,"channel":"phone","purpose":"satisfaction","outline":"对处理结果满意吗?(1-5 分) / How satisfied are you with the outcome (1-5)?"}]',
  strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 ('新客户关怀 · New customer welcome',
  '[{"offset_days":1,"channel":"message","purpose":"keep_in_touch","outline":"感谢光临,欢迎再来。/ Thank you for visiting; we hope to see you again."},{"offset_days":14,"channel":"phone","purpose":"satisfaction","outline":"上次体验如何?有什么偏好需要我们记住? / How was your visit? Any preferences we should remember?"},{"offset_days":60,"channel":"wechat","purpose":"keep_in_touch","outline":"近况问候,介绍新服务。/ Catch up and mention what is new."}]',
  strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 ('VIP 季度关怀 · VIP quarterly care',
  '[{"offset_days":30,"channel":"phone","purpose":"keep_in_touch","outline":"问候近况,确认偏好卡是否需要更新。/ Check in; is the preference card still right?"},{"offset_days":90,"channel":"in_person","purpose":"satisfaction","outline":"当面回访,听取意见。/ Visit in person and ask for feedback."}]',
  strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'));

INSERT INTO outline_templates (name, body, created_at, updated_at) VALUES
 ('满意度回访 · Satisfaction check',
  '1. 上次服务是否满意?(1-5 分) / Were you satisfied last time (1-5)?
2. 有哪些地方可以改进? / What could we do better?
3. 偏好卡是否需要更新? / Should we update your preferences?',
  strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now')),
 ('生日问候 · Birthday greeting',
  '1. 祝生日快乐,介绍生日礼遇。/ Wish a happy birthday and mention the birthday offer.
2. 是否需要预订? / Would they like to book?',
  strftime('%Y-%m-%dT%H:%M:%fZ','now'), strftime('%Y-%m-%dT%H:%M:%fZ','now'));
