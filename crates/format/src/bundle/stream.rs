//! The streaming container (`hearth-bundle/v2`, bundle format 3 on): written and read one frame at
//! a time, so that a bundle of any size passes through a bounded amount of memory.
//!
//! Inside the age encryption (whose STREAM already authenticates every 64 KiB chunk and the end
//! of the file):
//!
//! ```text
//! "hearth-bundle/v2\n"       17-byte magic line, not compressed
//! one zstd stream of lines:
//!   {"frame":"manifest",…}\n  the manifest (origin, format, bundle id, ranges, checkpoint)
//!   {"frame":…}\n             the body's frames, one record each (hearth_sync names them)
//!   {"frame":"end","frames":N,"sha256":"…","signature":"…"}\n
//! ```
//!
//! Each frame is one JSON object on one line (JSON escapes every newline inside a string), at most
//! [`FRAME_MAX`] bytes. `sha256` is the SHA-256 of every line before the end frame, newlines
//! included, exactly as they decompress; `frames` counts them; `signature` is the origin device's
//! Ed25519 signature (hex) over the text [`signed_text`] makes of the two. A reader hashes each
//! frame as it hands it on; at the end frame it checks the count and the hash, that nothing
//! follows, and (with the key the caller trusts for the origin) the signature. A reader that
//! stops before the end, or a bundle cut at a frame boundary, has no end frame and is refused.
//! `docs/bundle-format.md` says how the office checks one by hand with `age`, `zstd`, `sha256sum`
//! and `openssl`.

use std::io::{BufRead, BufReader, Read, Write};

use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{BundleError, Manifest, FORMAT, LAST_WHOLE_FORMAT, STREAM_MAGIC};

/// The largest frame, in bytes before its newline: larger than any record Hearth writes (a
/// roster of every laptop, a change with the longest note), small enough to hold in memory.
pub const FRAME_MAX: usize = 16 << 20;
/// The zstd level: JSON shrinks several times over at level 3, about as fast as the export runs.
const ZSTD_LEVEL: i32 = 3;
/// The largest zstd window a reader accepts (2^24 = 16 MiB; level 3 writes 2 MiB windows), so
/// that a hostile file cannot make the decoder take more memory than a real one needs.
const WINDOW_LOG_MAX: u32 = 24;
/// How the end frame begins, exactly as [`BundleWriter::finish`] writes it. Any other line is a
/// body frame, handed to the caller.
const END_PREFIX: &[u8] = b"{\"frame\":\"end\",";

/// The text the origin signs at the end of a streaming bundle: the container's name, how many
/// frames came before the end frame, and the SHA-256 of their bytes (hex).
pub fn signed_text(frames: u64, sha256: &[u8]) -> String {
    format!(
        "hearth-bundle/v2\nframes {frames}\nsha256 {}\n",
        hex::encode(sha256)
    )
}

#[derive(Serialize, Deserialize)]
struct ManifestFrame {
    frame: String,
    #[serde(flatten)]
    manifest: Manifest,
}

#[derive(Serialize, Deserialize)]
struct EndFrame {
    frame: String,
    frames: u64,
    sha256: String,
    signature: String,
}

/// Counts the bytes that reach the file.
struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buffer: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buffer)?;
        self.bytes += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn write_error(error: impl std::fmt::Display) -> BundleError {
    BundleError::Write(error.to_string())
}

/// A failed write of the output keeps its `io::Error`, so that a full disk can be told as such.
fn output_error(error: std::io::Error) -> BundleError {
    BundleError::Output(error)
}

/// Writes a streaming bundle into `W`: [`BundleWriter::frame`] for each record, then
/// [`BundleWriter::finish`] to sign it. Dropped before `finish`, what was written is not a bundle
/// (it has no end frame and no end of the age stream), and the caller discards it.
pub struct BundleWriter<W: Write> {
    encoder: zstd::stream::write::Encoder<'static, age::stream::StreamWriter<Counting<W>>>,
    hash: Sha256,
    frames: u64,
    line: Vec<u8>,
}

impl<W: Write> std::fmt::Debug for BundleWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleWriter")
            .field("frames", &self.frames)
            .finish_non_exhaustive()
    }
}

