//! A relaying laptop that alters, drops, reorders or invents a third laptop's changes and signs
//! the bundle with its own key is refused, with the third laptop named; honest relays over two
//! hops converge; the office checks the same with standard tools.

use std::path::Path;

use age::secrecy::ExposeSecret;

use hearth_ids::DeviceId;
use hearth_store::change_log::chain;
use serde_json::json;

mod laptops;

use laptops::{object, organisation, Laptop};

use super::ChainProblem;
use crate::wire::{Body, WireChange};
use crate::{import, joining, test_bundles, SyncError};

/// What `relay` would send `to`, changed by `tamper` and signed again with the relay's own key.
fn forged(relay: &Laptop, to: &Laptop, tamper: impl FnOnce(&mut Body)) -> Vec<u8> {
    let sealed = relay.export_full();
    let (manifest, mut body) = test_bundles::read(&to.connection, &sealed);
    tamper(&mut body);
    let recipient = hearth_store::device::age_identity(&to.connection)
        .unwrap()
        .to_public();
    test_bundles::seal_stream(
        &manifest,
        &hearth_store::device::signing_key(&relay.connection).unwrap(),
        &[recipient],
        body,
    )
}

fn changes_of_mut(body: &mut Body, device: DeviceId) -> Vec<&mut WireChange> {
    let hex = device.to_hex();
    body.changes
        .iter_mut()
        .filter(|c| c.device == hex)
        .collect()
}

/// Sets the risk level in `device`'s last change in the body.
fn alter_last(body: &mut Body, device: DeviceId, risk: &str) {
    let mut changes = changes_of_mut(body, device);
    let last = changes.last_mut().unwrap();
    last.fields.insert("risk_level".into(), json!(risk));
}

/// The refusal an import of `sealed` at `laptop` gave, which must name `device`; the laptop holds
/// none of `device`'s changes afterwards but those it held before.
fn refusal(laptop: &Laptop, sealed: &[u8], device: DeviceId) -> ChainProblem {
    let before = (laptop.records(), laptop.changes_of(device));
    let error = laptop
        .import(sealed)
        .expect_err("a forged relay must be refused");
    let text = error.to_string();
    assert!(
        text.contains(&device.to_hex()[..8]),
        "the refusal names the device: {text}"
    );
    assert!(import::is_attributable(&error), "{text}");
    assert_eq!((laptop.records(), laptop.changes_of(device)), before);
    match error {
        SyncError::ChangesNotAsMade { problem, .. } => problem,
        other => panic!("refused for another reason: {other}"),
    }
}

