//! The sealed bundle file, in which changes travel between laptops and to the office.
//!
//! A bundle is an age v1 file (X25519 recipients: the organisation's member devices and the
//! office), so the office can open any bundle with standard age tools and its identity. What is
//! inside starts with a 17-byte magic line naming the container:
//!
//! - `hearth-bundle/v1\n`: the **whole** container ([`whole`]), one signed blob read into memory
//!   at once. Written by Hearth until bundle format 2; still read.
//! - `hearth-bundle/v2\n`: the **streaming** container ([`stream`]), a zstd stream of JSON lines
//!   (frames) read and written one at a time, whose signature at the end covers a hash of every
//!   frame. Written from bundle format 3 on. `docs/bundle-format.md` describes it byte for byte
//!   and says how to open one with standard tools.
//!
//! [`open_sealed`] decrypts a bundle and says which container it holds.

use std::io::Read;

use serde::{Deserialize, Serialize};

use hearth_ids::DeviceId;

pub mod stream;
pub mod whole;

pub use stream::{BundleReader, BundleWriter};
pub use whole::{open, open_container, open_with, seal, BundleContents};

/// The whole container's magic and version line.
pub const MAGIC: &[u8; 17] = b"hearth-bundle/v1\n";
/// The streaming container's magic and version line.
pub const STREAM_MAGIC: &[u8; 17] = b"hearth-bundle/v2\n";

/// The bundle format this build writes; it reads this one and every one before it.
///
/// - 1: the whole container; the body carries changes, audit entries and the roster.
/// - 2: the same container; each change in the body carries its chain proof and the body the
///   signed head of each device's change chain (`hearth_sync`, `hearth_store::change_log::chain`).
///   A Hearth that reads only format 1 could not check them, and refuses the bundle as newer.
/// - 3: the streaming container, with the same records as format 2, one per frame.
pub const FORMAT: u32 = 3;
/// The last format written in the whole container.
pub const LAST_WHOLE_FORMAT: u32 = 2;

/// What a bundle says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The bundle format ([`FORMAT`]).
    pub format: u32,
    /// A random id for this bundle (hex).
    pub bundle_id: String,
    /// The device that made and signed it (hex).
    pub origin_device: String,
    /// When it was made (milliseconds since the epoch, the origin's clock).
    pub created_ms: u64,
    /// The whole container only: SHA-256 of the body as stored, compressed (hex).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub body_sha256: String,
    /// The whole container only: how the body is compressed, `zstd`, or absent for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compression: Option<String>,
    /// Per device (hex), the first and last change numbers the body holds.
    #[serde(default)]
    pub ranges: std::collections::BTreeMap<String, [u64; 2]>,
    /// The origin's audit checkpoint at export (the signed note), if any.
    #[serde(default)]
    pub checkpoint: Option<String>,
}

impl Manifest {
    /// The device that made the bundle, if the manifest names one.
    pub fn origin(&self) -> Option<DeviceId> {
        hearth_ids::parse_hex16(&self.origin_device).map(DeviceId)
    }
}

/// A manifest from `origin`, without ranges or checkpoint.
pub fn manifest_for(origin: DeviceId, bundle_id: [u8; 16], created_ms: u64) -> Manifest {
    Manifest {
        format: FORMAT,
        bundle_id: hex::encode(bundle_id),
        origin_device: hex::encode(origin.0),
        created_ms,
        body_sha256: String::new(),
        compression: None,
        ranges: std::collections::BTreeMap::new(),
        checkpoint: None,
    }
}

