//! Demo mode (`HEARTH_DEMO=1`, `make demo`): a throwaway vault in a temporary folder with a known
//! passphrase shown on the unlock screen, so that someone evaluating Hearth can look around. It
//! holds no real data and is deleted when the app exits.

use std::fs::File;
use std::path::Path;

use hearth_core::access::{self, KdfChoice, NewVault, Role};
use hearth_core::crypto::{KdfParams, Passphrase};
use hearth_core::records::demo::DemoGenerator;
use hearth_core::records::RecordKind;

/// The demo administrator's name and passphrase.
pub const ADMIN_NAME: &str = "Demo Admin";
/// Chosen to pass the passphrase rules, so that the demo shows them working.
pub const ADMIN_PASSPHRASE: &str = "harbour lantern violet meadow";
/// A caseworker, to see what a caseworker sees.
pub const CASEWORKER_NAME: &str = "Demo Caseworker";
/// The caseworker's passphrase.
pub const CASEWORKER_PASSPHRASE: &str = "copper willow midnight seventy";
/// A supervisor, who sees every case and closes, reopens and reassigns them.
pub const SUPERVISOR_NAME: &str = "Demo Supervisor";
/// The supervisor's passphrase.
pub const SUPERVISOR_PASSPHRASE: &str = "amber thistle lighthouse ninety";
/// How many invented cases the demo vault holds.
const DEMO_CASES: usize = 60;
/// How many partner organisations its directory holds.
const DEMO_PARTNERS: usize = 6;

const FOLDER_PREFIX: &str = "hearth-demo-";
const IN_USE_MARKER: &str = "in-use.lock";

/// The temporary folder of the demo vault; removed on drop.
#[derive(Debug)]
pub struct DemoVault {
    folder: tempfile::TempDir,
    // Locked for as long as this app runs; see `remove_abandoned_demos`.
    _in_use: File,
}

impl DemoVault {
    /// Creates the demo vault: an administrator, a supervisor and a caseworker, at the KDF floor
    /// so that the demo opens quickly (a real vault calibrates to about a second per unlock), and
    /// invented cases from the core's demo data generator.
    pub fn create() -> anyhow::Result<Self> {
        remove_abandoned_demos(&std::env::temp_dir());
        let folder = tempfile::Builder::new().prefix(FOLDER_PREFIX).tempdir()?;
        let in_use = File::create(folder.path().join(IN_USE_MARKER))?;
        in_use.lock()?;
        let (mut session, _recovery_key) = access::create_vault(
            folder.path(),
            NewVault {
                organisation: "Demo Shelter",
                site: "Demo Site",
                admin_name: ADMIN_NAME,
                admin_passphrase: &Passphrase::new(ADMIN_PASSPHRASE.to_owned()),
                kdf: KdfChoice::Fixed(KdfParams::FLOOR),
            },
        )?;
        let caseworker = session.add_account(
            CASEWORKER_NAME,
            Role::Caseworker,
            &Passphrase::new(CASEWORKER_PASSPHRASE.to_owned()),
        )?;
        session.add_account(
            SUPERVISOR_NAME,
            Role::Supervisor,
            &Passphrase::new(SUPERVISOR_PASSPHRASE.to_owned()),
        )?;
        session.lock();
        add_demo_cases(folder.path(), &caseworker.id.to_hex())?;
        Ok(Self {
            folder,
            _in_use: in_use,
        })
    }

    /// The demo vault's folder.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }
}

/// Fills the directory and the case list, as the supervisor: two cases in three belong to the
/// demo caseworker, so that each role has something to look at.
fn add_demo_cases(folder: &Path, caseworker: &str) -> anyhow::Result<()> {
    let mut supervisor = access::unlock(
        folder,
        SUPERVISOR_NAME,
        &Passphrase::new(SUPERVISOR_PASSPHRASE.to_owned()),
    )?;
    let mut generator = DemoGenerator::new(2026);
    let partners = (0..DEMO_PARTNERS)
        .map(|index| {
            supervisor
                .add_partner(&generator.partner(index))
                .map(|id| id.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    let drafts: Vec<_> = (0..DEMO_CASES)
        .map(|index| {
            let mut draft = generator.case(&partners, true);
            if index % 3 != 0 {
                draft.case.insert("owner".into(), caseworker.into());
                for (kind, fields) in &mut draft.children {
                    if *kind == RecordKind::FollowUp {
                        fields.insert("assigned_to".into(), caseworker.into());
                    }
                }
            }
            draft
        })
        .collect();
    supervisor.create_cases(&drafts)?;
    Ok(())
}

/// Deletes demo folders whose app is gone. An app that is killed (or crashes) never runs its
/// clean-up, so each demo start removes the folders nobody holds the in-use lock of.
fn remove_abandoned_demos(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let is_demo = entry
            .file_name()
            .to_string_lossy()
            .starts_with(FOLDER_PREFIX);
        if !is_demo {
            continue;
        }
        let abandoned = File::open(entry.path().join(IN_USE_MARKER))
            .map(|marker| marker.try_lock().is_ok())
            // No marker: a folder whose app died before making one.
            .unwrap_or(true);
        if abandoned {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abandoned_demo_folders_go_and_live_ones_stay() {
        let temp = tempfile::tempdir().unwrap();
        let live = temp.path().join(format!("{FOLDER_PREFIX}live"));
        let dead = temp.path().join(format!("{FOLDER_PREFIX}dead"));
        let other = temp.path().join("someone-elses");
        for folder in [&live, &dead, &other] {
            std::fs::create_dir(folder).unwrap();
        }
        let held = File::create(live.join(IN_USE_MARKER)).unwrap();
        held.lock().unwrap();
        File::create(dead.join(IN_USE_MARKER)).unwrap();

        remove_abandoned_demos(temp.path());
        assert!(live.exists());
        assert!(!dead.exists());
        assert!(other.exists());
    }
}
