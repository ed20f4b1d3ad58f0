-- What the desk file's triggers do, on the server: the audit trail, the append-only guards
-- and the counts the manager's review and the arrival figures read, all kept inside the
-- writing transaction.
--
-- Who, when and why come from the transaction's own settings, which every write sets first
-- (`set_config(..., true)`, gone at its end): fd.change_id (from the sequence audit_change,
-- one per write across all desks), fd.at, fd.staff, fd.actor, fd.reason, fd.record (0: a
-- bulk write, no row per record) and fd.zone (the desk's time zone, for local days). A
-- desk's data being copied in (fd.copy = 1) arrives with its trail and counts already made.

CREATE SEQUENCE audit_change;

-- Whether the triggers write anything now.
CREATE FUNCTION fd_copying() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT coalesce(current_setting('fd.copy', true), '') = '1'
$$;
CREATE FUNCTION fd_recording() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT NOT fd_copying() AND coalesce(nullif(current_setting('fd.record', true), ''), '1') = '1'
$$;

-- The local day (`YYYY-MM-DD`) of a stored UTC time, in the writing desk's zone.
CREATE FUNCTION fd_local_day(ts text) RETURNS text LANGUAGE sql STABLE AS $$
    SELECT to_char(ts::timestamptz AT TIME ZONE
                   coalesce(nullif(current_setting('fd.zone', true), ''), current_setting('TimeZone')),
                   'YYYY-MM-DD')
$$;

-- One row of the trail, in the transaction's context.
CREATE FUNCTION fd_audit_add(p_kind text, p_record text, p_customer bigint, p_action text, p_field text,
                             p_old jsonb, p_new jsonb) RETURNS void LANGUAGE sql AS $$
    INSERT INTO audit_log (change_id, at, staff, actor, reason, kind, record_id, customer_id, action, field,
                           old_value, new_value)
    VALUES (CAST(coalesce(nullif(current_setting('fd.change_id', true), ''), '0') AS bigint),
            coalesce(nullif(current_setting('fd.at', true), ''),
                     to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
            coalesce(current_setting('fd.staff', true), ''),
            coalesce(nullif(current_setting('fd.actor', true), ''), 'system'),
            coalesce(current_setting('fd.reason', true), ''),
            p_kind, p_record, p_customer, p_action, p_field, p_old, p_new)
$$;

-- The trail of one row of a record table. Arguments: the kind; the record id's prefix; the
-- column naming the record; the column naming the customer ('' for none); the fields an
-- update records ('field' or 'field:column', comma-separated); the columns a new or deleted
-- row is recorded with (a '*' after a column holding JSON text); and, when a new row is
-- recorded as a change of one field of its customer (a loss, a booking), that field.
CREATE FUNCTION fd_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    o jsonb;
    n jsonb;
    r jsonb;
    item text;
    f text;
    c text;
    snap jsonb := '{}';
    rid text;
    cust bigint;
BEGIN
    IF NOT fd_recording() THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
    r := coalesce(n, o);
    rid := TG_ARGV[1] || (r ->> TG_ARGV[2]);
    cust := CASE WHEN TG_ARGV[3] = '' THEN NULL ELSE CAST(r ->> TG_ARGV[3] AS bigint) END;
    IF TG_OP = 'UPDATE' THEN
        FOREACH item IN ARRAY string_to_array(TG_ARGV[4], ',') LOOP
            f := split_part(item, ':', 1);
            c := coalesce(nullif(split_part(item, ':', 2), ''), f);
            IF (o -> c) IS DISTINCT FROM (n -> c) THEN
                PERFORM fd_audit_add(TG_ARGV[0], rid, cust, 'update', f,
                                     nullif(o -> c, 'null'::jsonb), nullif(n -> c, 'null'::jsonb));
            END IF;
        END LOOP;
        RETURN NULL;
    END IF;
    FOREACH item IN ARRAY string_to_array(TG_ARGV[5], ',') LOOP
        f := rtrim(item, '*');
        snap := snap || jsonb_build_object(f, CASE WHEN item LIKE '%*' THEN CAST(r ->> f AS jsonb) ELSE r -> f END);
    END LOOP;
    IF coalesce(TG_ARGV[6], '') <> '' THEN
        PERFORM fd_audit_add(TG_ARGV[0], rid, cust, 'update', TG_ARGV[6], NULL, snap);
    ELSIF TG_OP = 'INSERT' THEN
        PERFORM fd_audit_add(TG_ARGV[0], rid, cust, 'create', NULL, NULL, snap);
    ELSE
        PERFORM fd_audit_add(TG_ARGV[0], rid, cust, 'delete', NULL, snap, NULL);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_customers_insert AFTER INSERT ON customers FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'id', 'id', '',
    'name,phones*,wechat,email,address,company,source,first_contact,tier,tags*,notes,preferences*,archived_at,cadence_ideal_days,cadence_max_days');
CREATE TRIGGER audit_customers_update AFTER UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'id', 'id',
    'name,phones,wechat,email,address,company,source,first_contact,tier,tags,notes,preferences,archived_at,cadence_ideal_days,cadence_max_days',
    '');

