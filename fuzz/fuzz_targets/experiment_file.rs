//! The experiment-file loader on arbitrary bytes: it must return an error or a
//! simulation, never panic, and whatever it accepts must save and load back equal.
#![no_main]

use invariance_lab::io::experiment;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(sim) = experiment::from_json_slice(data) {
        let text = experiment::to_json_string(&sim).expect("an accepted file saves");
        let back = experiment::from_json_str(&text).expect("a saved file loads");
        assert_eq!(back.learning_state(), sim.learning_state());
    }
});
