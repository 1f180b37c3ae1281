//! Replays the deterministic corpus of hostile files (`tests/corpus/`): every case the
//! first fuzzing pass listed, and what the fuzzer found since (`fuzz/`). Each file
//! has a line in `tests/corpus/EXPECTED.tsv`: `ok` (it must load) or a piece of the
//! one-line error it must give. A file without a line fails the test, so a new finding is
//! added with its expectation.
//!
//! `cargo test --test reliability_corpus -- --ignored regenerate` rewrites the generated
//! files (the ones built from a small experiment); fuzzer findings are copied in by hand.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use invariance_lab::io::{experiment, load_matrix};
use invariance_lab::model::{BankConfig, KernelFamily, Simulation, Space, presets};
use invariance_lab::transform::image_input;
use serde_json::{Value, json};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn expectations() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(corpus().join("EXPECTED.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (file, expect) = l.split_once('\t').expect("file<TAB>expectation");
            (file.to_string(), expect.to_string())
        })
        .collect()
}

/// Loads one corpus file with the loader its folder names; the error as one line.
fn load(kind: &str, path: &Path) -> Result<(), String> {
    match kind {
        "experiment" => experiment::load(path).map(drop).map_err(|e| e.to_string()),
        "matrix" => load_matrix(path).map(drop).map_err(|e| e.to_string()),
        "image" => image_input::open_grey(path)
            .map(drop)
            .map_err(|e| e.to_string()),
        "config" => invariance_lab::io::config_file::load_config(path)
            .map(drop)
            .map_err(|e| e.to_string()),
        "sweep" => invariance_lab::sweep::Sweep::from_file(path)
            .map(drop)
            .map_err(|e| e.to_string()),
        "wav" => invariance_lab::model::world::audio::wav::load_folder(path)
            .map(drop)
            .map_err(|e| e.to_string()),
        other => panic!("unknown corpus folder {other}"),
    }
}

#[test]
fn every_corpus_file_gives_its_expected_outcome() {
    let expected = expectations();
    let mut seen = 0;
    let mut failures = Vec::new();
    for kind in ["experiment", "matrix", "image", "config", "sweep", "wav"] {
        let mut entries: Vec<_> = std::fs::read_dir(corpus().join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = format!("{kind}/{}", path.file_name().unwrap().to_string_lossy());
            let Some(expect) = expected.get(&name) else {
                failures.push(format!("{name} has no line in EXPECTED.tsv"));
                continue;
            };
            match (load(kind, &path), expect.as_str()) {
                (Ok(()), "ok") => {}
                (Ok(()), _) => failures.push(format!("{name} loaded, expected `{expect}`")),
                (Err(e), "ok") => failures.push(format!("{name} was refused: {e}")),
                (Err(e), needle) => {
                    if !e.contains(needle) || e.contains('\n') || e.len() >= 400 {
                        failures.push(format!(
                            "{name}: `{e}` is not one short line with `{needle}`"
                        ));
                    }
                }
            }
            seen += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        seen,
        expected.len(),
        "EXPECTED.tsv lists files that are missing"
    );
}

/// The fuzzer's committed seed inputs (`seed-*`) are valid files: they must load.
#[test]
fn fuzz_seeds_load() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    for kind in ["experiment_file", "matrix_file", "image_file"] {
        for entry in std::fs::read_dir(fuzz.join(kind)).unwrap() {
            let path = entry.unwrap().path();
            // The fuzzer adds its own (mostly invalid) inputs beside the committed seeds.
            if !path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("seed-")
            {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let loaded = match kind {
                "experiment_file" => experiment::from_json_slice(&bytes)
                    .map(drop)
                    .map_err(|e| e.to_string()),
                "matrix_file" => invariance_lab::io::matrix::parse_npy(&bytes)
                    .or_else(|_| invariance_lab::io::matrix::parse_text_bytes(&bytes))
                    .map(drop)
                    .map_err(|e| e.to_string()),
                _ => image_input::grey_from_bytes(&bytes).map(drop),
            };
            assert!(loaded.is_ok(), "{}: {:?}", path.display(), loaded.err());
        }
    }
}

/// A small experiment (32 detectors on a 16-pixel ring): files of a few kilobytes.
fn small() -> Simulation {
    let mut config = presets::by_name("ring-shift").unwrap().config;
    config.space = Space::Ring { n: 16 };
    config.bank = BankConfig::Tiled {
        kernels: 2,
        size: 3,
        stride: 1,
        family: KernelFamily::Random,
    };
    config.batch = 8;
    let mut sim = Simulation::new(config).unwrap();
    sim.run_steps(3);
    sim
}

/// A PNG chunk with its CRC.
fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut crc = 0xffff_ffffu32;
    for &b in kind.iter().chain(data) {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&(!crc).to_be_bytes());
    out
}

