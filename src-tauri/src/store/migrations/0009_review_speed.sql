-- The dashboard, faster. "What needs me now": the open complaints escalated or past a
-- deadline, without reading every open complaint.
CREATE INDEX complaints_urgent ON complaints (escalation_level DESC, received_at)
    WHERE is_open = 1 AND (escalation_level >= 3 OR response_breached_at IS NOT NULL
                           OR resolution_breached_at IS NOT NULL);
-- Active customers at a day's end are those created before it (counted in the in-memory
-- customer index) less the archived (few, here) and the lost.
CREATE INDEX customers_archived ON customers (archived_at, created_at, tier) WHERE archived_at IS NOT NULL;
DROP INDEX customers_active;

-- Return visits counted by day, kept by the triggers below in the same transaction as
-- every write to a visit or to a customer's tier (a test holds them to the direct count
-- over the visits after random writes). Days are local: `date(…, 'localtime')` in the
-- zone of the machine; the app counts them again when that zone's rules change.
-- Visits planned or done, by the day they are due: done, reached, done by that day.
CREATE TABLE review_visit_days (
    due_date TEXT NOT NULL,
    staff    TEXT NOT NULL,
    tier     TEXT NOT NULL,
    done     INTEGER NOT NULL,
    reached  INTEGER NOT NULL,
    on_time  INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (due_date, staff, tier, done, reached, on_time)
) WITHOUT ROWID;
-- Scores given on return visits, by the local day they were given.
CREATE TABLE review_visit_scores (
    day   TEXT NOT NULL,
    staff TEXT NOT NULL,
    tier  TEXT NOT NULL,
    score INTEGER NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (day, staff, tier, score)
) WITHOUT ROWID;

-- A visit's key in each (the views name what is counted once, for the triggers and the recount).
CREATE VIEW review_visit_day_keys AS
SELECT v.id, v.customer_id, v.due_date, v.staff, coalesce(c.tier, '') AS tier,
       v.state = 'done' AS done, coalesce(v.reached, 0) AS reached,
       coalesce(v.state = 'done' AND date(v.completed_at, 'localtime') <= v.due_date, 0) AS on_time
FROM visits v LEFT JOIN customers c ON c.id = v.customer_id
WHERE v.state IN ('planned', 'done');
CREATE VIEW review_visit_score_keys AS
SELECT v.id, v.customer_id, date(v.completed_at, 'localtime') AS day, v.staff,
       coalesce(c.tier, '') AS tier, v.satisfaction AS score
FROM visits v LEFT JOIN customers c ON c.id = v.customer_id
WHERE v.satisfaction IS NOT NULL AND v.completed_at IS NOT NULL;

