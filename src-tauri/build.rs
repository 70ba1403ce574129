//! Generates the Tauri context (config, icons, the embedded UI) and the permissions for our commands.

fn main() {
    // Listing the app's commands makes Tauri generate an `allow-<command>` permission for each and
    // deny any command no capability grants, instead of allowing every app command to every window.
    let commands = tauri_build::AppManifest::new().commands(&["app_info"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands))
        .expect("tauri-build failed: check tauri.conf.json, capabilities/ and icons/");
}
