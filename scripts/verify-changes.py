#!/usr/bin/env python3
"""Checks, with standard tools only, that the changes in a Hearth bundle are exactly what the laptops
that made them made, whichever laptop passed them on.

For the coordinating office: decrypt the bundle with its age identity, then run this on the result.

    age -d -i office-key.txt -o bundle.container sync-3f9a1c2e.age
    python3 verify-changes.py --state office-chains.json bundle.container

It needs Python 3 (hashlib, json), zstd and openssl (Ed25519). For every device whose changes the
bundle carries, it hashes them into that device's chain (README, "Changes signed by the laptop that
made them") and checks the last hash against the head the device signed, with the device's key from
the roster inside the bundle. Compare each key's fingerprint with the one `hearth device show` prints
on that laptop: the roster travels inside the bundle, and a forged roster would vouch for a forged
key.

A run of changes that starts after change 1 is hashed on from the chain hash of the change before
it, which only an earlier check can know: with `--state FILE` the script keeps every chain hash it
has verified in FILE (JSON, created when missing) and reads them back next time, so that the
office's incremental bundles check too once it has checked each device from its first change
(`hearth bundle export --full` gives a bundle from the first change). What it does not check: which
fields consent may keep back (Hearth's field table says; Hearth's own import checks it).

Exit status: 0 when every device's changes verify; 1 when any do not (the device is named); 2 when
the file cannot be read; 3 when some changes could not be checked (no proof: made by a Hearth older
than the change chains; or a run that starts where the state knows no chain hash).
"""

import base64
import hashlib
import json
import os
import struct
import subprocess
import sys
import tempfile

MAGIC = b"hearth-bundle/v1\n"
STREAM_MAGIC = b"hearth-bundle/v2\n"
END_PREFIX = b'{"frame":"end",'
GENESIS = bytes(32)
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def sha256(*parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.digest()


def lp(data):
    """The length as 4 bytes big-endian, then the bytes."""
    return struct.pack(">I", len(data)) + data


def compact_json(value):
    """JSON as Hearth (serde_json) writes it: no spaces, keys sorted, non-ASCII as it is."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def leaf(salt, field, value):
    return sha256(b"hearth.leaf/v1\n", salt, lp(field.encode()), compact_json(value))


def salt_from_seed(seed, field):
    return sha256(b"hearth.salt/v1\n", seed, field.encode())[:16]


def decoded(text, length):
    """Base64 of exactly `length` bytes, else ValueError."""
    data = base64.b64decode(text, validate=True)
    if len(data) != length:
        raise ValueError("a salt, seed or leaf of the wrong length")
    return data


def normalised_replaces(replaces):
    """`replaces` as Hearth hashes it: each edit as lower-case device hex and a plain number."""
    normal = {}
    for field, refs in replaces.items():
        normal[field] = []
        for ref in refs:
            device, seq = ref.split(":")
            normal[field].append("%s:%d" % (device.lower(), int(seq)))
    return normal


def digest(change):
    """A change's own hash, or None if its proof does not fit its fields."""
    proof = change.get("proof")
    if proof is None:
        return None
    fields = change.get("fields", {})
    withheld = change.get("withheld", [])
    if withheld != sorted(set(withheld)):
        return None  # each withheld field once, sorted: a repeat could hide another
    leaves = {}
    try:
        if "seed" in proof:
            if withheld or "salts" in proof or "leaves" in proof:
                return None
            seed = decoded(proof["seed"], 16)
            for field, value in fields.items():
                leaves[field] = leaf(salt_from_seed(seed, field), field, value)
        else:
            salts = proof.get("salts", {})
            given_leaves = proof.get("leaves", {})
            if set(salts) != set(fields) or set(given_leaves) != set(withheld):
                return None
            for field, value in fields.items():
                leaves[field] = leaf(decoded(salts[field], 16), field, value)
            for field, hashed in given_leaves.items():
                if field in leaves:
                    return None
                leaves[field] = decoded(hashed, 32)
        replaces = normalised_replaces(change.get("replaces", {}))
    except (ValueError, TypeError, AttributeError):
        return None
    parts = [
        b"hearth.change/v1\n",
        bytes.fromhex(change["device"]),
        struct.pack(">Q", change["seq"]),
        struct.pack(">Q", change["hlc_ms"]),
        struct.pack(">I", change["hlc_counter"]),
        bytes.fromhex(change["account"]),
        bytes.fromhex(change["entity_id"]),
        lp(change["entity_kind"].encode()),
        lp(compact_json(replaces)),
        struct.pack(">I", len(leaves)),
    ]
    for field in sorted(leaves):
        parts.append(lp(field.encode()) + leaves[field])
    return sha256(*parts)


def link(previous, change_digest):
    return sha256(b"hearth.chain/v1\n", previous, change_digest)


def ed25519_verifies(public_key, message, signature):
    """Asks openssl whether `signature` is the Ed25519 signature of `message` by `public_key`."""
    with tempfile.TemporaryDirectory() as scratch:
        pem = os.path.join(scratch, "key.pem")
        with open(pem, "w") as out:
            out.write("-----BEGIN PUBLIC KEY-----\n")
            out.write(base64.b64encode(ED25519_SPKI_PREFIX + public_key).decode() + "\n")
            out.write("-----END PUBLIC KEY-----\n")
        paths = {}
        for name, data in (("message", message), ("signature", signature)):
            paths[name] = os.path.join(scratch, name)
            with open(paths[name], "wb") as out:
                out.write(data)
        result = subprocess.run(
            ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pem, "-rawin",
             "-in", paths["message"], "-sigfile", paths["signature"]],
            capture_output=True,
        )
        return result.returncode == 0


