//! The referral packet's format, version 1: an age file (to the partner's X25519 key, or to a
//! one-time passphrase with age's scrypt recipient) holding a tar archive of
//!
//! | file | what |
//! |---|---|
//! | `manifest.json` | [`Manifest`]: packet id, sender, partner, referral, consent, sections and fields, expiry |
//! | `summary.pdf` | the case summary, in the language chosen |
//! | `case.json` | the same content with HTCDS 2.0 field names ([`crate::htcds`]) |
//! | `SHA256SUMS` | the SHA-256 of the three files above, as `sha256sum` writes them |
//! | `SHA256SUMS.sig` | the sending laptop's Ed25519 signature of `SHA256SUMS` (64 bytes) |
//! | `sender.pem` | the sending laptop's public key (SubjectPublicKeyInfo, PEM) |
//!
//! With stock tools: `age -d -i key.txt packet.age | tar x` (or `age -d` and the passphrase), then
//! `openssl pkeyutl -verify -pubin -inkey sender.pem -rawin -in SHA256SUMS -sigfile
//! SHA256SUMS.sig` and `sha256sum -c SHA256SUMS`. The files appear in this order, so a reader
//! streaming the archive meets the manifest first.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePublicKey, EncodePublicKey};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use hearth_records::Section;

use crate::ReferralError;

/// What `manifest.json` says a packet is.
pub const FORMAT: &str = "hearth-referral-packet";
/// The version this Hearth writes and reads.
pub const VERSION: u32 = 1;

const MANIFEST: &str = "manifest.json";
const SUMMARY: &str = "summary.pdf";
const CASE: &str = "case.json";
const SUMS: &str = "SHA256SUMS";
const SIGNATURE: &str = "SHA256SUMS.sig";
const SENDER_KEY: &str = "sender.pem";

/// The most a packet may hold once decrypted: a summary of a case with many notes is a few
/// hundred kilobytes; anything near this is not a packet Hearth wrote.
const MAX_OPENED: u64 = 64 * 1024 * 1024;

/// A packet's `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// The packet's id (hex).
    pub packet_id: String,
    /// When it was written (RFC 3339, UTC).
    pub created: String,
    /// The last day the partner should keep it (`YYYY-MM-DD`).
    pub expires: String,
    /// The language of the summary ("en", "sq", "sr", "sr-Cyrl").
    pub language: String,
    /// Who sent it.
    pub from: Sender,
    /// Whom it is for.
    pub to: Receiver,
    /// The referral it carries.
    pub referral: ReferralInfo,
    /// What allowed it to leave.
    pub consent: ConsentInfo,
    /// The sections it carries.
    pub sections_included: Vec<Section>,
    /// The sections a referral may carry that it does not.
    pub sections_left_out: Vec<Section>,
    /// Every field it carries (Hearth's names: `given_name`, `note.text`).
    pub fields_included: Vec<String>,
    /// How a partner running Hearth answers.
    pub answer: AnswerRoute,
}

/// The sending organisation and laptop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    /// The organisation's name.
    pub organisation: String,
    /// The site.
    pub site: String,
    /// Its type (`organisation_type` code), for the partner's directory.
    pub organisation_type: String,
    /// The laptop (device id, hex).
    pub device: String,
    /// The laptop's Ed25519 key (hex), the one `sender.pem` holds.
    pub signing_key: String,
    /// Its fingerprint, as the sender reads it aloud.
    pub signing_key_fingerprint: String,
}

/// The partner it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receiver {
    /// The partner's id in the sender's directory.
    pub partner_id: String,
    /// Its name.
    pub partner: String,
    /// "recipient" (its key) or "passphrase" (a one-time passphrase given by phone).
    pub protected_by: String,
    /// The fingerprint of the key it was encrypted to, if any.
    pub recipient_fingerprint: Option<String>,
}

/// The referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralInfo {
    /// Its id in the sender's vault.
    pub referral_id: String,
    /// The sender's case number.
    pub case_number: String,
    /// `referral_reason` code.
    pub reason: Option<String>,
    /// The referral's date (`YYYY-MM-DD`).
    pub date: String,
}

/// The consent the packet relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum ConsentInfo {
    /// The person's decision to consent to a referral to this partner.
    Given {
        /// The decision's id in the sender's vault.
        decision_id: String,
        /// The day it was given.
        date: String,
    },
    /// A supervisor's override, with the reason written.
    Override {
        /// The reason.
        reason: String,
    },
}

/// Where and how an answer goes back.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRoute {
    /// The sending laptop's age recipient: the answer is encrypted to it.
    pub recipient: String,
    /// A random key (hex, 32 bytes) that authenticates the answer: only the packet carried it.
    pub key: String,
}

impl std::fmt::Debug for AnswerRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnswerRoute")
            .field("recipient", &self.recipient)
            .field("key", &"[redacted]")
            .finish()
    }
}