#[test]
fn a_relay_that_alters_drops_reorders_or_invents_a_third_laptops_change_is_refused() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let a = org[0].device();
    let case = org[0].new_case("Arta");
    org[0].edit(case, json!({"risk_level": "High"}));
    org[0].edit(case, json!({"risk_level": "Medium"}));
    let from_a = org[0].export();
    org[1].import(&from_a).unwrap();
    let (relay, to) = (&org[1], &org[2]);
    let first = to.changes_of(a) + 1;

    let altered = forged(relay, to, |body| {
        alter_last(body, a, "Low");
    });
    assert_eq!(refusal(to, &altered, a), ChainProblem::NotTheSignedChain);

    let dropped = forged(relay, to, |body| {
        let hex = a.to_hex();
        let middle = body
            .changes
            .iter()
            .position(|c| c.device == hex && c.seq == first + 1)
            .unwrap();
        body.changes.remove(middle);
    });
    assert_eq!(refusal(to, &dropped, a), ChainProblem::Missing(first + 1));

    // Two changes swapped: renumbered, so that they still come in order, they do not hash to the
    // head; left with their numbers, the first one out of place is missing.
    let reordered = forged(relay, to, |body| {
        let mut changes = changes_of_mut(body, a);
        let n = changes.len();
        let (seq_1, seq_2) = (changes[n - 2].seq, changes[n - 1].seq);
        changes[n - 2].seq = seq_2;
        changes[n - 1].seq = seq_1;
        body.changes
            .sort_by(|x, y| (&x.device, x.seq).cmp(&(&y.device, y.seq)));
    });
    assert_eq!(refusal(to, &reordered, a), ChainProblem::NotTheSignedChain);
    let out_of_place = forged(relay, to, |body| {
        let hex = a.to_hex();
        let last = body.changes.iter().rposition(|c| c.device == hex).unwrap();
        body.changes.swap(last - 1, last);
    });
    assert_eq!(
        refusal(to, &out_of_place, a),
        ChainProblem::Missing(first + 1)
    );

    let invented = forged(relay, to, |body| {
        let mut invented = changes_of_mut(body, a)
            .last()
            .map(|c| (**c).clone())
            .unwrap();
        invented.seq += 1;
        invented.fields = object(json!({"status": "Closed"}));
        // A proof that fits it (the relay can make one): only a head would vouch for it.
        invented.proof = Some(chain::ChainProof::fresh().unwrap());
        body.changes.push(invented);
    });
    let last = first + 2;
    assert_eq!(refusal(to, &invented, a), ChainProblem::NoHead(last + 1));

    // The relay's own signature on a head in the third laptop's name does not make it that laptop's.
    let head_by_relay = forged(relay, to, |body| {
        alter_last(body, a, "Low");
        let relay_key = hearth_store::device::signing_key(&relay.connection).unwrap();
        body.heads = vec![
            hearth_format::checkpoint::sign_note(
                hearth_format::checkpoint::Log::Changes,
                a,
                last,
                [0; 32],
                &relay_key,
            )
            .text,
        ];
    });
    assert_eq!(refusal(to, &head_by_relay, a), ChainProblem::HeadNotSigned);

    // Untouched, the same relay's bundle is taken, and the third laptop holds what the first made.
    to.import(&relay.export_full()).unwrap();
    assert_eq!(to.changes_of(a), last);
    assert_eq!(
        chain::chain_at(&to.connection, a, last).unwrap(),
        chain::chain_at(&org[0].connection, a, last).unwrap()
    );

    // Once it holds proven changes of the first laptop, a later change is hashed on from its chain
    // here: altered, it is refused too.
    org[0].edit(case, json!({"risk_level": "Low"}));
    org[1].import(&org[0].export()).unwrap();
    let altered_later = forged(&org[1], &org[2], |body| {
        let mut changes = changes_of_mut(body, a);
        let newest = changes.last_mut().unwrap();
        assert_eq!(newest.seq, last + 1);
        newest.fields.insert("risk_level".into(), json!("High"));
    });
    assert_eq!(
        refusal(&org[2], &altered_later, a),
        ChainProblem::NotTheSignedChain
    );
    // Copies stripped of their proofs are refused.
    let stripped = forged(&org[1], &org[2], |body| {
        for change in changes_of_mut(body, a) {
            change.proof = None;
        }
        body.heads.clear();
    });
    assert_eq!(
        refusal(&org[2], &stripped, a),
        ChainProblem::Unproven(first)
    );
}

#[test]
fn held_changes_that_are_not_what_their_laptop_made_are_discarded_when_the_gap_fills() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let a = org[0].device();
    let case = org[0].new_case("Arta");
    let early = org[0].export();
    org[0].edit(case, json!({"risk_level": "High"}));
    org[0].edit(case, json!({"risk_level": "Medium"}));
    let late = org[0].export();
    // The relay has the late changes only, and alters one before passing them on; the head with
    // them is the first laptop's own.
    org[1].import(&early).unwrap();
    org[1].import(&late).unwrap();
    let held_first = org[2].changes_of(a);
    let forged_late = forged(&org[1], &org[2], |body| {
        let hex = a.to_hex();
        body.changes
            .retain(|c| c.device != hex || c.seq > held_first + 1);
        let mut changes = changes_of_mut(body, a);
        changes[0].fields.insert("risk_level".into(), json!("Low"));
    });
    let summary = org[2].import(&forged_late).unwrap();
    assert!(summary.held >= 2, "{summary:?}");
    // The first laptop's own copies, arriving while the fakes wait, are not refused as a second
    // history of it (which version it made is known only when the gap fills).
    org[2].import(&late).unwrap();
    // When the change before them comes, they are hashed, found wanting and dropped.
    let summary = org[2].import(&early).unwrap();
    assert_eq!(summary.held_not_as_made, 2, "{summary:?}");
    assert_eq!(org[2].changes_of(a), held_first + 1);
    // And the real ones are taken when they come.
    org[2].import(&late).unwrap();
    let last = org[0].changes_of(a);
    assert_eq!(org[2].changes_of(a), last);
    assert_eq!(
        chain::chain_at(&org[2].connection, a, last).unwrap(),
        chain::chain_at(&org[0].connection, a, last).unwrap()
    );
}