def read_head(note, public_key):
    """(device hex, seq, hash) of a signed head whose signature verifies, else None."""
    body, _, signatures = note.partition("\n\n")
    lines = body.split("\n")
    if len(lines) != 3 or not lines[0].startswith("hearth.changes/"):
        return None
    device = lines[0][len("hearth.changes/"):]
    name = "hearth-device-" + device[:8]
    for line in signatures.split("\n"):
        prefix = "\u2014 " + name + " "
        if line.startswith(prefix):
            signed = base64.b64decode(line[len(prefix):])
            if len(signed) == 68 and ed25519_verifies(public_key, (body + "\n").encode(), signed[4:]):
                return device, int(lines[1]), base64.b64decode(lines[2])
    return None


def fingerprint(public_key):
    hexed = hashlib.sha256(public_key).hexdigest()[:20]
    return "-".join(hexed[i:i + 4] for i in range(0, 20, 4))


def read_container(path):
    """(manifest, body, signed bytes, signature) of a decrypted bundle, in either container."""
    with open(path, "rb") as file:
        container = file.read()
    if container.startswith(STREAM_MAGIC):
        return read_stream(container[len(STREAM_MAGIC):])
    if not container.startswith(MAGIC):
        raise ValueError("not a decrypted Hearth bundle (decrypt it with age -d first)")
    rest = container[len(MAGIC):]
    (manifest_len,) = struct.unpack(">I", rest[:4])
    manifest = json.loads(rest[4:4 + manifest_len])
    rest = rest[4 + manifest_len:]
    (body_len,) = struct.unpack(">Q", rest[:8])
    body = rest[8:8 + body_len]
    signature = rest[8 + body_len:]
    if len(signature) != 64:
        raise ValueError("the container's lengths do not add up")
    if manifest.get("compression") == "zstd":
        body = subprocess.run(["zstd", "-dc"], input=body, capture_output=True, check=True).stdout
    return manifest, json.loads(body), container[:-64], signature


def read_stream(compressed):
    """The streaming container (docs/bundle-format.md): JSON lines in one zstd stream, the last
    one the end frame with the count and SHA-256 of the lines before it and the signature over
    the text that names them. Gathered here into the body the whole container held."""
    lines = subprocess.run(["zstd", "-dc"], input=compressed, capture_output=True,
                           check=True).stdout.splitlines(keepends=True)
    if not lines or not lines[-1].startswith(END_PREFIX):
        raise ValueError("the bundle ends before its signature")
    end = json.loads(lines[-1])
    framed = lines[:-1]
    digest = hashlib.sha256(b"".join(framed)).hexdigest()
    if end["frames"] != len(framed) or end["sha256"] != digest:
        raise ValueError("the frames do not match the count and hash the end frame gives")
    signed = ("hearth-bundle/v2\nframes %d\nsha256 %s\n" % (len(framed), digest)).encode()
    frames = [json.loads(line) for line in framed]
    if not frames or frames[0].get("frame") != "manifest":
        raise ValueError("the bundle does not begin with its manifest")
    body = {"roster": [], "changes": [], "heads": [], "audit": []}
    for frame in frames[1:]:
        kind = frame.pop("frame", None)
        if kind == "organisation":
            body["organisation"] = frame["name"]
        elif kind == "roster":
            body["roster"] = frame["devices"]
        elif kind == "head":
            body["heads"].append(frame["note"])
        elif kind == "change":
            body["changes"].append(frame)
        elif kind == "audit":
            body["audit"].append(frame)
        else:
            raise ValueError("a frame of a kind this script does not know: %r" % kind)
    return frames[0], body, signed, bytes.fromhex(end["signature"])