/// The three files a packet is made of, before sealing.
#[derive(Debug, Clone)]
pub struct Contents {
    /// The manifest.
    pub manifest: Manifest,
    /// The PDF summary.
    pub summary_pdf: Vec<u8>,
    /// `case.json`.
    pub case_json: Vec<u8>,
}

/// Whom a packet is encrypted to.
#[derive(Clone, Copy)]
pub enum Protection<'a> {
    /// The partner's key.
    Recipient(&'a age::x25519::Recipient),
    /// A one-time passphrase.
    Passphrase(&'a str),
}

impl std::fmt::Debug for Protection<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Protection::Recipient(recipient) => write!(f, "Protection::Recipient({recipient})"),
            Protection::Passphrase(_) => f.write_str("Protection::Passphrase([redacted])"),
        }
    }
}

/// The age work factor of a packet's passphrase (2^18, what Go's age writes): fixed, so that a
/// packet from a fast laptop opens on a slow one.
const SCRYPT_WORK_FACTOR: u8 = 18;
/// The highest work factor a packet may ask for when opened (Go's age accepts up to 2^22).
const SCRYPT_MAX_WORK_FACTOR: u8 = 22;

/// The sealed packet: signed, archived and encrypted.
pub fn seal(
    contents: &Contents,
    signer: &SigningKey,
    to: Protection<'_>,
) -> Result<Vec<u8>, ReferralError> {
    let crypto = |error: &dyn std::fmt::Display| ReferralError::Crypto(error.to_string());
    let manifest = serde_json::to_vec_pretty(&contents.manifest).map_err(|e| crypto(&e))?;
    let sums = sums(&[
        (MANIFEST, &manifest),
        (SUMMARY, &contents.summary_pdf),
        (CASE, &contents.case_json),
    ]);
    let signature = signer.sign(sums.as_bytes());
    let pem = signer
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| crypto(&e))?;

    let mut archive = tar::Builder::new(Vec::new());
    for (name, bytes) in [
        (MANIFEST, manifest.as_slice()),
        (SUMMARY, &contents.summary_pdf),
        (CASE, &contents.case_json),
        (SUMS, sums.as_bytes()),
        (SIGNATURE, &signature.to_bytes()),
        (SENDER_KEY, pem.as_bytes()),
    ] {
        let mut header = tar::Header::new_ustar();
        header.set_size(bytes.len() as u64);
        // Readable by whoever extracts it only; no owner or time that says where it was made.
        header.set_mode(0o600);
        header.set_mtime(0);
        header.set_cksum();
        archive
            .append_data(&mut header, name, bytes)
            .map_err(|e| crypto(&e))?;
    }
    let archive = archive.into_inner().map_err(|e| crypto(&e))?;

    let passphrase_recipient;
    let recipient: &dyn age::Recipient = match to {
        Protection::Recipient(recipient) => recipient,
        Protection::Passphrase(passphrase) => {
            let mut recipient = age::scrypt::Recipient::new(passphrase.to_owned().into());
            recipient.set_work_factor(SCRYPT_WORK_FACTOR);
            passphrase_recipient = recipient;
            &passphrase_recipient
        }
    };
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(recipient)).map_err(|e| crypto(&e))?;
    let mut sealed = Vec::with_capacity(archive.len() + 512);
    let mut writer = encryptor.wrap_output(&mut sealed).map_err(|e| crypto(&e))?;
    writer
        .write_all(&archive)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| crypto(&e))?;
    Ok(sealed)
}

/// `sha256sum`'s lines for `files`.
fn sums(files: &[(&str, &[u8])]) -> String {
    files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", hex::encode(Sha256::digest(bytes))))
        .collect()
}

/// A packet opened and checked.
#[derive(Clone)]
pub struct Opened {
    /// Its manifest.
    pub manifest: Manifest,
    /// The PDF summary.
    pub summary_pdf: Vec<u8>,
    /// `case.json`, parsed.
    pub case_json: serde_json::Value,
    /// The key that signed it.
    pub sender_key: VerifyingKey,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The summary and case.json are a person's case: never in a log.
        f.debug_struct("Opened")
            .field("packet_id", &self.manifest.packet_id)
            .finish_non_exhaustive()
    }
}

/// How a packet is to be decrypted.
#[derive(Clone, Copy)]
pub enum Unlock<'a> {
    /// This laptop's age identity (a partner that gave its key).
    Identity(&'a age::x25519::Identity),
    /// The one-time passphrase given by phone.
    Passphrase(&'a str),
}

impl std::fmt::Debug for Unlock<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unlock::Identity(_) => "Unlock::Identity([redacted])",
            Unlock::Passphrase(_) => "Unlock::Passphrase([redacted])",
        })
    }
}

