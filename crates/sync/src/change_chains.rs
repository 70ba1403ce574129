//! Whether the changes a bundle carries are exactly what their devices made, whoever passed them
//! on: each device's changes form a hash chain (`hearth_store::change_log::chain`) whose head the
//! device signs at every export, and that signed head travels with them.
//!
//! On export, another device's changes leave only as far as a head of that device covers them;
//! this laptop's own leave with a head it signs now. On import, each device's changes in the
//! bundle must be one unbroken run; they are hashed again from where the chain stands here, and
//! the last hash must be the head their device signed. A laptop that alters, leaves out, reorders
//! or invents another device's change cannot sign that device's head, and the bundle is refused
//! with the device named.

use hearth_format::checkpoint::{self, Log};
use hearth_ids::DeviceId;
use hearth_records::RecordKind;
use hearth_store::change_log::chain::{self, SignedHead, GENESIS};
use hearth_store::change_log::{Change, ChangeLogError};
use rusqlite::Connection;

use crate::roster;
use crate::SyncError;

/// What is wrong with a device's changes in a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChainProblem {
    /// A change between two that are there is missing.
    Missing(u64),
    /// The same change number appears twice.
    Repeated(u64),
    /// A change comes without the proof every change of that device carries after its first.
    Unproven(u64),
    /// A change's proof does not fit its fields.
    ProofDoesNotFit(u64),
    /// A copy of a change leaves out a field that always travels, consent or not.
    LeftOut {
        /// The change.
        seq: u64,
        /// The field.
        field: String,
    },
    /// No head signed by the device covers the last of its changes.
    NoHead(u64),
    /// A head that says it is the device's does not verify with the device's key.
    HeadNotSigned,
    /// The changes do not hash to the head the device signed.
    NotTheSignedChain,
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Missing(seq) => write!(f, "change {seq} is missing between others"),
            ChainProblem::Repeated(seq) => write!(f, "change {seq} is there twice"),
            ChainProblem::Unproven(seq) => write!(
                f,
                "change {seq} comes without the proof that laptop gives every change"
            ),
            ChainProblem::ProofDoesNotFit(seq) => {
                write!(f, "change {seq}'s proof does not fit its fields")
            }
            ChainProblem::LeftOut { seq, field } => write!(
                f,
                "change {seq} comes without its {field}, which travels whatever the consent"
            ),
            ChainProblem::NoHead(seq) => write!(
                f,
                "no head signed by that laptop covers its changes up to {seq}"
            ),
            ChainProblem::HeadNotSigned => {
                write!(f, "the head they came with is not signed by that laptop")
            }
            ChainProblem::NotTheSignedChain => {
                write!(f, "they are not the changes whose head that laptop signed")
            }
        }
    }
}

/// The refusal naming `device` (its roster name and id).
fn refused(connection: &Connection, device: DeviceId, problem: ChainProblem) -> SyncError {
    let hex = device.to_hex();
    let device = match crate::device_name(connection, device) {
        Some(name) => format!("{name} ({})", &hex[..8]),
        None => hex,
    };
    SyncError::ChangesNotAsMade { device, problem }
}

/// A head a bundle carries, checked against its device's key here (the roster as merged from the
/// bundle). It is kept only once the changes it closes are checked against it ([`RunCheck`]).
pub(crate) fn checked_head(connection: &Connection, note: &str) -> Result<SignedHead, SyncError> {
    let Ok(device) = checkpoint::note_signer(Log::Changes, note) else {
        return Err(hearth_format::bundle::BundleError::Malformed(
            "a change chain's head does not name its device",
        )
        .into());
    };
    let key = roster::signing_key_of(connection, &device)?
        .ok_or_else(|| hearth_format::bundle::BundleError::UnknownDevice(device.to_hex()))?;
    let head = checkpoint::parse_note(Log::Changes, note, &key)
        .map_err(|_| refused(connection, device, ChainProblem::HeadNotSigned))?;
    let head = SignedHead {
        device,
        seq: head.size,
        hash: head.head,
        note: note.to_owned(),
    };
    Ok(head)
}

