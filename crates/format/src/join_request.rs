//! A laptop's request to join the organisation (`join-request.json`): its public keys and the
//! site it serves, signed with its own Ed25519 key. It travels in the clear, by stick or e-mail,
//! to an administrator of a member laptop, who reads the device id and the fingerprint back to
//! the person at the new laptop before approving it.
//!
//! ```text
//! {"hearth_join_request": 1, "device": <32 hex>, "site": <text>, "signing_key": <base64 32 bytes>,
//!  "age_recipient": "age1…", "signature": <base64 64 bytes>}
//! ```
//!
//! The signature is over [`JoinRequest::signed_text`]: proof that whoever made the request holds
//! the key it names (not who they are: that is the fingerprint read aloud).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::bundle::BundleError;

/// A laptop's request to join the organisation: its public keys, signed with its own key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JoinRequest {
    /// Always 1.
    pub hearth_join_request: u32,
    /// The device id (hex).
    pub device: String,
    /// The site it will serve.
    pub site: String,
    /// Its Ed25519 public key (base64).
    pub signing_key: String,
    /// Its age recipient.
    pub age_recipient: String,
    /// Its signature (base64) over the lines of [`JoinRequest::signed_text`].
    pub signature: String,
}

impl JoinRequest {
    /// Reads a request file's JSON (not yet checked: see [`JoinRequest::verify`]).
    pub fn from_json(bytes: &[u8]) -> Result<JoinRequest, serde_json::Error> {
        serde_json::from_slice(bytes)
    }

    /// What the request's key signs.
    pub fn signed_text(&self) -> String {
        format!(
            "hearth-join-request/v1\n{}\n{}\n{}\n{}\n",
            self.device, self.site, self.signing_key, self.age_recipient
        )
    }

    /// Checks that the request is of a version this Hearth reads, names an age recipient, and
    /// was signed by the key it carries; returns that key.
    pub fn verify(&self) -> Result<VerifyingKey, BundleError> {
        let bad = BundleError::Malformed;
        if self.hearth_join_request != 1 {
            return Err(BundleError::NewerFormat(self.hearth_join_request));
        }
        self.age_recipient
            .parse::<age::x25519::Recipient>()
            .map_err(|_| bad("the join request's age recipient"))?;
        let key = BASE64
            .decode(&self.signing_key)
            .ok()
            .and_then(|key| <[u8; 32]>::try_from(key).ok())
            .and_then(|key| VerifyingKey::from_bytes(&key).ok())
            .ok_or(bad("the join request's key"))?;
        let signature = BASE64
            .decode(&self.signature)
            .ok()
            .and_then(|s| Signature::from_slice(&s).ok())
            .ok_or(bad("the join request's signature"))?;
        key.verify(self.signed_text().as_bytes(), &signature)
            .map_err(|_| BundleError::BadSignature)?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn signed(site: &str) -> JoinRequest {
        let key = SigningKey::from_bytes(&[7; 32]);
        let mut request = JoinRequest {
            hearth_join_request: 1,
            device: "ab".repeat(16),
            site: site.to_owned(),
            signing_key: BASE64.encode(key.verifying_key().to_bytes()),
            age_recipient: age::x25519::Identity::generate().to_public().to_string(),
            signature: String::new(),
        };
        request.signature = BASE64.encode(key.sign(request.signed_text().as_bytes()).to_bytes());
        request
    }

    #[test]
    fn a_signed_request_verifies_and_any_changed_field_does_not() {
        let request = signed("Shkodër");
        let parsed = JoinRequest::from_json(&serde_json::to_vec(&request).unwrap()).unwrap();
        assert_eq!(parsed, request);
        assert!(parsed.verify().is_ok());
        let mut moved = request.clone();
        moved.site = "Vlorë".into();
        assert!(matches!(moved.verify(), Err(BundleError::BadSignature)));
        let mut newer = request.clone();
        newer.hearth_join_request = 2;
        assert!(matches!(newer.verify(), Err(BundleError::NewerFormat(2))));
        let mut no_recipient = request;
        no_recipient.age_recipient = "age1nonsense".into();
        assert!(matches!(
            no_recipient.verify(),
            Err(BundleError::Malformed(_))
        ));
    }
}
