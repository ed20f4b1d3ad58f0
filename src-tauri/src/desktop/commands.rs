//! The IPC adapter: each Tauri command forwards to an `App` method on a blocking thread.

use std::sync::Arc;

use tauri::State;

use crate::app::{App, Status};
use crate::complaints::{
    Category, CloseInput, Complaint, ComplaintDetail, ComplaintInput, ComplaintPage, ComplaintQuery, ComplaintSettings,
    ResolveInput, Severity, TransitionInput,
};
use crate::customers::{Customer, CustomerDetail, CustomerInput, ListQuery, Page, TagCount};
use crate::error::{Error, Result};
use crate::reminders::{CenterPage, CenterQuery, ManualInput, Reminder, ReminderCounts, ReminderSettings, Snooze};
use crate::visits::commands::{DueContacts, OutcomeResult, VisitCounts};
use crate::visits::{
    Agenda, CalendarDay, FollowupPlan, OutcomeCorrection, OutcomeInput, OutlineTemplate, Retry, TierCadences, Visit,
    VisitInput, VisitLogEntry,
};

use super::Shared;

type S<'a> = State<'a, Arc<Shared>>;

/// Run `f` against the app off the async runtime (database work blocks).
async fn call<T: Send + 'static>(state: &Shared, f: impl FnOnce(&App) -> Result<T> + Send + 'static) -> Result<T> {
    let app = state.app().await?;
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(Error::internal)?
}

/// [`call`] for a change: the reminder scheduler looks again afterwards.
async fn change<T: Send + 'static>(state: &Shared, f: impl FnOnce(&App) -> Result<T> + Send + 'static) -> Result<T> {
    let out = call(state, f).await;
    state.wake.notify_one();
    out
}

#[tauri::command]
async fn app_status(state: S<'_>) -> Result<Status> {
    call(&state, |a| a.status()).await
}

#[tauri::command]
async fn set_language(state: S<'_>, language: String) -> Result<()> {
    change(&state, move |a| a.set_language(&language)).await
}

#[tauri::command]
async fn customer_list(state: S<'_>, query: ListQuery) -> Result<Page> {
    call(&state, move |a| a.list_customers(&query)).await
}

#[tauri::command]
async fn customer_tags(state: S<'_>) -> Result<Vec<TagCount>> {
    call(&state, |a| a.customer_tags()).await
}

#[tauri::command]
async fn customer_get(state: S<'_>, id: i64) -> Result<CustomerDetail> {
    call(&state, move |a| {
        a.customer_detail(id, chrono::Local::now().date_naive())
    })
    .await
}

#[tauri::command]
async fn customer_create(state: S<'_>, input: CustomerInput) -> Result<Customer> {
    change(&state, move |a| a.create_customer(&input)).await
}

#[tauri::command]
async fn customer_update(state: S<'_>, id: i64, input: CustomerInput) -> Result<Customer> {
    change(&state, move |a| a.update_customer(id, &input)).await
}

#[tauri::command]
async fn customer_archive(state: S<'_>, id: i64) -> Result<Customer> {
    change(&state, move |a| a.archive_customer(id)).await
}

#[tauri::command]
async fn customer_restore(state: S<'_>, id: i64) -> Result<Customer> {
    change(&state, move |a| a.restore_customer(id)).await
}

#[tauri::command]
async fn demo_seed(state: S<'_>) -> Result<usize> {
    change(&state, |a| a.seed_demo()).await
}

#[tauri::command]
async fn staff_list(state: S<'_>) -> Result<Vec<String>> {
    call(&state, |a| a.staff()).await
}

#[tauri::command]
async fn staff_save(state: S<'_>, staff: Vec<String>) -> Result<Vec<String>> {
    change(&state, move |a| a.set_staff(&staff)).await
}

#[tauri::command]
async fn visit_plan(state: S<'_>, input: VisitInput) -> Result<Visit> {
    change(&state, move |a| a.plan_visit(&input)).await
}

#[tauri::command]
async fn visit_outcome(state: S<'_>, id: i64, outcome: OutcomeInput) -> Result<OutcomeResult> {
    change(&state, move |a| a.record_outcome(id, &outcome)).await
}

#[tauri::command]
async fn visit_reschedule(state: S<'_>, id: i64, retry: Retry) -> Result<Visit> {
    change(&state, move |a| a.reschedule_visit(id, &retry)).await
}

