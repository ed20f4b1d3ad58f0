-- Arrivals (预约与到店): the customers' own visits to us, booked ahead or walking in, and
-- the preparation reminder before each.
CREATE TABLE bookings (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    walk_in       INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0,1)), -- came without a booking
    start_date    TEXT NOT NULL,             -- the local date the user meant (YYYY-MM-DD)
    start_time    TEXT,                      -- local HH:MM; NULL for all day
    start_at      TEXT,                      -- UTC instant of start_date + start_time
    end_date      TEXT,                      -- a stay's last morning (check-out); NULL otherwise
    party         INTEGER NOT NULL DEFAULT 1 CHECK (party BETWEEN 1 AND 999),
    what          TEXT NOT NULL DEFAULT '',  -- a table, a room, a service, in words
    resource      TEXT NOT NULL DEFAULT '',  -- one of the editable resources ('Table 5'), or ''
    staff         TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL DEFAULT 'booked' CHECK (state IN ('booked','arrived','no_show','cancelled')),
    arrived_at    TEXT,                      -- UTC
    cancel_reason TEXT NOT NULL DEFAULT '',
    repeat_unit   TEXT CHECK (repeat_unit IN ('day','week','month','year')),
    repeat_every  INTEGER CHECK (repeat_every > 0),
    repeat_anchor TEXT,
    repeat_index  INTEGER NOT NULL DEFAULT 0,
    previous_id   INTEGER REFERENCES bookings (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date > start_date)
);
-- The day's board and the overlap check.
CREATE INDEX bookings_day ON bookings (start_date, start_time);
-- Stays that span the day.
CREATE INDEX bookings_stays ON bookings (end_date, start_date) WHERE end_date IS NOT NULL;
-- A resource's bookings (the double-booking warning).
CREATE INDEX bookings_resource ON bookings (resource, start_date) WHERE resource <> '';
-- A customer's bookings (timeline, last visit).
CREATE INDEX bookings_customer ON bookings (customer_id, start_date);
-- Who came when: the repeat-visit rate reads this one index in customer order.
CREATE INDEX bookings_arrived ON bookings (customer_id, start_date) WHERE state = 'arrived';

-- The last day the customer came (an arrival), for "not visited for N days".
ALTER TABLE customers ADD COLUMN last_visit_date TEXT;

-- The audit trail records bookings as changes to the customer (like losses).
CREATE TRIGGER audit_bookings_insert AFTER INSERT ON bookings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT change_id, at, staff, actor, reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', 'booking', NULL,
         json_object('id', NEW.id, 'walk_in', NEW.walk_in, 'start_date', NEW.start_date, 'start_time', NEW.start_time, 'end_date', NEW.end_date, 'party', NEW.party, 'what', NEW.what, 'resource', NEW.resource, 'staff', NEW.staff, 'notes', NEW.notes, 'state', NEW.state)
  FROM audit_ctx WHERE id = 1;
END;
CREATE TRIGGER audit_bookings_update AFTER UPDATE ON bookings
WHEN (SELECT record FROM audit_ctx WHERE id = 1) = 1
BEGIN
  INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field, old_value, new_value)
  SELECT x.change_id, x.at, x.staff, x.actor, x.reason, 'customer', NEW.customer_id, NEW.customer_id, 'update', f.field, f.o, f.n
  FROM audit_ctx x, (
      SELECT 'booking_date' AS field, OLD.start_date AS o, NEW.start_date AS n
      UNION ALL SELECT 'booking_time', OLD.start_time, NEW.start_time
      UNION ALL SELECT 'booking_end_date', OLD.end_date, NEW.end_date
      UNION ALL SELECT 'booking_party', OLD.party, NEW.party
      UNION ALL SELECT 'booking_what', OLD.what, NEW.what
      UNION ALL SELECT 'booking_resource', OLD.resource, NEW.resource
      UNION ALL SELECT 'booking_staff', OLD.staff, NEW.staff
      UNION ALL SELECT 'booking_notes', OLD.notes, NEW.notes
      UNION ALL SELECT 'booking_state', OLD.state, NEW.state
      UNION ALL SELECT 'booking_cancel_reason', OLD.cancel_reason, NEW.cancel_reason) f
  WHERE x.id = 1 AND f.o IS NOT f.n;
END;

-- Reminders gain a kind, 'arrival' (prepare for a guest): SQLite cannot change a CHECK, so
-- the table is rebuilt with the same rows, indexes and trigger.
CREATE TABLE reminders_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('visit','complaint_warning','complaint_escalation','birthday',
                                              'anniversary','keep_in_touch','manual','arrival')),
    key         TEXT NOT NULL UNIQUE,
    customer_id INTEGER REFERENCES customers (id),
    source_id   INTEGER,
    due_at      TEXT NOT NULL,
    wake_at     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','fired','snoozed','done','dismissed')),
    fired_at    TEXT,
    late        INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0,1)),
    args        TEXT NOT NULL DEFAULT '{}',
    staff       TEXT NOT NULL DEFAULT '',
    closed_at   TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
INSERT INTO reminders_new SELECT id, kind, key, customer_id, source_id, due_at, wake_at, state, fired_at, late,
       args, staff, closed_at, created_at, updated_at FROM reminders;
DROP TABLE reminders;
ALTER TABLE reminders_new RENAME TO reminders;
CREATE INDEX reminders_wake ON reminders (state, wake_at);
CREATE INDEX reminders_open ON reminders (wake_at) WHERE state IN ('pending', 'fired', 'snoozed');
CREATE INDEX reminders_customer ON reminders (customer_id);
CREATE INDEX reminders_source ON reminders (kind, source_id, state);
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

-- The manager's arrival figures count bookings by local day, booked hour (-1: all day),
-- state and cancellation reason: kept by triggers in the transaction of every write to a
-- booking, so a year is a few thousand rows to read, not every booking.
CREATE TABLE arrival_counts (
    day    TEXT NOT NULL,
    hour   INTEGER NOT NULL,
    state  TEXT NOT NULL,
    reason TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (day, hour, state, reason)
) WITHOUT ROWID;
CREATE TRIGGER arrival_counts_insert AFTER INSERT ON bookings BEGIN
    INSERT INTO arrival_counts
    VALUES (new.start_date, coalesce(CAST(substr(new.start_time, 1, 2) AS INTEGER), -1), new.state, new.cancel_reason, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER arrival_counts_update AFTER UPDATE OF start_date, start_time, state, cancel_reason ON bookings BEGIN
    UPDATE arrival_counts SET n = n - 1
    WHERE (day, hour, state, reason)
          = (old.start_date, coalesce(CAST(substr(old.start_time, 1, 2) AS INTEGER), -1), old.state, old.cancel_reason);
    INSERT INTO arrival_counts
    VALUES (new.start_date, coalesce(CAST(substr(new.start_time, 1, 2) AS INTEGER), -1), new.state, new.cancel_reason, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER arrival_counts_delete AFTER DELETE ON bookings BEGIN
    UPDATE arrival_counts SET n = n - 1
    WHERE (day, hour, state, reason)
          = (old.start_date, coalesce(CAST(substr(old.start_time, 1, 2) AS INTEGER), -1), old.state, old.cancel_reason);
END;

-- The board's "last score" of each guest, read from the index alone.
CREATE INDEX visits_last_score ON visits (customer_id, due_date, completed_at, satisfaction, state)
WHERE state = 'done' AND satisfaction IS NOT NULL;