#[test]
fn honest_relays_over_two_hops_converge_with_and_without_consent() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder", "Vlore"]);
    let a = org[0].device();
    let private = org[0].new_case("Arta");
    let shared = org[0].new_case("Besa");
    org[0].consent_to_sharing(shared);
    org[0].edit(private, json!({"risk_level": "High"}));
    // A to B, B to C, C to D: D never hears from A directly.
    for hop in 0..3 {
        let bundle = org[hop].export();
        org[hop + 1].import(&bundle).unwrap();
    }
    let end = &org[3];
    assert_eq!(end.changes_of(a), org[0].changes_of(a));
    let last = org[0].changes_of(a);
    assert_eq!(
        chain::chain_at(&end.connection, a, last).unwrap(),
        chain::chain_at(&org[0].connection, a, last).unwrap()
    );
    // The private case reached D without its name; the shared one whole.
    let names: Vec<String> = end
        .records()
        .iter()
        .filter(|(kind, _, _)| kind == "case")
        .map(|(_, _, current)| current.clone())
        .collect();
    assert_eq!(
        names.iter().filter(|c| c.contains("Besa")).count(),
        1,
        "{names:?}"
    );
    assert!(!names.iter().any(|c| c.contains("Arta")), "{names:?}");
    // Nor the seed or the name's salt, from which its leaf could be tried against guesses.
    let copies =
        hearth_store::change_log::changes_of(&end.connection, *private.as_bytes()).unwrap();
    assert!(!copies.is_empty());
    for copy in copies {
        match &copy.proof {
            Some(chain::ChainProof::Part { salts, leaves }) => {
                for withheld in &copy.withheld {
                    assert!(!salts.contains_key(withheld) && leaves.contains_key(withheld));
                }
            }
            other => panic!("a part copy, not {other:?}"),
        }
    }

    // Consent given later: A's full bundle fills the name in; relayed on, the part copies C and D
    // hold are filled in with the same chain.
    org[0].consent_to_sharing(private);
    for hop in 0..3 {
        let full = org[hop].export_full();
        org[hop + 1].import(&full).unwrap();
    }
    for laptop in &org[1..] {
        assert_eq!(laptop.records(), org[0].records());
    }
}

/// The office, with age, zstd, Python's hashlib and openssl, checks every device's changes in a
/// bundle against the head that device signed: scripts/verify-changes.py.
#[test]
fn the_office_checks_relayed_changes_with_standard_tools() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let office = age::x25519::Identity::generate();
    joining::set_office(
        &org[0].connection,
        &org[0].account,
        &office.to_public().to_string(),
    )
    .unwrap();
    let a = org[0].device();
    let private = org[0].new_case("Arta");
    org[0].edit(private, json!({"risk_level": "High"}));
    let shared = org[0].new_case("Besa");
    org[0].consent_to_sharing(shared);
    org[1].import(&org[0].export()).unwrap();
    let case_b = org[1].new_case("Drita");
    org[1].edit(case_b, json!({"risk_level": "Low"}));

    let scratch = tempfile::tempdir().unwrap();
    let identity = scratch.path().join("office.txt");
    std::fs::write(
        &identity,
        format!("{}\n", office.to_string().expose_secret()),
    )
    .unwrap();
    let state = scratch.path().join("office-chains.json");
    let check = |name: &str, sealed: &[u8], with_state: bool| -> std::process::Output {
        let file = scratch.path().join(name);
        std::fs::write(&file, sealed).unwrap();
        let plain = scratch.path().join(format!("{name}.container"));
        let age = std::process::Command::new("age")
            .arg("-d")
            .arg("-i")
            .arg(&identity)
            .arg("-o")
            .arg(&plain)
            .arg(&file)
            .status()
            .expect("Go age is installed (scripts/install-deps.sh test)");
        assert!(age.success());
        let mut script = std::process::Command::new("python3");
        script.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/verify-changes.py"));
        if with_state {
            script.arg("--state").arg(&state);
        }
        script
            .arg(&plain)
            .output()
            .expect("python3 is installed (scripts/install-deps.sh test)")
    };

    // B's bundle holds A's changes (relayed, one case without its name) and B's own.
    let honest = check("honest.age", &org[1].export(), true);
    let out = String::from_utf8_lossy(&honest.stdout);
    assert!(
        honest.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&honest.stderr)
    );
    for device in [a, org[1].device()] {
        assert!(
            out.lines()
                .any(|l| l.contains(&device.to_hex()) && l.contains("verified")),
            "{out}"
        );
    }

    // The next bundle from B holds only what is new: it starts in the middle of A's chain, which
    // the script hashes on from the state the first check left; without it, it cannot check.
    org[0].edit(private, json!({"risk_level": "Low"}));
    org[1].import(&org[0].export()).unwrap();
    let incremental = org[1].export();
    let unchecked = check("incremental.age", &incremental, false);
    assert_eq!(
        unchecked.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&unchecked.stdout)
    );
    let next = check("incremental.age", &incremental, true);
    let out = String::from_utf8_lossy(&next.stdout);
    assert!(next.status.success(), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains(&a.to_hex()) && l.contains("verified")),
        "{out}"
    );

    // Altered by B on its way: the office's check fails and names A.
    let tampered = {
        let sealed = org[1].export_full();
        let (manifest, mut body) = test_bundles::read(&org[0].connection, &sealed);
        let hex = a.to_hex();
        let change = body.changes.iter_mut().find(|c| c.device == hex).unwrap();
        change.fields.insert("gender".into(), json!("Male"));
        test_bundles::seal_stream(
            &manifest,
            &hearth_store::device::signing_key(&org[1].connection).unwrap(),
            &[office.to_public()],
            body,
        )
    };
    let refused = check("tampered.age", &tampered, true);
    let out = String::from_utf8_lossy(&refused.stdout);
    assert_eq!(refused.status.code(), Some(1), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains(&a.to_hex()) && l.contains("NOT")),
        "{out}"
    );
}

