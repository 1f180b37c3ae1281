//! Permutation groups: exact automorphism groups of weighted graphs
//! ([`exact`], by colour refinement and Traces on the layered graph), bases and
//! strong generating sets by Schreier–Sims ([`bsgs`]), and names of common groups
//! ([`name`]). Group orders are exact integers ([`GroupOrder`]), never estimates.
//!
//! Permutations follow [`crate::perm`]: `p.image(i)` is where `i` goes, and
//! `a.then(b)` applies `a` first.

mod abelian;
pub mod bsgs;
mod chain;
mod coset_rows;
pub mod exact;
mod layered;
pub mod name;
mod name_cube;
mod name_torus;
pub mod order;
pub mod refine;
pub mod relations;
mod schreier;
mod schreier_random;
mod sparse;
#[cfg(test)]
pub(crate) mod test_groups;
mod traces;

pub use bsgs::{Bsgs, BsgsError};
pub use exact::{
    Engine, ExactGroup, ExactGroupError, ExactOptions, exact_group, exact_group_by_own_search,
};
pub use name::name_group;
pub use order::GroupOrder;
