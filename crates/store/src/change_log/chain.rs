//! Each device's changes as a hash chain, so that a laptop passing another's changes on cannot
//! alter, drop, reorder or invent one: the chain's head travels signed by the device that made
//! them (a `hearth.changes/` note, `hearth_format::checkpoint`), and whoever receives them hashes
//! them again and compares.
//!
//! Consent keeps some fields of a case on the laptops that hold them, so a copy of a change may
//! travel without them; its hash must not change. A change is therefore hashed over one *leaf* per
//! field, and a copy without a field carries that field's leaf instead of its value. A leaf is
//! salted with a secret of the change's own, so that it tells nobody what the value was: a birth
//! date has too few possible values for an unsalted hash to hide it. Every salt derives from one
//! random 16-byte seed drawn when the edit is made; a whole copy carries the seed, a part copy the
//! salts of the fields it has.
//!
//! The hashes, all SHA-256, with `lp(x)` = x's length as 4 bytes big-endian, then x:
//!
//! ```text
//! salt(field)  = first 16 bytes of H("hearth.salt/v1\n" || seed (16) || field)
//! leaf(field)  = H("hearth.leaf/v1\n" || salt || lp(field) || value as compact JSON, keys sorted)
//! digest       = H("hearth.change/v1\n" || device (16) || seq (8) || hlc_ms (8) || hlc_counter (4)
//!                  || account (16) || entity_id (16) || lp(entity_kind) || lp(replaces as JSON)
//!                  || number of fields (4) || for each field and withheld field, by name:
//!                  lp(name) || leaf)
//! chain(n)     = H("hearth.chain/v1\n" || chain(n - 1) || digest(n)),   chain(0) = 32 zero bytes
//! ```
//!
//! Numbers are big-endian; `replaces` is the JSON object `changes.replaces` stores (fields sorted,
//! each edit as `device-hex:seq`). A change made before Hearth chained its changes has no proof;
//! the first chained change of such a device starts from 32 zero bytes.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use hearth_ids::DeviceId;

use super::storage::{from_sql_int, replaces_json, to_sql_int};
use super::{Change, ChangeLogError};

/// The chain hash before a device's first chained change.
pub const GENESIS: [u8; 32] = [0; 32];

/// What a change's hash is computed from besides its own parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ProofJson", into = "ProofJson")]
pub enum ChainProof {
    /// The random seed its device drew, from which every field's salt derives: a whole copy.
    Seed([u8; 16]),
    /// A copy without some fields: the salt of each field it has, the leaf of each it lacks.
    Part {
        /// Per field present, its salt.
        salts: BTreeMap<String, [u8; 16]>,
        /// Per field withheld, its leaf.
        leaves: BTreeMap<String, [u8; 32]>,
    },
}

/// A proof as JSON (the `changes.proof` column and a bundle's changes): base64 (standard, padded),
/// which keeps a bundle of 300,000 changes 6 MB smaller than hex would.
#[derive(Serialize, Deserialize)]
struct ProofJson {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salts: Option<BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    leaves: Option<BTreeMap<String, String>>,
}

fn from_base64<const N: usize>(text: &str) -> Result<[u8; N], &'static str> {
    BASE64
        .decode(text)
        .ok()
        .and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
        .ok_or("a change's proof holds something that is not a hash or salt")
}

impl TryFrom<ProofJson> for ChainProof {
    type Error = &'static str;

    fn try_from(json: ProofJson) -> Result<Self, Self::Error> {
        match json {
            ProofJson {
                seed: Some(seed),
                salts: None,
                leaves: None,
            } => Ok(ChainProof::Seed(from_base64(&seed)?)),
            ProofJson {
                seed: None,
                salts,
                leaves,
            } => Ok(ChainProof::Part {
                salts: salts
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(field, salt)| Ok((field, from_base64(&salt)?)))
                    .collect::<Result<_, &'static str>>()?,
                leaves: leaves
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(field, leaf)| Ok((field, from_base64(&leaf)?)))
                    .collect::<Result<_, &'static str>>()?,
            }),
            _ => Err("a change's proof has both a seed and salts"),
        }
    }
}

