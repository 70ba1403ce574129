//! The desktop app's commands are named in five places that nothing else ties together: the
//! functions in src/commands/ (whose signatures generate the UI's command list), the handler list
//! (`lib.rs`), the permissions Tauri generates (`build.rs`), the main window's capability, and the
//! UI's wrappers (`ui/src/lib/ipc.ts`). A command missing from one of them fails only when someone
//! clicks the button that needs it, so this test holds the five lists equal.

use std::collections::BTreeSet;

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = text[from..]
        .find(end)
        .unwrap_or_else(|| panic!("no {end:?}"))
        + from;
    &text[from..to]
}

/// Every `"..."` (or `'...'`, with `quote`) in `text`.
fn quoted(text: &str, quote: char) -> BTreeSet<String> {
    text.split(quote)
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

#[test]
fn handler_permissions_capability_and_ui_name_the_same_commands() {
    let lib = include_str!("lib.rs");
    let handler: BTreeSet<String> = between(lib, "generate_handler![", "]")
        .split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect();

    let build = include_str!("../build.rs");
    let permitted = quoted(between(build, ".commands(&[", "]"), '"');

    let capability = include_str!("../capabilities/main-window.json");
    let granted: BTreeSet<String> = quoted(between(capability, "\"permissions\"", "]"), '"')
        .into_iter()
        .filter_map(|permission| {
            permission
                .strip_prefix("allow-")
                .map(|name| name.replace('-', "_"))
        })
        .collect();

    let ipc = include_str!("../../ui/src/lib/ipc.ts");
    let called: BTreeSet<String> = ipc
        .split("call('")
        .skip(1)
        .filter_map(|after| after.split('\'').next())
        .map(str::to_owned)
        .collect();

    let defined: BTreeSet<String> = crate::command_bindings::commands().into_keys().collect();

    assert!(
        handler.len() > 40,
        "the handler list was not read: {handler:?}"
    );
    assert_eq!(
        defined, handler,
        "src/commands/ and lib.rs's handler differ"
    );
    assert_eq!(permitted, handler, "build.rs and lib.rs's handler differ");
    assert_eq!(
        granted, handler,
        "the main window's capability and the handler differ"
    );
    assert_eq!(called, handler, "ui/src/lib/ipc.ts and the handler differ");
}

#[test]
fn the_page_may_hear_the_cores_events_but_opens_no_dialog_itself() {
    let capability = include_str!("../capabilities/main-window.json");
    let others: Vec<String> = quoted(between(capability, "\"permissions\"", "]"), '"')
        .into_iter()
        .filter(|permission| !permission.starts_with("allow-"))
        .collect();
    assert_eq!(
        others,
        ["core:event:allow-listen", "core:event:allow-unlisten"],
        "beyond our own commands, the page may only listen for events"
    );
}
