//! The whole container (`hearth-bundle/v1`), in which bundles of formats 1 and 2 were written:
//! one signed blob, read into memory at once. Hearth writes the streaming container now
//! ([`super::stream`]); this one is still read, and written only by tests and test vectors.
//!
//! ```text
//! "hearth-bundle/v1\n"                  17-byte magic and format version
//! u32 big-endian  manifest length       then the manifest, JSON
//! u64 big-endian  body length           then the body (changes and audit entries, later)
//! 64 bytes        Ed25519 signature     by the origin device, over everything before it
//! ```
//!
//! Opening checks, in order: that the file is addressed to this device (age), that it decrypts
//! whole (age authenticates every 64 KiB chunk and the end of the stream, so any altered or
//! truncated byte fails), the magic, the exact lengths (no trailing bytes), the origin device's
//! signature against the key the caller trusts for it, and that the manifest names the body's
//! hash. Each failure is its own [`BundleError`] with a message that names what is wrong.

use std::io::{Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use hearth_ids::DeviceId;

use super::{BundleError, Manifest, Opened, MAGIC};

/// The largest manifest accepted (a manifest lists sequence ranges, not records).
const MANIFEST_MAX: u32 = 1 << 20;

/// A bundle's contents: its manifest and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BundleContents {
    /// The manifest.
    pub manifest: Manifest,
    /// The body.
    pub body: Vec<u8>,
}

/// The zstd level bodies are compressed at: JSON shrinks several times over at level 3, about as
/// fast as the rest of the export runs; higher levels cost more time than the smaller file saves
/// on a USB stick.
const ZSTD_LEVEL: i32 = 3;
/// The largest body accepted once decompressed, so that a small hostile file cannot fill memory.
const BODY_MAX: u64 = 2 << 30;
/// The largest whole container read (compressed, as decrypted).
pub const CONTAINER_MAX: u64 = 1 << 30;

/// Seals `body` as a whole-container bundle: compressed, signed with the origin's key, encrypted
/// to every recipient. Hearth writes streaming bundles ([`super::BundleWriter`]); this one is kept
/// for the tests and vectors that pin what older bundles look like.
pub fn seal(
    mut manifest: Manifest,
    signer: &SigningKey,
    recipients: &[age::x25519::Recipient],
    body: &[u8],
) -> Result<Vec<u8>, BundleError> {
    let body =
        zstd::bulk::compress(body, ZSTD_LEVEL).map_err(|e| BundleError::Write(e.to_string()))?;
    let body = body.as_slice();
    manifest.compression = Some("zstd".to_owned());
    manifest.body_sha256 = hex::encode(Sha256::digest(body));
    let manifest = serde_json::to_vec(&manifest).map_err(|e| BundleError::Write(e.to_string()))?;
    let manifest_len = u32::try_from(manifest.len())
        .map_err(|_| BundleError::Write("manifest too long".into()))?;
    let mut container = Vec::with_capacity(MAGIC.len() + 12 + manifest.len() + body.len() + 64);
    container.extend_from_slice(MAGIC);
    container.extend_from_slice(&manifest_len.to_be_bytes());
    container.extend_from_slice(&manifest);
    container.extend_from_slice(&(body.len() as u64).to_be_bytes());
    container.extend_from_slice(body);
    let signature = signer.sign(&container);
    container.extend_from_slice(&signature.to_bytes());

    let encryptor = age::Encryptor::with_recipients(
        recipients
            .iter()
            .map(|recipient| recipient as &dyn age::Recipient),
    )
    .map_err(|e| BundleError::Write(e.to_string()))?;
    let mut sealed = Vec::with_capacity(container.len() + 512);
    let mut writer = encryptor
        .wrap_output(&mut sealed)
        .map_err(|e| BundleError::Write(e.to_string()))?;
    writer
        .write_all(&container)
        .and_then(|()| writer.finish().map(|_| ()))
        .map_err(|e| BundleError::Write(e.to_string()))?;
    Ok(sealed)
}

/// Opens a bundle addressed to `identity`; `trusted` gives the signing key of a device this
/// laptop accepts bundles from (`None`: unknown or revoked).
pub fn open(
    sealed: &[u8],
    identity: &age::x25519::Identity,
    trusted: impl Fn(&DeviceId) -> Option<VerifyingKey>,
) -> Result<BundleContents, BundleError> {
    open_with(sealed, identity, |origin, _body| trusted(origin))
}

