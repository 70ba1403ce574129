//! Importing many bundles at once: the coordinating office's folder of every site's bundles, in
//! whatever order they came. Each bundle is its own import (one transaction: all of it or
//! nothing), so a bundle refused leaves the others imported. Order does not matter:
//! - changes that follow a gap are held in the vault until the bundle that fills it is imported
//!   (by this batch or a later one), as for a single import;
//! - a bundle from a laptop this vault has not heard of yet (its roster entry comes in another
//!   site's bundle) is tried again after the others, for as long as a pass imports something.
//!
//! Importing a bundle twice changes nothing, so a batch can be run again over the same folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hearth_format::bundle::BundleError;

use super::{import, open_bundle_file, ImportSummary, Progress, SyncError};
use crate::access::{Operation, Session};
use crate::audit::Action;

/// What became of one bundle of a batch.
#[derive(Debug)]
pub enum BundleOutcome {
    /// Imported (perhaps with changes held for earlier bundles, perhaps all already here).
    Imported(ImportSummary),
    /// Refused, with why: nothing of it was applied.
    Refused(SyncError),
    /// Not tried: the batch was cancelled or the disk filled first.
    NotTried,
}

/// One bundle file of a batch and what became of it.
#[derive(Debug)]
pub struct BundleInBatch {
    /// The file.
    pub file: PathBuf,
    /// The site of the laptop that made it, when it was imported (and that laptop is known).
    pub site: Option<String>,
    /// What became of it.
    pub outcome: BundleOutcome,
}

/// A site's share of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInBatch {
    /// The site.
    pub site: String,
    /// Its bundles imported.
    pub bundles: u64,
    /// Changes new to this vault.
    pub applied: u64,
    /// Changes already here.
    pub already_present: u64,
    /// Cases that changed.
    pub cases: u64,
    /// Changes of its laptops still waiting, after the batch, for a bundle not yet imported.
    pub waiting: u64,
}

/// What a batch did.
#[derive(Debug)]
pub struct BatchReport {
    /// Every bundle, in the order given.
    pub bundles: Vec<BundleInBatch>,
    /// Each site whose bundles were imported, by name.
    pub sites: Vec<SiteInBatch>,
    /// Whether it stopped early (cancelled, or the disk was full): the bundles not tried say so.
    pub stopped: bool,
}

impl BatchReport {
    /// The bundles refused.
    pub fn refused(&self) -> impl Iterator<Item = (&Path, &SyncError)> {
        self.bundles
            .iter()
            .filter_map(|bundle| match &bundle.outcome {
                BundleOutcome::Refused(error) => Some((bundle.file.as_path(), error)),
                _ => None,
            })
    }

    /// The bundles imported with changes held that still wait for an earlier bundle of their
    /// site (the site's laptops still have changes held after the batch).
    pub fn waiting(&self) -> impl Iterator<Item = &BundleInBatch> {
        self.bundles.iter().filter(|bundle| {
            let held = matches!(&bundle.outcome, BundleOutcome::Imported(s) if s.held > 0);
            let site_waits = self
                .sites
                .iter()
                .any(|site| Some(&site.site) == bundle.site.as_ref() && site.waiting > 0);
            held && site_waits
        })
    }
}

/// The bundle files `paths` name: a file itself, a folder every file directly in it (not those
/// whose name starts with a dot), by name. A path that does not exist is an error naming it.
pub fn bundle_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, SyncError> {
    let unreadable = |path: &Path, error: std::io::Error| {
        SyncError::from(BundleError::Read(std::io::Error::new(
            error.kind(),
            format!("{}: {error}", path.display()),
        )))
    };
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|error| unreadable(path, error))?;
        if !metadata.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut inside = Vec::new();
        for entry in std::fs::read_dir(path).map_err(|error| unreadable(path, error))? {
            let entry = entry.map_err(|error| unreadable(path, error))?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let is_file = entry.file_type().is_ok_and(|kind| kind.is_file());
            if is_file && !hidden {
                inside.push(entry.path());
            }
        }
        inside.sort();
        files.extend(inside);
    }
    Ok(files)
}