/// A copy may leave out only what consent keeps on a laptop, each field once: a relay that leaves
/// out a field that always travels (the chain would still hold: its leaf stands in for it), or
/// names one withheld field twice in place of another, is refused.
#[test]
fn a_relay_may_not_leave_out_what_always_travels() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let a = org[0].device();
    // No consent to share: its changes travel as part copies, without the person's name.
    let case = org[0].new_case("Arta");
    org[0].edit(
        case,
        json!({"risk_level": "High", "family_name": "Hoxha", "given_name": "Arta B."}),
    );
    org[1].import(&org[0].export()).unwrap();
    let edit_seq = org[0].changes_of(a);

    let risk_hidden = forged(&org[1], &org[2], |body| {
        let mut changes = changes_of_mut(body, a);
        let edit = changes.iter_mut().find(|c| c.seq == edit_seq).unwrap();
        let Some(chain::ChainProof::Part { salts, leaves }) = &mut edit.proof else {
            panic!("a case without consent leaves as a part copy");
        };
        let salt = salts.remove("risk_level").unwrap();
        let value = edit.fields.remove("risk_level").unwrap();
        leaves.insert(
            "risk_level".into(),
            chain::leaf(&salt, "risk_level", &value),
        );
        edit.withheld.push("risk_level".into());
        edit.withheld.sort();
    });
    assert_eq!(
        refusal(&org[2], &risk_hidden, a),
        ChainProblem::LeftOut {
            seq: edit_seq,
            field: "risk_level".into()
        }
    );

    let named_twice = forged(&org[1], &org[2], |body| {
        let mut changes = changes_of_mut(body, a);
        let edit = changes.iter_mut().find(|c| c.seq == edit_seq).unwrap();
        assert_eq!(edit.withheld, ["family_name", "given_name"]);
        // Both leaves kept (so the hash is the same), one name given twice: the copy would say
        // the edit never touched the given name.
        edit.withheld = vec!["family_name".into(), "family_name".into()];
    });
    assert_eq!(
        refusal(&org[2], &named_twice, a),
        ChainProblem::ProofDoesNotFit(edit_seq)
    );
    org[2].import(&org[1].export_full()).unwrap();
    assert_eq!(org[2].changes_of(a), edit_seq);
}

