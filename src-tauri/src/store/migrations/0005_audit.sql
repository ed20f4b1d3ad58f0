-- The audit trail: every change to customers, visits, complaints, reminders and settings,
-- one row per field (old -> new), written by triggers inside the changing transaction.
-- Who and when come from `audit_ctx`, which the app sets at the start of every write.
-- Append-only: rows cannot be deleted, and the only edit allowed is erasing the values of
-- an anonymised customer's entries (the fact stays).

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER NOT NULL,              -- one per write: the rows of one save share it
    at          TEXT NOT NULL,                 -- UTC, set by the app
    staff       TEXT NOT NULL DEFAULT '',      -- who was at the desk ('' when nobody was chosen)
    actor       TEXT NOT NULL CHECK (actor IN ('desk','system')),
    reason      TEXT NOT NULL DEFAULT '',      -- 'revert:<entry id>', 'anonymise', 'restore', 'bulk'
    kind        TEXT NOT NULL CHECK (kind IN ('customer','visit','complaint','reminder','setting')),
    record_id   TEXT NOT NULL,
    customer_id INTEGER,
    action      TEXT NOT NULL CHECK (action IN ('create','update','delete','bulk')),
    field       TEXT,
    old_value,                                 -- no type: values keep the type they had
    new_value,
    erased      INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0,1))
);
CREATE INDEX audit_log_record ON audit_log (kind, record_id, id);
CREATE INDEX audit_log_customer ON audit_log (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be edited'); END;
CREATE TRIGGER audit_log_only_erase BEFORE UPDATE ON audit_log
WHEN NOT (NEW.erased = 1 AND NEW.old_value IS NULL AND NEW.new_value IS NULL
          AND NEW.id IS OLD.id AND NEW.change_id IS OLD.change_id AND NEW.at IS OLD.at
          AND NEW.staff IS OLD.staff AND NEW.actor IS OLD.actor AND NEW.reason IS OLD.reason
          AND NEW.kind IS OLD.kind AND NEW.record_id IS OLD.record_id
          AND NEW.customer_id IS OLD.customer_id AND NEW.action IS OLD.action
          AND NEW.field IS OLD.field)
BEGIN SELECT RAISE(ABORT, 'the audit trail cannot be edited'); END;

CREATE TABLE audit_ctx (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    change_id INTEGER NOT NULL DEFAULT 0,
    at        TEXT NOT NULL,
    staff     TEXT NOT NULL DEFAULT '',
    actor     TEXT NOT NULL DEFAULT 'system' CHECK (actor IN ('desk','system')),
    reason    TEXT NOT NULL DEFAULT '',
    record    INTEGER NOT NULL DEFAULT 1 CHECK (record IN (0,1))   -- 0: bulk writes, one summary row
);
INSERT INTO audit_ctx (id, at) VALUES (1, strftime('%Y-%m-%dT%H:%M:%fZ','now'));


-- customers
CREATE TRIGGER audit_customers_insert AFTER INSERT ON customers
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', NEW.id, NEW.id, 'create', NULL, NULL,
         json_object('name', NEW.name, 'phones', json(NEW.phones), 'wechat', NEW.wechat, 'email', NEW.email, 'address', NEW.address, 'company', NEW.company, 'source', NEW.source, 'first_contact', NEW.first_contact, 'tier', NEW.tier, 'tags', json(NEW.tags), 'notes', NEW.notes, 'preferences', json(NEW.preferences), 'archived_at', NEW.archived_at, 'cadence_ideal_days', NEW.cadence_ideal_days, 'cadence_max_days', NEW.cadence_max_days)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_customers_update AFTER UPDATE ON customers
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'customer', NEW.id, NEW.id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'name' AS field, OLD.name AS o, NEW.name AS n
      UNION ALL SELECT 'phones', OLD.phones, NEW.phones
      UNION ALL SELECT 'wechat', OLD.wechat, NEW.wechat
      UNION ALL SELECT 'email', OLD.email, NEW.email
      UNION ALL SELECT 'address', OLD.address, NEW.address
      UNION ALL SELECT 'company', OLD.company, NEW.company
      UNION ALL SELECT 'source', OLD.source, NEW.source
      UNION ALL SELECT 'first_contact', OLD.first_contact, NEW.first_contact
      UNION ALL SELECT 'tier', OLD.tier, NEW.tier
      UNION ALL SELECT 'tags', OLD.tags, NEW.tags
      UNION ALL SELECT 'notes', OLD.notes, NEW.notes
      UNION ALL SELECT 'preferences', OLD.preferences, NEW.preferences
      UNION ALL SELECT 'archived_at', OLD.archived_at, NEW.archived_at
      UNION ALL SELECT 'cadence_ideal_days', OLD.cadence_ideal_days, NEW.cadence_ideal_days
      UNION ALL SELECT 'cadence_max_days', OLD.cadence_max_days, NEW.cadence_max_days) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- special_dates: the customer's field 'birthday' or 'anniversary', the value one JSON object