/// As [`open`], but the trust decision may look at the (not yet verified) body: an enrollment
/// carries the roster that names its signer.
pub fn open_with(
    sealed: &[u8],
    identity: &age::x25519::Identity,
    trusted: impl Fn(&DeviceId, &[u8]) -> Option<VerifyingKey>,
) -> Result<BundleContents, BundleError> {
    match super::open_sealed(sealed, identity)? {
        Opened::Whole(container) => open_container(&container, trusted),
        Opened::Stream(_) => Err(BundleError::Malformed(
            "this is a streaming bundle; it is read frame by frame",
        )),
    }
}

/// Reads a decrypted container (magic, manifest, body, signature) and checks its signature with
/// the key `trusted` gives for its origin. Split from [`open_with`] so that the parsing of what is
/// inside the encryption can be tested and fuzzed directly.
pub fn open_container(
    container: &[u8],
    trusted: impl Fn(&DeviceId, &[u8]) -> Option<VerifyingKey>,
) -> Result<BundleContents, BundleError> {
    let rest = container
        .strip_prefix(MAGIC.as_slice())
        .ok_or(BundleError::NotABundle)?;
    let (manifest_len, rest) = take::<4>(rest)?;
    let manifest_len = u32::from_be_bytes(manifest_len);
    if manifest_len > MANIFEST_MAX {
        return Err(BundleError::Malformed("the manifest is too long"));
    }
    let manifest_len =
        usize::try_from(manifest_len).map_err(|_| BundleError::Malformed("length"))?;
    let manifest_bytes = rest
        .get(..manifest_len)
        .ok_or(BundleError::Malformed("the manifest is cut short"))?;
    let rest = &rest[manifest_len..];
    let (body_len, rest) = take::<8>(rest)?;
    let body_len = usize::try_from(u64::from_be_bytes(body_len))
        .map_err(|_| BundleError::Malformed("the body length is out of range"))?;
    if rest.len()
        != body_len
            .checked_add(64)
            .ok_or(BundleError::Malformed("length"))?
    {
        return Err(BundleError::Malformed("the lengths do not add up"));
    }
    let (body, signature) = rest.split_at(body_len);
    let signed = &container[..container.len() - 64];

    let manifest: Manifest = serde_json::from_slice(manifest_bytes)
        .map_err(|_| BundleError::Malformed("the manifest is not valid"))?;
    if manifest.format > super::LAST_WHOLE_FORMAT {
        return Err(BundleError::NewerFormat(manifest.format));
    }
    if manifest.body_sha256 != hex::encode(Sha256::digest(body)) {
        return Err(BundleError::BodyMismatch);
    }
    let origin = hearth_ids::parse_hex16(&manifest.origin_device)
        .map(DeviceId)
        .ok_or(BundleError::Malformed("the manifest names no device"))?;
    // Decompressed before the signature is checked because an enrollment's signer is found in
    // its body; the cap keeps an unverified file from taking more memory than a real one could.
    let body = match manifest.compression.as_deref() {
        None => body.to_vec(),
        Some("zstd") => decompress(body)?,
        Some(_) => return Err(BundleError::Malformed("the body's compression is unknown")),
    };
    let key = trusted(&origin, &body)
        .ok_or_else(|| BundleError::UnknownDevice(manifest.origin_device.clone()))?;
    let signature =
        Signature::from_slice(signature).map_err(|_| BundleError::Malformed("the signature"))?;
    key.verify(signed, &signature)
        .map_err(|_| BundleError::BadSignature)?;
    Ok(BundleContents { manifest, body })
}

fn decompress(compressed: &[u8]) -> Result<Vec<u8>, BundleError> {
    let decoder = zstd::stream::read::Decoder::new(compressed)
        .map_err(|_| BundleError::Malformed("the body does not decompress"))?;
    let mut body = Vec::new();
    decoder
        .take(BODY_MAX + 1)
        .read_to_end(&mut body)
        .map_err(|_| BundleError::Malformed("the body does not decompress"))?;
    if body.len() as u64 > BODY_MAX {
        return Err(BundleError::Malformed("the body is too large"));
    }
    Ok(body)
}