/// Checks one device's run of changes in a bundle as they come, in order, before each is applied:
/// numbers without gaps or repeats, nothing left out that always travels, changes from before
/// chaining only before the first chained one, and each chained change hashed onto the chain as
/// it stands here, so that [`RunCheck::finish`] can compare the last hash with the head the
/// device signed. Changes that follow a gap here cannot be hashed yet: they are held and hashed
/// when it fills ([`check_held_run`]).
#[derive(Debug)]
pub(crate) struct RunCheck {
    device: DeviceId,
    /// The last change number of the run so far.
    last: Option<u64>,
    /// Whether a change from before chaining came in the run.
    unproven_seen: bool,
    /// The first chained change of the run, once one came.
    first_proven: Option<u64>,
    /// The chain's hash after the last change, while it can be computed here.
    hash: Option<[u8; 32]>,
    /// The device's first chained change this vault holds.
    first_chained_here: Option<u64>,
    /// The highest change of the device this vault held before the run.
    highest_here: u64,
    /// The highest head of the device the bundle carries: where a chained run must end. It is
    /// kept here once the run's first chained change comes.
    highest_head: Option<SignedHead>,
}

impl RunCheck {
    /// Starts the check of `device`'s run; `heads` are its heads the bundle carried. A chained
    /// run must end at the highest of them ([`RunCheck::finish`] refuses it otherwise), which is
    /// kept when the run's first chained change comes, before it is applied, so that held changes
    /// it vouches for can follow the run in (the import's transaction drops it with everything
    /// else if the run does not hash to it).
    pub(crate) fn start(
        connection: &Connection,
        device: DeviceId,
        heads: &[SignedHead],
    ) -> Result<RunCheck, SyncError> {
        Ok(RunCheck {
            highest_head: heads.iter().max_by_key(|head| head.seq).cloned(),
            device,
            last: None,
            unproven_seen: false,
            first_proven: None,
            hash: None,
            first_chained_here: chain::first_chained(connection, device)?,
            highest_here: hearth_store::change_log::highest_seq(connection, device)?,
        })
    }

    /// The device whose run this is.
    pub(crate) fn device(&self) -> DeviceId {
        self.device
    }

    /// Checks the next change of the run and fills in its chain hash where it can be computed.
    pub(crate) fn check(
        &mut self,
        connection: &Connection,
        change: &mut Change,
    ) -> Result<(), SyncError> {
        let device = self.device;
        if let Some(last) = self.last {
            match change.seq.checked_sub(last) {
                Some(1) => {}
                Some(0) => return Err(refused(connection, device, ChainProblem::Repeated(last))),
                _ => return Err(refused(connection, device, ChainProblem::Missing(last + 1))),
            }
        }
        self.last = Some(change.seq);
        // Only what consent keeps on a laptop may be left out of a copy: a relay leaving out a
        // field that always travels (a case's status, its risk) would hide an edit while the
        // chain held.
        if let Some(field) = left_out_without_cause(change) {
            let problem = ChainProblem::LeftOut {
                seq: change.seq,
                field: field.to_owned(),
            };
            return Err(refused(connection, device, problem));
        }
        if change.proof.is_none() {
            // Changes from before chaining come first; none may follow a chained one, here or in
            // the bundle.
            let after_chaining = self.first_proven.is_some()
                || self
                    .first_chained_here
                    .is_some_and(|first| change.seq >= first);
            if after_chaining {
                return Err(refused(
                    connection,
                    device,
                    ChainProblem::Unproven(change.seq),
                ));
            }
            self.unproven_seen = true;
            return Ok(());
        }
        if self.first_proven.is_none() {
            self.first_proven = Some(change.seq);
            if let Some(head) = &self.highest_head {
                chain::store_head(connection, head)?;
            }
            self.hash = if self.unproven_seen {
                Some(GENESIS) // the change before is from before chaining, in this very bundle
            } else {
                chain::chain_before_next(connection, device, change.seq - 1)?
            };
        }
        let Some(previous) = self.hash else {
            return Ok(()); // a gap here: held, and hashed when it fills
        };
        let digest = chain::digest(change).ok_or_else(|| {
            refused(
                connection,
                device,
                ChainProblem::ProofDoesNotFit(change.seq),
            )
        })?;
        let hash = chain::link(&previous, &digest);
        change.chain = Some(hash);
        self.hash = Some(hash);
        // The chain hashes the same as here up to where this laptop's copy ends, or the device
        // signed two different histories: a check at that one point covers everything before it.
        let compare_at = self
            .highest_head
            .as_ref()
            .map_or(self.highest_here, |head| head.seq.min(self.highest_here));
        if change.seq == compare_at {
            self.compare_with_ours(connection, change.seq, hash)?;
        }
        Ok(())
    }