CREATE TRIGGER audit_special_dates_insert AFTER INSERT ON special_dates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', NEW.kind, NULL,
         json_object('calendar', NEW.calendar, 'year', NEW.year, 'month', NEW.month, 'day', NEW.day, 'leap_month', json(CASE NEW.leap_month WHEN 1 THEN 'true' ELSE 'false' END))
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_special_dates_update AFTER UPDATE ON special_dates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', NEW.kind,
         json_object('calendar', OLD.calendar, 'year', OLD.year, 'month', OLD.month, 'day', OLD.day, 'leap_month', json(CASE OLD.leap_month WHEN 1 THEN 'true' ELSE 'false' END)),
         json_object('calendar', NEW.calendar, 'year', NEW.year, 'month', NEW.month, 'day', NEW.day, 'leap_month', json(CASE NEW.leap_month WHEN 1 THEN 'true' ELSE 'false' END))
  FROM audit_ctx WHERE id = 1
    AND json_object('calendar', OLD.calendar, 'year', OLD.year, 'month', OLD.month, 'day', OLD.day, 'leap_month', json(CASE OLD.leap_month WHEN 1 THEN 'true' ELSE 'false' END)) IS NOT json_object('calendar', NEW.calendar, 'year', NEW.year, 'month', NEW.month, 'day', NEW.day, 'leap_month', json(CASE NEW.leap_month WHEN 1 THEN 'true' ELSE 'false' END));
END;
CREATE TRIGGER audit_special_dates_delete AFTER DELETE ON special_dates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', OLD.customer_id, OLD.customer_id, 'update', OLD.kind,
         json_object('calendar', OLD.calendar, 'year', OLD.year, 'month', OLD.month, 'day', OLD.day, 'leap_month', json(CASE OLD.leap_month WHEN 1 THEN 'true' ELSE 'false' END)), NULL
  FROM audit_ctx WHERE id = 1;
END;

-- visits
CREATE TRIGGER audit_visits_insert AFTER INSERT ON visits
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'visit', NEW.id, NEW.customer_id, 'create', NULL, NULL,
         json_object('channel', NEW.channel, 'purpose', NEW.purpose, 'due_date', NEW.due_date, 'due_time', NEW.due_time, 'outline', NEW.outline, 'staff', NEW.staff, 'state', NEW.state, 'attempts', NEW.attempts, 'reached', NEW.reached, 'outcome_notes', NEW.outcome_notes, 'satisfaction', NEW.satisfaction, 'next_step', NEW.next_step, 'completed_at', NEW.completed_at, 'repeat_unit', NEW.repeat_unit, 'repeat_every', NEW.repeat_every, 'plan_id', NEW.plan_id)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_visits_update AFTER UPDATE ON visits
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'visit', NEW.id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'channel' AS field, OLD.channel AS o, NEW.channel AS n
      UNION ALL SELECT 'purpose', OLD.purpose, NEW.purpose
      UNION ALL SELECT 'due_date', OLD.due_date, NEW.due_date
      UNION ALL SELECT 'due_time', OLD.due_time, NEW.due_time
      UNION ALL SELECT 'outline', OLD.outline, NEW.outline
      UNION ALL SELECT 'staff', OLD.staff, NEW.staff
      UNION ALL SELECT 'state', OLD.state, NEW.state
      UNION ALL SELECT 'attempts', OLD.attempts, NEW.attempts
      UNION ALL SELECT 'reached', OLD.reached, NEW.reached
      UNION ALL SELECT 'outcome_notes', OLD.outcome_notes, NEW.outcome_notes
      UNION ALL SELECT 'satisfaction', OLD.satisfaction, NEW.satisfaction
      UNION ALL SELECT 'next_step', OLD.next_step, NEW.next_step
      UNION ALL SELECT 'completed_at', OLD.completed_at, NEW.completed_at
      UNION ALL SELECT 'repeat_unit', OLD.repeat_unit, NEW.repeat_unit
      UNION ALL SELECT 'repeat_every', OLD.repeat_every, NEW.repeat_every
      UNION ALL SELECT 'plan_id', OLD.plan_id, NEW.plan_id) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- complaints
