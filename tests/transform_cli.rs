//! `invariance-lab animate` end to end, run as a separate process in a temp dir.

mod cli_common;
use cli_common::{ok, run};

use ndarray::Array2;

#[test]
fn animate_ring_shift_writes_frames_gif_and_an_npy_whose_frames_roll() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &["train", "--preset", "ring-shift", "--out", "ring.json"],
    );
    // The ground-truth unit shift, written as a permutation file, and the search's best result.
    let sim = invariance_lab::io::experiment::load(d.join("ring.json")).unwrap();
    let shift = sim
        .ground_truth_transformations()
        .into_iter()
        .find(|(t, _)| *t == invariance_lab::model::Transformation::Shift { k: 1 })
        .unwrap()
        .1;
    std::fs::write(d.join("shift.json"), serde_json::to_string(&shift).unwrap()).unwrap();
    let stdout = ok(
        d,
        &[
            "animate",
            "ring.json",
            "--permutation",
            "shift.json",
            "--frames",
            "6",
            "--out",
            "anim",
        ],
    );
    assert!(stdout.contains("shift +1"), "{stdout}");
    for k in 0..6 {
        let png = image::open(d.join(format!("anim/frame_{k:03}.png"))).unwrap();
        assert!(png.width() > 100 && png.height() > 50);
    }
    assert!(!d.join("anim/frame_006.png").exists());
    let gif = std::fs::read(d.join("anim/orbit.gif")).unwrap();
    assert_eq!(&gif[..3], b"GIF");
    let npy: Array2<f32> = ndarray_npy::read_npy(d.join("anim/orbit.npy")).unwrap();
    assert_eq!(npy.dim(), (6, 64));
    let first = npy.row(0).to_vec();
    assert!(first.iter().any(|&v| v != first[0]), "frame 0 is flat");
    for k in 0..6 {
        for x in 0..64 {
            assert_eq!(
                npy[[k, (x + k) % 64]],
                first[x],
                "frame {k} is not frame 0 rolled by {k}"
            );
        }
    }

    // Searching (auto, seeded) and taking the best result also produces a valid orbit.
    ok(
        d,
        &[
            "animate",
            "ring.json",
            "--result",
            "1",
            "--frames",
            "3",
            "--out",
            "searched",
        ],
    );
    let npy: Array2<f32> = ndarray_npy::read_npy(d.join("searched/orbit.npy")).unwrap();
    assert_eq!(npy.dim(), (3, 64));
}

#[test]
fn animate_reports_unreadable_and_non_image_files_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    ok(
        d,
        &[
            "train",
            "--preset",
            "ring-shift",
            "--steps",
            "5",
            "--out",
            "ring.json",
        ],
    );
    std::fs::write(d.join("notes.png"), "just text").unwrap();
    std::fs::write(d.join("p.json"), "[0, 0, 1]").unwrap();
    for (args, needle) in [
        (
            vec!["--image", "notes.png"],
            "not a readable PNG or JPEG image",
        ),
        (vec!["--image", "missing.png"], "cannot read"),
        (
            vec!["--permutation", "p.json"],
            "does not hold a permutation",
        ),
    ] {
        let mut all = vec!["animate", "ring.json", "--truth", "--out", "x"];
        if args[0] == "--permutation" {
            all = vec!["animate", "ring.json", "--out", "x"];
        }
        all.extend(args.iter().copied());
        let out = run(d, &all);
        assert!(!out.status.success(), "{all:?} succeeded");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{all:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    assert!(!d.join("x/orbit.npy").exists());
}
