//! Hearth's desktop shell: builds the Tauri app and registers its commands. Domain logic lives in
//! hearth-core; the commands here only translate between IPC and the core.

#[cfg(test)]
mod bindings;
mod commands;

use tauri::Manager;

/// The label of the one window, as declared in tauri.conf.json and granted in capabilities/.
const MAIN_WINDOW: &str = "main";

/// Starts the app and blocks until its last window closes.
pub fn run() {
    tauri::Builder::default()
        // Registered first so a second launch exits before it creates any window. Two instances
        // would each hold the vault open and could write over each other's changes.
        .plugin(tauri_plugin_single_instance::init(|app, _argv, _cwd| {
            // The second launch's arguments are ignored on purpose: they come from whoever
            // started it, and nothing they could ask for is needed yet.
            if let Some(window) = app.get_webview_window(MAIN_WINDOW) {
                // Best effort: a window manager may refuse focus, and there is nothing to report.
                let _ = window.unminimize();
                let _ = window.show();
                let _ = window.set_focus();
            }
        }))
        .invoke_handler(tauri::generate_handler![commands::app::app_info])
        .run(tauri::generate_context!())
        // Nothing can be shown to the person if the webview itself cannot start.
        .expect("Hearth could not start its window");
}