/// Decrypts `sealed` and checks every file against the signed sums and the signature against the
/// key the packet names. Nothing is trusted before all of it holds.
pub fn open(sealed: &[u8], unlock: Unlock<'_>) -> Result<Opened, ReferralError> {
    let files = decrypt_archive(sealed, unlock)?;
    let file = |name: &'static str| {
        files
            .get(name)
            .ok_or(ReferralError::Damaged("a file of the packet is missing"))
    };
    let sums_text = std::str::from_utf8(file(SUMS)?)
        .map_err(|_| ReferralError::Damaged("SHA256SUMS is not text"))?;
    let pem = std::str::from_utf8(file(SENDER_KEY)?)
        .map_err(|_| ReferralError::Damaged("sender.pem is not text"))?;
    let sender_key = VerifyingKey::from_public_key_pem(pem)
        .map_err(|_| ReferralError::Damaged("sender.pem is not an Ed25519 key"))?;
    let signature = Signature::from_slice(file(SIGNATURE)?)
        .map_err(|_| ReferralError::Damaged("the signature is not 64 bytes"))?;
    sender_key
        .verify(sums_text.as_bytes(), &signature)
        .map_err(|_| ReferralError::Damaged("the signature does not match"))?;
    let expected = sums(&[
        (MANIFEST, file(MANIFEST)?),
        (SUMMARY, file(SUMMARY)?),
        (CASE, file(CASE)?),
    ]);
    if expected != sums_text {
        return Err(ReferralError::Damaged(
            "a file does not match its signed sum",
        ));
    }
    let manifest: Manifest = serde_json::from_slice(file(MANIFEST)?)
        .map_err(|_| ReferralError::Damaged("manifest.json is not a packet manifest"))?;
    if manifest.format != FORMAT {
        return Err(ReferralError::Damaged(
            "manifest.json is not a packet manifest",
        ));
    }
    if manifest.version != VERSION {
        return Err(ReferralError::Damaged(
            "the packet is of a newer format: update Hearth",
        ));
    }
    if manifest.from.signing_key != hex::encode(sender_key.as_bytes()) {
        return Err(ReferralError::Damaged(
            "the manifest names another key than the one that signed it",
        ));
    }
    let case_json = serde_json::from_slice(file(CASE)?)
        .map_err(|_| ReferralError::Damaged("case.json is not JSON"))?;
    Ok(Opened {
        manifest,
        summary_pdf: file(SUMMARY)?.clone(),
        case_json,
        sender_key,
    })
}

/// The archive's files by name, decrypted. The same name twice, an unknown name, or a file that
/// is not a plain file is damage.
fn decrypt_archive(
    sealed: &[u8],
    unlock: Unlock<'_>,
) -> Result<BTreeMap<String, Vec<u8>>, ReferralError> {
    let archive = decrypt(sealed, unlock, MAX_OPENED)?;
    let mut files = BTreeMap::new();
    let mut reader = tar::Archive::new(archive.as_slice());
    let entries = reader
        .entries()
        .map_err(|_| ReferralError::Damaged("not an archive"))?;
    for entry in entries {
        let mut entry = entry.map_err(|_| ReferralError::Damaged("the archive is cut short"))?;
        if !entry.header().entry_type().is_file() {
            return Err(ReferralError::Damaged("the archive holds more than files"));
        }
        let name = entry
            .path()
            .map_err(|_| ReferralError::Damaged("a file name is not readable"))?
            .to_string_lossy()
            .into_owned();
        if ![MANIFEST, SUMMARY, CASE, SUMS, SIGNATURE, SENDER_KEY].contains(&name.as_str()) {
            return Err(ReferralError::Damaged("the archive holds an unknown file"));
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|_| ReferralError::Damaged("the archive is cut short"))?;
        if files.insert(name, bytes).is_some() {
            return Err(ReferralError::Damaged("the archive holds a file twice"));
        }
    }
    Ok(files)
}

/// Decrypts an age file to at most `limit` bytes.
pub(crate) fn decrypt(
    sealed: &[u8],
    unlock: Unlock<'_>,
    limit: u64,
) -> Result<Vec<u8>, ReferralError> {
    let decryptor = age::Decryptor::new_buffered(sealed).map_err(|error| match error {
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => {
            ReferralError::Damaged("not an age file")
        }
        _ => ReferralError::Damaged("the encryption's header is damaged"),
    })?;
    let passphrase_identity;
    let identity: &dyn age::Identity = match unlock {
        Unlock::Identity(identity) => identity,
        Unlock::Passphrase(passphrase) => {
            let mut identity = age::scrypt::Identity::new(passphrase.trim().to_owned().into());
            identity.set_max_work_factor(SCRYPT_MAX_WORK_FACTOR);
            passphrase_identity = identity;
            &passphrase_identity
        }
    };
    let reader = decryptor
        .decrypt(std::iter::once(identity))
        .map_err(|error| match error {
            age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                ReferralError::NotAddressed
            }
            _ => ReferralError::Damaged("the encryption's header is damaged"),
        })?;
    let mut plain = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut plain)
        .map_err(|_| ReferralError::Damaged("the encrypted content is altered or cut short"))?;
    if plain.len() as u64 > limit {
        return Err(ReferralError::Damaged("it is far larger than any packet"));
    }
    Ok(plain)
}
