//! `config`, `train --config` and `--set`, run as a user would: the built binary in a
//! temporary directory.

mod cli_common;
use cli_common::{ok, run};

use std::path::Path;

/// Runs a command expected to fail: exit code 2 and a one-line message on stderr.
fn fails(dir: &Path, args: &[&str]) -> String {
    let out = run(dir, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} printed {:?}", out.stdout);
    assert_eq!(err.trim_end().lines().count(), 1, "not one line: {err}");
    err
}

#[test]
fn a_printed_config_trains_bit_for_bit_like_the_preset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let printed = ok(d, &["config", "--preset", "ring-shift"]);
    let value: serde_json::Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(value["space"]["n"], 64);
    assert_eq!(value["bank"]["kernels"], 4);
    std::fs::write(d.join("c.json"), &printed).unwrap();
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "30",
            "--out",
            "p.json",
        ],
    );
    ok(
        d,
        &[
            "train",
            "--config",
            "c.json",
            "--steps",
            "30",
            "--out",
            "c-run.json",
        ],
    );
    let from_preset = std::fs::read(d.join("p.json")).unwrap();
    assert_eq!(from_preset, std::fs::read(d.join("c-run.json")).unwrap());

    // `--set` on the preset and on the printed config give the same run, and a
    // different one from the plain preset.
    let set = ["--set", "decay=0.001", "--set", "bank.kernels=2"];
    let printed = ok(d, &[&["config", "--config", "c.json"][..], &set].concat());
    std::fs::write(d.join("d.json"), &printed).unwrap();
    let train = ["train", "--steps", "30"];
    ok(
        d,
        &[
            &train[..],
            &["--preset", "ring-shift", "--out", "ps.json"],
            &set,
        ]
        .concat(),
    );
    ok(
        d,
        &[&train[..], &["--config", "d.json", "--out", "ds.json"]].concat(),
    );
    let patched = std::fs::read(d.join("ps.json")).unwrap();
    assert_eq!(patched, std::fs::read(d.join("ds.json")).unwrap());
    assert_ne!(patched, from_preset);
    let info: serde_json::Value =
        serde_json::from_str(&ok(d, &["info", "ps.json", "--json"])).unwrap();
    assert_eq!(info["neurons"], 128, "2 kernels × 64 positions: {info}");

    // An experiment file is a config too: its config is retrained.
    let again = ok(d, &["config", "--config", "p.json"]);
    assert_eq!(again, ok(d, &["config", "--preset", "ring-shift"]));
}

#[test]
fn set_errors_name_the_key_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: [(&str, &[&str]); 8] = [
        ("decya=0.1", &["unknown key `decya`", "nearest: `decay`"]),
        ("detectors.kernels=8", &["did you mean `bank.kernels`?"]),
        ("bank.kernels.x=8", &["`bank.kernels` is an integer"]),
        ("decay=fast", &["`decay` must be a number", "\"fast\""]),
        ("batch=2.5", &["`batch` must be an integer"]),
        ("decay=0.7", &["`decay`", "[0, 0.5]", "0.7"]),
        ("batch=100000", &["`batch`", "1..=65536"]),
        ("activation=tanh", &["`activation`", "relu", "sigmoid"]),
    ];
    for (set, expected) in cases {
        for cmd in [
            &["config", "--preset", "ring-shift", "--set", set][..],
            &[
                "train",
                "--preset",
                "ring-shift",
                "--steps",
                "1",
                "--out",
                "x.json",
                "--set",
                set,
            ],
        ] {
            let err = fails(d, cmd);
            for e in expected {
                assert!(err.contains(e), "{set}: `{e}` missing in {err}");
            }
        }
    }
    for malformed in ["decay", "=0.1", "bank..kernels=1"] {
        let err = fails(d, &["config", "--preset", "ring-shift", "--set", malformed]);
        assert!(err.contains("is not KEY.PATH=VALUE"), "{err}");
    }
    assert!(!d.join("x.json").exists(), "nothing trained or saved");
}

#[test]
fn config_files_with_unknown_keys_or_bad_values_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let printed = ok(d, &["config", "--preset", "ring-shift"]);
    std::fs::write(
        d.join("typo.json"),
        printed.replace("\"decay\"", "\"decya\""),
    )
    .unwrap();
    let err = fails(
        d,
        &[
            "train",
            "--config",
            "typo.json",
            "--steps",
            "1",
            "--out",
            "x.json",
        ],
    );
    assert!(
        err.contains("typo.json") && err.contains("nearest: `decay`"),
        "{err}"
    );
    let mut v: serde_json::Value = serde_json::from_str(&printed).unwrap();
    v["bank"]["kernls"] = 3.into();
    std::fs::write(d.join("nested.json"), v.to_string()).unwrap();
    let err = fails(d, &["config", "--config", "nested.json"]);
    assert!(
        err.contains("bank.kernls") && err.contains("`kernels`"),
        "{err}"
    );
    std::fs::write(
        d.join("range.json"),
        printed.replace("\"batch\": 50", "\"batch\": 0"),
    )
    .unwrap();
    let err = fails(d, &["config", "--config", "range.json"]);
    assert!(
        err.contains("`batch`") && err.contains("1..=65536"),
        "{err}"
    );
    // A config has no training length: `--steps` is required.
    let out = run(d, &["train", "--config", "typo.json", "--out", "x.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--steps"));
}