impl From<ChainProof> for ProofJson {
    fn from(proof: ChainProof) -> Self {
        match proof {
            ChainProof::Seed(seed) => ProofJson {
                seed: Some(BASE64.encode(seed)),
                salts: None,
                leaves: None,
            },
            ChainProof::Part { salts, leaves } => ProofJson {
                seed: None,
                salts: Some(
                    salts
                        .into_iter()
                        .map(|(f, s)| (f, BASE64.encode(s)))
                        .collect(),
                ),
                leaves: Some(
                    leaves
                        .into_iter()
                        .map(|(f, l)| (f, BASE64.encode(l)))
                        .collect(),
                ),
            },
        }
    }
}

impl ChainProof {
    /// A new edit's proof: a fresh random seed.
    pub fn fresh() -> Result<ChainProof, ChangeLogError> {
        Ok(ChainProof::Seed(
            hearth_crypto::random_bytes().map_err(|_| ChangeLogError::NoRandomness)?,
        ))
    }

    /// The salt of `field`, if this proof has it.
    pub fn salt(&self, field: &str) -> Option<[u8; 16]> {
        match self {
            ChainProof::Seed(seed) => Some(salt_from_seed(seed, field)),
            ChainProof::Part { salts, .. } => salts.get(field).copied(),
        }
    }

    /// The proof of a copy of `change` that lacks the values of `withheld` too: salts for the
    /// fields it keeps, leaves for the rest. `None` if this proof lacks a salt it needs.
    pub fn without(&self, change: &Change, withheld: &[String]) -> Option<ChainProof> {
        let mut salts = BTreeMap::new();
        let mut leaves = match self {
            ChainProof::Part { leaves, .. } => leaves.clone(),
            ChainProof::Seed(_) => BTreeMap::new(),
        };
        for (field, value) in &change.fields {
            let salt = self.salt(field)?;
            if withheld.contains(field) {
                leaves.insert(field.clone(), leaf(&salt, field, value));
            } else {
                salts.insert(field.clone(), salt);
            }
        }
        Some(ChainProof::Part { salts, leaves })
    }
}

fn salt_from_seed(seed: &[u8; 16], field: &str) -> [u8; 16] {
    let digest = Sha256::new()
        .chain_update(b"hearth.salt/v1\n")
        .chain_update(seed)
        .chain_update(field.as_bytes())
        .finalize();
    let mut salt = [0; 16];
    salt.copy_from_slice(&digest[..16]);
    salt
}

fn length_prefixed(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update(u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    hasher.update(bytes);
}

/// A field's leaf: its name and value under its salt.
pub fn leaf(salt: &[u8; 16], field: &str, value: &Value) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"hearth.leaf/v1\n");
    hasher.update(salt);
    length_prefixed(&mut hasher, field.as_bytes());
    // serde_json's maps are sorted (no preserve_order), so this text is the same on every laptop.
    hasher.update(value.to_string().as_bytes());
    hasher.finalize().into()
}

