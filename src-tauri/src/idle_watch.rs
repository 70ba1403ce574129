//! The idle watch: a thread that locks the vault when the idle deadline passes, whatever the
//! webview does (a frozen or hostile page cannot keep the vault open), and tells the window so
//! that it shows the locked screen.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The event the window hears when the core side locked for inactivity.
pub const LOCKED_EVENT: &str = "session-locked";

/// How often the deadline is looked at: the vault locks at most this late.
const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Starts the watch for `app`'s lifetime.
pub fn start(app: AppHandle) -> std::io::Result<()> {
    std::thread::Builder::new()
        .name("hearth-idle-watch".into())
        .spawn(move || loop {
            std::thread::sleep(CHECK_EVERY);
            if app.state::<AppState>().lock_if_idle() {
                // A window that cannot hear it finds out at its next command ("locked").
                let _ = app.emit_to(crate::MAIN_WINDOW, LOCKED_EVENT, "idle");
            }
        })?;
    Ok(())
}