CREATE TRIGGER audit_visits_insert AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'visit', '', 'id', 'customer_id', '',
    'channel,purpose,due_date,due_time,outline,staff,state,attempts,reached,outcome_notes,satisfaction,next_step,completed_at,repeat_unit,repeat_every,plan_id');
CREATE TRIGGER audit_visits_update AFTER UPDATE ON visits FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'visit', '', 'id', 'customer_id',
    'channel,purpose,due_date,due_time,outline,staff,state,attempts,reached,outcome_notes,satisfaction,next_step,completed_at,repeat_unit,repeat_every,plan_id',
    '');

CREATE TRIGGER audit_complaints_insert AFTER INSERT ON complaints FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'complaint', '', 'id', 'customer_id', '',
    'serial,channel,received_at,category_id,severity,summary,details,claim_kind,claim_amount_cents,claim_text,state,duplicate_of,handler,response_due,resolution_due,first_response_at,escalation_level,response_breached_at,resolution_breached_at,resolution,remedy_kind,remedy_amount_cents,root_cause_category,root_cause,corrective_action,resolved_at,closed_at,satisfaction,accepted,return_visit_id');
CREATE TRIGGER audit_complaints_update AFTER UPDATE ON complaints FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'complaint', '', 'id', 'customer_id',
    'serial,channel,received_at,category_id,severity,summary,details,claim_kind,claim_amount_cents,claim_text,state,duplicate_of,handler,response_due,resolution_due,first_response_at,escalation_level,response_breached_at,resolution_breached_at,resolution,remedy_kind,remedy_amount_cents,root_cause_category,root_cause,corrective_action,resolved_at,closed_at,satisfaction,accepted,return_visit_id',
    '');

CREATE TRIGGER audit_manual_reminders_insert AFTER INSERT ON manual_reminders FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'reminder', 'manual/', 'id', 'customer_id', '', 'text,due_at,repeat_unit,repeat_every,staff,active,customer_id');
CREATE TRIGGER audit_manual_reminders_update AFTER UPDATE ON manual_reminders FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'reminder', 'manual/', 'id', 'customer_id', 'text,due_at,repeat_unit,repeat_every,staff,active,customer_id', '');

CREATE TRIGGER audit_reminders_update AFTER UPDATE ON reminders FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'reminder', '', 'id', 'customer_id', 'state,wake_at', '');

CREATE TRIGGER audit_complaint_categories_insert AFTER INSERT ON complaint_categories FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'complaint_category/', 'id', '', '', 'code,name,position,archived');
CREATE TRIGGER audit_complaint_categories_update AFTER UPDATE ON complaint_categories FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'complaint_category/', 'id', '', 'code,name,position,archived', '');

CREATE TRIGGER audit_followup_plans_insert AFTER INSERT ON followup_plans FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'followup_plan/', 'id', '', '', 'name,steps*');
CREATE TRIGGER audit_followup_plans_update AFTER UPDATE ON followup_plans FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'followup_plan/', 'id', '', 'name,steps', '');
CREATE TRIGGER audit_followup_plans_delete AFTER DELETE ON followup_plans FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'followup_plan/', 'id', '', '', 'name,steps*');

CREATE TRIGGER audit_outline_templates_insert AFTER INSERT ON outline_templates FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'outline_template/', 'id', '', '', 'name,body');
CREATE TRIGGER audit_outline_templates_update AFTER UPDATE ON outline_templates FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'outline_template/', 'id', '', 'name,body', '');
CREATE TRIGGER audit_outline_templates_delete AFTER DELETE ON outline_templates FOR EACH ROW
    EXECUTE FUNCTION fd_audit_row('setting', 'outline_template/', 'id', '', '', 'name,body');

-- A loss and a booking are recorded as changes to their customer.
CREATE TRIGGER audit_churn_insert AFTER INSERT ON churn FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'customer_id', 'customer_id', '', 'lost_on,type,reason_id,note,staff', 'lost');
CREATE TRIGGER audit_churn_update AFTER UPDATE ON churn FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'customer_id', 'customer_id', 'won_back_on,lost_note:note,won_back_note', '');
CREATE TRIGGER audit_bookings_insert AFTER INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'customer_id', 'customer_id', '',
    'id,walk_in,start_date,start_time,end_date,party,what,resource,staff,notes,state', 'booking');