/// Why a bundle could not be made or opened. Opening one changes nothing, whatever the error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// Encrypted to other recipients only.
    #[error("this bundle is not addressed to this laptop (it was encrypted for other devices)")]
    NotAddressedToUs,
    /// Not an age file at all.
    #[error("this file is not a Hearth bundle (it is not an age-encrypted file)")]
    NotAgeFile,
    /// Decryption failed part-way: altered or truncated.
    #[error("this bundle is damaged or was altered: it does not decrypt")]
    Damaged,
    /// Decrypts, but is not a Hearth container.
    #[error("this file decrypts but is not a Hearth bundle")]
    NotABundle,
    /// A length, the manifest, a frame or the signature is malformed.
    #[error("this bundle is malformed: {0}")]
    Malformed(&'static str),
    /// Signed by a device this laptop does not know (or that was revoked).
    #[error("this bundle comes from a device this laptop does not know or has revoked ({0})")]
    UnknownDevice(String),
    /// The signature does not verify.
    #[error("this bundle's signature does not verify: it was altered after it was signed")]
    BadSignature,
    /// The manifest's body hash does not match.
    #[error("this bundle's body does not match its manifest")]
    BodyMismatch,
    /// A newer container format.
    #[error("this bundle was made by a newer Hearth (format {0}); update Hearth to read it")]
    NewerFormat(u32),
    /// Encrypting or writing failed.
    #[error("the bundle could not be written: {0}")]
    Write(String),
    /// Writing the bundle's file failed (the disk or the stick: full, removed).
    #[error("the bundle could not be written: {0}")]
    Output(#[source] std::io::Error),
    /// Reading the bundle's file failed (not its contents: the disk or the stick).
    #[error("the bundle could not be read: {0}")]
    Read(#[source] std::io::Error),
    /// An enrollment not signed by the laptop whose fingerprint the person was given.
    #[error("the enrollment is not from the laptop whose fingerprint was given")]
    WrongApprover,
}

/// A decrypted bundle, by its container.
pub enum Opened<R: Read> {
    /// The whole container, read into memory (a v1 container is one signed blob; see
    /// [`whole::open_container`]).
    Whole(Vec<u8>),
    /// The streaming container, positioned after its manifest.
    Stream(Box<BundleReader<Decrypted<R>>>),
}

impl<R: Read> std::fmt::Debug for Opened<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Opened::Whole(container) => write!(f, "Whole({} bytes)", container.len()),
            Opened::Stream(reader) => reader.fmt(f),
        }
    }
}

/// The reader age decrypts through.
pub type Decrypted<R> = age::stream::StreamReader<R>;

/// Decrypts the bundle read from `sealed` with `identity` and reads its magic line: a whole
/// container is read into memory (at most [`whole::CONTAINER_MAX`] bytes), a streaming one is
/// opened at its manifest. No signature is checked yet.
pub fn open_sealed<R: Read>(
    sealed: R,
    identity: &age::x25519::Identity,
) -> Result<Opened<R>, BundleError> {
    let decryptor = age::Decryptor::new(sealed).map_err(|error| match error {
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => {
            BundleError::NotAgeFile
        }
        age::DecryptError::Io(error) if error.kind() != std::io::ErrorKind::UnexpectedEof => {
            BundleError::Read(error)
        }
        _ => BundleError::Damaged,
    })?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|error| match error {
            age::DecryptError::NoMatchingKeys => BundleError::NotAddressedToUs,
            _ => BundleError::Damaged,
        })?;
    let mut magic = [0u8; 17];
    read_exact_or(&mut reader, &mut magic, BundleError::NotABundle)?;
    if &magic == MAGIC {
        let mut container = magic.to_vec();
        (&mut reader)
            .take(whole::CONTAINER_MAX)
            .read_to_end(&mut container)
            .map_err(|_| BundleError::Damaged)?;
        if container.len() as u64 > whole::CONTAINER_MAX {
            return Err(BundleError::Malformed("the body is too large"));
        }
        Ok(Opened::Whole(container))
    } else if &magic == STREAM_MAGIC {
        Ok(Opened::Stream(Box::new(BundleReader::open(reader)?)))
    } else {
        Err(BundleError::NotABundle)
    }
}

/// Fills `buffer` from `reader`; a stream that ends first is `short`, one that fails to decrypt
/// is damaged.
fn read_exact_or(
    reader: &mut impl Read,
    buffer: &mut [u8],
    short: BundleError,
) -> Result<(), BundleError> {
    match reader.read_exact(buffer) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => Err(short),
        Err(_) => Err(BundleError::Damaged),
    }
}
