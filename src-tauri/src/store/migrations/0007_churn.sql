-- Churn (客户流失): a customer marked lost (when, which type, why, who recorded it), and
-- won back later. A customer has at most one loss open at a time; earlier ones stay.
CREATE TABLE churn_reasons (
    id       INTEGER PRIMARY KEY,
    code     TEXT UNIQUE,                 -- built-in reasons; the UI translates the code
    name     TEXT NOT NULL CHECK (length(name) > 0),
    position INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0,1))
);
INSERT INTO churn_reasons (code, name, position) VALUES
 ('price', '价格 · Price', 1),
 ('service', '服务不满意 · Poor service', 2),
 ('complaint_unresolved', '投诉未跟进 · Complaint not followed up', 3),
 ('no_benefit', '没有感到好处 · No perceived benefit', 4),
 ('competitor_offer', '竞争对手的优惠 · A competitor''s offer', 5),
 ('moved_away', '搬走 · Moved away', 6),
 ('other', '其他 · Other', 99);

CREATE TABLE churn (
    id             INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL REFERENCES customers (id),
    lost_on        TEXT NOT NULL,          -- local date
    type           TEXT NOT NULL CHECK (type IN ('natural','malicious','competitor','fault')),
    reason_id      INTEGER REFERENCES churn_reasons (id),
    note           TEXT NOT NULL DEFAULT '',
    staff          TEXT NOT NULL DEFAULT '',
    won_back_on    TEXT,                   -- local date; NULL while lost
    won_back_staff TEXT NOT NULL DEFAULT '',
    won_back_note  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (won_back_on IS NULL OR won_back_on >= lost_on)
);
CREATE UNIQUE INDEX churn_open ON churn (customer_id) WHERE won_back_on IS NULL;
CREATE INDEX churn_customer ON churn (customer_id, lost_on);
CREATE INDEX churn_lost_on ON churn (lost_on);

-- The audit trail records a loss and a win-back as changes to the customer.
CREATE TRIGGER audit_churn_insert AFTER INSERT ON churn
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', 'lost', NULL,
         json_object('lost_on', NEW.lost_on, 'type', NEW.type, 'reason_id', NEW.reason_id, 'note', NEW.note, 'staff', NEW.staff)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_churn_update AFTER UPDATE ON churn
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'won_back_on' AS field, OLD.won_back_on AS o, NEW.won_back_on AS n
      UNION ALL SELECT 'lost_note', OLD.note, NEW.note
      UNION ALL SELECT 'won_back_note', OLD.won_back_note, NEW.won_back_note) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;