#[tauri::command]
async fn visit_cancel(state: S<'_>, id: i64) -> Result<Visit> {
    change(&state, move |a| a.cancel_visit(id)).await
}

#[tauri::command]
async fn visit_correct(state: S<'_>, id: i64, correction: OutcomeCorrection) -> Result<Visit> {
    change(&state, move |a| a.correct_outcome(id, &correction)).await
}

#[tauri::command]
async fn visit_log(state: S<'_>, id: i64) -> Result<Vec<VisitLogEntry>> {
    call(&state, move |a| a.visit_log(id)).await
}

#[tauri::command]
async fn visit_agenda(state: S<'_>) -> Result<Agenda> {
    call(&state, |a| a.agenda()).await
}

#[tauri::command]
async fn visit_counts(state: S<'_>) -> Result<VisitCounts> {
    call(&state, |a| a.visit_counts()).await
}

#[tauri::command]
async fn visit_calendar(state: S<'_>, year: i32, month: u32) -> Result<Vec<CalendarDay>> {
    call(&state, move |a| a.visit_calendar(year, month)).await
}

#[tauri::command]
async fn visits_on(state: S<'_>, date: String) -> Result<Vec<Visit>> {
    call(&state, move |a| a.visits_on(&date)).await
}

#[tauri::command]
async fn customer_visits(state: S<'_>, id: i64) -> Result<Vec<Visit>> {
    call(&state, move |a| a.customer_visits(id)).await
}

#[tauri::command]
async fn plan_apply(state: S<'_>, customer: i64, plan: i64, staff: String) -> Result<Visit> {
    change(&state, move |a| a.apply_plan(customer, plan, &staff)).await
}

#[tauri::command]
async fn plan_list(state: S<'_>) -> Result<Vec<FollowupPlan>> {
    call(&state, |a| a.plans()).await
}

#[tauri::command]
async fn plan_save(state: S<'_>, plan: FollowupPlan) -> Result<FollowupPlan> {
    change(&state, move |a| a.save_plan(&plan)).await
}

#[tauri::command]
async fn outline_list(state: S<'_>) -> Result<Vec<OutlineTemplate>> {
    call(&state, |a| a.outline_templates()).await
}

#[tauri::command]
async fn outline_save(state: S<'_>, template: OutlineTemplate) -> Result<Vec<OutlineTemplate>> {
    call(&state, move |a| a.save_outline_template(&template)).await
}

#[tauri::command]
async fn outline_delete(state: S<'_>, id: i64) -> Result<Vec<OutlineTemplate>> {
    call(&state, move |a| a.delete_outline_template(id)).await
}

#[tauri::command]
async fn cadence_get(state: S<'_>) -> Result<TierCadences> {
    call(&state, |a| a.cadences()).await
}

#[tauri::command]
async fn cadence_save(state: S<'_>, cadences: TierCadences) -> Result<TierCadences> {
    change(&state, move |a| a.set_cadences(&cadences)).await
}

#[tauri::command]
async fn due_contacts(state: S<'_>, offset: usize, limit: usize) -> Result<DueContacts> {
    call(&state, move |a| a.due_contacts(offset, limit)).await
}

#[tauri::command]
async fn complaint_register(state: S<'_>, input: ComplaintInput) -> Result<Complaint> {
    change(&state, move |a| a.register_complaint(&input)).await
}

#[tauri::command]
async fn complaint_list(state: S<'_>, query: ComplaintQuery) -> Result<ComplaintPage> {
    call(&state, move |a| a.list_complaints(&query)).await
}

#[tauri::command]
async fn complaint_get(state: S<'_>, id: i64) -> Result<ComplaintDetail> {
    call(&state, move |a| a.complaint_detail(id)).await
}

#[tauri::command]
async fn complaint_transition(state: S<'_>, id: i64, transition: TransitionInput) -> Result<Complaint> {
    change(&state, move |a| a.transition_complaint(id, &transition)).await
}

#[tauri::command]
async fn complaint_note(state: S<'_>, id: i64, note: String, staff: String) -> Result<Complaint> {
    change(&state, move |a| a.add_complaint_note(id, &note, &staff)).await
}

#[tauri::command]
async fn complaint_handler(state: S<'_>, id: i64, handler: String, staff: String) -> Result<Complaint> {
    change(&state, move |a| a.set_complaint_handler(id, &handler, &staff)).await
}