CREATE TRIGGER audit_complaints_insert AFTER INSERT ON complaints
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'complaint', NEW.id, NEW.customer_id, 'create', NULL, NULL,
         json_object('serial', NEW.serial, 'channel', NEW.channel, 'received_at', NEW.received_at, 'category_id', NEW.category_id, 'severity', NEW.severity, 'summary', NEW.summary, 'details', NEW.details, 'claim_kind', NEW.claim_kind, 'claim_amount_cents', NEW.claim_amount_cents, 'claim_text', NEW.claim_text, 'state', NEW.state, 'duplicate_of', NEW.duplicate_of, 'handler', NEW.handler, 'response_due', NEW.response_due, 'resolution_due', NEW.resolution_due, 'first_response_at', NEW.first_response_at, 'escalation_level', NEW.escalation_level, 'response_breached_at', NEW.response_breached_at, 'resolution_breached_at', NEW.resolution_breached_at, 'resolution', NEW.resolution, 'remedy_kind', NEW.remedy_kind, 'remedy_amount_cents', NEW.remedy_amount_cents, 'root_cause_category', NEW.root_cause_category, 'root_cause', NEW.root_cause, 'corrective_action', NEW.corrective_action, 'resolved_at', NEW.resolved_at, 'closed_at', NEW.closed_at, 'satisfaction', NEW.satisfaction, 'accepted', NEW.accepted, 'return_visit_id', NEW.return_visit_id)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_complaints_update AFTER UPDATE ON complaints
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'complaint', NEW.id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'serial' AS field, OLD.serial AS o, NEW.serial AS n
      UNION ALL SELECT 'channel', OLD.channel, NEW.channel
      UNION ALL SELECT 'received_at', OLD.received_at, NEW.received_at
      UNION ALL SELECT 'category_id', OLD.category_id, NEW.category_id
      UNION ALL SELECT 'severity', OLD.severity, NEW.severity
      UNION ALL SELECT 'summary', OLD.summary, NEW.summary
      UNION ALL SELECT 'details', OLD.details, NEW.details
      UNION ALL SELECT 'claim_kind', OLD.claim_kind, NEW.claim_kind
      UNION ALL SELECT 'claim_amount_cents', OLD.claim_amount_cents, NEW.claim_amount_cents
      UNION ALL SELECT 'claim_text', OLD.claim_text, NEW.claim_text
      UNION ALL SELECT 'state', OLD.state, NEW.state
      UNION ALL SELECT 'duplicate_of', OLD.duplicate_of, NEW.duplicate_of
      UNION ALL SELECT 'handler', OLD.handler, NEW.handler
      UNION ALL SELECT 'response_due', OLD.response_due, NEW.response_due
      UNION ALL SELECT 'resolution_due', OLD.resolution_due, NEW.resolution_due
      UNION ALL SELECT 'first_response_at', OLD.first_response_at, NEW.first_response_at
      UNION ALL SELECT 'escalation_level', OLD.escalation_level, NEW.escalation_level
      UNION ALL SELECT 'response_breached_at', OLD.response_breached_at, NEW.response_breached_at
      UNION ALL SELECT 'resolution_breached_at', OLD.resolution_breached_at, NEW.resolution_breached_at
      UNION ALL SELECT 'resolution', OLD.resolution, NEW.resolution
      UNION ALL SELECT 'remedy_kind', OLD.remedy_kind, NEW.remedy_kind
      UNION ALL SELECT 'remedy_amount_cents', OLD.remedy_amount_cents, NEW.remedy_amount_cents
      UNION ALL SELECT 'root_cause_category', OLD.root_cause_category, NEW.root_cause_category
      UNION ALL SELECT 'root_cause', OLD.root_cause, NEW.root_cause
      UNION ALL SELECT 'corrective_action', OLD.corrective_action, NEW.corrective_action
      UNION ALL SELECT 'resolved_at', OLD.resolved_at, NEW.resolved_at
      UNION ALL SELECT 'closed_at', OLD.closed_at, NEW.closed_at
      UNION ALL SELECT 'satisfaction', OLD.satisfaction, NEW.satisfaction
      UNION ALL SELECT 'accepted', OLD.accepted, NEW.accepted
      UNION ALL SELECT 'return_visit_id', OLD.return_visit_id, NEW.return_visit_id) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- manual_reminders