CREATE TRIGGER audit_bookings_update AFTER UPDATE ON bookings FOR EACH ROW EXECUTE FUNCTION fd_audit_row(
    'customer', '', 'customer_id', 'customer_id',
    'booking_date:start_date,booking_time:start_time,booking_end_date:end_date,booking_party:party,booking_what:what,booking_resource:resource,booking_staff:staff,booking_notes:notes,booking_state:state,booking_cancel_reason:cancel_reason',
    '');

-- A special date is the customer's field 'birthday' or 'anniversary', its value one object.
CREATE FUNCTION fd_special_date(d special_dates) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_build_object('calendar', d.calendar, 'year', d.year, 'month', d.month, 'day', d.day,
                              'leap_month', d.leap_month = 1)
$$;
CREATE FUNCTION fd_audit_special_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT fd_recording() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM fd_audit_add('customer', NEW.customer_id::text, NEW.customer_id, 'update', NEW.kind,
                             NULL, fd_special_date(NEW));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM fd_audit_add('customer', OLD.customer_id::text, OLD.customer_id, 'update', OLD.kind,
                             fd_special_date(OLD), NULL);
    ELSIF fd_special_date(OLD) IS DISTINCT FROM fd_special_date(NEW) THEN
        PERFORM fd_audit_add('customer', NEW.customer_id::text, NEW.customer_id, 'update', NEW.kind,
                             fd_special_date(OLD), fd_special_date(NEW));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_special_dates AFTER INSERT OR UPDATE OR DELETE ON special_dates
    FOR EACH ROW EXECUTE FUNCTION fd_audit_special_date();

-- Settings: one field, the stored text; the app's own bookkeeping keys are not recorded.
CREATE FUNCTION fd_audit_setting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    k text := CASE WHEN TG_OP = 'DELETE' THEN OLD.key ELSE NEW.key END;
BEGIN
    IF NOT fd_recording() OR k IN ('search_normalisation', 'desk.staff', 'reminders.planned_at',
                                   'reminders.days_planned_through', 'backup.last_auto_failure', 'review_zone') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM fd_audit_add('setting', k, NULL, 'update', 'value', NULL, to_jsonb(NEW.value));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM fd_audit_add('setting', k, NULL, 'update', 'value', to_jsonb(OLD.value), NULL);
    ELSIF OLD.value IS DISTINCT FROM NEW.value THEN
        PERFORM fd_audit_add('setting', k, NULL, 'update', 'value', to_jsonb(OLD.value), to_jsonb(NEW.value));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_settings AFTER INSERT OR UPDATE OR DELETE ON settings
    FOR EACH ROW EXECUTE FUNCTION fd_audit_setting();

-- Append-only: the complaint handling log and the audit trail are never edited; the trail's
-- only change is erasing the values of an anonymised customer's entries.
CREATE FUNCTION fd_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER complaint_log_no_change BEFORE UPDATE OR DELETE ON complaint_log
    FOR EACH ROW EXECUTE FUNCTION fd_refuse('the complaint handling log cannot be edited');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION fd_refuse('the audit trail cannot be edited');
CREATE TRIGGER audit_log_only_erase BEFORE UPDATE ON audit_log FOR EACH ROW
    WHEN (NOT (NEW.erased = 1 AND NEW.old_value IS NULL AND NEW.new_value IS NULL
               AND NEW.id = OLD.id AND NEW.change_id = OLD.change_id AND NEW.at = OLD.at
               AND NEW.staff = OLD.staff AND NEW.actor = OLD.actor AND NEW.reason = OLD.reason
               AND NEW.kind = OLD.kind AND NEW.record_id = OLD.record_id
               AND NEW.customer_id IS NOT DISTINCT FROM OLD.customer_id AND NEW.action = OLD.action
               AND NEW.field IS NOT DISTINCT FROM OLD.field))
    EXECUTE FUNCTION fd_refuse('the audit trail cannot be edited');

