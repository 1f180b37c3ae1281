//! The command-line front, run as a user would: the built binary in a temporary directory.

mod cli_common;
use cli_common::{ok, run};

#[test]
fn presets_lists_one_line_per_preset_with_the_spec_names() {
    let dir = tempfile::tempdir().unwrap();
    let text = ok(dir.path(), &["presets"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 12, "{text}");
    for name in [
        "ring-shift",
        "ring-random",
        "torus-translate",
        "square-rotate",
        "image-rotate",
        "ring-temporal",
        "polar-rotate",
        "polar-zoom",
        "audio-pitch",
        "ring-learned",
        "torus-learned",
        "torus-large",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(name)),
            "{name} missing:\n{text}"
        );
    }
}

#[test]
fn train_then_info_json_reports_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = ok(
        dir.path(),
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "40",
            "--batch",
            "25",
            "--out",
            "a.json",
        ],
    );
    assert!(out.contains("symmetry error"), "{out}");
    let info: serde_json::Value =
        serde_json::from_str(&ok(dir.path(), &["info", "a.json", "--json"])).unwrap();
    assert_eq!(info["steps"], 40);
    assert_eq!(info["stimuli"], 1000);
    assert_eq!(info["neurons"], 256);
    let e_true = info["symmetry_error_true"].as_f64().unwrap();
    let e_random = info["symmetry_error_random"].as_f64().unwrap();
    assert!(
        e_true > 0.0 && e_true < 0.5 * e_random,
        "{e_true} vs {e_random}"
    );
    let text = ok(dir.path(), &["info", "a.json"]);
    assert!(text.contains("steps: 40"), "{text}");
}

#[test]
fn resume_equals_unbroken_training_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-temporal",
            "--steps",
            "30",
            "--seed",
            "7",
            "--out",
            "full.json",
        ],
    );
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-temporal",
            "--steps",
            "12",
            "--seed",
            "7",
            "--out",
            "half.json",
        ],
    );
    ok(
        d,
        &[
            "train",
            "--resume",
            "half.json",
            "--steps",
            "18",
            "--out",
            "resumed.json",
        ],
    );
    ok(d, &["export", "full.json", "--weights", "full.npy"]);
    ok(d, &["export", "resumed.json", "--weights", "resumed.npy"]);
    ok(d, &["export", "resumed.json", "--weights", "resumed.csv"]);
    let full = std::fs::read(d.join("full.npy")).unwrap();
    assert_eq!(full, std::fs::read(d.join("resumed.npy")).unwrap());
    let csv = invariance_lab::io::load_matrix(d.join("resumed.csv")).unwrap();
    let npy = invariance_lab::io::load_matrix(d.join("full.npy")).unwrap();
    // CSV holds the shortest decimal of each f32: it rounds back to the same f32.
    assert_eq!(csv.mapv(|x| x as f32 as f64), npy);
    assert_eq!(npy.dim(), (256, 256));
}

#[test]
fn bad_input_exits_with_code_2_and_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("bad.json"), "{\"format_version\": 1, \"config\": ").unwrap();
    let cases: [&[&str]; 5] = [
        &["info", "bad.json"],
        &["info", "missing.json"],
        &["train", "--preset", "no-such-preset", "--out", "x.json"],
        &[
            "train",
            "--preset",
            "ring-shift",
            "--batch",
            "0",
            "--out",
            "x.json",
        ],
        &["export", "bad.json", "--weights", "w.npy"],
    ];
    for args in cases {
        let out = run(d, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("error: ") && err.len() > 20,
            "{args:?}: {err}"
        );
    }
    let err = String::from_utf8_lossy(&run(d, &["info", "bad.json"]).stderr).to_string();
    assert!(err.contains("truncated"), "{err}");
    assert!(!d.join("x.json").exists());
}

#[test]
fn search_json_on_an_experiment_reports_matches_and_equivariance() {
    let dir = tempfile::tempdir().unwrap();
    ok(
        dir.path(),
        &["train", "--preset", "ring-shift", "--out", "ring.json"],
    );
    let text = ok(
        dir.path(),
        &["search", "ring.json", "--max-results", "3", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    let n = v["n"].as_u64().unwrap() as usize;
    assert_eq!(n, 256);
    assert_eq!(v["timed_out"], false, "{text}");
    assert_eq!(v["cancelled"], false, "{text}");
    let results = v["results"].as_array().unwrap();
    assert!(!results.is_empty(), "{text}");
    for r in results {
        let perm = r["permutation"].as_array().unwrap();
        assert_eq!(perm.len(), n);
        let consistency = r["match"]["consistency"].as_f64().unwrap();
        assert!(consistency >= 0.95, "{r}");
        assert!(
            r["match"]["transformation"]
                .as_str()
                .unwrap()
                .starts_with("shift"),
            "{r}"
        );
        // A recovered shift moves encoded stimuli exactly like the stimuli themselves.
        let eq = r["equivariance_error"].as_f64().unwrap();
        assert!(eq < 0.05, "equivariance error {eq} for {r}");
    }

    // On a bare matrix there is no bank to encode with: the field is null.
    ok(dir.path(), &["export", "ring.json", "--weights", "w.npy"]);
    let text = ok(
        dir.path(),
        &["search", "w.npy", "--max-results", "2", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert!(v["results"][0]["equivariance_error"].is_null(), "{text}");
    assert!(v["results"][0]["match"].is_null(), "{text}");

    // A search stopped by its time limit says so: its results depend on the machine.
    let text = ok(
        dir.path(),
        &["search", "w.npy", "--time-limit", "0.001", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(text.trim()).unwrap();
    assert_eq!(v["timed_out"], true, "{text}");
}