impl<W: Write> BundleWriter<W> {
    /// Starts a bundle encrypted to every recipient, with `manifest` as its first frame.
    pub fn new(
        out: W,
        recipients: &[age::x25519::Recipient],
        manifest: &Manifest,
    ) -> Result<Self, BundleError> {
        let encryptor = age::Encryptor::with_recipients(
            recipients
                .iter()
                .map(|recipient| recipient as &dyn age::Recipient),
        )
        .map_err(write_error)?;
        let mut sealed = encryptor
            .wrap_output(Counting {
                inner: out,
                bytes: 0,
            })
            .map_err(output_error)?;
        sealed.write_all(STREAM_MAGIC).map_err(output_error)?;
        let mut encoder =
            zstd::stream::write::Encoder::new(sealed, ZSTD_LEVEL).map_err(output_error)?;
        // zstd's own checksum of the stream: a second check for whoever decompresses it by hand.
        encoder.include_checksum(true).map_err(write_error)?;
        let mut writer = BundleWriter {
            encoder,
            hash: Sha256::new(),
            frames: 0,
            line: Vec::with_capacity(4096),
        };
        writer.frame(&ManifestFrame {
            frame: "manifest".into(),
            manifest: manifest.clone(),
        })?;
        Ok(writer)
    }

    /// Writes one frame: `frame` as a JSON object on one line.
    pub fn frame<T: Serialize>(&mut self, frame: &T) -> Result<(), BundleError> {
        self.line.clear();
        serde_json::to_writer(&mut self.line, frame).map_err(write_error)?;
        if self.line.first() != Some(&b'{') || self.line.starts_with(END_PREFIX) {
            return Err(BundleError::Write("a frame must be a JSON object".into()));
        }
        if self.line.len() > FRAME_MAX {
            return Err(BundleError::Write(
                "a record is too large to travel in a bundle".into(),
            ));
        }
        self.line.push(b'\n');
        self.hash.update(&self.line);
        self.frames += 1;
        self.encoder.write_all(&self.line).map_err(output_error)
    }

    /// Signs the frames written with `signer`, ends the streams, and returns the output with the
    /// number of bytes written to it.
    pub fn finish(self, signer: &SigningKey) -> Result<(W, u64), BundleError> {
        let BundleWriter {
            mut encoder,
            hash,
            frames,
            ..
        } = self;
        let digest = hash.finalize();
        let signature = signer.sign(signed_text(frames, &digest).as_bytes());
        let mut end = serde_json::to_vec(&EndFrame {
            frame: "end".into(),
            frames,
            sha256: hex::encode(digest),
            signature: hex::encode(signature.to_bytes()),
        })
        .map_err(write_error)?;
        end.push(b'\n');
        encoder.write_all(&end).map_err(output_error)?;
        let sealed = encoder.finish().map_err(output_error)?;
        let counting = sealed.finish().map_err(output_error)?;
        Ok((counting.inner, counting.bytes))
    }
}

/// Reads a streaming bundle frame by frame ([`BundleReader::next_frame`]); once the end frame is
/// reached, [`BundleReader::verify`] checks the signature. Nothing a frame says is proven until
/// then: a caller applies frames inside a transaction it commits only after `verify`.
pub struct BundleReader<R: Read> {
    lines: BufReader<zstd::stream::read::Decoder<'static, BufReader<R>>>,
    hash: Sha256,
    frames: u64,
    manifest: Manifest,
    line: Vec<u8>,
    end: Option<EndFrame>,
}

impl<R: Read> std::fmt::Debug for BundleReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BundleReader")
            .field("manifest", &self.manifest)
            .field("frames", &self.frames)
            .finish_non_exhaustive()
    }
}