/// A change's own hash, from its parts and one leaf per field (given or withheld); `None` when it
/// has no proof, or its proof does not fit its fields (a salt or a leaf missing, one too many).
pub fn digest(change: &Change) -> Option<[u8; 32]> {
    let proof = change.proof.as_ref()?;
    let mut leaves: BTreeMap<&str, [u8; 32]> = BTreeMap::new();
    for (field, value) in &change.fields {
        leaves.insert(field, leaf(&proof.salt(field)?, field, value));
    }
    match proof {
        ChainProof::Seed(_) if !change.withheld.is_empty() => return None,
        ChainProof::Seed(_) => {}
        ChainProof::Part {
            salts,
            leaves: withheld,
        } => {
            // The withheld names exactly the leaves' fields, sorted, each once: a name repeated
            // in place of another would pass a count and hide which fields the copy lacks.
            if salts.len() != change.fields.len()
                || withheld.len() != change.withheld.len()
                || !change.withheld.windows(2).all(|pair| pair[0] < pair[1])
                || change.withheld.iter().any(|f| !withheld.contains_key(f))
            {
                return None;
            }
            for (field, leaf) in withheld {
                if leaves.insert(field, *leaf).is_some() {
                    return None; // a field both given and withheld
                }
            }
        }
    }
    let mut hasher = Sha256::new();
    hasher.update(b"hearth.change/v1\n");
    hasher.update(change.device.0);
    hasher.update(change.seq.to_be_bytes());
    hasher.update(change.hlc.wall_ms.to_be_bytes());
    hasher.update(change.hlc.counter.to_be_bytes());
    hasher.update(change.account.as_bytes());
    hasher.update(change.entity_id);
    length_prefixed(&mut hasher, change.entity_kind.as_bytes());
    length_prefixed(&mut hasher, replaces_json(&change.replaces).as_bytes());
    hasher.update(u32::try_from(leaves.len()).ok()?.to_be_bytes());
    for (field, leaf) in leaves {
        length_prefixed(&mut hasher, field.as_bytes());
        hasher.update(leaf);
    }
    Some(hasher.finalize().into())
}

/// The chain hash at a change: the one before it, and its digest.
pub fn link(previous: &[u8; 32], digest: &[u8; 32]) -> [u8; 32] {
    Sha256::new()
        .chain_update(b"hearth.chain/v1\n")
        .chain_update(previous)
        .chain_update(digest)
        .finalize()
        .into()
}

/// Where a device's chain stands at change `seq` here: `None` if this vault lacks the change,
/// `Some(None)` if it is a change from before chaining, `Some(Some(hash))` otherwise.
pub fn chain_at(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<Option<[u8; 32]>>, ChangeLogError> {
    let row: Option<Option<Vec<u8>>> = connection
        .prepare_cached("SELECT chain FROM changes WHERE device = ?1 AND seq = ?2")?
        .query_row(params![device.0.as_slice(), to_sql_int(seq)?], |row| {
            row.get(0)
        })
        .optional()?;
    row.map(|chain| {
        chain
            .map(|hash| <[u8; 32]>::try_from(hash).map_err(|_| ChangeLogError::OutOfRange))
            .transpose()
    })
    .transpose()
}

/// The hash the chain of the change after `seq` starts from, if this vault holds `seq`: its chain
/// hash, or [`GENESIS`] when it is a change from before chaining (or `seq` is 0).
pub fn chain_before_next(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<[u8; 32]>, ChangeLogError> {
    if seq == 0 {
        return Ok(Some(GENESIS));
    }
    Ok(chain_at(connection, device, seq)?.map(|chain| chain.unwrap_or(GENESIS)))
}

/// The number of `device`'s first chained change here, if any: its changes before it are from
/// before chaining, and none after it may come without a proof.
pub fn first_chained(
    connection: &Connection,
    device: DeviceId,
) -> Result<Option<u64>, ChangeLogError> {
    let seq: Option<i64> = connection
        .prepare_cached(
            "SELECT seq FROM changes WHERE device = ?1 AND chain IS NOT NULL ORDER BY seq LIMIT 1",
        )?
        .query_row([device.0.as_slice()], |row| row.get(0))
        .optional()?;
    seq.map(from_sql_int).transpose()
}

/// A head of a device's chain, signed by that device, as it arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHead {
    /// The device whose chain it is.
    pub device: DeviceId,
    /// The number of the change it covers up to.
    pub seq: u64,
    /// The chain hash there.
    pub hash: [u8; 32],
    /// The signed note (`hearth.changes/…`).
    pub note: String,
}

/// Keeps a head whose signature the caller has checked.
pub fn store_head(connection: &Connection, head: &SignedHead) -> Result<(), ChangeLogError> {
    connection
        .prepare_cached(
            "INSERT OR IGNORE INTO change_heads (device, seq, hash, note) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            head.device.0.as_slice(),
            to_sql_int(head.seq)?,
            head.hash.as_slice(),
            head.note
        ])?;
    Ok(())
}

