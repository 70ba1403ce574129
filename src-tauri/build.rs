//! Generates the Tauri context (config, icons, the embedded UI) and the permissions for our commands.

fn main() {
    // Listing the app's commands makes Tauri generate an `allow-<command>` permission for each and
    // deny any command no capability grants, instead of allowing every app command to every window.
    let commands = tauri_build::AppManifest::new().commands(&[
        "app_info",
        "vault_state",
        "assess_passphrase",
        "create_vault",
        "unlock",
        "lock",
        "current_session",
        "vault_status",
        "list_accounts",
        "add_account",
        "disable_account",
        "enable_account",
        "reset_passphrase",
        "change_own_passphrase",
        "set_language",
        "set_idle_timeout",
        "code_lists",
        "case_staff",
        "list_cases",
        "create_case",
        "open_case",
        "update_case",
        "close_case",
        "reopen_case",
        "case_history",
        "add_case_record",
        "update_case_record",
        "my_follow_ups",
        "list_partners",
        "add_partner",
        "update_partner",
        "audit_entries",
        "case_audit",
        "verify_audit",
        "export_audit_csv",
        "record_print",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands))
        .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