/// An `.npy` file with `header` (padded as NumPy pads it) and `data`.
fn npy(header: &str, data: &[u8]) -> Vec<u8> {
    let mut h = header.to_string();
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(' ');
    }
    h.push('\n');
    let mut out = b"\x93NUMPY\x01\x00".to_vec();
    out.extend_from_slice(&(h.len() as u16).to_le_bytes());
    out.extend_from_slice(h.as_bytes());
    out.extend_from_slice(data);
    out
}

#[test]
#[ignore = "rewrites tests/corpus; run by hand"]
fn regenerate() {
    let dir = corpus();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let good: Value = serde_json::from_str(&experiment::to_json_string(&small()).unwrap()).unwrap();
    let text = good.to_string();
    write("experiment/ok-small.json", text.as_bytes());
    let fuzz_seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/experiment_file");
    std::fs::create_dir_all(&fuzz_seed).unwrap();
    std::fs::write(fuzz_seed.join("seed-small.json"), text.as_bytes()).unwrap();
    let variant = |name: &str, edit: &dyn Fn(&mut Value)| {
        let mut v = good.clone();
        edit(&mut v);
        write(&format!("experiment/{name}"), v.to_string().as_bytes());
    };
    variant("bad-weight-scale-bits-1.json", &|v| {
        v["weight_scale_bits"] = json!(1)
    });
    variant("bad-weight-scale-bits-2pow31.json", &|v| {
        v["weight_scale_bits"] = json!(1u64 << 31)
    });
    variant("bad-amplitude-2pow64.json", &|v| {
        v["config"]["stimulus"]["kind"]["amplitude"] = json!([1.0, 18446744073709551616.0f64])
    });
    variant("bad-threshold-minus-2pow63.json", &|v| {
        v["config"]["threshold"] = json!(-9223372036854775808.0f64)
    });
    variant("bad-label-centre-1e308.json", &|v| {
        v["labels"][0]["centre"] = json!([1e308, 0.0])
    });
    variant("bad-label-centre-minus-1e308.json", &|v| {
        v["labels"][1]["centre"] = json!([-1e308, 0.0])
    });
    variant("bad-null-metric.json", &|v| {
        v["history"][0]["weight_norm"] = Value::Null
    });
    variant("bad-mean-count-max.json", &|v| {
        v["mean_count"] = json!(u64::MAX)
    });
    variant("bad-step-max.json", &|v| v["step"] = json!(u64::MAX));
    variant("bad-hidden-order-long.json", &|v| {
        v["hidden_order"] = json!(vec![0; 17_000])
    });
    variant("bad-weight-1e30.json", &|v| {
        let mut bytes = BASE64
            .decode(v["weights"]["data"].as_str().unwrap())
            .unwrap();
        bytes[4..8].copy_from_slice(&1e30f32.to_le_bytes());
        v["weights"]["data"] = json!(BASE64.encode(bytes));
    });
    variant("bad-version-2.json", &|v| v["format_version"] = json!(2));
    variant("bad-version-object.json", &|v| {
        v["format_version"] = json!({"a": [1, 2]})
    });
    write(
        "experiment/bad-truncated.json",
        &text.as_bytes()[..text.len() / 2],
    );
    write("experiment/bad-empty.json", b"");
    write(
        "experiment/bad-truncated-nesting.json",
        "[".repeat(100_000).as_bytes(),
    );
    let nested = format!(
        "{{\"format_version\": 1, \"config\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write("experiment/bad-deep-nesting.json", nested.as_bytes());
    write(
        "experiment/bad-not-utf8.json",
        b"{\"format_version\": 1, \"x\": \"\xff\xfe\"}",
    );
    // Matrices.
    let f64_data: Vec<u8> = [1.0f64, 2.0, 3.0, 4.0]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let ok_npy = npy(
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
        &f64_data,
    );
    write("matrix/ok-f64.npy", &ok_npy);
    let fuzz_seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/matrix_file");
    std::fs::create_dir_all(&fuzz_seed).unwrap();
    std::fs::write(fuzz_seed.join("seed-f64.npy"), &ok_npy).unwrap();
    std::fs::write(fuzz_seed.join("seed-text.csv"), b"a,b\n1,2 # c\n3;4\n").unwrap();
    write(
        "matrix/bad-missing-shape.npy",
        &npy("{'descr': '<f8', 'fortran_order': False, }", &f64_data),
    );
    write(
        "matrix/bad-header-garbage.npy",
        &npy(
            &format!("{{'descr': '<f8', 'shape': ({}", "(".repeat(2000)),
            &f64_data,
        ),
    );
    write(
        "matrix/bad-huge-shape.npy",
        &npy(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
            &f64_data,
        ),
    );
    write(
        "matrix/bad-lying-data.npy",
        &npy(
            "{'descr': '<f8', 'fortran_order': False, 'shape': (100, 100), }",
            &f64_data,
        ),
    );
    // Found by fuzz/matrix_file: the general Python-literal parser backtracked for
    // minutes on nested brackets (a hang, not a crash).
    write(
        "matrix/bad-nested-brackets.npy",
        &npy(
            &format!("{{'descr': '<f8', 'shape': {}1", "[".repeat(25)),
            &f64_data,
        ),
    );
    let mut lying_len = ok_npy.clone();
    lying_len[6] = 2;
    lying_len.splice(8..10, 0xffff_fff0u32.to_le_bytes());
    write("matrix/bad-lying-header-length.npy", &lying_len);
    write(
        "matrix/bad-int-type.npy",
        &npy(
            "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }",
            &f64_data,
        ),
    );
    write("matrix/ok-byte-order-mark.csv", b"\xEF\xBB\xBF1,2\n3,4\n");
    write(
        "matrix/ok-inline-comment.csv",
        b"1,2 # first row\n3,4 # second\n",
    );
    write("matrix/bad-not-utf8.csv", b"1,2\n3,\xff\n");
    write("matrix/bad-nan.csv", b"1,2\n3,nan\n");
    write("matrix/bad-ragged.csv", b"1,2\n3\n");
    write(
        "matrix/bad-long-token.csv",
        format!("1,2\n3,{}\n", "y".repeat(20_000)).as_bytes(),
    );
    // Images.
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    bomb.extend(png_chunk(b"IHDR", &ihdr));
    bomb.extend(png_chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    bomb.extend(png_chunk(b"IEND", &[]));
    write("image/bad-decompression-bomb.png", &bomb);
    let mut small_png = Vec::new();
    image::GrayImage::from_fn(4, 3, |x, y| image::Luma([(x * 40 + y * 10) as u8]))
        .write_to(
            &mut std::io::Cursor::new(&mut small_png),
            image::ImageFormat::Png,
        )
        .unwrap();
    write("image/ok-small.png", &small_png);
    let fuzz_seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/image_file");
    std::fs::create_dir_all(&fuzz_seed).unwrap();
    std::fs::write(fuzz_seed.join("seed-small.png"), &small_png).unwrap();
    write("image/bad-truncated.png", &small_png[..small_png.len() / 2]);
    write("image/bad-gif.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    write("image/bad-text.png", b"this is not an image");
}

/// The reproducers of the second hostile-input pass (configurations, sweep files, WAV folders, an experiment
/// whose config overflows), written by hand-checked code rather than by `regenerate`.
#[test]
#[ignore = "rewrites tests/corpus; run by hand"]
fn regenerate_issue23() {
    let dir = corpus();
    for sub in ["config", "sweep", "wav"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let torus = serde_json::to_value(presets::by_name("torus-translate").unwrap().config).unwrap();
    let mut side = torus.clone();
    side["space"]["side"] = json!(4294967296u64);
    write("config/bad-side-2pow32.json", side.to_string().as_bytes());
    let mut polar = serde_json::to_value(presets::by_name("polar-rotate").unwrap().config).unwrap();
    polar["space"]["rings"] = json!(4294967296u64);
    write("config/bad-rings-2pow32.json", polar.to_string().as_bytes());
    let mut big = serde_json::to_value(presets::by_name("ring-random").unwrap().config).unwrap();
    big["space"]["n"] = json!(4096);
    big["bank"]["count"] = json!(4096);
    big["batch"] = json!(65536);
    write(
        "config/bad-step-too-costly.json",
        big.to_string().as_bytes(),
    );
    write(
        "config/bad-array-2mib.json",
        format!("[{}0]", "0,".repeat(1 << 20)).as_bytes(),
    );
    let ring = serde_json::to_value(presets::by_name("ring-shift").unwrap().config).unwrap();
    write("config/ok-ring-shift.json", ring.to_string().as_bytes());
    let mut exp: Value =
        serde_json::from_str(&experiment::to_json_string(&small()).unwrap()).unwrap();
    exp["config"] = side.clone();
    write(
        "experiment/bad-side-2pow32.json",
        exp.to_string().as_bytes(),
    );
    let spec =
        |body: &str| format!("base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [10]\n{body}");
    write(
        "sweep/ok-small.toml",
        spec("[parameters]\ndecay = [0.0, 0.001]\n").as_bytes(),
    );
    write(
        "sweep/bad-inf-k-winners.toml",
        spec("[parameters]\nk_winners = [inf]\n").as_bytes(),
    );
    write(
        "sweep/bad-nan-set.toml",
        spec("[set]\ndecay = nan\n").as_bytes(),
    );
    write(
        "sweep/bad-key-twice.toml",
        spec("[parameters]\nbank.size = [3]\n\"bank.size\" = [5]\n").as_bytes(),
    );
    write("sweep/bad-side-2pow32.toml", "base = \"torus-translate\"\nseeds = [1]\ncheckpoints = [10]\n[parameters]\n\"space.side\" = [4294967296]\n".as_bytes());
    write(
        "sweep/bad-checkpoint-beyond-steps.toml",
        "base = \"ring-shift\"\nseeds = [1]\ncheckpoints = [72057594037927936]\n".as_bytes(),
    );
    let values: Vec<String> = (0..130_000).map(|i| i.to_string()).collect();
    write(
        "sweep/bad-130000-seeds.toml",
        format!(
            "base = \"ring-shift\"\nseeds = [{}]\ncheckpoints = [10]\n",
            values.join(",")
        )
        .as_bytes(),
    );
    write("sweep/bad-step-too-costly.toml", "base = \"ring-random\"\nseeds = [1]\ncheckpoints = [10]\n[set]\n\"space.n\" = 4096\n\"bank.count\" = 4096\nbatch = 65536\n".as_bytes());
    // WAV folders (a folder per case; the loader reads folders).
    let wav = |name: &str, rate: u32, data: &[u8], declared: u32| {
        let folder = dir.join("wav").join(name);
        std::fs::create_dir_all(&folder).unwrap();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&36u32.saturating_add(declared).to_le_bytes());
        out.extend_from_slice(b"WAVEfmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&rate.wrapping_mul(2).to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&declared.to_le_bytes());
        out.extend_from_slice(data);
        std::fs::write(folder.join("sound.wav"), out).unwrap();
    };
    let tone: Vec<u8> = (0..8000)
        .flat_map(|i| (((i as f64 * 0.3).sin() * 8000.0) as i16).to_le_bytes())
        .collect();
    wav("ok-tone", 8000, &tone, tone.len() as u32);
    wav("ok-claims-4gib", 8000, &tone, u32::MAX - 65);
    wav("bad-silent", 8000, &[0; 16000], 16000);
    wav("bad-rate-1e9", 1_000_000_000, &tone, tone.len() as u32);
}
