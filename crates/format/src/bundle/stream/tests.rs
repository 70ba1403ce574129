use super::*;
use crate::bundle::{manifest_for, open_sealed, Opened};
use hearth_ids::DeviceId;
use serde_json::json;

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

fn frames(count: usize) -> Vec<serde_json::Value> {
    (0..count)
        .map(|n| json!({"frame": "change", "seq": n, "note": format!("line {n}\nand more")}))
        .collect()
}

fn write_bundle(from: &Laptop, to: &Laptop, body: &[serde_json::Value]) -> Vec<u8> {
    let manifest = manifest_for(from.device, [7; 16], 42);
    let mut writer = BundleWriter::new(Vec::new(), &[to.identity.to_public()], &manifest).unwrap();
    for frame in body {
        writer.frame(frame).unwrap();
    }
    let (sealed, bytes) = writer.finish(&from.signer).unwrap();
    assert_eq!(bytes, sealed.len() as u64);
    sealed
}

/// Opens, reads every frame and checks the signature against `key`: what an import does.
fn read_bundle(
    sealed: &[u8],
    identity: &age::x25519::Identity,
    key: &VerifyingKey,
) -> Result<(Manifest, Vec<serde_json::Value>), BundleError> {
    let Opened::Stream(mut reader) = open_sealed(sealed, identity)? else {
        panic!("a streaming bundle opened as a whole one");
    };
    let mut read = Vec::new();
    while let Some(frame) = reader.next_frame()? {
        read.push(serde_json::from_slice(frame).unwrap());
    }
    reader.verify(key)?;
    Ok((reader.manifest().clone(), read))
}

#[test]
fn frames_come_back_in_order_with_the_manifest() {
    let (shelter, office) = (laptop(1), laptop(2));
    let body = frames(500);
    let sealed = write_bundle(&shelter, &office, &body);
    let (manifest, read) =
        read_bundle(&sealed, &office.identity, &shelter.signer.verifying_key()).unwrap();
    assert_eq!(read, body);
    assert_eq!(manifest.origin(), Some(shelter.device));
    assert_eq!(manifest.format, FORMAT);
}

/// What `docs/bundle-format.md` tells the office to do, with no Hearth reader: age, a zstd
/// decoder, SHA-256 of the lines, the signature over the text it names.
#[test]
fn the_office_checks_a_bundle_with_plain_tools() {
    let (shelter, office) = (laptop(1), laptop(2));
    let sealed = write_bundle(&shelter, &office, &frames(3));
    let container = age::decrypt(&office.identity, &sealed).unwrap();
    assert_eq!(&container[..17], STREAM_MAGIC);
    let lines = zstd::decode_all(&container[17..]).unwrap();
    let text = String::from_utf8(lines).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    assert_eq!(lines.len(), 5, "manifest, three frames, end");
    assert!(lines[0].starts_with("{\"frame\":\"manifest\""));
    let end: serde_json::Value = serde_json::from_str(lines[4]).unwrap();
    let hashed = Sha256::digest(lines[..4].concat().as_bytes());
    assert_eq!(end["sha256"], hex::encode(hashed));
    assert_eq!(end["frames"], 4);
    let signature = hex::decode(end["signature"].as_str().unwrap()).unwrap();
    let text = format!(
        "hearth-bundle/v2\nframes 4\nsha256 {}\n",
        hex::encode(hashed)
    );
    assert!(shelter
        .signer
        .verifying_key()
        .verify(text.as_bytes(), &Signature::from_slice(&signature).unwrap())
        .is_ok());
}

#[test]
fn every_changed_byte_and_every_truncation_is_refused() {
    let (shelter, office) = (laptop(1), laptop(2));
    let sealed = write_bundle(&shelter, &office, &frames(4));
    let key = shelter.signer.verifying_key();
    for index in 0..sealed.len() {
        let mut altered = sealed.clone();
        altered[index] ^= 0x01;
        assert!(
            read_bundle(&altered, &office.identity, &key).is_err(),
            "a change at byte {index} of {} went unnoticed",
            sealed.len()
        );
    }
    for length in 0..sealed.len() {
        assert!(
            read_bundle(&sealed[..length], &office.identity, &key).is_err(),
            "a bundle cut to {length} bytes was accepted"
        );
    }
    let mut longer = sealed.clone();
    longer.push(0);
    assert!(read_bundle(&longer, &office.identity, &key).is_err());
}

