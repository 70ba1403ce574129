//! Choosing files: the system's Save and Open dialogs, shown from here so that the webview never
//! names a path of its own. The folder each person last chose per kind of file is remembered in
//! the vault, and an existing file chosen in a Save dialog (which asked to confirm it) may then be
//! replaced by the command that writes it.

use serde::Serialize;
use tauri::State;

use hearth_core::access::ErrorKind;

use crate::error::IpcError;
use crate::file_dialogs::{folder_of, DialogAction, DialogRequest, FileDialogs, FileKind};
use crate::state::AppState;

/// The file dialogs the app shows (managed state, set up with the app).
#[derive(Debug)]
pub struct Dialogs(pub Box<dyn FileDialogs>);

/// A file the person chose.
#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS), ts(export_to = "ChosenFile.ts"))]
pub struct ChosenFile {
    /// Its full path, for the command that reads or writes it.
    pub path: String,
    /// Its name alone, to show.
    pub name: String,
    /// Whether it exists (for Save: the person confirmed replacing it).
    pub exists: bool,
}

/// Shows the system's Save or Open dialog for `kind` of file, titled `title` (in the UI's
/// language), in the folder this person last chose for that kind. `None`: cancelled.
#[tauri::command(async, rename_all = "snake_case")]
pub fn choose_file(
    state: State<'_, AppState>,
    dialogs: State<'_, Dialogs>,
    kind: FileKind,
    action: DialogAction,
    title: String,
) -> Result<Option<ChosenFile>, IpcError> {
    let folder = state.with_session(|session| session.recent_folder(kind.key()))?;
    let file_name = match action {
        DialogAction::Save => Some(
            kind.suggested_name()
                .map_err(|error| IpcError::new(ErrorKind::Crypto, error.to_string()))?,
        ),
        DialogAction::Open | DialogAction::OpenFolder => None,
    };
    let request = DialogRequest {
        action,
        kind,
        title,
        folder,
        file_name,
    };
    // The session is not held while the dialog is open: the idle watch may lock meanwhile.
    let Some(path) = dialogs.0.show(&request) else {
        return Ok(None);
    };
    let exists = path.exists();
    if let Some(folder) = folder_of(&path) {
        state.with_session(|session| session.remember_folder(kind.key(), folder))?;
    }
    if action == DialogAction::Save && exists {
        state.confirm_replacement(path.clone());
    }
    Ok(Some(ChosenFile {
        name: path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default(),
        path: path.display().to_string(),
        exists,
    }))
}
