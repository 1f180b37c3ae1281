//! The first hostile-input campaign, run by hand (it takes minutes and builds files
//! of hundreds of megabytes):
//!
//! ```text
//! cargo test --no-default-features --release --test reliability_campaign -- --ignored --nocapture
//! ```
//!
//! It runs the built binary on every class of hostile input the fuzzing pass tried and
//! prints one table row per class: inputs tried, refusals with exit 2 and one line, other
//! outcomes (successes where they are right), panics, aborts (death by signal), timeouts,
//! unreadable outputs and peak memory (max RSS through `/usr/bin/time`). It fails if any
//! run panicked, aborted, timed out or wrote a file that `info` refuses.
#![cfg(target_os = "linux")]

mod campaign_common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use campaign_common::{BIN, Campaign, Rng};
use serde_json::{Value, json};

/// Every numeric leaf of `v` (paths as JSON pointers), skipping the big arrays' insides
/// beyond their first element.
fn numeric_paths(v: &Value, prefix: String, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(prefix),
        Value::Object(map) => {
            for (k, child) in map {
                numeric_paths(child, format!("{prefix}/{k}"), out);
            }
        }
        Value::Array(items) => {
            if let Some(first) = items.first() {
                numeric_paths(first, format!("{prefix}/0"), out);
            }
        }
        _ => {}
    }
}