impl Session {
    /// Imports every bundle in `files` ([`bundle_files`] finds them in folders), each in its own
    /// transaction, in any order (see the module's documentation). `starting` is told of each
    /// bundle as it starts (its place, the count, the file), and `progress` follows it and may
    /// stop the batch: the bundle being imported is then left as it was, and those before it
    /// stay imported.
    pub fn import_bundle_files(
        &mut self,
        files: &[PathBuf],
        progress: &dyn Progress,
        starting: &mut dyn FnMut(usize, usize, &Path),
    ) -> Result<BatchReport, SyncError> {
        self.require(Operation::Sync)?;
        let mut outcomes: Vec<Option<BundleOutcome>> = files.iter().map(|_| None).collect();
        let mut stopped = false;
        let mut tries = 0;
        loop {
            let mut imported_any = false;
            for (index, file) in files.iter().enumerate() {
                let retry = matches!(&outcomes[index], Some(BundleOutcome::Refused(e)) if is_unknown_device(e));
                if stopped || (outcomes[index].is_some() && !retry) {
                    continue;
                }
                tries += 1;
                starting(tries, files.len(), file);
                let result = open_bundle_file(file).and_then(|(sealed, length)| {
                    self.import_unaudited_failure(sealed, length, true, progress)
                });
                outcomes[index] = Some(match result {
                    Ok(summary) => {
                        imported_any = true;
                        BundleOutcome::Imported(summary)
                    }
                    Err(error) => {
                        stopped = matches!(error, SyncError::Cancelled | SyncError::DiskFull(_));
                        BundleOutcome::Refused(error)
                    }
                });
            }
            let waiting_for_a_roster = outcomes
                .iter()
                .any(|o| matches!(o, Some(BundleOutcome::Refused(e)) if is_unknown_device(e)));
            if stopped || !imported_any || !waiting_for_a_roster {
                break;
            }
        }
        // A refusal that names a sender is recorded once, as it finally stands.
        for outcome in outcomes.iter().flatten() {
            if let BundleOutcome::Refused(error) = outcome {
                if import::is_attributable(error) {
                    self.sync_failure(Action::Import, error);
                }
            }
        }
        self.batch_report(files, outcomes, stopped)
    }

    fn batch_report(
        &self,
        files: &[PathBuf],
        outcomes: Vec<Option<BundleOutcome>>,
        stopped: bool,
    ) -> Result<BatchReport, SyncError> {
        let site_of_device: BTreeMap<String, String> = self
            .devices()?
            .into_iter()
            .map(|device| (device.device, device.site))
            .collect();
        let mut sites: BTreeMap<String, SiteInBatch> = BTreeMap::new();
        let mut bundles = Vec::new();
        for (file, outcome) in files.iter().zip(outcomes) {
            let outcome = outcome.unwrap_or(BundleOutcome::NotTried);
            let site = match &outcome {
                BundleOutcome::Imported(summary) => site_of_device.get(&summary.origin).cloned(),
                _ => None,
            };
            if let (BundleOutcome::Imported(summary), Some(site)) = (&outcome, &site) {
                let entry = sites.entry(site.clone()).or_insert_with(|| SiteInBatch {
                    site: site.clone(),
                    ..SiteInBatch::default()
                });
                entry.bundles += 1;
                entry.applied += summary.applied;
                entry.already_present += summary.already_present;
                entry.cases += summary.cases;
            }
            bundles.push(BundleInBatch {
                file: file.clone(),
                site,
                outcome,
            });
        }
        for (device, held) in hearth_sync::status::held_by_device(self.database())? {
            if let Some(site) = site_of_device.get(&device).and_then(|s| sites.get_mut(s)) {
                site.waiting += held;
            }
        }
        Ok(BatchReport {
            bundles,
            sites: sites.into_values().collect(),
            stopped,
        })
    }
}

/// A bundle from a laptop not on this vault's roster yet: another site's bundle may bring it.
fn is_unknown_device(error: &SyncError) -> bool {
    matches!(error, SyncError::Bundle(BundleError::UnknownDevice(_)))
}