/// The highest head of `device` kept here that covers no further than `seq`.
pub fn head_at_or_below(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<SignedHead>, ChangeLogError> {
    let row: Option<(i64, Vec<u8>, String)> = connection
        .prepare_cached(
            "SELECT seq, hash, note FROM change_heads WHERE device = ?1 AND seq <= ?2
             ORDER BY seq DESC LIMIT 1",
        )?
        .query_row(params![device.0.as_slice(), to_sql_int(seq)?], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    row.map(|(seq, hash, note)| {
        Ok(SignedHead {
            device,
            seq: from_sql_int(seq)?,
            hash: <[u8; 32]>::try_from(hash).map_err(|_| ChangeLogError::OutOfRange)?,
            note,
        })
    })
    .transpose()
}

/// The hash of `device`'s head at exactly `seq`, if one is kept here.
pub fn head_hash_at(
    connection: &Connection,
    device: DeviceId,
    seq: u64,
) -> Result<Option<[u8; 32]>, ChangeLogError> {
    Ok(head_at_or_below(connection, device, seq)?
        .filter(|head| head.seq == seq)
        .map(|head| head.hash))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_ids::{AccountId, Hlc};
    use serde_json::json;

    fn change(fields: Value, proof: ChainProof) -> Change {
        let Value::Object(fields) = fields else {
            unreachable!()
        };
        Change {
            device: DeviceId([1; 16]),
            seq: 7,
            hlc: Hlc {
                wall_ms: 1_000,
                counter: 2,
            },
            account: AccountId::from_bytes([9; 16]),
            entity_kind: "case".into(),
            entity_id: [3; 16],
            fields,
            replaces: Default::default(),
            withheld: Vec::new(),
            proof: Some(proof),
            chain: None,
        }
    }

    /// The copy of `change` that consent would send without the values of `withheld` too.
    fn without(change: &Change, withheld: &[&str]) -> Change {
        let mut all: Vec<String> = change.withheld.clone();
        all.extend(withheld.iter().map(|field| (*field).to_owned()));
        all.sort();
        Change {
            fields: change
                .fields
                .iter()
                .filter(|(field, _)| !withheld.contains(&field.as_str()))
                .map(|(f, v)| (f.clone(), v.clone()))
                .collect(),
            proof: change.proof.as_ref().unwrap().without(change, &all),
            withheld: all,
            ..change.clone()
        }
    }

    #[test]
    fn a_copy_without_a_field_hashes_as_the_whole_change() {
        let whole = change(
            json!({"given_name": "Ana", "gender": "Feminine", "risk_level": "High"}),
            ChainProof::Seed([5; 16]),
        );
        let expected = digest(&whole).unwrap();
        let part = without(&whole, &["given_name"]);
        assert_eq!(digest(&part), Some(expected));
        // Its proof holds no seed and no salt of the name: the leaf cannot be tried against guesses.
        let Some(ChainProof::Part { salts, leaves }) = &part.proof else {
            panic!("a part copy carries salts and leaves");
        };
        assert!(!salts.contains_key("given_name") && leaves.contains_key("given_name"));
        // Withholding again from the part copy gives the same hash too.
        assert_eq!(digest(&without(&part, &["gender"])), Some(expected));
        // A part copy whose kept value was changed does not.
        let mut altered = part.clone();
        altered.fields.insert("risk_level".into(), json!("Low"));
        assert_ne!(digest(&altered), Some(expected));
    }

    #[test]
    fn every_part_of_a_change_is_in_its_hash() {
        let base = change(json!({"risk_level": "High"}), ChainProof::Seed([5; 16]));
        let hash = digest(&base).unwrap();
        let variants = [
            Change {
                seq: 8,
                ..base.clone()
            },
            Change {
                hlc: Hlc {
                    wall_ms: 1_000,
                    counter: 3,
                },
                ..base.clone()
            },
            Change {
                account: AccountId::from_bytes([8; 16]),
                ..base.clone()
            },
            Change {
                entity_kind: "note".into(),
                ..base.clone()
            },
            Change {
                entity_id: [4; 16],
                ..base.clone()
            },
            Change {
                device: DeviceId([7; 16]),
                ..base.clone()
            },
            change(json!({"risk_level": "Low"}), ChainProof::Seed([5; 16])),
            change(json!({"risk_level": "High"}), ChainProof::Seed([6; 16])),
            Change {
                replaces: [(
                    "risk_level".to_owned(),
                    vec![super::super::ChangeRef {
                        device: DeviceId([2; 16]),
                        seq: 1,
                    }],
                )]
                .into(),
                ..base.clone()
            },
        ];
        for variant in variants {
            assert_ne!(digest(&variant), Some(hash), "{variant:?}");
        }
        // A proof that does not fit: a withheld field without its leaf, or a seed with withholding.
        let no_leaf = Change {
            withheld: vec!["given_name".into()],
            proof: Some(ChainProof::Part {
                salts: [(
                    "risk_level".to_owned(),
                    salt_from_seed(&[5; 16], "risk_level"),
                )]
                .into(),
                leaves: BTreeMap::new(),
            }),
            ..base.clone()
        };
        assert_eq!(digest(&no_leaf), None);
        // One withheld name repeated in place of another.
        let whole = change(json!({"a": 1, "b": 2, "c": 3}), ChainProof::Seed([5; 16]));
        let two = without(&whole, &["a", "b"]);
        assert!(digest(&two).is_some());
        let repeated = Change {
            withheld: vec!["a".into(), "a".into()],
            ..two
        };
        assert_eq!(digest(&repeated), None);
        let seed_and_withheld = Change {
            withheld: vec!["given_name".into()],
            ..base.clone()
        };
        assert_eq!(digest(&seed_and_withheld), None);
        assert_eq!(
            digest(&Change {
                proof: None,
                ..base
            }),
            None
        );
    }

    /// The format pinned: these hashes were computed by scripts/verify-changes.py (Python's
    /// hashlib, written from the description above, not from this code). A change to how a change
    /// hashes breaks every chain already signed; it needs a new version of the `hearth.*/v1` tags.
    #[test]
    fn the_hashes_are_those_the_office_script_computes() {
        let mut pinned = change(
            json!({"given_name": "Ana Ëlezi", "risk_level": "High"}),
            ChainProof::Seed([5; 16]),
        );
        pinned.replaces = [(
            "risk_level".to_owned(),
            vec![super::super::ChangeRef {
                device: DeviceId([2; 16]),
                seq: 1,
            }],
        )]
        .into();
        let digest = digest(&pinned).unwrap();
        assert_eq!(
            hex::encode(digest),
            "958ec8f7b9a626017e0bac2be92534776d6d4b80881e2982709ac1a924f8d57c"
        );
        assert_eq!(
            hex::encode(link(&GENESIS, &digest)),
            "507882e120f0902b109fd37ead93c7d6801ac648c75211b6a9faa7438cb5bd81"
        );
    }

    #[test]
    fn a_proof_reads_back_from_its_json() {
        let whole = change(
            json!({"given_name": "Ana", "gender": "Female"}),
            ChainProof::Seed([5; 16]),
        );
        for proof in [
            whole.proof.clone().unwrap(),
            whole
                .proof
                .as_ref()
                .unwrap()
                .without(&whole, &["given_name".to_owned()])
                .unwrap(),
        ] {
            let text = serde_json::to_string(&proof).unwrap();
            assert_eq!(serde_json::from_str::<ChainProof>(&text).unwrap(), proof);
        }
        let seed = r#"{"seed": "BQUFBQUFBQUFBQUFBQUFBQ=="}"#;
        assert_eq!(
            serde_json::from_str::<ChainProof>(seed).unwrap(),
            ChainProof::Seed([5; 16])
        );
        // Too short, or a seed and salts at once.
        assert!(serde_json::from_str::<ChainProof>(r#"{"seed": "BQU="}"#).is_err());
        assert!(serde_json::from_str::<ChainProof>(
            r#"{"seed": "BQUFBQUFBQUFBQUFBQUFBQ==", "salts": {}}"#
        )
        .is_err());
    }
}