#[tauri::command]
async fn complaint_severity(state: S<'_>, id: i64, severity: Severity, staff: String) -> Result<Complaint> {
    change(&state, move |a| a.set_complaint_severity(id, severity, &staff)).await
}

#[tauri::command]
async fn complaint_resolve(state: S<'_>, id: i64, input: ResolveInput) -> Result<Complaint> {
    change(&state, move |a| a.resolve_complaint(id, &input)).await
}

#[tauri::command]
async fn complaint_close(state: S<'_>, id: i64, input: CloseInput) -> Result<Complaint> {
    change(&state, move |a| a.close_complaint(id, &input)).await
}

#[tauri::command]
async fn complaint_categories(state: S<'_>) -> Result<Vec<Category>> {
    call(&state, |a| a.complaint_categories()).await
}

#[tauri::command]
async fn complaint_category_save(state: S<'_>, category: Category, archived: bool) -> Result<Vec<Category>> {
    call(&state, move |a| a.save_complaint_category(&category, archived)).await
}

#[tauri::command]
async fn complaint_settings(state: S<'_>) -> Result<ComplaintSettings> {
    call(&state, |a| a.complaint_settings()).await
}

#[tauri::command]
async fn complaint_settings_save(state: S<'_>, settings: ComplaintSettings) -> Result<ComplaintSettings> {
    change(&state, move |a| a.set_complaint_settings(&settings)).await
}

#[tauri::command]
async fn complaint_sweep(state: S<'_>) -> Result<usize> {
    call(&state, |a| a.sweep_complaints()).await
}

#[tauri::command]
async fn reminder_center(state: S<'_>, query: CenterQuery) -> Result<CenterPage> {
    call(&state, move |a| a.reminder_center(&query)).await
}

#[tauri::command]
async fn reminder_counts(state: S<'_>) -> Result<ReminderCounts> {
    call(&state, |a| a.reminder_counts()).await
}

#[tauri::command]
async fn reminder_snooze(state: S<'_>, id: i64, snooze: Snooze) -> Result<Reminder> {
    change(&state, move |a| a.snooze_reminder(id, &snooze)).await
}

#[tauri::command]
async fn reminder_close(state: S<'_>, id: i64, done: bool) -> Result<Reminder> {
    change(&state, move |a| a.close_reminder(id, done)).await
}

#[tauri::command]
async fn reminder_create(state: S<'_>, input: ManualInput) -> Result<i64> {
    change(&state, move |a| a.create_manual_reminder(&input)).await
}

#[tauri::command]
async fn reminder_settings(state: S<'_>) -> Result<ReminderSettings> {
    call(&state, |a| a.reminder_settings()).await
}

/// Save reminder settings; "start at login" is applied through the autostart plugin.
#[tauri::command]
async fn reminder_settings_save(
    app: tauri::AppHandle,
    state: S<'_>,
    settings: ReminderSettings,
) -> Result<ReminderSettings> {
    use tauri_plugin_autostart::ManagerExt;
    let saved = change(&state, move |a| a.set_reminder_settings(&settings)).await?;
    let launcher = app.autolaunch();
    let now = launcher.is_enabled().unwrap_or(false);
    if saved.start_at_login != now {
        let r = if saved.start_at_login {
            launcher.enable()
        } else {
            launcher.disable()
        };
        r.map_err(|e| Error::Internal(format!("start at login: {e}")))?;
    }
    Ok(saved)
}

pub(super) fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app_status,
        set_language,
        customer_list,
        customer_tags,
        customer_get,
        customer_create,
        customer_update,
        customer_archive,
        customer_restore,
        demo_seed,
        staff_list,
        staff_save,
        visit_plan,
        visit_outcome,
        visit_reschedule,
        visit_cancel,
        visit_correct,
        visit_log,
        visit_agenda,
        visit_counts,
        visit_calendar,
        visits_on,
        customer_visits,
        plan_apply,
        plan_list,
        plan_save,
        outline_list,
        outline_save,
        outline_delete,
        cadence_get,
        cadence_save,
        due_contacts,
        complaint_register,
        complaint_list,
        complaint_get,
        complaint_transition,
        complaint_note,
        complaint_handler,
        complaint_severity,
        complaint_resolve,
        complaint_close,
        complaint_categories,
        complaint_category_save,
        complaint_settings,
        complaint_settings_save,
        complaint_sweep,
        reminder_center,
        reminder_counts,
        reminder_snooze,
        reminder_close,
        reminder_create,
        reminder_settings,
        reminder_settings_save,
    ]
}
