//! Partners' keys: an age X25519 recipient given in person or by phone, set by a supervisor after
//! reading its fingerprint back; and the one-time passphrase a packet to a partner without a key
//! is protected by.

use rusqlite::Transaction;
use serde_json::{Map, Value};

use hearth_records::{partners, Actor, RecordId};

use crate::ReferralError;

/// A key's fingerprint as people read it aloud: the first 80 bits of the SHA-256 of its `age1...`
/// text, in five groups of four hex digits (the form device fingerprints take). A partner without
/// Hearth computes it with `printf %s age1... | sha256sum | cut -c1-20`.
pub fn fingerprint(recipient: &str) -> String {
    hearth_store::device::fingerprint_of(recipient.trim().as_bytes())
}

/// Sets (or, with `None`, removes) a partner's key; returns the fingerprint of the key set. The
/// records layer checks the key and that the actor may set keys, and audits the change.
pub fn set_partner_key(
    transaction: &Transaction<'_>,
    actor: &Actor,
    partner: RecordId,
    recipient: Option<&str>,
) -> Result<Option<String>, ReferralError> {
    let mut input = Map::new();
    input.insert(
        "age_recipient".to_owned(),
        recipient.map_or(Value::Null, |key| Value::from(key.trim())),
    );
    partners::update(transaction, actor, partner, &input)?;
    Ok(recipient.map(fingerprint))
}

/// Letters and digits that cannot be mistaken for one another when read over the phone (no 0/o,
/// 1/l/i).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new one-time passphrase: six groups of four characters from [`ALPHABET`] (about 119 bits),
/// shown once and given to the partner by phone.
pub fn one_time_passphrase() -> Result<String, ReferralError> {
    let mut groups = Vec::with_capacity(6);
    for _ in 0..6 {
        let mut group = String::with_capacity(4);
        while group.len() < 4 {
            let [byte] = crate::random::<1>()?;
            // Rejection sampling keeps every character equally likely.
            if usize::from(byte) < 256 - 256 % ALPHABET.len() {
                group.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
            }
        }
        groups.push(group);
    }
    Ok(groups.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passphrases_are_six_groups_of_unambiguous_characters_and_differ() {
        let one = one_time_passphrase().unwrap();
        let two = one_time_passphrase().unwrap();
        assert_ne!(one, two);
        let groups: Vec<&str> = one.split('-').collect();
        assert_eq!(groups.len(), 6);
        for group in groups {
            assert_eq!(group.len(), 4);
            assert!(group.bytes().all(|b| ALPHABET.contains(&b)), "{group}");
        }
    }

    #[test]
    fn a_fingerprint_is_what_sha256sum_gives_for_the_key_text() {
        let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        // printf %s age1ql3z... | sha256sum | cut -c1-20
        let printed = fingerprint(key).replace('-', "");
        assert_eq!(printed.len(), 20);
        use sha2::Digest;
        assert_eq!(
            printed,
            hex::encode(&sha2::Sha256::digest(key.as_bytes())[..10])
        );
        assert_eq!(fingerprint(&format!(" {key}\n")), fingerprint(key));
    }
}
