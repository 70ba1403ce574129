//! Bundles taken apart and put together again, for tests that play a laptop which alters what it
//! relays, or an older Hearth that wrote the whole container.

use ed25519_dalek::SigningKey;
use hearth_format::bundle::{self, BundleWriter, Manifest, Opened};
use rusqlite::Connection;

use crate::roster;
use crate::wire::{parse_body, Body, BodyFrame};

/// The manifest and body of a bundle addressed to the laptop of `connection`, its signature
/// checked against the roster there.
pub(crate) fn read(connection: &Connection, sealed: &[u8]) -> (Manifest, Body) {
    let identity = hearth_store::device::age_identity(connection).unwrap();
    let trusted = |origin: &hearth_ids::DeviceId| roster::trusted_key(connection, origin).unwrap();
    match bundle::open_sealed(sealed, &identity).unwrap() {
        Opened::Whole(container) => {
            let contents = bundle::open_container(&container, |origin, _| trusted(origin)).unwrap();
            (contents.manifest, parse_body(&contents.body).unwrap())
        }
        Opened::Stream(mut reader) => {
            let mut body = Body {
                organisation: String::new(),
                office_recipient: None,
                roster: Vec::new(),
                changes: Vec::new(),
                audit: Vec::new(),
                heads: Vec::new(),
            };
            while let Some(frame) = reader.next_frame().unwrap() {
                match BodyFrame::parse(frame).unwrap() {
                    BodyFrame::Organisation(organisation) => {
                        body.organisation = organisation.name;
                        body.office_recipient = organisation.office_recipient;
                    }
                    BodyFrame::Roster(roster) => body.roster = roster.devices,
                    BodyFrame::Head(head) => body.heads.push(head.note),
                    BodyFrame::Change(change) => body.changes.push(change),
                    BodyFrame::Audit(entry) => body.audit.push(entry),
                }
            }
            let origin = reader.manifest().origin().unwrap();
            reader.verify(&trusted(&origin).unwrap()).unwrap();
            (reader.manifest().clone(), body)
        }
    }
}

/// `body` as a streaming bundle from `signer`: the heads first, then the changes as they lie.
pub(crate) fn seal_stream(
    manifest: &Manifest,
    signer: &SigningKey,
    recipients: &[age::x25519::Recipient],
    body: Body,
) -> Vec<u8> {
    let mut writer = BundleWriter::new(Vec::new(), recipients, manifest).unwrap();
    for frame in body.into_frames() {
        frame.write(&mut writer).unwrap();
    }
    writer.finish(signer).unwrap().0
}

/// `body` as an older Hearth wrote it: the whole container, bundle format 2.
pub(crate) fn seal_whole(
    manifest: &Manifest,
    signer: &SigningKey,
    recipients: &[age::x25519::Recipient],
    body: &Body,
) -> Vec<u8> {
    let mut manifest = manifest.clone();
    manifest.format = bundle::LAST_WHOLE_FORMAT;
    bundle::seal(
        manifest,
        signer,
        recipients,
        &serde_json::to_vec(body).unwrap(),
    )
    .unwrap()
}
