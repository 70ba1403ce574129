//! Demo mode (`HEARTH_DEMO=1`, `make demo`): a throwaway vault in a temporary folder with a known
//! passphrase shown on the unlock screen, so that someone evaluating Hearth can look around. It
//! holds no real data and is deleted when the app exits.

use hearth_core::access::{self, KdfChoice, NewVault, Role};
use hearth_core::crypto::{KdfParams, Passphrase};

/// The demo administrator's name and passphrase.
pub const ADMIN_NAME: &str = "Demo Admin";
/// Chosen to pass the passphrase rules, so that the demo shows them working.
pub const ADMIN_PASSPHRASE: &str = "harbour lantern violet meadow";
/// A caseworker, to see what a caseworker sees.
pub const CASEWORKER_NAME: &str = "Demo Caseworker";
/// The caseworker's passphrase.
pub const CASEWORKER_PASSPHRASE: &str = "copper willow midnight seventy";

/// The temporary folder of the demo vault; removed on drop.
#[derive(Debug)]
pub struct DemoVault {
    folder: tempfile::TempDir,
}

impl DemoVault {
    /// Creates the demo vault: an administrator and a caseworker, at the KDF floor so that the
    /// demo opens quickly (a real vault calibrates to about a second per unlock).
    pub fn create() -> anyhow::Result<Self> {
        let folder = tempfile::Builder::new().prefix("hearth-demo-").tempdir()?;
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
        session.add_account(
            CASEWORKER_NAME,
            Role::Caseworker,
            &Passphrase::new(CASEWORKER_PASSPHRASE.to_owned()),
        )?;
        Ok(Self { folder })
    }

    /// The demo vault's folder.
    pub fn folder(&self) -> &std::path::Path {
        self.folder.path()
    }
}
