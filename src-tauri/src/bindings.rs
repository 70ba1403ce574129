//! Keeps the TypeScript types in ui/src/lib/bindings/ identical to the Rust types sent over IPC, so
//! the UI cannot silently drift from the shell. Each IPC type has a test calling
//! `assert_binding_current`; `UPDATE_BINDINGS=1 cargo test -p hearth-desktop` rewrites the files.

use std::path::PathBuf;
use ts_rs::{Config, TS};

pub(crate) fn assert_binding_current<T: TS + 'static>() {
    let file = T::output_path().expect("IPC types need #[ts(export_to = \"...\")]");
    let generated = T::export_to_string(&Config::new()).expect("ts-rs could not render the type");
    assert_generated_file_current(&file, &generated);
}

/// Checks (or with `UPDATE_BINDINGS`, writes) a generated file under ui/src/lib/bindings/.
pub(crate) fn assert_generated_file_current(file: &std::path::Path, generated: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../ui/src/lib/bindings")
        .join(file);
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, generated).expect("could not write the binding");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} does not match the Rust type; run `UPDATE_BINDINGS=1 cargo test -p hearth-desktop` \
         and commit the result.\n--- generated ---\n{generated}",
        path.display()
    );
}