fn take<const N: usize>(bytes: &[u8]) -> Result<([u8; N], &[u8]), BundleError> {
    let head = bytes
        .get(..N)
        .and_then(|head| <[u8; N]>::try_from(head).ok())
        .ok_or(BundleError::Malformed("a length is cut short"))?;
    Ok((head, &bytes[N..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Laptop {
        device: DeviceId,
        signer: SigningKey,
        identity: age::x25519::Identity,
    }

    fn laptop(byte: u8) -> Laptop {
        Laptop {
            device: DeviceId([byte; 16]),
            signer: SigningKey::from_bytes(&[byte; 32]),
            identity: age::x25519::Identity::generate(),
        }
    }

    fn small_bundle(from: &Laptop, to: &[&Laptop]) -> Vec<u8> {
        let recipients: Vec<_> = to.iter().map(|l| l.identity.to_public()).collect();
        let body = b"{\"changes\":[]}";
        let mut manifest = super::super::manifest_for(from.device, [1; 16], 5);
        manifest.format = super::super::LAST_WHOLE_FORMAT;
        seal(manifest, &from.signer, &recipients, body).unwrap()
    }

    fn trust<'a>(known: &'a [&'a Laptop]) -> impl Fn(&DeviceId) -> Option<VerifyingKey> + 'a {
        move |device| {
            known
                .iter()
                .find(|l| l.device == *device)
                .map(|l| l.signer.verifying_key())
        }
    }

    #[test]
    fn a_bundle_opens_for_each_recipient_with_its_manifest() {
        let (shelter, office) = (laptop(1), laptop(2));
        let sealed = small_bundle(&shelter, &[&shelter, &office]);
        for reader in [&shelter, &office] {
            let contents = open(&sealed, &reader.identity, trust(&[&shelter])).unwrap();
            assert_eq!(contents.body, b"{\"changes\":[]}");
            assert_eq!(contents.manifest.origin_device, hex::encode([1; 16]));
            assert_eq!(contents.manifest.format, super::super::LAST_WHOLE_FORMAT);
        }
    }

    /// The office reads bundles with any age implementation: here the age crate's plain
    /// decryptor, no Hearth code. Inside is the signed container.
    #[test]
    fn the_office_decrypts_a_bundle_with_plain_age() {
        let (shelter, office) = (laptop(1), laptop(2));
        let sealed = small_bundle(&shelter, &[&shelter, &office]);
        let container = age::decrypt(&office.identity, &sealed).unwrap();
        assert!(container.starts_with(MAGIC));
        let signed = &container[..container.len() - 64];
        let signature = Signature::from_slice(&container[container.len() - 64..]).unwrap();
        assert!(shelter
            .signer
            .verifying_key()
            .verify(signed, &signature)
            .is_ok());
        // The layout README documents, read by hand: magic, manifest length (u32 BE), manifest
        // JSON, body length (u64 BE), the body as a plain zstd frame, the signature.
        let rest = &container[MAGIC.len()..];
        let manifest_len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        let manifest: serde_json::Value =
            serde_json::from_slice(&rest[4..4 + manifest_len]).unwrap();
        assert_eq!(manifest["compression"], "zstd");
        let rest = &rest[4 + manifest_len..];
        let body_len = u64::from_be_bytes(rest[..8].try_into().unwrap()) as usize;
        let body = zstd::decode_all(&rest[8..8 + body_len]).unwrap();
        assert_eq!(body, b"{\"changes\":[]}");
    }

    #[test]
    fn every_changed_byte_and_every_truncation_is_refused() {
        let (shelter, office) = (laptop(1), laptop(2));
        let sealed = small_bundle(&shelter, &[&office]);
        for index in 0..sealed.len() {
            let mut altered = sealed.clone();
            altered[index] ^= 0x01;
            assert!(
                open(&altered, &office.identity, trust(&[&shelter])).is_err(),
                "a change at byte {index} of {} went unnoticed",
                sealed.len()
            );
        }
        for length in 0..sealed.len() {
            assert!(
                open(&sealed[..length], &office.identity, trust(&[&shelter])).is_err(),
                "a bundle cut to {length} bytes was accepted"
            );
        }
        let mut longer = sealed.clone();
        longer.push(0);
        assert!(open(&longer, &office.identity, trust(&[&shelter])).is_err());
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let (shelter, office, stranger) = (laptop(1), laptop(2), laptop(3));
        let sealed = small_bundle(&shelter, &[&office]);
        assert!(matches!(
            open(&sealed, &stranger.identity, trust(&[&shelter])),
            Err(BundleError::NotAddressedToUs)
        ));
        assert!(matches!(
            open(&sealed, &office.identity, trust(&[])),
            Err(BundleError::UnknownDevice(_))
        ));
        assert!(matches!(
            open(b"not a bundle at all", &office.identity, trust(&[&shelter])),
            Err(BundleError::NotAgeFile)
        ));
        // Signed by another key than the one trusted for the device it names.
        let impostor = Laptop {
            device: shelter.device,
            signer: SigningKey::from_bytes(&[9; 32]),
            identity: age::x25519::Identity::generate(),
        };
        let forged = small_bundle(&impostor, &[&office]);
        assert!(matches!(
            open(&forged, &office.identity, trust(&[&shelter])),
            Err(BundleError::BadSignature)
        ));
        // A plain age file with other contents.
        let plain = age::encrypt(&office.identity.to_public(), b"hello").unwrap();
        assert!(matches!(
            open(&plain, &office.identity, trust(&[&shelter])),
            Err(BundleError::NotABundle)
        ));
    }
}