-- The arrival figures' counts: bookings by local day, booked hour (-1: all day), state and
-- cancellation reason.
CREATE FUNCTION fd_arrival_count(day text, start_time text, state text, reason text, d bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO arrival_counts AS a (day, hour, state, reason, n)
    VALUES (day, coalesce(CAST(substr(start_time, 1, 2) AS bigint), -1), state, reason, d)
    ON CONFLICT (day, hour, state, reason) DO UPDATE SET n = a.n + excluded.n
$$;
CREATE FUNCTION fd_arrival_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF fd_copying() THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM fd_arrival_count(OLD.start_date, OLD.start_time, OLD.state, OLD.cancel_reason, -1);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM fd_arrival_count(NEW.start_date, NEW.start_time, NEW.state, NEW.cancel_reason, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER arrival_counts_insert_delete AFTER INSERT OR DELETE ON bookings
    FOR EACH ROW EXECUTE FUNCTION fd_arrival_counts();
CREATE TRIGGER arrival_counts_update AFTER UPDATE OF start_date, start_time, state, cancel_reason ON bookings
    FOR EACH ROW EXECUTE FUNCTION fd_arrival_counts();

-- The review's counts of return visits by day (due day, and local day of the score), staff
-- and tier: a visit's key is taken out before it changes and put in after.
CREATE VIEW review_visit_day_keys AS
SELECT v.id, v.customer_id, v.due_date, v.staff, coalesce(c.tier, '') AS tier,
       CAST(v.state = 'done' AS int) AS done, coalesce(v.reached, 0) AS reached,
       coalesce(CAST(v.state = 'done' AND fd_local_day(v.completed_at) <= v.due_date AS int), 0) AS on_time
FROM visits v LEFT JOIN customers c ON c.id = v.customer_id
WHERE v.state IN ('planned', 'done');
CREATE VIEW review_visit_score_keys AS
SELECT v.id, v.customer_id, fd_local_day(v.completed_at) AS day, v.staff,
       coalesce(c.tier, '') AS tier, v.satisfaction AS score
FROM visits v LEFT JOIN customers c ON c.id = v.customer_id
WHERE v.satisfaction IS NOT NULL AND v.completed_at IS NOT NULL;

-- Add `d` times the keys of one visit to the counts.
CREATE FUNCTION fd_review_count_visit(p_visit bigint, d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO review_visit_days AS r (due_date, staff, tier, done, reached, on_time, n)
    SELECT due_date, staff, tier, done, reached, on_time, d FROM review_visit_day_keys WHERE id = p_visit
    ON CONFLICT (due_date, staff, tier, done, reached, on_time) DO UPDATE SET n = r.n + excluded.n;
    INSERT INTO review_visit_scores AS r (day, staff, tier, score, n)
    SELECT day, staff, tier, score, d FROM review_visit_score_keys WHERE id = p_visit AND day IS NOT NULL
    ON CONFLICT (day, staff, tier, score) DO UPDATE SET n = r.n + excluded.n;
$$;
-- Add `d` times the keys of all of one customer's visits to the counts.
CREATE FUNCTION fd_review_count_customer(p_customer bigint, d bigint) RETURNS void LANGUAGE sql AS $$
    INSERT INTO review_visit_days AS r (due_date, staff, tier, done, reached, on_time, n)
    SELECT due_date, staff, tier, done, reached, on_time, d * count(*) FROM review_visit_day_keys
    WHERE customer_id = p_customer GROUP BY due_date, staff, tier, done, reached, on_time
    ON CONFLICT (due_date, staff, tier, done, reached, on_time) DO UPDATE SET n = r.n + excluded.n;
    INSERT INTO review_visit_scores AS r (day, staff, tier, score, n)
    SELECT day, staff, tier, score, d * count(*) FROM review_visit_score_keys
    WHERE customer_id = p_customer AND day IS NOT NULL GROUP BY day, staff, tier, score
    ON CONFLICT (day, staff, tier, score) DO UPDATE SET n = r.n + excluded.n;
$$;
CREATE FUNCTION fd_review_visit_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT fd_copying() THEN
        PERFORM fd_review_count_visit(OLD.id, -1);
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END
$$;
CREATE FUNCTION fd_review_visit_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT fd_copying() THEN
        PERFORM fd_review_count_visit(NEW.id, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER review_visit_insert AFTER INSERT ON visits FOR EACH ROW EXECUTE FUNCTION fd_review_visit_in();
CREATE TRIGGER review_visit_update_out BEFORE UPDATE OF customer_id, due_date, staff, state, reached, completed_at,
    satisfaction ON visits FOR EACH ROW EXECUTE FUNCTION fd_review_visit_out();
CREATE TRIGGER review_visit_update_in AFTER UPDATE OF customer_id, due_date, staff, state, reached, completed_at,
    satisfaction ON visits FOR EACH ROW EXECUTE FUNCTION fd_review_visit_in();
CREATE TRIGGER review_visit_delete BEFORE DELETE ON visits FOR EACH ROW EXECUTE FUNCTION fd_review_visit_out();

-- A customer's new tier moves their visits from one tier's counts to the other's.
CREATE FUNCTION fd_review_tier_out() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT fd_copying() THEN
        PERFORM fd_review_count_customer(OLD.id, -1);
    END IF;
    RETURN NEW;
END
$$;
CREATE FUNCTION fd_review_tier_in() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT fd_copying() THEN
        PERFORM fd_review_count_customer(NEW.id, 1);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER review_customer_tier_out BEFORE UPDATE OF tier ON customers FOR EACH ROW
    WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION fd_review_tier_out();
CREATE TRIGGER review_customer_tier_in AFTER UPDATE OF tier ON customers FOR EACH ROW
    WHEN (OLD.tier IS DISTINCT FROM NEW.tier) EXECUTE FUNCTION fd_review_tier_in();
