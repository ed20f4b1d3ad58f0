//! What the window is asked to open from outside it: a caller's card (a softphone or a
//! caller-ID box opens `frontdesk://call?number=…`, a script runs `frontdesk --call …`), or
//! the item behind a notification the user clicked. Tauri-free: the desktop shell passes
//! links, arguments and reminders in, and queues what comes out for the window.

use serde::{Deserialize, Serialize};

use super::App;
use crate::customers::{CustomerSummary, ListQuery};
use crate::error::{Error, FieldError, Result};
use crate::kernel::phone;
use crate::reminders::ReminderKind;

/// The scheme FrontDesk's links use (registered by the installers).
pub const SCHEME: &str = "frontdesk";

/// One thing the window should show, brought forward.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "open", rename_all = "snake_case")]
pub enum OpenRequest {
    /// Someone is calling from this number: their card, a pick list, or a new customer.
    Call {
        number: String,
    },
    Customer {
        id: i64,
    },
    Complaint {
        id: i64,
    },
    /// The reminder center (a summary of several reminders, or one about nothing in particular).
    Reminders,
}

/// Why a link or an argument was refused. Never holds what was passed: a log line must not
/// carry a number that may be a customer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotALink,
    UnknownAction,
    NoNumber,
    InvalidNumber,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Refused::NotALink => "not a frontdesk:// link",
            Refused::UnknownAction => "the link asks for nothing FrontDesk opens (only call?number=…)",
            Refused::NoNumber => "the call has no number",
            Refused::InvalidNumber => "the number is not a phone number",
        })
    }
}

/// A caller's number, checked like any phone typed at the desk.
pub fn call(number: &str) -> std::result::Result<OpenRequest, Refused> {
    let number = number.trim();
    if number.is_empty() {
        return Err(Refused::NoNumber);
    }
    if !phone::is_valid_phone(number) {
        return Err(Refused::InvalidNumber);
    }
    Ok(OpenRequest::Call {
        number: number.to_string(),
    })
}

/// A `frontdesk://call?number=13912345678` link (`frontdesk:call?number=…` too).
pub fn parse_link(link: &str) -> std::result::Result<OpenRequest, Refused> {
    let url = url::Url::parse(link.trim()).map_err(|_| Refused::NotALink)?;
    if !url.scheme().eq_ignore_ascii_case(SCHEME) {
        return Err(Refused::NotALink);
    }
    let action = url.host_str().unwrap_or_else(|| url.path()).trim_matches('/');
    if !action.eq_ignore_ascii_case("call") {
        return Err(Refused::UnknownAction);
    }
    let number = url
        .query_pairs()
        .find(|(k, _)| k == "number")
        .map(|(_, v)| v.into_owned())
        .ok_or(Refused::NoNumber)?;
    call(&number)
}

/// The `--call NUMBER` (or `--call=NUMBER`) of a command line; links in it are the deep-link
/// plugin's. `None` when the command line asks for no call.
pub fn parse_args<S: AsRef<str>>(args: &[S]) -> Option<std::result::Result<OpenRequest, Refused>> {
    let mut it = args.iter().map(AsRef::as_ref);
    while let Some(a) = it.next() {
        if a == "--call" {
            return Some(it.next().map_or(Err(Refused::NoNumber), call));
        }
        if let Some(n) = a.strip_prefix("--call=") {
            return Some(call(n));
        }
    }
    None
}

/// What a clicked reminder opens: the complaint for a complaint's deadline, the customer for
/// anything about a customer (a birthday, a return visit, a guest's preparation), else the
/// reminder center.
pub fn for_reminder(kind: ReminderKind, customer_id: Option<i64>, source_id: Option<i64>) -> OpenRequest {
    match (kind, customer_id, source_id) {
        (ReminderKind::ComplaintWarning | ReminderKind::ComplaintEscalation, _, Some(id)) => {
            OpenRequest::Complaint { id }
        }
        (_, Some(id), _) => OpenRequest::Customer { id },
        _ => OpenRequest::Reminders,
    }
}

/// Who is calling: the active customers with this number (written any way), most recently
/// changed first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Caller {
    pub number: String,
    pub customers: Vec<CustomerSummary>,
}