/// Changes an older Hearth made carry no proof: they travel and are taken as before, and the
/// device's first chained change after them starts its chain, which is then checked.
#[test]
fn changes_made_before_chaining_travel_as_before_and_those_after_them_are_checked() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let a = org[0].device();
    let case = org[0].new_case("Arta");
    org[0].consent_to_sharing(case);
    // As if an older Hearth had made these.
    org[0]
        .connection
        .execute("UPDATE changes SET proof = NULL, chain = NULL", [])
        .unwrap();
    let legacy = org[0].changes_of(a);
    org[0].edit(case, json!({"risk_level": "High"}));
    org[1].import(&org[0].export()).unwrap();
    assert_eq!(
        chain::first_chained(&org[1].connection, a).unwrap(),
        Some(legacy + 1)
    );

    let altered = forged(&org[1], &org[2], |body| {
        alter_last(body, a, "Low");
    });
    assert_eq!(
        refusal(&org[2], &altered, a),
        ChainProblem::NotTheSignedChain
    );
    // Honest, the legacy changes and the chained one after them arrive, relayed.
    org[2].import(&org[1].export_full()).unwrap();
    assert_eq!(org[2].records(), org[0].records());
    assert_eq!(
        chain::chain_at(&org[2].connection, a, legacy + 1).unwrap(),
        chain::chain_at(&org[0].connection, a, legacy + 1).unwrap()
    );
    // Once the third laptop holds the chained one, an unproven copy in its place is refused.
    org[0].edit(case, json!({"risk_level": "Low"}));
    org[1].import(&org[0].export()).unwrap();
    let stripped = forged(&org[1], &org[2], |body| {
        for change in changes_of_mut(body, a) {
            if change.seq > legacy {
                change.proof = None;
            }
        }
        body.heads.clear();
    });
    assert_eq!(
        refusal(&org[2], &stripped, a),
        ChainProblem::Unproven(legacy + 1)
    );
}

/// A bundle in the whole container (formats 1 and 2, as Hearth wrote them before streaming
/// bundles) still imports, through the same checks, to the same records as the streaming one.
#[test]
fn a_bundle_in_the_whole_container_an_older_hearth_wrote_still_imports() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder", "Vlore"]);
    let a = org[0].device();
    let case = org[0].new_case("Arta");
    org[0].edit(case, json!({"risk_level": "High"}));
    let streamed = org[0].export_full();
    let (manifest, body) = test_bundles::read(&org[1].connection, &streamed);
    let recipients: Vec<_> = org[1..]
        .iter()
        .map(|laptop| {
            hearth_store::device::age_identity(&laptop.connection)
                .unwrap()
                .to_public()
        })
        .collect();
    let signer = hearth_store::device::signing_key(&org[0].connection).unwrap();
    let whole = test_bundles::seal_whole(&manifest, &signer, &recipients, &body);

    let from_stream = org[1].import(&streamed).unwrap();
    let from_whole = org[2].import(&whole).unwrap();
    assert!(from_whole.applied > 0);
    assert_eq!(from_whole.applied, from_stream.applied);
    assert_eq!(org[2].records(), org[1].records());
    assert_eq!(org[2].changes_of(a), org[1].changes_of(a));

    // Its checks are the same: a change altered after its laptop signed is refused, and the
    // laptop that receives it holds nothing more than before.
    let mut altered = body.clone();
    alter_last(&mut altered, a, "Low");
    let forged = test_bundles::seal_whole(&manifest, &signer, &recipients, &altered);
    assert_eq!(
        refusal(&org[3], &forged, a),
        ChainProblem::NotTheSignedChain
    );
}

/// A streaming bundle is applied as it is read and its signature checked at its end: one whose
/// changes are not what their laptop made, and which its origin did not sign either, is refused
/// for its signature, not as the laptop's changes (a refusal the audit log would record against
/// that laptop, on the word of a file anyone can encrypt to this one).
#[test]
fn a_bundle_its_origin_did_not_sign_accuses_no_laptop() {
    let mut org = organisation(&["Tirana", "Durres", "Shkoder"]);
    let a = org[0].device();
    let case = org[0].new_case("Arta");
    org[0].edit(case, json!({"risk_level": "High"}));
    org[1].import(&org[0].export()).unwrap();
    let (relay, to) = (&org[1], &org[2]);
    let (manifest, mut body) = test_bundles::read(&to.connection, &relay.export_full());
    alter_last(&mut body, a, "Low");
    let recipient = hearth_store::device::age_identity(&to.connection)
        .unwrap()
        .to_public();
    let stranger = ed25519_dalek::SigningKey::from_bytes(&[0x77; 32]);
    let unsigned = test_bundles::seal_stream(&manifest, &stranger, &[recipient], body);
    let before = to.records();
    let error = to.import(&unsigned).unwrap_err();
    assert!(
        matches!(
            error,
            SyncError::Bundle(hearth_format::bundle::BundleError::BadSignature)
        ),
        "{error}"
    );
    assert_eq!(to.records(), before);
}