impl<R: Read> BundleReader<R> {
    /// Opens the zstd stream that follows the magic line of a decrypted bundle (`decrypted`) and
    /// reads the manifest. [`super::open_sealed`] calls it after age and the magic line; the fuzz
    /// target `bundle_stream` calls it on bytes of its own.
    pub fn open(decrypted: R) -> Result<Self, BundleError> {
        let mut decoder = zstd::stream::read::Decoder::new(decrypted)
            .map_err(|_| BundleError::Malformed("the frames do not decompress"))?;
        decoder
            .window_log_max(WINDOW_LOG_MAX)
            .map_err(|_| BundleError::Malformed("the frames do not decompress"))?;
        let mut reader = BundleReader {
            lines: BufReader::with_capacity(64 << 10, decoder),
            hash: Sha256::new(),
            frames: 0,
            manifest: super::manifest_for(hearth_ids::DeviceId([0; 16]), [0; 16], 0),
            line: Vec::with_capacity(4096),
            end: None,
        };
        let first = reader
            .next_frame()?
            .ok_or(BundleError::Malformed("the bundle has no manifest"))?;
        let header: ManifestFrame = serde_json::from_slice(first)
            .map_err(|_| BundleError::Malformed("the manifest is not valid"))?;
        if header.frame != "manifest" {
            return Err(BundleError::Malformed(
                "the bundle does not begin with its manifest",
            ));
        }
        if header.manifest.format > FORMAT {
            return Err(BundleError::NewerFormat(header.manifest.format));
        }
        if header.manifest.format <= LAST_WHOLE_FORMAT || header.manifest.origin().is_none() {
            return Err(BundleError::Malformed("the manifest is not valid"));
        }
        reader.manifest = header.manifest;
        Ok(reader)
    }

    /// The manifest (not proven until [`BundleReader::verify`]).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The next body frame (a JSON object, without its newline), or `None` at the end frame,
    /// whose count and hash are then checked, with nothing after it.
    pub fn next_frame(&mut self) -> Result<Option<&[u8]>, BundleError> {
        if self.end.is_some() {
            return Ok(None);
        }
        self.line.clear();
        let read = (&mut self.lines)
            .take(FRAME_MAX as u64 + 1)
            .read_until(b'\n', &mut self.line)
            .map_err(|_| BundleError::Damaged)?;
        if read == 0 {
            return Err(BundleError::Malformed(
                "the bundle ends before its signature",
            ));
        }
        if self.line.last() != Some(&b'\n') {
            return Err(if self.line.len() > FRAME_MAX {
                BundleError::Malformed("a frame is too long")
            } else {
                BundleError::Malformed("the bundle ends inside a frame")
            });
        }
        if self.line.starts_with(END_PREFIX) {
            let end: EndFrame = serde_json::from_slice(&self.line)
                .map_err(|_| BundleError::Malformed("the end frame is not valid"))?;
            let digest = std::mem::take(&mut self.hash).finalize();
            if end.frames != self.frames || end.sha256 != hex::encode(digest) {
                return Err(BundleError::BodyMismatch);
            }
            // Nothing may follow, and the streams below must end where they say: reading on to
            // the end makes zstd check its checksum and age its final chunk.
            let mut after = [0u8; 1];
            match self.lines.read(&mut after) {
                Ok(0) => {}
                Ok(_) => {
                    return Err(BundleError::Malformed(
                        "there are bytes after the signature",
                    ))
                }
                Err(_) => return Err(BundleError::Damaged),
            }
            self.end = Some(end);
            return Ok(None);
        }
        self.hash.update(&self.line);
        self.frames += 1;
        let frame = &self.line[..self.line.len() - 1];
        if frame.first() != Some(&b'{') {
            return Err(BundleError::Malformed("a frame is not a JSON object"));
        }
        Ok(Some(frame))
    }

    /// Checks the origin's signature with `key`, once every frame was read.
    pub fn verify(&self, key: &VerifyingKey) -> Result<(), BundleError> {
        let end = self
            .end
            .as_ref()
            .ok_or(BundleError::Malformed("the bundle was not read to its end"))?;
        let digest = hex::decode(&end.sha256)
            .map_err(|_| BundleError::Malformed("the end frame is not valid"))?;
        let signature = hex::decode(&end.signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(BundleError::Malformed("the signature"))?;
        key.verify(signed_text(end.frames, &digest).as_bytes(), &signature)
            .map_err(|_| BundleError::BadSignature)
    }
}

#[cfg(test)]
mod tests;
