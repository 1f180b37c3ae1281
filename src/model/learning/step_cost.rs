//! The cost of one step, bounded before anything is allocated.
//!
//! One step draws `B` stimuli of `P` pixels, encodes them through the `M × P` bank and
//! adds `AᵀA` (`M × M`) to the graph: about `B·M·(P + M)` multiply-adds, and `B·(P + M)`
//! numbers held at once (the stimuli and their activities). Both are checked here by
//! [`check`], part of `SimConfig::check`, so a configuration whose single step would run
//! for hours or need gigabytes is refused with a message that says what to lower —
//! from every front (`config`, `--set`, config, sweep and experiment files, the app).
//!
//! Every product is computed in `u128`, so no size can wrap around.

use crate::model::config::{BankConfig, ConfigError, LearningRule, SimConfig, Space};

/// Most multiply-adds one step may take, `B·M·(P + M)` (2³⁸ ≈ 2.7·10¹¹: several
/// seconds on a fast machine). `M = 4096` detectors on 4096 pixels allow a batch of
/// 8192.
pub const MAX_STEP_WORK: u128 = 1 << 38;

/// Most numbers one step holds for its batch, `B·(P + M)` (2²⁸ floats: 1 GiB);
/// the temporal rule holds two frames per stimulus and counts twice.
pub const MAX_BATCH_VALUES: u128 = 1 << 28;

/// The number of detectors `config.bank` has on `space` (the bank must be valid, see
/// `detectors::validate`).
pub fn neuron_count(bank: &BankConfig, space: Space) -> usize {
    match *bank {
        BankConfig::Tiled {
            kernels,
            size,
            stride,
            ..
        } => match crate::model::world::polar::PolarGrid::of(space) {
            Some(grid) => {
                crate::model::detectors::polar_bank::tiled_count(&grid, kernels, size, stride)
            }
            None => crate::model::detectors::tiled_count(space, kernels, size, stride),
        },
        BankConfig::Random { count, .. } => count,
        BankConfig::Learned {
            filters,
            on_off,
            kernel_size,
            ..
        } => {
            let per = filters.saturating_mul(if on_off { 2 } else { 1 });
            // Shared kernels: one copy at every position.
            kernel_size.map_or(per, |p| {
                per.saturating_mul(crate::model::detectors::learned_conv::anchors(space, p).len())
            })
        }
    }
}

/// `(multiply-adds, numbers held)` of one step of `config` with `neurons` detectors.
pub fn step_cost(config: &SimConfig, neurons: usize) -> (u128, u128) {
    let b = config.batch as u128;
    let p = pixels(config.space);
    let m = neurons as u128;
    let frames = if config.rule == LearningRule::Temporal {
        2
    } else {
        1
    };
    let work = b * m * (p + m) * frames;
    let values = b * (p + m) * frames;
    (work, values)
}

/// `P`, without overflow.
fn pixels(space: Space) -> u128 {
    let (w, h) = space.shape();
    w as u128 * h as u128
}

/// The step-cost check (module docs). The rest of the configuration must already be
/// valid (the bank's size is computed from it).
pub fn check(config: &SimConfig) -> Result<(), ConfigError> {
    let m = neuron_count(&config.bank, config.space);
    let (work, values) = step_cost(config, m);
    if work <= MAX_STEP_WORK && values <= MAX_BATCH_VALUES {
        return Ok(());
    }
    let per_stimulus_work = (work / (config.batch.max(1) as u128)).max(1);
    let per_stimulus_values = (values / (config.batch.max(1) as u128)).max(1);
    let max_batch = (MAX_STEP_WORK / per_stimulus_work).min(MAX_BATCH_VALUES / per_stimulus_values);
    let p = pixels(config.space);
    let what = if work > MAX_STEP_WORK {
        format!(
            "one step would take B·M·(pixels + M) = {} · {m} · ({p} + {m}) ≈ {:.2e} \
             multiply-adds, more than the limit 2^38 ≈ {:.2e}",
            config.batch, work as f64, MAX_STEP_WORK as f64
        )
    } else {
        format!(
            "one step would hold B·(pixels + M) = {:.2e} numbers, more than the limit \
             2^28 ≈ {:.2e} (1 GiB)",
            values as f64, MAX_BATCH_VALUES as f64
        )
    };
    let lower = if max_batch >= 1 {
        format!("lower `batch` to at most {max_batch}, or use fewer detectors or pixels")
    } else {
        "use fewer detectors or pixels".to_string()
    };
    Err(ConfigError::Invalid {
        field: "batch",
        reason: format!("{what}; {lower}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::config::presets;

    #[test]
    fn every_preset_is_far_inside_the_ceiling() {
        for p in presets::all() {
            let m = neuron_count(&p.config.bank, p.config.space);
            let (work, values) = step_cost(&p.config, m);
            // `torus-large` (16,384 detectors, the largest layer) is 15 times inside;
            // the others far more.
            assert!(work * 12 <= MAX_STEP_WORK, "{}: {work}", p.name);
            assert!(values * 16 <= MAX_BATCH_VALUES, "{}: {values}", p.name);
            assert!(check(&p.config).is_ok(), "{}", p.name);
        }
    }

    #[test]
    fn shared_learned_kernels_count_every_position() {
        let c = presets::by_name("torus-learned").unwrap().config;
        assert_eq!(neuron_count(&c.bank, c.space), 2048);
        let bank = crate::model::detectors::Bank::build(&c.bank, c.space, c.seed).unwrap();
        assert_eq!(bank.fields.nrows(), 2048);
    }

    #[test]
    fn the_issue_s_enormous_step_is_refused_with_what_to_lower() {
        let mut c = presets::by_name("ring-random").unwrap().config;
        c.space = Space::Ring { n: 4096 };
        c.bank = BankConfig::Random {
            count: 4096,
            size: 9,
        };
        c.batch = 65_536;
        let e = c.check().unwrap_err().to_string();
        assert!(
            e.contains("`batch`") && e.contains("at most 8192") && !e.contains('\n'),
            "{e}"
        );
        // The largest allowed batch is allowed.
        c.batch = 8192;
        assert!(c.check().is_ok());
    }
}