CREATE TRIGGER audit_manual_reminders_insert AFTER INSERT ON manual_reminders
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'reminder', 'manual/' || NEW.id, NEW.customer_id, 'create', NULL, NULL,
         json_object('text', NEW.text, 'due_at', NEW.due_at, 'repeat_unit', NEW.repeat_unit, 'repeat_every', NEW.repeat_every, 'staff', NEW.staff, 'active', NEW.active, 'customer_id', NEW.customer_id)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_manual_reminders_update AFTER UPDATE ON manual_reminders
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'reminder', 'manual/' || NEW.id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'text' AS field, OLD.text AS o, NEW.text AS n
      UNION ALL SELECT 'due_at', OLD.due_at, NEW.due_at
      UNION ALL SELECT 'repeat_unit', OLD.repeat_unit, NEW.repeat_unit
      UNION ALL SELECT 'repeat_every', OLD.repeat_every, NEW.repeat_every
      UNION ALL SELECT 'staff', OLD.staff, NEW.staff
      UNION ALL SELECT 'active', OLD.active, NEW.active
      UNION ALL SELECT 'customer_id', OLD.customer_id, NEW.customer_id) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- reminders
CREATE TRIGGER audit_reminders_update AFTER UPDATE ON reminders
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'reminder', NEW.id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'state' AS field, OLD.state AS o, NEW.state AS n
      UNION ALL SELECT 'wake_at', OLD.wake_at, NEW.wake_at) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- settings: one field, the stored value; the app's own bookkeeping keys are not recorded
CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND NEW.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure')
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', NEW.key, NULL, 'update', 'value', NULL, NEW.value
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND NEW.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure') AND OLD.value IS NOT NEW.value
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', NEW.key, NULL, 'update', 'value', OLD.value, NEW.value
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_settings_delete AFTER DELETE ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND OLD.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure')
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', OLD.key, NULL, 'update', 'value', OLD.value, NULL
  FROM audit_ctx WHERE id = 1;
END;

-- complaint_categories
CREATE TRIGGER audit_complaint_categories_insert AFTER INSERT ON complaint_categories
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', 'complaint_category/' || NEW.id, NULL, 'create', NULL, NULL,
         json_object('code', NEW.code, 'name', NEW.name, 'position', NEW.position, 'archived', NEW.archived)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_complaint_categories_update AFTER UPDATE ON complaint_categories
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'setting', 'complaint_category/' || NEW.id, NULL, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'code' AS field, OLD.code AS o, NEW.code AS n
      UNION ALL SELECT 'name', OLD.name, NEW.name
      UNION ALL SELECT 'position', OLD.position, NEW.position
      UNION ALL SELECT 'archived', OLD.archived, NEW.archived) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- followup_plans
CREATE TRIGGER audit_followup_plans_insert AFTER INSERT ON followup_plans
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', 'followup_plan/' || NEW.id, NULL, 'create', NULL, NULL,
         json_object('name', NEW.name, 'steps', json(NEW.steps))
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_followup_plans_update AFTER UPDATE ON followup_plans
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'setting', 'followup_plan/' || NEW.id, NULL, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'name' AS field, OLD.name AS o, NEW.name AS n
      UNION ALL SELECT 'steps', OLD.steps, NEW.steps) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;
CREATE TRIGGER audit_followup_plans_delete AFTER DELETE ON followup_plans
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', 'followup_plan/' || OLD.id, NULL, 'delete', NULL,
         json_object('name', OLD.name, 'steps', json(OLD.steps)), NULL
  FROM audit_ctx WHERE id = 1;
END;

-- outline_templates
CREATE TRIGGER audit_outline_templates_insert AFTER INSERT ON outline_templates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', 'outline_template/' || NEW.id, NULL, 'create', NULL, NULL,
         json_object('name', NEW.name, 'body', NEW.body)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_outline_templates_update AFTER UPDATE ON outline_templates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'setting', 'outline_template/' || NEW.id, NULL, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'name' AS field, OLD.name AS o, NEW.name AS n
      UNION ALL SELECT 'body', OLD.body, NEW.body) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;
CREATE TRIGGER audit_outline_templates_delete AFTER DELETE ON outline_templates
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', 'outline_template/' || OLD.id, NULL, 'delete', NULL,
         json_object('name', OLD.name, 'body', OLD.body), NULL
  FROM audit_ctx WHERE id = 1;
END;