/// At most this many customers share a number in the pick list.
const CALLER_LIMIT: usize = 20;

impl App {
    pub fn caller(&self, number: &str) -> Result<Caller> {
        let number = match call(number) {
            Ok(OpenRequest::Call { number }) => number,
            _ => return Err(Error::Invalid(vec![FieldError::new("number", "invalid_phone")])),
        };
        let key = phone::key(&number);
        // The index finds every customer whose phone digits hold the number; the phones
        // themselves then decide (`+86 139…` and `139…` are one number, `1391…5678x` is not).
        let query = ListQuery {
            q: key.clone(),
            limit: Some(200),
            ..ListQuery::default()
        };
        let page = self.list_customers(&query)?;
        let held = self.held()?;
        let conn = held.db();
        let mut customers = Vec::new();
        for c in page.items {
            let full = crate::customers::repo::get_customer(conn, c.id)?;
            if full.phones.iter().any(|p| phone::key(p) == key) {
                customers.push(c);
            }
            if customers.len() == CALLER_LIMIT {
                break;
            }
        }
        Ok(Caller { number, customers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(r: std::result::Result<OpenRequest, Refused>) -> String {
        match r {
            Ok(OpenRequest::Call { number }) => number,
            other => panic!("not a call: {other:?}"),
        }
    }

    #[test]
    fn call_links_as_softphones_write_them() {
        assert_eq!(number(parse_link("frontdesk://call?number=13912345678")), "13912345678");
        assert_eq!(
            number(parse_link("FRONTDESK://CALL?number=%2B86%20139-1234-5678")),
            "+86 139-1234-5678"
        );
        assert_eq!(number(parse_link("frontdesk:call?number=010-65529988")), "010-65529988");
        assert_eq!(
            number(parse_link("frontdesk://call/?from=pbx&number=13912345678")),
            "13912345678"
        );
    }

    #[test]
    fn anything_else_is_refused_and_the_refusal_never_repeats_the_number() {
        for (link, why) in [
            ("frontdesk://call?number=12ab", Refused::InvalidNumber),
            ("frontdesk://call?number=<script>", Refused::InvalidNumber),
            ("frontdesk://call?number=1234", Refused::InvalidNumber),
            ("frontdesk://call?number=", Refused::NoNumber),
            ("frontdesk://call", Refused::NoNumber),
            ("frontdesk://delete?id=1", Refused::UnknownAction),
            ("https://example.com/call?number=13912345678", Refused::NotALink),
            ("not a link", Refused::NotALink),
        ] {
            assert_eq!(parse_link(link), Err(why), "{link}");
            assert!(!why.to_string().contains("12ab"));
        }
    }

    #[test]
    fn the_command_line_asks_for_a_call_with_call() {
        assert_eq!(
            number(parse_args(&["frontdesk", "--call", "13912345678"]).unwrap()),
            "13912345678"
        );
        assert_eq!(
            number(parse_args(&["frontdesk", "--call=139 1234 5678"]).unwrap()),
            "139 1234 5678"
        );
        assert_eq!(parse_args(&["frontdesk", "--call"]), Some(Err(Refused::NoNumber)));
        assert_eq!(
            parse_args(&["frontdesk", "--call", "x"]),
            Some(Err(Refused::InvalidNumber))
        );
        assert_eq!(parse_args(&["frontdesk"]), None);
        assert_eq!(parse_args(&["frontdesk", "frontdesk://call?number=13912345678"]), None);
    }

    #[test]
    fn a_clicked_reminder_opens_its_item() {
        use ReminderKind as K;
        assert_eq!(
            for_reminder(K::ComplaintWarning, Some(3), Some(9)),
            OpenRequest::Complaint { id: 9 }
        );
        assert_eq!(
            for_reminder(K::ComplaintEscalation, None, Some(9)),
            OpenRequest::Complaint { id: 9 }
        );
        assert_eq!(
            for_reminder(K::Birthday, Some(3), None),
            OpenRequest::Customer { id: 3 }
        );
        assert_eq!(
            for_reminder(K::Visit, Some(3), Some(4)),
            OpenRequest::Customer { id: 3 }
        );
        assert_eq!(for_reminder(K::Manual, None, Some(4)), OpenRequest::Reminders);
    }
}
