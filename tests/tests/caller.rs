//! The caller pop-up's lookup through the real database: a number written any way finds the
//! customers who have it, and only them; a number that is not a phone is a field error.

use frontdesk::app::{parse_link, OpenRequest};
use frontdesk_tests::{customer, TempApp};

#[test]
fn a_caller_is_found_by_the_number_however_it_was_written() {
    let t = TempApp::new();
    let a = t
        .app
        .create_customer(&customer("王建国", &["+86 139-1234-5678"]))
        .unwrap();
    let b = t
        .app
        .create_customer(&customer("王太太", &["010-6552 9988", "13912345678"]))
        .unwrap();
    // Holds the number's digits, but is another number.
    t.app.create_customer(&customer("李四", &["139123456789"])).unwrap();
    let archived = t.app.create_customer(&customer("旧客户", &["13912345678"])).unwrap();
    t.app.archive_customer(archived.id).unwrap();

    let OpenRequest::Call { number } = parse_link("frontdesk://call?number=13912345678").unwrap() else {
        panic!("not a call");
    };
    let caller = t.app.caller(&number).unwrap();
    let mut ids: Vec<i64> = caller.customers.iter().map(|c| c.id).collect();
    ids.sort();
    assert_eq!(ids, vec![a.id, b.id], "{:?}", caller.customers);

    let one = t.app.caller("010 65529988").unwrap();
    assert_eq!(one.customers.iter().map(|c| c.id).collect::<Vec<_>>(), vec![b.id]);

    let nobody = t.app.caller("021-5555 0100").unwrap();
    assert!(nobody.customers.is_empty());
    assert_eq!(nobody.number, "021-5555 0100");

    let e = t.app.caller("call me").unwrap_err();
    assert_eq!(e.fields()[0].field, "number");
    assert_eq!(e.fields()[0].code, "invalid_phone");
}