/// Re-encrypts the decompressed lines of `sealed` after `edit`: what a recipient who can decrypt
/// a bundle (every member laptop can) could hand on.
fn reworked(sealed: &[u8], to: &Laptop, edit: impl FnOnce(&mut Vec<String>)) -> Vec<u8> {
    let container = age::decrypt(&to.identity, sealed).unwrap();
    let text = String::from_utf8(zstd::decode_all(&container[17..]).unwrap()).unwrap();
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    edit(&mut lines);
    let mut inner = STREAM_MAGIC.to_vec();
    inner.extend(zstd::encode_all(lines.concat().as_bytes(), 3).unwrap());
    age::encrypt(&to.identity.to_public(), &inner).unwrap()
}

#[test]
fn a_bundle_cut_at_a_frame_boundary_or_rearranged_is_refused() {
    let (shelter, office) = (laptop(1), laptop(2));
    let sealed = write_bundle(&shelter, &office, &frames(4));
    let key = shelter.signer.verifying_key();
    // Unchanged, the reworked file still reads: the checks below are of the edits.
    let same = reworked(&sealed, &office, |_| {});
    assert!(read_bundle(&same, &office.identity, &key).is_ok());

    let cut = reworked(&sealed, &office, |lines| lines.truncate(3));
    assert!(matches!(
        read_bundle(&cut, &office.identity, &key),
        Err(BundleError::Malformed(
            "the bundle ends before its signature"
        ))
    ));
    let without_one = reworked(&sealed, &office, |lines| {
        lines.remove(2);
    });
    assert!(matches!(
        read_bundle(&without_one, &office.identity, &key),
        Err(BundleError::BodyMismatch)
    ));
    let swapped = reworked(&sealed, &office, |lines| lines.swap(1, 2));
    assert!(matches!(
        read_bundle(&swapped, &office.identity, &key),
        Err(BundleError::BodyMismatch)
    ));
    let after_the_end = reworked(&sealed, &office, |lines| {
        lines.push("{\"frame\":\"change\"}\n".into())
    });
    assert!(matches!(
        read_bundle(&after_the_end, &office.identity, &key),
        Err(BundleError::Malformed(
            "there are bytes after the signature"
        ))
    ));
    let half_a_line = reworked(&sealed, &office, |lines| {
        lines.truncate(2);
        lines[1].pop();
    });
    assert!(matches!(
        read_bundle(&half_a_line, &office.identity, &key),
        Err(BundleError::Malformed("the bundle ends inside a frame"))
    ));
}

#[test]
fn a_bundle_signed_by_another_key_or_newer_is_refused() {
    let (shelter, office, impostor) = (laptop(1), laptop(2), laptop(3));
    let sealed = write_bundle(&impostor, &office, &frames(2));
    assert!(matches!(
        read_bundle(&sealed, &office.identity, &shelter.signer.verifying_key()),
        Err(BundleError::BadSignature)
    ));
    let mut newer = manifest_for(shelter.device, [7; 16], 42);
    newer.format = FORMAT + 1;
    let writer = BundleWriter::new(Vec::new(), &[office.identity.to_public()], &newer).unwrap();
    let (sealed, _) = writer.finish(&shelter.signer).unwrap();
    assert!(matches!(
        open_sealed(sealed.as_slice(), &office.identity),
        Err(BundleError::NewerFormat(n)) if n == FORMAT + 1
    ));
    assert!(matches!(
        open_sealed(sealed.as_slice(), &impostor.identity),
        Err(BundleError::NotAddressedToUs)
    ));
}

#[test]
fn a_reader_that_stops_early_proves_nothing() {
    let (shelter, office) = (laptop(1), laptop(2));
    let sealed = write_bundle(&shelter, &office, &frames(3));
    let Opened::Stream(mut reader) = open_sealed(sealed.as_slice(), &office.identity).unwrap()
    else {
        panic!("not a streaming bundle");
    };
    assert!(reader.next_frame().unwrap().is_some());
    assert!(matches!(
        reader.verify(&shelter.signer.verifying_key()),
        Err(BundleError::Malformed("the bundle was not read to its end"))
    ));
}

#[test]
fn frames_that_are_not_objects_or_too_long_are_not_written() {
    let (shelter, office) = (laptop(1), laptop(2));
    let manifest = manifest_for(shelter.device, [7; 16], 42);
    let mut writer =
        BundleWriter::new(Vec::new(), &[office.identity.to_public()], &manifest).unwrap();
    assert!(writer.frame(&json!([1, 2])).is_err());
    assert!(writer.frame(&json!({"frame": "end", "frames": 0})).is_err());
    assert!(writer
        .frame(&json!({"note": "x".repeat(FRAME_MAX)}))
        .is_err());
}
