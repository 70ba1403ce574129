//! A partner's answer to a referral packet, version 1: an age file to the sending laptop's
//! recipient (from the packet's manifest), holding JSON
//!
//! ```json
//! { "body": "<the answer, as JSON text>", "mac": "<hex>", "signature": "<hex>" }
//! ```
//!
//! `mac` is HMAC-SHA256 of the body under the answer key only the packet carried: it proves the
//! answer comes from whoever holds the packet, so that nobody else can move the referral's status.
//! `signature` is the answering laptop's Ed25519 signature of the body (its key is in the body),
//! for anyone to check with standard tools. A replayed answer is refused by the sender's ledger.

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::packet::{self, Unlock};
use crate::ReferralError;

/// What the body says it is.
pub const FORMAT: &str = "hearth-referral-answer";
/// The version this Hearth writes and reads.
pub const VERSION: u32 = 1;

/// The partner's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export_to = "AnswerOutcome.ts"))]
#[serde(rename_all = "snake_case")]
pub enum AnswerOutcome {
    /// The partner takes the person on.
    Accepted,
    /// The partner cannot, for the reason given (`referral_decline_reason`, Primero's list).
    Declined,
}

/// An answer's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerBody {
    /// [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// The packet answered (hex).
    pub packet_id: String,
    /// This answer's own id (hex).
    pub answer_id: String,
    /// Accepted or declined.
    pub outcome: AnswerOutcome,
    /// Why it was declined (`referral_decline_reason` code).
    pub decline_reason: Option<String>,
    /// The day of the answer (`YYYY-MM-DD`).
    pub answered: String,
    /// The answering organisation.
    pub organisation: String,
    /// The answering laptop's Ed25519 key (hex), which signed it.
    pub signing_key: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct AnswerFile {
    body: String,
    mac: String,
    signature: String,
}

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &[u8; 32], body: &[u8]) -> Result<HmacSha256, ReferralError> {
    let mut mac = HmacSha256::new_from_slice(key)
        .map_err(|error| ReferralError::Crypto(error.to_string()))?;
    mac.update(body);
    Ok(mac)
}

/// The sealed answer, for the sender's laptop.
pub fn seal(
    body: &AnswerBody,
    answer_key: &[u8; 32],
    signer: &SigningKey,
    to: &age::x25519::Recipient,
) -> Result<Vec<u8>, ReferralError> {
    let crypto = |error: &dyn std::fmt::Display| ReferralError::Crypto(error.to_string());
    let text = serde_json::to_string(body).map_err(|e| crypto(&e))?;
    let file = AnswerFile {
        mac: hex::encode(mac(answer_key, text.as_bytes())?.finalize().into_bytes()),
        signature: hex::encode(signer.sign(text.as_bytes()).to_bytes()),
        body: text,
    };
    let json = serde_json::to_vec_pretty(&file).map_err(|e| crypto(&e))?;
    age::encrypt(to, &json).map_err(|e| crypto(&e))
}

/// Opens an answer to this laptop and checks it: its signature, and its MAC under the key that
/// `answer_key` gives for the packet it names (`None`: a packet this laptop never sent).
pub fn open(
    sealed: &[u8],
    identity: &age::x25519::Identity,
    answer_key: impl FnOnce(&str) -> Result<Option<[u8; 32]>, ReferralError>,
) -> Result<AnswerBody, ReferralError> {
    let json = packet::decrypt(sealed, Unlock::Identity(identity), 1024 * 1024)?;
    let damaged = ReferralError::Damaged;
    let file: AnswerFile =
        serde_json::from_slice(&json).map_err(|_| damaged("not a referral answer"))?;
    let body: AnswerBody =
        serde_json::from_str(&file.body).map_err(|_| damaged("not a referral answer"))?;
    if body.format != FORMAT {
        return Err(damaged("not a referral answer"));
    }
    if body.version != VERSION {
        return Err(damaged("the answer is of a newer format: update Hearth"));
    }
    let key_bytes: [u8; 32] = hex::decode(&body.signing_key)
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or(damaged("the answer's key is not an Ed25519 key"))?;
    let signer = VerifyingKey::from_bytes(&key_bytes)
        .map_err(|_| damaged("the answer's key is not valid"))?;
    let signature = hex::decode(&file.signature)
        .ok()
        .and_then(|bytes| Signature::from_slice(&bytes).ok())
        .ok_or(damaged("the answer's signature is not readable"))?;
    signer
        .verify(file.body.as_bytes(), &signature)
        .map_err(|_| damaged("the answer's signature does not match"))?;
    let key = answer_key(&body.packet_id)?.ok_or(ReferralError::UnknownPacket)?;
    let expected =
        hex::decode(&file.mac).map_err(|_| damaged("the answer's MAC is not readable"))?;
    mac(&key, file.body.as_bytes())?
        .verify_slice(&expected)
        .map_err(|_| damaged("the answer was not made by the holder of the packet"))?;
    Ok(body)
}