    fn compare_with_ours(
        &self,
        connection: &Connection,
        seq: u64,
        hash: [u8; 32],
    ) -> Result<(), SyncError> {
        let stored = chain::chain_at(connection, self.device, seq)?.flatten();
        if stored.is_some_and(|stored| stored != hash) {
            return Err(SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                device: self.device.to_hex(),
                seq,
            }));
        }
        Ok(())
    }

    /// Ends the run: its last chained change must be where the highest head the device signed in
    /// the bundle is, with the same hash.
    pub(crate) fn finish(self, connection: &Connection) -> Result<(), SyncError> {
        let (Some(_), Some(last)) = (self.first_proven, self.last) else {
            return Ok(()); // nothing chained in the run: no head needed
        };
        let head = self
            .highest_head
            .as_ref()
            .filter(|head| head.seq == last)
            .ok_or_else(|| refused(connection, self.device, ChainProblem::NoHead(last)))?;
        let Some(hash) = self.hash else {
            return Ok(()); // held: checked against the head when the gap fills
        };
        if hash != head.hash {
            return Err(refused(
                connection,
                self.device,
                ChainProblem::NotTheSignedChain,
            ));
        }
        Ok(())
    }
}

/// The first field `change` leaves out that this Hearth's field table says leaves without consent.
/// (A field this Hearth does not know may be one a newer Hearth keeps back.)
fn left_out_without_cause(change: &Change) -> Option<&str> {
    let kind = RecordKind::parse(&change.entity_kind)?;
    change
        .withheld
        .iter()
        .find(|name| {
            kind.fields()
                .iter()
                .any(|spec| spec.name == name.as_str() && spec.shared_without_consent)
        })
        .map(String::as_str)
}

/// A run of held changes that now follow on from `previous_seq`, the last change of `device` this
/// vault holds: hashes them from there and returns how many of them a kept head vouches for (the
/// rest stay held, or, past a head they do not hash to, are not what the device made).
pub(crate) fn check_held_run(
    connection: &Connection,
    device: DeviceId,
    previous_seq: u64,
    run: &mut [Change],
) -> Result<HeldRun, SyncError> {
    let mut hash = chain::chain_before_next(connection, device, previous_seq)?.unwrap_or(GENESIS);
    let mut vouched = 0;
    for (index, change) in run.iter_mut().enumerate() {
        if change.proof.is_none() {
            if hash != GENESIS || chain::first_chained(connection, device)?.is_some() {
                return Ok(HeldRun::NotAsMade { vouched });
            }
            vouched = index + 1; // from before chaining: taken as before
            continue;
        }
        let Some(digest) = chain::digest(change) else {
            return Ok(HeldRun::NotAsMade { vouched });
        };
        hash = chain::link(&hash, &digest);
        change.chain = Some(hash);
        match chain::head_hash_at(connection, device, change.seq)? {
            Some(head) if head == hash => vouched = index + 1,
            Some(_) => return Ok(HeldRun::NotAsMade { vouched }),
            None => {}
        }
    }
    Ok(HeldRun::Vouched(vouched))
}

/// What [`check_held_run`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeldRun {
    /// The first this many are vouched for; any after them wait for a head.
    Vouched(usize),
    /// The first `vouched` are; the change after them does not hash to its device's head.
    NotAsMade {
        /// How many are vouched for before it.
        vouched: usize,
    },
}

/// How far a device's changes after `after` may leave this laptop, and the head note that goes
/// with them: this laptop's own up to its highest (`highest`), with a head signed now; another
/// device's as far as a head of it kept here covers them; changes from before chaining as they
/// are. Returns the last change that leaves (`after` for none) and the note.
pub(crate) fn covered_for_export(
    connection: &Connection,
    me: DeviceId,
    device: DeviceId,
    after: u64,
    highest: u64,
) -> Result<(u64, Option<String>), SyncError> {
    if highest <= after {
        return Ok((after, None));
    }
    let Some(first_chained) =
        hearth_store::change_log::first_chained_after(connection, device, after)?
    else {
        return Ok((highest, None));
    };
    if device == me {
        let hash = chain::chain_at(connection, device, highest)?
            .flatten()
            .ok_or(SyncError::VaultDamaged("a change's chain"))?;
        let note = checkpoint::sign_note(
            Log::Changes,
            me,
            highest,
            hash,
            &hearth_store::device::signing_key(connection)?,
        );
        return Ok((highest, Some(note.text)));
    }
    match chain::head_at_or_below(connection, device, highest)? {
        Some(head) if head.seq >= first_chained => Ok((head.seq, Some(head.note))),
        _ => Ok((first_chained - 1, None)),
    }
}

#[cfg(test)]
mod tests;
