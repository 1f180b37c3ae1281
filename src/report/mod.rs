//! What a search found, in words and numbers, for both fronts: the results table's
//! rows scored against the ground truth, the approximate and exact groups with their
//! names and generators, the group's elements, and the labels of neurons and
//! transformations.

pub mod elements;
pub mod group_text;
pub mod labels;
pub mod outcome;
pub mod rows;
