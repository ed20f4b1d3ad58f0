//! The IPC adapter: each Tauri command forwards to an `App` method on a blocking thread.

use std::sync::Arc;

use tauri::State;

use crate::app::{App, Status};
use crate::customers::{Customer, CustomerDetail, CustomerInput, ListQuery, Page, TagCount};
use crate::error::{Error, Result};

use super::Shared;

type S<'a> = State<'a, Arc<Shared>>;

/// Run `f` against the app off the async runtime (database work blocks).
async fn call<T: Send + 'static>(state: &Shared, f: impl FnOnce(&App) -> Result<T> + Send + 'static) -> Result<T> {
    let app = state.app().await?;
    tauri::async_runtime::spawn_blocking(move || f(&app))
        .await
        .map_err(Error::internal)?
}

#[tauri::command]
async fn app_status(state: S<'_>) -> Result<Status> {
    call(&state, |a| a.status()).await
}

#[tauri::command]
async fn set_language(state: S<'_>, language: String) -> Result<()> {
    call(&state, move |a| a.set_language(&language)).await
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
    call(&state, move |a| a.create_customer(&input)).await
}

#[tauri::command]
async fn customer_update(state: S<'_>, id: i64, input: CustomerInput) -> Result<Customer> {
    call(&state, move |a| a.update_customer(id, &input)).await
}

#[tauri::command]
async fn customer_archive(state: S<'_>, id: i64) -> Result<Customer> {
    call(&state, move |a| a.archive_customer(id)).await
}

#[tauri::command]
async fn customer_restore(state: S<'_>, id: i64) -> Result<Customer> {
    call(&state, move |a| a.restore_customer(id)).await
}

#[tauri::command]
async fn demo_seed(state: S<'_>) -> Result<usize> {
    call(&state, |a| a.seed_demo()).await
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
    ]
}
