//! Commands about the app itself. They are safe before unlock: they reveal nothing about a vault.

use serde::Serialize;
use tauri::{AppHandle, Runtime};

/// The name and version shown on the landing screen.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "AppInfo.ts"))]
pub struct AppInfo {
    name: String,
    version: &'static str,
}

/// The app's name and version; asked before unlock.
#[tauri::command(rename_all = "snake_case")]
pub fn app_info<R: Runtime>(app: AppHandle<R>) -> AppInfo {
    AppInfo {
        // productName in tauri.conf.json, so the name is written down once.
        name: app.package_info().name.clone(),
        version: hearth_core::VERSION,
    }
}
