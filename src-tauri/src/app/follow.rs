//! Following the other desks on the shared database: every write there tells the others what
//! it changed (`NOTIFY` on [`CHANNEL`], delivered when it commits), and each desk applies what
//! another changed as it applies its own writes: its customer index, the day-based
//! reminders, and whoever listens (the desktop's scheduler and window).

use std::sync::{Arc, Weak};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{App, Changes, Store};
use crate::error::Result;
use crate::store::db::{Db, Server};
use crate::store::server::{self, ServerSettings};

/// The channel every desk of one database listens on.
pub(crate) const CHANNEL: &str = "frontdesk_changes";

/// The most customers one message names; with more, the others read their whole index again.
const MAX_NAMED: usize = 500;

/// How long the follower waits for a message before it looks whether its app is still open.
const POLL: Duration = Duration::from_millis(250);

/// How long the follower waits before it connects again after losing the server.
const RETRY: Duration = Duration::from_secs(2);

/// What one write changed, as the other desks hear it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Heard {
    /// Customers whose record, visits or contacts changed.
    #[serde(default)]
    customers: Vec<i64>,
    /// Many customers changed: read the whole index again.
    #[serde(default)]
    all: bool,
}

/// Tell the other desks what this write changed (inside it: they hear it when it commits).
pub(super) fn tell_others(db: Db<'_>, changes: &Changes) -> Result<()> {
    let mut customers: Vec<i64> = changes.customers.clone();
    customers.extend(changes.new_customers.iter().map(|e| e.id));
    let all = changes.all_customers || customers.len() > MAX_NAMED;
    let heard = Heard {
        customers: if all { Vec::new() } else { customers },
        all,
    };
    let payload = serde_json::to_string(&heard).map_err(crate::error::Error::internal)?;
    db.execute("SELECT pg_notify(?1, ?2)", &[&CHANNEL, &payload])?;
    Ok(())
}

impl App {
    /// Apply what another desk changed, as this desk applies its own writes; then tell
    /// [`App::on_heard`]'s listener.
    fn apply_heard(&self, heard: Heard) -> Result<()> {
        let mut changes = Changes {
            quiet: true,
            ..Changes::default()
        };
        if heard.all {
            changes.all_customers();
        }
        for id in heard.customers {
            changes.customer(id);
        }
        self.apply(changes)?;
        if let Some(listen) = self.on_heard.get() {
            listen();
        }
        Ok(())
    }

    /// Call `listen` after applying what another desk wrote (the desktop refreshes the
    /// window and wakes its scheduler).
    pub fn on_heard(&self, listen: Box<dyn Fn() + Send + Sync>) {
        let _ = self.on_heard.set(listen);
    }

    /// On the shared database, follow what the other desks write, on a connection of its own
    /// (a thread, until the app is dropped); after losing the server it connects again and
    /// reads everything again (it may have missed messages). Nothing on the desk's own file.
    pub fn follow_other_desks(app: &Arc<App>) -> Result<()> {
        let Store::Server(shared) = &app.store else {
            return Ok(());
        };
        let settings = shared.settings.clone();
        let me = shared.main_pid;
        // Listening before this returns: what another desk writes from now on is heard; what
        // it wrote since the index was read (the write counter moved) is read again.
        let listening = listen(&settings).map_err(server::pg)?;
        let now = crate::import::repo::current_change(&listening)?;
        let missed = now != shared.opened_at_change;
        let weak = Arc::downgrade(app);
        std::thread::Builder::new()
            .name("follow-desks".into())
            .spawn(move || follow(&weak, &settings, me, Some(listening), missed))
            .map_err(crate::error::Error::internal)?;
        Ok(())
    }
}

/// A connection listening on [`CHANNEL`].
fn listen(settings: &ServerSettings) -> std::result::Result<Server, postgres::Error> {
    let mut c = server::connect(settings)?;
    c.batch_execute(&format!("LISTEN {CHANNEL}"))?;
    Ok(Server::new(c))
}

/// The follower's loop: listen, apply what others wrote, and connect again when the server
/// was lost, until the app is gone.
fn follow(app: &Weak<App>, settings: &ServerSettings, me: i32, mut first: Option<Server>, missed: bool) {
    let mut missed = missed;
    loop {
        let next = match first.take() {
            Some(c) => Ok(c),
            None => listen(settings),
        };
        let listening = match next {
            Ok(c) => c,
            Err(e) => {
                log::warn!("the other desks' changes cannot be followed now: {e}");
                missed = true;
                std::thread::sleep(RETRY);
                if app.strong_count() == 0 {
                    return;
                }
                continue;
            }
        };
        if std::mem::take(&mut missed) {
            let Some(a) = app.upgrade() else {
                return;
            };
            // The app's own connection may need a try to find the server again.
            let again = || {
                a.apply_heard(Heard {
                    all: true,
                    ..Heard::default()
                })
            };
            if let Err(e) = again().or_else(|_| again()) {
                log::warn!("the other desks' changes were not read again: {e}");
                missed = true;
                std::thread::sleep(RETRY);
                continue;
            }
        }
        loop {
            let message = match listening.client() {
                Ok(mut client) => {
                    let mut notes = client.notifications();
                    let mut waiting = notes.timeout_iter(POLL);
                    postgres::fallible_iterator::FallibleIterator::next(&mut waiting).map_err(server::pg)
                }
                Err(e) => Err(e),
            };
            let Some(a) = app.upgrade() else {
                return;
            };
            match message {
                Ok(Some(n)) if n.process_id() != me => match serde_json::from_str::<Heard>(n.payload()) {
                    Ok(heard) => {
                        if let Err(e) = a.apply_heard(heard) {
                            log::warn!("another desk's change was not applied: {e}");
                        }
                    }
                    Err(e) => log::warn!("a message from another desk does not read: {e}"),
                },
                Ok(_) => {}
                Err(e) => {
                    log::warn!("lost the other desks' changes: {e}");
                    missed = true;
                    break;
                }
            }
        }
    }
}
