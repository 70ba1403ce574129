//! What the fuzz target `bundle_body` (`fuzz/`) drives: a bundle's body (the JSON inside the
//! container, after `bundle_container`'s checks), read as an import reads it before it touches the
//! vault: each change and audit entry converted and hashed, each signed head and roster record
//! checked against the keys the body itself carries. Built only by cargo-fuzz, which compiles with
//! `--cfg fuzzing`. What an import then does with the vault (the roster merge, the chain checks
//! against the heads held here) is tested by the relay and import tests.

use std::collections::BTreeSet;

use hearth_format::checkpoint::{self, Log};
use hearth_store::audit::entry_hash;
use hearth_store::change_log::chain::digest;

use crate::consent_filter::part_copy;
use crate::roster::{revocation_text, verifies, RosterDevice};
use crate::wire::{parse_body, BodyFrame, WireAudit, WireChange};

/// Reads `bytes` as a body. Panics (a finding) if a change does not travel unchanged through
/// the wire form, or if a copy without some of a change's fields (what consent sends) does not
/// hash as the change does: its device's signed chain would then refuse an honest relay.
pub fn read_body(bytes: &[u8]) {
    let Ok(body) = parse_body(bytes) else {
        return;
    };
    for wire in &body.changes {
        read_change(wire);
    }
    for wire in &body.audit {
        read_audit(wire);
    }
    let carried = |id: &str| body.roster.iter().find(|device| device.device == id);
    for note in &body.heads {
        let Ok(device) = checkpoint::note_signer(Log::Changes, note) else {
            continue;
        };
        if let Some(key) = carried(&device.to_hex()).and_then(RosterDevice::verifying_key) {
            let _ = checkpoint::parse_note(Log::Changes, note, &key);
        }
    }
    read_roster(&body.roster);
}

/// Reads one frame of a streaming bundle's body as an import does before it touches the vault
/// (the fuzz target `bundle_frames` hands each frame the container's reader gives it): the same
/// checks as [`read_body`] makes of the record the frame holds.
pub fn read_frame(bytes: &[u8]) {
    match BodyFrame::parse(bytes) {
        Ok(BodyFrame::Change(wire)) => read_change(&wire),
        Ok(BodyFrame::Audit(wire)) => read_audit(&wire),
        Ok(BodyFrame::Roster(roster)) => read_roster(&roster.devices),
        Ok(BodyFrame::Head(head)) => {
            let _ = checkpoint::note_signer(Log::Changes, &head.note);
        }
        Ok(BodyFrame::Organisation(_)) | Err(_) => {}
    }
}

fn read_change(wire: &WireChange) {
    let Ok(change) = wire.clone().into_change() else {
        return;
    };
    let again = WireChange::from_change(change.clone()).into_change();
    assert_eq!(again.ok().as_ref(), Some(&change), "a change read back");
    let Some(whole) = digest(&change) else {
        return;
    };
    let kept: BTreeSet<&str> = change
        .fields
        .keys()
        .step_by(2)
        .map(String::as_str)
        .collect();
    let part = part_copy(&change, |name| kept.contains(name))
        .expect("a change that hashes has every salt");
    assert_eq!(
        digest(&part),
        Some(whole),
        "a part copy hashes as the whole change"
    );
}

fn read_audit(wire: &WireAudit) {
    if let Ok((device, entry)) = wire.to_stored() {
        let _ = entry_hash(&entry.prev_hash, &entry.hashed(&device));
    }
}

fn read_roster(roster: &[RosterDevice]) {
    let carried = |id: &str| roster.iter().find(|device| device.device == id);
    for device in roster {
        let approver = device.approved_by.as_deref().map_or(Some(device), carried);
        if let Some(approver) = approver {
            let _ = verifies(
                approver,
                &device.approval_text(),
                device.approval.as_deref(),
            );
        }
        if let Some(revoker) = device.revoked_by.as_deref().and_then(carried) {
            let text = revocation_text(&device.device, device.revoked_through);
            let _ = verifies(revoker, &text, device.revocation.as_deref());
        }
    }
}