def check_device(device, changes, notes, keys, known):
    """A line saying how `device`'s changes fared: "ok", "not" (not as made) or "unchecked".
    `known` holds the chain hashes already verified for the device (hex, by change number as text),
    and gains those verified here."""
    label = "device %s (%s)" % (device, keys.get(device, (None, "not in the roster"))[1])
    if device not in keys:
        return label + ": NOT checked: the roster has no key for it", "unchecked"
    key = keys[device][0]
    label += ", key %s" % fingerprint(key)
    changes.sort(key=lambda change: change["seq"])
    for before, after in zip(changes, changes[1:]):
        if after["seq"] != before["seq"] + 1:
            return label + ": NOT as made: change %d is missing" % (before["seq"] + 1), "not"
    chained = [change for change in changes if change.get("proof") is not None]
    if not chained:
        return label + ": changes %d-%d NOT checked: they carry no proof (made before Hearth " \
            "chained its changes, or stripped on the way)" % (changes[0]["seq"], changes[-1]["seq"]), \
            "unchecked"
    first_chained = changes.index(chained[0])
    if any(change.get("proof") is None for change in changes[first_chained:]):
        return label + ": NOT as made: a change after its first proven one has no proof", "not"
    start = chained[0]["seq"]
    if first_chained > 0 or start == 1:
        chain = GENESIS
    elif str(start - 1) in known:
        chain = bytes.fromhex(known[str(start - 1)])
    else:
        return label + ": changes %d-%d NOT checked: no chain hash is known for change %d " \
            "(check a full bundle first, with --state)" % (start, chained[-1]["seq"], start - 1), \
            "unchecked"
    heads = [read_head(note, key) for note in notes if note.startswith("hearth.changes/" + device)]
    head = next((h for h in heads if h is not None and h[1] == chained[-1]["seq"]), None)
    if head is None:
        return label + ": NOT as made: no head signed by the device covers change %d" % (
            chained[-1]["seq"]), "not"
    hashes = {}
    for change in chained:
        change_digest = digest(change)
        if change_digest is None:
            return label + ": NOT as made: change %d's proof does not fit it" % change["seq"], "not"
        chain = link(chain, change_digest)
        hashes[str(change["seq"])] = chain.hex()
    if chain != head[2]:
        return label + ": NOT as made: the changes do not hash to the head the device signed", "not"
    for seq, hashed in hashes.items():
        if known.get(seq, hashed) != hashed:
            return label + ": NOT as made: change %s hashes otherwise than the one checked " \
                "before: the device signed two histories" % seq, "not"
    known.update(hashes)
    return label + ": changes %d-%d verified against the head it signed" % (
        changes[0]["seq"], changes[-1]["seq"]), "ok"


def main(arguments):
    state_path = None
    if len(arguments) == 3 and arguments[0] == "--state":
        state_path, arguments = arguments[1], arguments[2:]
    if len(arguments) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        manifest, body, signed, signature = read_container(arguments[0])
        state = {}
        if state_path is not None and os.path.exists(state_path):
            with open(state_path) as file:
                state = json.load(file)
    except (OSError, ValueError, KeyError, subprocess.CalledProcessError) as error:
        print("verify-changes: %s" % error, file=sys.stderr)
        return 2
    keys = {
        device["device"]: (base64.b64decode(device["signing_key"]), device.get("name", ""))
        for device in body.get("roster", [])
    }
    outcomes = set()
    origin = manifest["origin_device"]
    if origin in keys and ed25519_verifies(keys[origin][0], signed, signature):
        print("bundle from device %s (%s): its signature verifies" % (origin, keys[origin][1]))
    else:
        print("bundle from device %s: its signature does NOT verify" % origin)
        outcomes.add("not")
    by_device = {}
    for change in body.get("changes", []):
        by_device.setdefault(change["device"], []).append(change)
    for device in sorted(by_device):
        known = state.setdefault(device, {})
        line, outcome = check_device(device, by_device[device], body.get("heads", []), keys, known)
        print(line)
        outcomes.add(outcome)
    if state_path is not None and "not" not in outcomes:
        # Written whole under a temporary name, then renamed: a crash leaves the old state.
        temporary = state_path + ".tmp"
        with open(temporary, "w") as file:
            json.dump(state, file)
        os.replace(temporary, state_path)
    if "not" in outcomes:
        return 1
    return 3 if "unchecked" in outcomes else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
