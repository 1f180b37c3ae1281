//! Permutation groups: exact automorphism groups of weighted graphs
//! ([`exact`], by colour refinement and individualisation–refinement), bases and
//! strong generating sets by Schreier–Sims ([`bsgs`]), and names of common groups
//! ([`name`]). Group orders are exact integers ([`GroupOrder`]), never estimates.
//!
//! Permutations follow [`crate::perm`]: `p.image(i)` is where `i` goes, and
//! `a.then(b)` applies `a` first.

mod abelian;
pub mod bsgs;
mod chain;
pub mod exact;
pub mod name;
mod name_cube;
mod name_torus;
pub mod order;
pub mod refine;
pub mod relations;
mod schreier;
#[cfg(test)]
pub(crate) mod test_groups;

pub use bsgs::{Bsgs, BsgsError};
pub use exact::{ExactGroup, ExactGroupError, ExactOptions, exact_group};
pub use name::name_group;
pub use order::GroupOrder;
