//! The manager's figures and the records behind them, to one `.xlsx` (a sheet of figures
//! with the previous period, the breakdowns, the staff table, and the complaints, scores,
//! return visits and losses of the period).

use std::path::Path;

use serde_json::json;

use super::exports::{write_plain_xlsx, PlainSheet, Value};
use super::App;
use crate::error::{Error, FieldError, Result};
use crate::reminders::texts::t;
use crate::review::model::{Bar, Share, DRILL_LIMIT};
use crate::review::{Drill, DrillKind, DrillRow, ReviewQuery};

/// The most records a sheet of records holds.
const MAX_RECORDS: usize = 100_000;

fn num(v: impl Into<f64>) -> Value {
    Value::Number(Some(v.into()))
}

fn opt(v: Option<f64>) -> Value {
    Value::Number(v)
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn percent(s: &Share) -> Value {
    Value::Number(s.percent)
}

impl App {
    /// Write the dashboard of `query` and its records to `path` (`.xlsx`), labelled in `lang`.
    pub fn export_review(&self, query: &ReviewQuery, path: &str, lang: &str) -> Result<String> {
        let path = Path::new(path);
        if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
            return Err(Error::Invalid(vec![FieldError::new("path", "not_xlsx")]));
        }
        let d = self.dashboard(query)?;
        let tr = |key: &str| t(lang, key, &json!({}));
        let label = |b: &Bar| {
            let s = t(lang, &b.label, &json!({}));
            if s == b.label && b.label.is_empty() {
                tr("dash.nobody")
            } else {
                s
            }
        };
        let period = format!("{} – {}", d.period.from, d.period.to);
        let previous = format!("{} – {}", d.previous.from, d.previous.to);
        let c = &d.complaints;
        let s = &d.satisfaction;
        let v = &d.visits;
        let ch = &d.churn;
        let hours = |m: Option<f64>| opt(m.map(|m| (m / 60.0 * 10.0).round() / 10.0));
        let row = |key: &str, now: Value, before: Value| vec![text(tr(key)), now, before];
        let none = || Value::Number(None);
        let summary = PlainSheet {
            name: tr("dash.report_title"),
            headers: vec![tr("dash.col.item"), period.clone(), previous.clone()],
            rows: vec![
                row("dash.complaints", num(c.count as f64), num(c.previous_count as f64)),
                row("dash.rate", opt(c.rate), opt(c.previous_rate)),
                row("dash.response_met", percent(&c.response_met), none()),
                row(
                    "dash.resolution_met",
                    percent(&c.resolution_met),
                    percent(&c.previous_resolution_met),
                ),
                row("dash.response_time", hours(c.response_time.median), none()),
                row("dash.resolution_time", hours(c.resolution_time.median), none()),
                row("dash.escalated_open", num(c.escalated_open as f64), none()),
                row("dash.breached_open", num(c.breached_open as f64), none()),
                row("dash.repeat_customers", num(c.repeat_customers as f64), none()),
                row("dash.remedies", num(c.remedies as f64), none()),
                row("dash.satisfaction", opt(s.average), opt(s.previous_average)),
                row("dash.visits_done", num(v.done as f64), none()),
                row("dash.col.planned", num(v.planned as f64), none()),
                row("dash.reached", percent(&v.reached), none()),
                row("dash.overdue_now", num(v.overdue_now as f64), none()),
                row("dash.lost", num(ch.lost as f64), num(ch.previous_lost as f64)),
                row("dash.churn_rate", opt(ch.rate), none()),
                row("dash.col.won_back", num(ch.won_back as f64), none()),
            ],
        };
        let mut breakdown = Vec::new();
        let mut add = |key: &str, bars: &[Bar]| {
            for b in bars {
                breakdown.push(vec![text(tr(key)), text(label(b)), num(b.count as f64)]);
            }
        };
        add("dash.by_category", &c.by_category);
        add("dash.by_month", &c.by_month);
        add("dash.by_severity", &c.by_severity);
        add("dash.by_channel", &c.by_channel);
        add("dash.open_by_age", &c.open_by_age);
        add("dash.churn_by_type", &ch.by_type);
        add("dash.churn_by_reason", &ch.by_reason);
        add("dash.past_interval", &v.past_interval);
        for (i, n) in s.distribution.iter().enumerate() {
            breakdown.push(vec![
                text(tr("dash.distribution")),
                text(tr(&format!("satisfaction.{}", i + 1))),
                num(*n as f64),
            ]);
        }
        let staff = PlainSheet {
            name: tr("dash.staff_table"),
            headers: [
                "staff",
                "resolved",
                "resolution_time",
                "resolution_met",
                "visits_done",
                "satisfaction",
            ]
            .iter()
            .map(|k| tr(&format!("dash.col.{k}")))
            .collect(),
            rows: d
                .staff
                .iter()
                .map(|r| {
                    vec![
                        text(if r.staff.is_empty() {
                            tr("dash.nobody")
                        } else {
                            r.staff.clone()
                        }),
                        num(r.complaints_resolved as f64),
                        hours(r.resolution_time.median),
                        percent(&r.resolution_met),
                        num(r.visits_done as f64),
                        opt(r.satisfaction.average),
                    ]
                })
                .collect(),
        };
        let records = |kind: DrillKind, title: &str| -> Result<PlainSheet> {
            let page = self.review_records(&Drill {
                query: query.clone(),
                kind,
                by: String::new(),
                key: String::new(),
            })?;
            Ok(PlainSheet {
                name: tr(title),
                headers: ["at", "customer", "item", "detail", "staff"]
                    .iter()
                    .map(|k| tr(&format!("dash.col.{k}")))
                    .collect(),
                rows: page.into_iter().map(record_row).collect(),
            })
        };
        let sheets = vec![
            summary,
            PlainSheet {
                name: tr("dash.breakdowns"),
                headers: vec![tr("dash.col.figure"), tr("dash.col.item"), tr("dash.col.count")],
                rows: breakdown,
            },
            staff,
            records(DrillKind::Complaints, "dash.drill.complaints")?,
            records(DrillKind::Scores, "dash.drill.scores")?,
            records(DrillKind::Visits, "dash.drill.visits")?,
            records(DrillKind::Lost, "dash.drill.lost")?,
        ];
        write_plain_xlsx(path, &sheets)?;
        Ok(path.display().to_string())
    }

    /// Every record of a drill-down (not only the first `DRILL_LIMIT`), for the export.
    fn review_records(&self, d: &Drill) -> Result<Vec<DrillRow>> {
        Ok(self.review_drill_limited(d, MAX_RECORDS.max(DRILL_LIMIT))?.rows)
    }
}

fn record_row(r: DrillRow) -> Vec<Value> {
    vec![
        text(r.at),
        text(r.customer_name),
        text(r.title),
        text(r.detail),
        text(r.staff),
    ]
}