#[test]
#[ignore = "minutes and hundreds of MB of files: run by hand (see the module docs)"]
fn hostile_input_campaign() {
    let tmp = tempfile::tempdir().unwrap();
    let mut c = Campaign {
        dir: tmp.path().to_path_buf(),
        rows: Vec::new(),
    };
    let d = c.dir.clone();
    assert_eq!(
        c.run(
            "setup",
            &[
                "train",
                "--preset",
                "ring-shift",
                "--steps",
                "3",
                "--out",
                "good.json"
            ]
        )
        .code,
        Some(0)
    );
    let good = std::fs::read(d.join("good.json")).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);

    for k in 0..=60 {
        let cut = good.len() * k / 60;
        let p = c.write("cut.json", &good[..cut]);
        c.run("truncated experiment files", &["info", &p]);
    }
    for _ in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..=rng.below(8) {
            let i = rng.below(bytes.len());
            bytes[i] = rng.next() as u8;
        }
        let p = c.write("flip.json", &bytes);
        c.run("byte flips", &["info", &p]);
    }
    let value: Value = serde_json::from_slice(&good).unwrap();
    let mut paths = Vec::new();
    numeric_paths(&value, String::new(), &mut paths);
    let extremes = [
        json!(0),
        json!(-1),
        json!(1),
        json!(1e308),
        json!(-1e308),
        json!(18446744073709551615u64),
        json!(-9223372036854775808i64),
        json!(1e-320),
        json!(4294967296u64),
        json!(2147483648u64),
    ];
    for path in &paths {
        for x in &extremes {
            let mut v = value.clone();
            *v.pointer_mut(path).unwrap() = x.clone();
            let p = c.write("extreme.json", v.to_string().as_bytes());
            let o = c.run("extreme values in every numeric field", &["info", &p]);
            if o.code == Some(0) {
                // Accepted: a resume must write a file that is read back.
                let r = c.run(
                    "extreme values in every numeric field",
                    &[
                        "train",
                        "--resume",
                        &p,
                        "--steps",
                        "3",
                        "--out",
                        "resumed.json",
                    ],
                );
                if r.code == Some(0)
                    && c.run(
                        "extreme values in every numeric field",
                        &["info", "resumed.json"],
                    )
                    .code
                        != Some(0)
                {
                    c.unreadable("extreme values in every numeric field");
                }
            }
        }
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    for (class, folder, ext) in [
        ("lying .npy headers", "matrix", "npy"),
        ("hostile CSVs", "matrix", "csv"),
    ] {
        for e in std::fs::read_dir(corpus.join(folder)).unwrap() {
            let path = e.unwrap().path();
            // Valid matrices (`ok-*`) are the corpus test's; here only hostile ones.
            let hostile = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("bad-"));
            if hostile && path.extension().is_some_and(|x| x == ext) {
                c.run(
                    class,
                    &["search", path.to_str().unwrap(), "--time-limit", "2"],
                );
            }
        }
    }
    for shape in [
        "(1, 2, 3)",
        "()",
        "(-1, 2)",
        "(99999999999999999999, 1)",
        "(8193, 8193)",
        "'x'",
    ] {
        let mut h = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
        while (11 + h.len()) % 64 != 0 {
            h.push(' ');
        }
        h.push('\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(h.len() as u16).to_le_bytes());
        bytes.extend_from_slice(h.as_bytes());
        bytes.extend_from_slice(&[0u8; 64]);
        let p = c.write("lying.npy", &bytes);
        c.run("lying .npy headers", &["search", &p, "--time-limit", "2"]);
    }
    for text in [
        "1,2\n3,\u{0}\n",
        "1e999,0\n0,1\n",
        ",,,\n",
        "1;2;3\n4;5\n",
        "\u{feff}\u{feff}1,2\n",
        "1,2\r3,4\r",
        "NaN",
        "-inf,1\n1,0\n",
    ] {
        let p = c.write("hostile.csv", text.as_bytes());
        c.run("hostile CSVs", &["search", &p, "--time-limit", "2"]);
    }
    for e in std::fs::read_dir(corpus.join("image")).unwrap() {
        let path = e.unwrap().path();
        c.run(
            "images and decompression bombs",
            &[
                "animate",
                "good.json",
                "--truth",
                "--image",
                path.to_str().unwrap(),
                "--out",
                "anim",
            ],
        );
    }
    let fifo = d.join("fifo.json");
    let cpath = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(cpath.as_ptr(), 0o600) }, 0);
    let fifo = fifo.to_str().unwrap().to_string();
    for input in ["/dev/zero", "/dev/urandom", fifo.as_str(), "/tmp"] {
        c.run("devices, FIFOs, directories", &["info", input]);
        c.run("devices, FIFOs, directories", &["search", input]);
        c.run(
            "devices, FIFOs, directories",
            &[
                "animate",
                "good.json",
                "--truth",
                "--image",
                input,
                "--out",
                "anim",
            ],
        );
        c.run(
            "devices, FIFOs, directories",
            &[
                "animate",
                "good.json",
                "--permutation",
                input,
                "--out",
                "anim",
            ],
        );
    }
    for args in [
        vec![
            "animate",
            "good.json",
            "--frames",
            "100000",
            "--out",
            "anim",
        ],
        vec!["animate", "good.json", "--frames", "5000", "--out", "anim"],
        vec!["animate", "good.json", "--result", "0", "--out", "anim"],
        vec!["animate", "good.json", "--result", "99999", "--out", "anim"],
        vec![
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "1125899906842624",
            "--out",
            "x.json",
        ],
        vec![
            "train",
            "--preset",
            "ring-shift",
            "--batch",
            "100000000",
            "--out",
            "x.json",
        ],
    ] {
        c.run("unbounded counts", &args);
    }
    std::fs::create_dir_all(d.join("dir.json")).unwrap();
    std::os::unix::fs::symlink("missing-target.json", d.join("dangling.json")).unwrap();
    for out in [fifo.as_str(), "dir.json", "dangling.json"] {
        let o = c.run(
            "special save targets",
            &[
                "train",
                "--preset",
                "ring-shift",
                "--steps",
                "1",
                "--out",
                out,
            ],
        );
        if o.code == Some(0) && c.run("special save targets", &["info", out]).code != Some(0) {
            c.unreadable("special save targets");
        }
    }

    // kill -9 during saves of a 2048-neuron run (a 22 MB file): the file is old or new,
    // never partial, and the next save removes what the killed one left.
    c.run(
        "setup",
        &[
            "train",
            "--preset",
            "torus-translate",
            "--steps",
            "1",
            "--out",
            "big.json",
        ],
    );
    let mut leftovers_seen = 0;
    for trial in 0..30 {
        let mut child = Command::new(BIN)
            .current_dir(&d)
            .args([
                "train",
                "--preset",
                "torus-translate",
                "--steps",
                "1",
                "--out",
                "big.json",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(200 + 60 * (trial % 20)));
        let _ = child.kill();
        let _ = child.wait();
        leftovers_seen += std::fs::read_dir(&d)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".tmp-")
            })
            .count();
        let o = c.run("kill -9 during saves", &["info", "big.json"]);
        if o.code != Some(0) {
            c.unreadable("kill -9 during saves");
        }
    }
    c.run(
        "kill -9 during saves",
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "1",
            "--out",
            "after.json",
        ],
    );
    let left = std::fs::read_dir(&d)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp-")
        })
        .count();
    println!(
        "kill -9: temporaries seen after kills: {leftovers_seen}; left after the next save: {left}"
    );
    assert_eq!(left, 0);

    // Big files: memory stays a small multiple of the file size, and nothing aborts.
    let mut v = value.clone();
    for (name, mb) in [("zeros-150.json", 150usize), ("zeros-600.json", 600)] {
        v["weights"]["data"] = json!("A".repeat(mb << 20));
        let p = c.write(name, v.to_string().as_bytes());
        let o = c.run("150 MB and 600 MB experiment-shaped files", &["info", &p]);
        println!(
            "{name}: {} MB file, exit {:?}, peak {} MB, {:.1} s",
            mb,
            o.code,
            o.max_rss_kb / 1024,
            o.seconds
        );
        std::fs::remove_file(&p).unwrap();
    }
    let mut v = value.clone();
    v["hidden_order"] = Value::String(String::new());
    let text = v.to_string().replace(
        "\"hidden_order\":\"\"",
        &format!("\"hidden_order\":[{}0]", "0,".repeat(75 << 20)),
    );
    let p = c.write("list-150.json", text.as_bytes());
    let o = c.run("150 MB and 600 MB experiment-shaped files", &["info", &p]);
    println!(
        "list-150.json: {} MB, exit {:?}, peak {} MB",
        text.len() >> 20,
        o.code,
        o.max_rss_kb / 1024
    );
    std::fs::remove_file(&p).unwrap();
    let o = c.run(
        "150 MB and 600 MB experiment-shaped files",
        &["info", "big.json"],
    );
    println!(
        "big.json (valid, {} MB): exit {:?}, peak {} MB",
        std::fs::metadata(d.join("big.json")).unwrap().len() >> 20,
        o.code,
        o.max_rss_kb / 1024
    );

    c.finish();
}
