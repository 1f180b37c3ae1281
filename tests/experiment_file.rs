//! Experiment files: exact round trip; broken files give the right typed error, never a panic.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use invariance_lab::io::experiment::{self, FileError};
use invariance_lab::model::{Simulation, presets};
use serde_json::Value;

fn trained() -> Simulation {
    let mut config = presets::by_name("ring-shift").unwrap().config;
    config.decay = 0.1; // a non-trivial lazy scale must survive the trip
    config.batch = 10;
    let mut sim = Simulation::new(config).unwrap();
    sim.run_steps(12);
    sim
}

fn as_value(sim: &Simulation) -> Value {
    serde_json::from_str(&experiment::to_json_string(sim).unwrap()).unwrap()
}

fn load_value(v: &Value) -> Result<Simulation, FileError> {
    experiment::from_json_str(&v.to_string())
}

#[test]
fn round_trip_through_a_file_is_exact() {
    let sim = trained();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.json");
    experiment::save(&path, &sim).unwrap();
    let back = experiment::load(&path).unwrap();
    assert_eq!(back.step_count(), sim.step_count());
    assert_eq!(back.config(), sim.config());
    assert_eq!(back.learning_state(), sim.learning_state());
    assert_eq!(back.weights(), sim.weights());
    assert_eq!(back.node_weights(), sim.node_weights());
    assert_eq!(back.history(), sim.history());
    assert_eq!(back.labels(), sim.labels());
    assert_eq!(back.snapshot().stimulus, sim.snapshot().stimulus);
    assert_eq!(
        experiment::to_json_string(&back).unwrap(),
        experiment::to_json_string(&sim).unwrap()
    );
    // only the target file is left in the directory (the temporary was renamed)
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn truncated_files_are_reported_as_truncated_at_every_cut() {
    let text = experiment::to_json_string(&trained()).unwrap();
    for cut in [0, 1, 10, text.len() / 3, text.len() / 2, text.len() - 1] {
        match experiment::from_json_str(&text[..cut]) {
            Err(FileError::Json {
                truncated: true, ..
            }) => {}
            other => panic!("cut at {cut}: {:?}", other.map(|s| s.step_count())),
        }
    }
}

#[test]
fn wrong_or_missing_version_is_rejected() {
    let mut v = as_value(&trained());
    v["format_version"] = Value::from(2);
    assert!(matches!(
        load_value(&v),
        Err(FileError::UnsupportedVersion { .. })
    ));
    v["format_version"] = Value::from("one");
    assert!(matches!(
        load_value(&v),
        Err(FileError::UnsupportedVersion { .. })
    ));
    v.as_object_mut().unwrap().remove("format_version");
    assert!(matches!(load_value(&v), Err(FileError::MissingVersion)));
    assert!(matches!(
        experiment::from_json_str("[1, 2]"),
        Err(FileError::MissingVersion)
    ));
}

fn set_weight(v: &mut Value, index: usize, value: f32) {
    let data = v["weights"]["data"].as_str().unwrap();
    let mut bytes = BASE64.decode(data).unwrap();
    bytes[4 * index..4 * index + 4].copy_from_slice(&value.to_le_bytes());
    v["weights"]["data"] = Value::from(BASE64.encode(bytes));
}

#[test]
fn non_finite_values_are_rejected_with_their_position() {
    let mut v = as_value(&trained());
    set_weight(&mut v, 5, f32::NAN);
    match load_value(&v) {
        Err(FileError::NonFinite {
            field: "weights",
            index: 5,
        }) => {}
        other => panic!("{:?}", other.map(|s| s.step_count())),
    }
    let mut v = as_value(&trained());
    set_weight(&mut v, 7, f32::INFINITY);
    assert!(matches!(
        load_value(&v),
        Err(FileError::NonFinite {
            field: "weights",
            index: 7
        })
    ));
}

#[test]
fn wrong_shapes_and_broken_encodings_are_rejected() {
    let good = as_value(&trained());
    let mut v = good.clone();
    v["weights"]["shape"] = serde_json::json!([3, 3]);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Shape {
            field: "weights",
            ..
        })
    ));
    let mut v = good.clone();
    v["node_weights"]["shape"] = serde_json::json!([256, 1]);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Shape {
            field: "node_weights",
            ..
        })
    ));
    let mut v = good.clone();
    v["weights"]["data"] = Value::from("AAAA");
    assert!(matches!(
        load_value(&v),
        Err(FileError::Encoding {
            field: "weights",
            ..
        })
    ));
    let mut v = good.clone();
    let data = v["weights"]["data"].as_str().unwrap().replacen('A', "!", 1);
    v["weights"]["data"] = Value::from(data);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Encoding {
            field: "weights",
            ..
        })
    ));
    let mut v = good.clone();
    v["weights"]["dtype"] = Value::from("f16le");
    assert!(matches!(load_value(&v), Err(FileError::Encoding { .. })));
    let mut v = good.clone();
    v["weights"] = Value::from(3);
    assert!(matches!(load_value(&v), Err(FileError::Schema(_))));
    // a non-zero diagonal cannot come from any rule
    let mut v = good;
    set_weight(&mut v, 0, 1.0);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Mismatch {
            field: "weights",
            ..
        })
    ));
}

#[test]
fn absurd_sizes_are_refused_before_allocating() {
    let good = as_value(&trained());
    let mut v = good.clone();
    v["neurons"] = Value::from(1u64 << 40);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Absurd {
            field: "neurons",
            ..
        })
    ));
    let mut v = good.clone();
    v["weights"]["shape"] = serde_json::json!([1u64 << 31, 1u64 << 31]);
    assert!(matches!(load_value(&v), Err(FileError::Shape { .. })));
    let mut v = good.clone();
    v["config"]["space"]["n"] = Value::from(1u64 << 40);
    assert!(matches!(load_value(&v), Err(FileError::Config(_))));
    let mut v = good;
    v["config"]["batch"] = Value::from(0);
    assert!(matches!(load_value(&v), Err(FileError::Config(_))));
}

