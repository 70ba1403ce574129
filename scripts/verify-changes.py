#!/usr/bin/env python3
"""Checks, with standard tools only, that the changes in a Hearth bundle are exactly what the laptops
that made them made, whichever laptop passed them on.

For the coordinating office: decrypt the bundle with its age identity, then run this on the result.

    age -d -i office-key.txt -o bundle.container sync-3f9a1c2e.age
    python3 verify-changes.py bundle.container

It needs Python 3 (hashlib, json), zstd and openssl (Ed25519). For every device whose changes the
bundle carries, it hashes them into that device's chain (README, "Changes signed by the laptop that
made them") and checks the last hash against the head the device signed, with the device's key from
the roster inside the bundle. Compare each key's fingerprint with the one `hearth device show` prints
on that laptop: the roster travels inside the bundle, and a forged roster would vouch for a forged
key. A run that starts after change 1 cannot be hashed without the changes before it: check
a full bundle (`hearth bundle export --full`).

Exit status: 0 when every device's changes verify, 1 when any do not (the device is named), 2 when
the file cannot be read.
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


def digest(change):
    """A change's own hash, or None if its proof does not fit its fields."""
    proof = change.get("proof")
    if proof is None:
        return None
    fields = change.get("fields", {})
    withheld = change.get("withheld", [])
    leaves = {}
    if "seed" in proof:
        if withheld:
            return None
        seed = base64.b64decode(proof["seed"], validate=True)
        if len(seed) != 16:
            return None
        for field, value in fields.items():
            leaves[field] = leaf(salt_from_seed(seed, field), field, value)
    else:
        salts = proof.get("salts", {})
        given_leaves = proof.get("leaves", {})
        if set(salts) != set(fields) or set(given_leaves) != set(withheld):
            return None
        for field, value in fields.items():
            leaves[field] = leaf(base64.b64decode(salts[field], validate=True), field, value)
        for field, hashed in given_leaves.items():
            if field in leaves:
                return None
            leaves[field] = base64.b64decode(hashed, validate=True)
    parts = [
        b"hearth.change/v1\n",
        bytes.fromhex(change["device"]),
        struct.pack(">Q", change["seq"]),
        struct.pack(">Q", change["hlc_ms"]),
        struct.pack(">I", change["hlc_counter"]),
        bytes.fromhex(change["account"]),
        bytes.fromhex(change["entity_id"]),
        lp(change["entity_kind"].encode()),
        lp(compact_json(change.get("replaces", {}))),
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
    with open(path, "rb") as file:
        container = file.read()
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


def check_device(device, changes, notes, keys):
    """A line saying whether `device`'s changes verify, and whether they do."""
    label = "device %s (%s)" % (device, keys.get(device, (None, "not in the roster"))[1])
    if device not in keys:
        return label + ": NOT checked: the roster has no key for it", False
    key = keys[device][0]
    label += ", key %s" % fingerprint(key)
    changes.sort(key=lambda change: change["seq"])
    for before, after in zip(changes, changes[1:]):
        if after["seq"] != before["seq"] + 1:
            return label + ": NOT as made: change %d is missing" % (before["seq"] + 1), False
    chained = [change for change in changes if change.get("proof") is not None]
    if not chained:
        return label + ": changes %d-%d carry no proof (made before Hearth chained its changes)" % (
            changes[0]["seq"], changes[-1]["seq"]), True
    if any(change.get("proof") is None for change in changes[changes.index(chained[0]):]):
        return label + ": NOT as made: a change after its first proven one has no proof", False
    if chained[0] is changes[0] and changes[0]["seq"] != 1:
        return label + ": cannot check: the run starts at change %d; check a full bundle" % (
            changes[0]["seq"]), True
    heads = [read_head(note, key) for note in notes if note.startswith("hearth.changes/" + device)]
    head = next((h for h in heads if h is not None and h[1] == chained[-1]["seq"]), None)
    if head is None:
        return label + ": NOT as made: no head signed by the device covers change %d" % (
            chained[-1]["seq"]), False
    chain = GENESIS
    for change in chained:
        change_digest = digest(change)
        if change_digest is None:
            return label + ": NOT as made: change %d's proof does not fit it" % change["seq"], False
        chain = link(chain, change_digest)
    if chain != head[2]:
        return label + ": NOT as made: the changes do not hash to the head the device signed", False
    return label + ": changes %d-%d verified against the head it signed" % (
        changes[0]["seq"], changes[-1]["seq"]), True


def main(arguments):
    if len(arguments) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        manifest, body, signed, signature = read_container(arguments[0])
    except (OSError, ValueError, subprocess.CalledProcessError) as error:
        print("verify-changes: %s" % error, file=sys.stderr)
        return 2
    keys = {
        device["device"]: (base64.b64decode(device["signing_key"]), device.get("name", ""))
        for device in body.get("roster", [])
    }
    everything_verifies = True
    origin = manifest["origin_device"]
    if origin in keys and ed25519_verifies(keys[origin][0], signed, signature):
        print("bundle from device %s (%s): its signature verifies" % (origin, keys[origin][1]))
    else:
        print("bundle from device %s: its signature does NOT verify" % origin)
        everything_verifies = False
    by_device = {}
    for change in body.get("changes", []):
        by_device.setdefault(change["device"], []).append(change)
    for device in sorted(by_device):
        line, verifies = check_device(device, by_device[device], body.get("heads", []), keys)
        print(line)
        everything_verifies = everything_verifies and verifies
    return 0 if everything_verifies else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
