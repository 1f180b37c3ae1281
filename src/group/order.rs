//! Exact group orders: an arbitrary-precision integer with its decimal string and log10.

use num_bigint::BigUint;
use serde::{Serialize, Serializer};

/// The order of a group, exactly (orders beyond 2⁶⁴ occur: `S_40` has 40! elements).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GroupOrder(BigUint);

impl GroupOrder {
    /// The trivial group's order, 1.
    pub fn one() -> Self {
        Self(BigUint::from(1u32))
    }

    /// The product of basic-orbit lengths (orbit–stabiliser along a stabiliser chain).
    pub fn from_orbit_lengths(lengths: impl IntoIterator<Item = usize>) -> Self {
        let mut x = BigUint::from(1u32);
        for l in lengths {
            x *= BigUint::from(l as u64);
        }
        Self(x)
    }

    /// The order with this exact value.
    pub fn from_value(value: BigUint) -> Self {
        Self(value)
    }

    /// The exact value.
    pub fn value(&self) -> &BigUint {
        &self.0
    }

    /// The order as a `u64`, if it fits.
    pub fn to_u64(&self) -> Option<u64> {
        u64::try_from(&self.0).ok()
    }

    /// The decimal string, e.g. `"46080"`.
    pub fn decimal(&self) -> String {
        self.0.to_str_radix(10)
    }

    /// `log2` of the order (from the leading digits, exact to ~15 digits).
    pub fn log2(&self) -> f64 {
        self.log10() * std::f64::consts::LOG2_10
    }

    /// `log10` of the order (from the leading digits, exact to ~15 digits).
    pub fn log10(&self) -> f64 {
        let s = self.decimal();
        let lead: f64 = s[..s.len().min(17)].parse().unwrap_or(1.0);
        lead.log10() + (s.len() - s.len().min(17)) as f64
    }
}

impl From<u64> for GroupOrder {
    fn from(x: u64) -> Self {
        Self(BigUint::from(x))
    }
}

impl std::fmt::Display for GroupOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.decimal())
    }
}

/// Serialised as its decimal string (JSON numbers cannot hold 40!).
impl Serialize for GroupOrder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.decimal())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factorial_40_is_exact() {
        let o = GroupOrder::from_orbit_lengths(1..=40);
        assert_eq!(
            o.decimal(),
            "815915283247897734345611269596115894272000000000"
        );
        assert!((o.log10() - 47.9116).abs() < 1e-3);
        assert_eq!(o.to_u64(), None);
        assert_eq!(
            GroupOrder::from_orbit_lengths([8, 6, 4, 2]).to_u64(),
            Some(384)
        );
        assert_eq!(GroupOrder::one().log10(), 0.0);
    }
}
