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

use std::collections::HashMap;

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

/// The heads a bundle carries, by device: each checked against its device's key here.
fn signed_heads(
    connection: &Connection,
    notes: &[String],
) -> Result<HashMap<DeviceId, Vec<SignedHead>>, SyncError> {
    let mut heads: HashMap<DeviceId, Vec<SignedHead>> = HashMap::new();
    for note in notes {
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
        heads.entry(device).or_default().push(SignedHead {
            device,
            seq: head.size,
            hash: head.head,
            note: note.clone(),
        });
    }
    Ok(heads)
}

/// Checks every device's changes in `incoming` (sorted by device, then number) against the heads
/// their devices signed, and fills in each change's chain hash. Changes that follow a gap here
/// cannot be hashed yet: their head is checked and kept, and they are hashed when the gap fills
/// ([`check_held_run`]). Keeps every head it checked.
pub(crate) fn check_incoming(
    connection: &Connection,
    incoming: &mut [Change],
    notes: &[String],
) -> Result<(), SyncError> {
    let heads = signed_heads(connection, notes)?;
    for run in incoming.chunk_by_mut(|a, b| a.device == b.device) {
        check_run(
            connection,
            run,
            heads.get(&run[0].device).map(Vec::as_slice),
        )?;
    }
    Ok(())
}

fn check_run(
    connection: &Connection,
    run: &mut [Change],
    heads: Option<&[SignedHead]>,
) -> Result<(), SyncError> {
    let device = run[0].device;
    for pair in run.windows(2) {
        match pair[1].seq.checked_sub(pair[0].seq) {
            Some(1) => {}
            Some(0) => {
                return Err(refused(
                    connection,
                    device,
                    ChainProblem::Repeated(pair[0].seq),
                ))
            }
            _ => {
                return Err(refused(
                    connection,
                    device,
                    ChainProblem::Missing(pair[0].seq + 1),
                ))
            }
        }
    }
    // Only what consent keeps on a laptop may be left out of a copy: a relay leaving out a field
    // that always travels (a case's status, its risk) would hide an edit while the chain held.
    for change in run.iter() {
        if let Some(field) = left_out_without_cause(change) {
            let problem = ChainProblem::LeftOut {
                seq: change.seq,
                field: field.to_owned(),
            };
            return Err(refused(connection, device, problem));
        }
    }
    // Changes from before chaining come first; none may follow a chained one, here or in the bundle.
    let first_proven = run.iter().position(|c| c.proof.is_some());
    let unproven_end = first_proven.unwrap_or(run.len());
    if let Some(later) = run[unproven_end..].iter().find(|c| c.proof.is_none()) {
        return Err(refused(
            connection,
            device,
            ChainProblem::Unproven(later.seq),
        ));
    }
    if let Some(first_chained_here) = chain::first_chained(connection, device)? {
        if let Some(unproven) = run[..unproven_end]
            .iter()
            .find(|c| c.seq >= first_chained_here)
        {
            return Err(refused(
                connection,
                device,
                ChainProblem::Unproven(unproven.seq),
            ));
        }
    }
    let Some(first_proven) = first_proven else {
        return Ok(());
    };
    let chained = &mut run[first_proven..];
    let (first, last) = (chained[0].seq, chained[chained.len() - 1].seq);
    let head = heads
        .unwrap_or_default()
        .iter()
        .find(|head| head.seq == last)
        .ok_or_else(|| refused(connection, device, ChainProblem::NoHead(last)))?;
    let previous = if first_proven > 0 {
        Some(GENESIS) // the change before is from before chaining, in this very bundle
    } else {
        chain::chain_before_next(connection, device, first - 1)?
    };
    chain::store_head(connection, head)?;
    let Some(mut hash) = previous else {
        // A gap here: these changes are held and hashed when it fills.
        return Ok(());
    };
    for change in chained.iter_mut() {
        let digest = chain::digest(change).ok_or_else(|| {
            refused(
                connection,
                device,
                ChainProblem::ProofDoesNotFit(change.seq),
            )
        })?;
        hash = chain::link(&hash, &digest);
        change.chain = Some(hash);
    }
    if hash != head.hash {
        return Err(refused(connection, device, ChainProblem::NotTheSignedChain));
    }
    // The chain hashes the same as here up to where this laptop's copy ends, or the device signed
    // two different histories: a check at that one point covers everything before it.
    let highest_here = hearth_store::change_log::highest_seq(connection, device)?;
    if highest_here >= first {
        let at = highest_here.min(last);
        let stored = chain::chain_at(connection, device, at)?.flatten();
        let ours = chained[usize::try_from(at - first).unwrap_or(usize::MAX)].chain;
        if stored.is_some() && stored != ours {
            return Err(SyncError::ChangeLog(ChangeLogError::ConflictingDuplicate {
                device: device.to_hex(),
                seq: at,
            }));
        }
    }
    Ok(())
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

/// `batch` (a device's changes after what the destination was sent) as far as they may leave:
/// this laptop's own with a head signed now; another device's as far as a head of it kept here
/// covers them; changes from before chaining as they are. The head note goes with them.
pub(crate) fn covered_for_export(
    connection: &Connection,
    me: DeviceId,
    mut batch: Vec<Change>,
) -> Result<(Vec<Change>, Option<String>), SyncError> {
    let Some(first_chained) = batch.iter().position(|c| c.chain.is_some()) else {
        return Ok((batch, None));
    };
    let last = &batch[batch.len() - 1];
    let device = last.device;
    if device == me {
        let hash = last
            .chain
            .ok_or(SyncError::VaultDamaged("a change's chain"))?;
        let note = checkpoint::sign_note(
            Log::Changes,
            me,
            last.seq,
            hash,
            &hearth_store::device::signing_key(connection)?,
        );
        return Ok((batch, Some(note.text)));
    }
    match chain::head_at_or_below(connection, device, last.seq)? {
        Some(head) if head.seq >= batch[first_chained].seq => {
            batch.retain(|c| c.seq <= head.seq);
            Ok((batch, Some(head.note)))
        }
        _ => {
            batch.truncate(first_chained);
            Ok((batch, None))
        }
    }
}

#[cfg(test)]
mod tests;
