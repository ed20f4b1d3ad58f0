//! `frontdesk-hours`: whether the desk is open now under the default business hours, in
//! the local time zone (`TZ`), as `open|closed <minutes until that changes> <local time>`.
//! `cargo xtask test` asks it, zone by zone, to run the end-to-end tests once inside and
//! once outside business hours.

use chrono::Local;
use frontdesk::complaints::business::Schedule;

fn main() {
    let now = Local::now().naive_local();
    let schedule = Schedule::default();
    let open_until = schedule
        .hours_on(now.date())
        .filter(|(o, c)| *o <= now.time() && now.time() < *c)
        .map(|(_, c)| now.date().and_time(c));
    let (state, change) = match open_until {
        Some(close) => ("open", close),
        None => ("closed", schedule.next_open(now)),
    };
    println!(
        "{state} {} {}",
        (change - now).num_minutes(),
        now.format("%a %Y-%m-%d %H:%M")
    );
}
