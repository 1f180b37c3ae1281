//! Stopping one long step from inside: the batch is encoded in blocks of rows,
//! and the cancel token is checked between blocks, so the first Ctrl+C ends even a step
//! near the cost ceiling (`crate::model::learning::step_cost`) within a fraction of a second. A cancelled
//! step changes nothing: the simulation is as it was before the step.
//!
//! Every row of a batch is encoded on its own (a product with the bank, then the
//! non-linearity and k-winners per row), so encoding in blocks gives the same numbers as
//! encoding at once; small batches are encoded at once all the same.

use ndarray::{Array2, ArrayView2, s};

use crate::cancel::CancelToken;
use crate::model::config::Activation;
use crate::model::detectors::Bank;

/// Multiply-adds per block of rows between two looks at the cancel token (a few hundredths of a second).
const BLOCK_WORK: usize = 1 << 26;

/// Fewest rows per block (blocks of many rows keep the product efficient).
const MIN_BLOCK_ROWS: usize = 4;

/// Whether `cancel` is set.
pub fn is_cancelled(cancel: Option<&CancelToken>) -> bool {
    cancel.is_some_and(CancelToken::is_cancelled)
}

/// The activities of `stimuli` (`B × P`) through `bank`, encoded in blocks of rows with
/// a look at `cancel` between blocks; `None` if it was cancelled.
pub fn activities(
    bank: &Bank,
    stimuli: ArrayView2<f32>,
    (activation, threshold, k_winners): (Activation, f32, Option<usize>),
    cancel: Option<&CancelToken>,
) -> Option<Array2<f32>> {
    let rows = stimuli.nrows();
    let per_row = bank.len().saturating_mul(stimuli.ncols()).max(1);
    let block = (BLOCK_WORK / per_row).max(MIN_BLOCK_ROWS);
    if cancel.is_none() || rows <= block {
        return Some(bank.activities(stimuli, activation, threshold, k_winners));
    }
    let mut out = Array2::<f32>::zeros((rows, bank.len()));
    let mut start = 0;
    while start < rows {
        if is_cancelled(cancel) {
            return None;
        }
        let end = (start + block).min(rows);
        let part = bank.activities(
            stimuli.slice(s![start..end, ..]),
            activation,
            threshold,
            k_winners,
        );
        out.slice_mut(s![start..end, ..]).assign(&part);
        start = end;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BankConfig, Space};
    use rand::{Rng, SeedableRng};

    #[test]
    fn blocks_give_the_numbers_of_one_product_and_cancel_stops() {
        let space = Space::Ring { n: 512 };
        let bank = Bank::build(
            &BankConfig::Random {
                count: 512,
                size: 9,
            },
            space,
            3,
        )
        .unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        // 600 rows of 512 × 512 work: blocks of 256 rows, so three blocks.
        let stimuli = Array2::from_shape_fn((600, 512), |_| rng.random_range(-1.0f32..1.0));
        let params = (Activation::Relu, 0.1, Some(20));
        let token = CancelToken::new();
        let blocked = activities(&bank, stimuli.view(), params, Some(&token)).unwrap();
        let whole = bank.activities(stimuli.view(), params.0, params.1, params.2);
        assert_eq!(blocked, whole);
        token.cancel();
        assert!(activities(&bank, stimuli.view(), params, Some(&token)).is_none());
    }
}
