//! Hearth's desktop shell: builds the Tauri app, manages the session state and registers its
//! commands. Domain logic lives in hearth-core; the commands only translate between IPC and it.

#[cfg(test)]
mod bindings;
#[cfg(test)]
mod command_bindings;
#[cfg(test)]
mod command_lists;
mod commands;
mod demo;
mod error;
mod file_dialogs;
mod idle_watch;
mod progress_events;
mod state;
mod views;

use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Context;
use hearth_core::vault::VaultPaths;
use tauri::Manager;

use crate::demo::DemoVault;
use crate::state::AppState;

/// The label of the one window, as declared in tauri.conf.json and granted in capabilities/.
pub(crate) const MAIN_WINDOW: &str = "main";

/// Which vault the app opens: `--vault DIR` on the command line, the demo vault with `--demo` or
/// `HEARTH_DEMO=1`, otherwise `HEARTH_VAULT` or the data folder's default.
fn initial_state() -> anyhow::Result<AppState> {
    if let Some(folder) = vault_argument(std::env::args_os()) {
        return Ok(AppState::new(folder, None));
    }
    let demo_asked = std::env::args_os().skip(1).any(|arg| arg == "--demo")
        || std::env::var_os("HEARTH_DEMO").is_some_and(|v| !v.is_empty() && v != "0");
    if demo_asked {
        let demo = DemoVault::create().context("could not create the demo vault")?;
        return Ok(AppState::new(demo.folder().to_path_buf(), Some(demo)));
    }
    let folder = VaultPaths::default_folder()
        .context("no data folder is known for this user; set HEARTH_VAULT")?;
    Ok(AppState::new(folder, None))
}

/// The folder after `--vault` (or in `--vault=DIR`), if the app was started with one.
fn vault_argument(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--vault" {
            return args.next().map(PathBuf::from);
        }
        if let Some(folder) = arg.to_str().and_then(|a| a.strip_prefix("--vault=")) {
            return Some(PathBuf::from(folder));
        }
    }
    None
}

/// Starts the app and blocks until its last window closes.
pub fn run() -> anyhow::Result<()> {
    let app = tauri::Builder::default()
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
        .plugin(tauri_plugin_dialog::init())
        .manage(initial_state()?)
        .setup(|app| {
            app.manage(commands::files::Dialogs(file_dialogs::for_app(
                app.handle(),
            )));
            idle_watch::start(app.handle().clone())?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_info,
            commands::vault::vault_state,
            commands::vault::assess_passphrase,
            commands::vault::create_vault,
            commands::vault::unlock,
            commands::vault::recover_admin,
            commands::vault::lock,
            commands::vault::record_activity,
            commands::vault::current_session,
            commands::vault::vault_status,
            commands::vault::integrity_status,
            commands::accounts::list_accounts,
            commands::accounts::add_account,
            commands::accounts::disable_account,
            commands::accounts::rekey_vault,
            commands::emergency::wipe_vault,
            commands::emergency::duress_passphrase_set,
            commands::emergency::set_duress_passphrase,
            commands::emergency::remove_duress_passphrase,
            commands::accounts::enable_account,
            commands::accounts::reset_passphrase,
            commands::accounts::change_own_passphrase,
            commands::accounts::set_language,
            commands::settings::set_idle_timeout,
            commands::records::code_lists,
            commands::records::case_staff,
            commands::records::list_cases,
            commands::records::possible_duplicates,
            commands::records::create_case,
            commands::records::open_case,
            commands::records::update_case,
            commands::records::close_case,
            commands::records::reopen_case,
            commands::records::case_duplicates,
            commands::records::merge_cases,
            commands::records::mark_different,
            commands::records::case_history,
            commands::records::add_case_record,
            commands::records::update_case_record,
            commands::records::my_follow_ups,
            commands::records::list_partners,
            commands::records::add_partner,
            commands::records::update_partner,
            commands::referrals::save_case_summary,
            commands::referrals::save_recovery_sheet,
            commands::referrals::set_partner_key,
            commands::referrals::key_fingerprint,
            commands::referrals::referral_key,
            commands::referrals::send_referral,
            commands::referrals::receive_referral,
            commands::referrals::answer_referral,
            commands::referrals::import_referral_answer,
            commands::reports::statistics,
            commands::reports::statistics_k,
            commands::reports::set_statistics_k,
            commands::reports::export_statistics,
            commands::reports::export_ctdc,
            commands::reports::export_htcds,
            commands::audit::audit_entries,
            commands::audit::case_audit,
            commands::audit::verify_audit,
            commands::audit::export_audit_csv,
            commands::audit::write_audit_checkpoint,
            commands::files::choose_file,
            commands::sync::device_identity,
            commands::sync::sync_status,
            commands::sync::export_bundle,
            commands::sync::preview_import,
            commands::sync::import_bundle,
            commands::sync::import_bundle_folder,
            commands::sync::cancel_long_work,
            commands::sync::write_join_request,
            commands::sync::approve_device,
            commands::sync::enroll,
            commands::sync::set_office,
            commands::sync::revoke_device,
            commands::sync::conflicts,
            commands::sync::resolve_conflict,
        ])
        .build(tauri::generate_context!())
        .context("Hearth could not start its window")?;
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            // Lock before the process ends, and delete the demo vault with it: the process may
            // exit without dropping managed state.
            let state = app.state::<AppState>();
            state.lock();
            if let Some(demo) = &state.demo {
                let _ = std::fs::remove_dir_all(demo.folder());
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn vault_folder_comes_from_the_command_line() {
        assert_eq!(
            vault_argument(args(&["hearth-desktop", "--vault", "/tmp/v"])),
            Some(PathBuf::from("/tmp/v"))
        );
        assert_eq!(
            vault_argument(args(&["hearth-desktop", "--vault=/tmp/w"])),
            Some(PathBuf::from("/tmp/w"))
        );
        assert_eq!(vault_argument(args(&["hearth-desktop"])), None);
        assert_eq!(vault_argument(args(&["hearth-desktop", "--vault"])), None);
    }
}