#[test]
fn labels_order_and_seed_must_match_the_config() {
    let good = as_value(&trained());
    let mut v = good.clone();
    let order = v["hidden_order"].as_array_mut().unwrap();
    order.swap(0, 1);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Mismatch {
            field: "hidden_order",
            ..
        })
    ));
    let mut v = good.clone();
    v["labels"][3]["position"] = Value::from(63);
    v["labels"][4]["position"] = Value::from(62);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Mismatch {
            field: "labels",
            ..
        })
    ));
    let mut v = good.clone();
    v["seed"] = Value::from(12345);
    assert!(matches!(
        load_value(&v),
        Err(FileError::Mismatch { field: "seed", .. })
    ));
    let mut v = good;
    v["config"]["seed"] = Value::from(12345);
    v["seed"] = Value::from(12345);
    // a different seed regenerates a different hidden order
    assert!(matches!(load_value(&v), Err(FileError::Mismatch { .. })));
}

#[test]
fn missing_and_garbage_files_give_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.json");
    assert!(matches!(
        experiment::load(&missing),
        Err(FileError::Io { .. })
    ));
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, [0xffu8, 0xfe, 0x00, 0x7b]).unwrap();
    assert!(matches!(
        experiment::load(&garbage),
        Err(FileError::Json { .. })
    ));
    std::fs::write(&garbage, "").unwrap();
    assert!(matches!(
        experiment::load(&garbage),
        Err(FileError::Json {
            truncated: true,
            ..
        })
    ));
    let msg = experiment::load(&missing).err().unwrap().to_string();
    assert!(msg.contains("nope.json"), "{msg}");
}

#[test]
fn pins_and_their_histories_survive_the_round_trip_byte_for_byte() {
    let mut sim = trained();
    sim.pin(4, 9).unwrap();
    sim.run_steps(5);
    assert_eq!(sim.pins().len(), 4, "three start pins and one clicked");
    let text = experiment::to_json_string(&sim).unwrap();
    let back = experiment::from_json_str(&text).unwrap();
    assert_eq!(back.pins(), sim.pins());
    assert_eq!(experiment::to_json_string(&back).unwrap(), text);
    // Continuing records the same values as the unbroken run.
    let (mut a, mut b) = (sim, back);
    a.run_steps(9);
    b.run_steps(9);
    assert_eq!(a.pins(), b.pins());
    // Nothing pinned is saved as nothing pinned, not as the start pins.
    for (i, j) in a
        .pins()
        .cells()
        .iter()
        .map(|c| (c.i, c.j))
        .collect::<Vec<_>>()
    {
        a.unpin(i, j);
    }
    let empty = experiment::from_json_str(&experiment::to_json_string(&a).unwrap()).unwrap();
    assert!(empty.pins().is_empty());
}

#[test]
fn a_file_without_pins_loads_with_the_start_pins_from_its_step() {
    // Written before pins existed.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus/experiment/ok-small.json");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(!text.contains("\"pins\""));
    let sim = experiment::from_json_str(&text).unwrap();
    let cells = invariance_lab::model::learning::pins::start_cells(sim.true_permutation());
    assert!(!cells.is_empty());
    let w = sim.weights();
    let got: Vec<(usize, usize)> = sim.pins().cells().iter().map(|c| (c.i, c.j)).collect();
    assert_eq!(got, cells);
    for c in sim.pins().cells() {
        let h = c.history();
        assert_eq!(h.len(), 1, "nothing before the file's step is known");
        assert_eq!(h[0].step, sim.step_count());
        assert_eq!(h[0].weight.to_bits(), w[[c.i, c.j]].to_bits());
    }
}

#[test]
fn bad_pins_are_refused_with_a_one_line_error() {
    let good = as_value(&trained());
    let m = good["neurons"].as_u64().unwrap();
    let step = good["step"].as_u64().unwrap();
    let mut cases: Vec<(&str, Value)> = Vec::new();
    let mut edit = |name: &'static str, f: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        f(&mut v);
        cases.push((name, v));
    };
    edit("index out of range", &|v| {
        v["pins"][0]["j"] = Value::from(m)
    });
    edit("duplicate", &|v| {
        let first = v["pins"][0].clone();
        v["pins"].as_array_mut().unwrap().push(first);
    });
    edit("beyond f32", &|v| {
        v["pins"][0]["history"][0][2] = Value::from(1e300)
    });
    edit("after the file's step", &|v| {
        v["pins"][0]["history"][0][0] = Value::from(step + 1)
    });
    edit("out of order", &|v| {
        let h = v["pins"][0]["history"].as_array_mut().unwrap();
        h.swap(0, 1);
    });
    edit("too many", &|v| {
        let pins: Vec<Value> = (0..65)
            .map(|k| serde_json::json!({"i": k % m, "j": k / m, "history": []}))
            .collect();
        v["pins"] = Value::from(pins);
    });
    edit("not a list", &|v| v["pins"] = Value::from("all"));
    for (name, v) in cases {
        let e = match load_value(&v) {
            Err(e) => e,
            Ok(_) => panic!("{name}: loaded"),
        };
        let text = e.to_string();
        assert!(text.contains("pins"), "{name}: {text}");
        assert!(!text.contains('\n'), "{name}: {text}");
        match (name, &e) {
            ("too many" | "not a list", FileError::Schema(_)) => {}
            (_, FileError::Mismatch { field: "pins", .. }) => {}
            _ => panic!("{name}: {e:?}"),
        }
    }
}
