-- The manager's review reads whole periods: indexes that hold what its figures read, so
-- that a year is an index scan rather than a walk over the wide rows.

-- Scores of reached return visits, by when they were given.
CREATE INDEX visits_scored ON visits (completed_at, customer_id, staff, satisfaction)
    WHERE satisfaction IS NOT NULL;
-- Return visits due in a period, with what the figures count of them.
CREATE INDEX visits_review ON visits (due_date, state, staff, reached, completed_at, customer_id);
-- Active customers at a day's end, by tier.
CREATE INDEX customers_active ON customers (created_at, archived_at, tier);
-- Low scores (1 and 2): the dashboard's "lowest recent scores" and "VIPs whose last score
-- was low", and each customer's scores newest first (is a low one their last?).
CREATE INDEX visits_low ON visits (completed_at, customer_id, staff, satisfaction) WHERE satisfaction <= 2;
CREATE INDEX visits_scored_customer ON visits (customer_id, completed_at) WHERE satisfaction IS NOT NULL;
CREATE INDEX complaints_low ON complaints (closed_at, customer_id, handler, satisfaction) WHERE satisfaction <= 2;
CREATE INDEX complaints_scored_customer ON complaints (customer_id, closed_at) WHERE satisfaction IS NOT NULL;
-- The complaints of one category in a period (a chart's bar opened).
CREATE INDEX complaints_category ON complaints (category_id, received_at, state, customer_id);