-- The visits already here are counted by the app when it opens the database (the same
-- recount it makes when the zone's rules change: review/repo.rs, recount_visit_days).

CREATE TRIGGER review_visit_insert AFTER INSERT ON visits BEGIN
    INSERT INTO review_visit_days
    SELECT due_date, staff, tier, done, reached, on_time, 1 FROM review_visit_day_keys WHERE id = new.id
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO review_visit_scores
    SELECT day, staff, tier, score, 1 FROM review_visit_score_keys WHERE id = new.id AND day IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

-- Before an update or a delete the old key is taken out; after an update the new one is
-- put in.
CREATE TRIGGER review_visit_update_out BEFORE UPDATE OF customer_id, due_date, staff, state, reached,
    completed_at, satisfaction ON visits BEGIN
    UPDATE review_visit_days SET n = n - 1
    WHERE (due_date, staff, tier, done, reached, on_time) IN
          (SELECT due_date, staff, tier, done, reached, on_time FROM review_visit_day_keys WHERE id = old.id);
    UPDATE review_visit_scores SET n = n - 1
    WHERE (day, staff, tier, score) IN
          (SELECT day, staff, tier, score FROM review_visit_score_keys WHERE id = old.id);
END;
CREATE TRIGGER review_visit_update_in AFTER UPDATE OF customer_id, due_date, staff, state, reached,
    completed_at, satisfaction ON visits BEGIN
    INSERT INTO review_visit_days
    SELECT due_date, staff, tier, done, reached, on_time, 1 FROM review_visit_day_keys WHERE id = new.id
    ON CONFLICT DO UPDATE SET n = n + 1;
    INSERT INTO review_visit_scores
    SELECT day, staff, tier, score, 1 FROM review_visit_score_keys WHERE id = new.id AND day IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER review_visit_delete BEFORE DELETE ON visits BEGIN
    UPDATE review_visit_days SET n = n - 1
    WHERE (due_date, staff, tier, done, reached, on_time) IN
          (SELECT due_date, staff, tier, done, reached, on_time FROM review_visit_day_keys WHERE id = old.id);
    UPDATE review_visit_scores SET n = n - 1
    WHERE (day, staff, tier, score) IN
          (SELECT day, staff, tier, score FROM review_visit_score_keys WHERE id = old.id);
END;

-- A customer's new tier moves their visits from one tier's counts to the other's.
CREATE TRIGGER review_customer_tier_out BEFORE UPDATE OF tier ON customers
WHEN old.tier IS NOT new.tier BEGIN
    UPDATE review_visit_days SET n = n - k.c
    FROM (SELECT due_date, staff, tier, done, reached, on_time, count(*) AS c FROM review_visit_day_keys
          WHERE customer_id = old.id GROUP BY due_date, staff, tier, done, reached, on_time) AS k
    WHERE (review_visit_days.due_date, review_visit_days.staff, review_visit_days.tier, review_visit_days.done,
           review_visit_days.reached, review_visit_days.on_time) = (k.due_date, k.staff, k.tier, k.done, k.reached, k.on_time);
    UPDATE review_visit_scores SET n = n - k.c
    FROM (SELECT day, staff, tier, score, count(*) AS c FROM review_visit_score_keys
          WHERE customer_id = old.id AND day IS NOT NULL GROUP BY day, staff, tier, score) AS k
    WHERE (review_visit_scores.day, review_visit_scores.staff, review_visit_scores.tier, review_visit_scores.score)
          = (k.day, k.staff, k.tier, k.score);
END;
CREATE TRIGGER review_customer_tier_in AFTER UPDATE OF tier ON customers
WHEN old.tier IS NOT new.tier BEGIN
    INSERT INTO review_visit_days
    SELECT due_date, staff, tier, done, reached, on_time, count(*) FROM review_visit_day_keys
    WHERE customer_id = new.id GROUP BY due_date, staff, tier, done, reached, on_time
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO review_visit_scores
    SELECT day, staff, tier, score, count(*) FROM review_visit_score_keys
    WHERE customer_id = new.id AND day IS NOT NULL GROUP BY day, staff, tier, score
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- The zone the day counts were made in is the app's own bookkeeping: not recorded.
DROP TRIGGER audit_settings_insert;
DROP TRIGGER audit_settings_update;
DROP TRIGGER audit_settings_delete;
CREATE TRIGGER audit_settings_insert AFTER INSERT ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND NEW.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure', 'review_zone')
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', NEW.key, NULL, 'update', 'value', NULL, NEW.value
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_settings_update AFTER UPDATE ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND NEW.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure', 'review_zone') AND OLD.value IS NOT NEW.value
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', NEW.key, NULL, 'update', 'value', OLD.value, NEW.value
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_settings_delete AFTER DELETE ON settings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1 AND OLD.key NOT IN ('search_normalisation', 'desk.staff', 'reminders.planned_at', 'reminders.days_planned_through', 'backup.last_auto_failure', 'review_zone')
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'setting', OLD.key, NULL, 'update', 'value', OLD.value, NULL
  FROM audit_ctx WHERE id = 1;
END;

