//! Words for groups: orders with digit grouping, the family a name belongs to, words in
//! the generators, the scope of a measured error. Pure functions, so they are tested
//! without a window.

use crate::group::{ExactGroup, GroupOrder};
use crate::model::Transformation;
use crate::search::exact::Certificate;

/// Orders with more digits than this are shown as a power of ten (exact value in the tooltip).
const MAX_DIGITS_SHOWN: usize = 16;

/// A sort key putting the simplest transformations first: unit steps (shift ±1, a
/// quarter turn, a mirror) before larger ones, positive before negative. Used to pick
/// the name a generator is shown by, so a lecturer sees "rotate 90°", not "rotate 270°".
pub fn transformation_rank(t: &Transformation) -> u64 {
    // (magnitude, kind, sign) packed into one integer.
    let key = |magnitude: u64, kind: u64, negative: bool| {
        magnitude.min(1 << 40) * 64 + kind * 2 + u64::from(negative)
    };
    match *t {
        Transformation::Identity => u64::MAX,
        Transformation::Shift { k } => key(k.unsigned_abs(), 0, k < 0),
        Transformation::Translate { dx, dy } => key(
            dx.unsigned_abs() + dy.unsigned_abs(),
            1,
            dx < 0 || (dx == 0 && dy < 0),
        ),
        Transformation::Rotate { quarter_turns } => match quarter_turns % 4 {
            1 => key(1, 2, false),
            3 => key(1, 2, true),
            q => key(u64::from(q), 2, false),
        },
        Transformation::Reflect { quarter_turns } => {
            key(1 + u64::from(quarter_turns % 4), 3, false)
        }
        Transformation::Rigid { dx, dy, .. } => {
            key(1000 + dx.unsigned_abs() + dy.unsigned_abs(), 4, false)
        }
    }
}

/// An integer with (non-breaking) spaces between groups of three digits, from five
/// digits on (SI style): "46 080", but "5040".
pub fn grouped_digits(decimal: &str) -> String {
    let digits: Vec<char> = decimal.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 && decimal.len() > 4 {
            out.push('\u{a0}');
        }
        out.push(*c);
    }
    out
}

/// The order as shown: grouped digits, or "≈ 8.16 × 10^47" when too long to read.
pub fn order_text(order: &GroupOrder) -> String {
    let decimal = order.decimal();
    if decimal.len() <= MAX_DIGITS_SHOWN {
        grouped_digits(&decimal)
    } else {
        let log = order.log10();
        let exponent = log.floor();
        let mantissa = 10f64.powf(log - exponent);
        format!("≈ {mantissa:.2} × 10^{exponent:.0}")
    }
}

/// The family word before a group's name ("dihedral D_64", "cyclic C_16"); empty for
/// products and unnamed groups, whose names speak for themselves.
pub fn family(name: &str) -> &'static str {
    let simple = !name.contains(['×', '⋊', ' ']);
    if simple && name.starts_with("D_") {
        "dihedral "
    } else if simple && name.starts_with("C_") {
        "cyclic "
    } else if simple && name.starts_with("S_") {
        "symmetric "
    } else {
        ""
    }
}

/// The headline's first words: "dihedral D_64, order 128", or "order 5040, non-abelian,
/// 2 generators" when the name already is a description by order.
pub fn headline(name: Option<&str>, order: &GroupOrder) -> String {
    let name = name.map(screen_name);
    let name = name.as_deref();
    match name {
        Some(name) if name.starts_with("order") => format!("a group of {name}"),
        Some(name) => format!("{}{name}, order {}", family(name), order_text(order)),
        None => format!("a group of order {}", order_text(order)),
    }
}

/// A group name as the app's fonts can draw it: they have no `⋊` (U+22CA), so a
/// semidirect product is written the ATLAS way, `N:H` ("(C_16 × C_16):D_4").
pub fn screen_name(name: &str) -> String {
    name.replace(" ⋊ ", ":").replace('⋊', ":")
}

/// A word in the generators: `[(0, 3), (1, 1)]` reads "g1^3·g2".
pub fn word_text(word: &[(usize, u64)]) -> String {
    word.iter()
        .map(|&(g, e)| {
            if e == 1 {
                format!("g{}", g + 1)
            } else {
                format!("g{}^{e}", g + 1)
            }
        })
        .collect::<Vec<_>>()
        .join("·")
}

/// Over which elements the maximum error was taken: "all 127 elements" or "a random
/// sample of 256 of 2 048 elements" (identity excluded: its error is 0 by definition).
pub fn error_scope(checked: usize, all_checked: bool, order: &GroupOrder) -> String {
    let noun = |k: usize| if k == 1 { "element" } else { "elements" };
    if all_checked {
        format!(
            "all {} non-identity {}",
            grouped_digits(&checked.to_string()),
            noun(checked)
        )
    } else {
        format!(
            "a random sample of {} of {} elements",
            grouped_digits(&checked.to_string()),
            order_text(order)
        )
    }
}

/// The proved exact group in one line: "exact automorphisms: trivial (proved)", "…:
/// order 48 (proved), 3 generators", a proved lower bound when the search was stopped
/// early, or why it was not proved.
pub fn exact_group_text(group: &Result<ExactGroup, String>) -> String {
    match group {
        Ok(g) if !g.complete => format!(
            "exact automorphisms: order at least {} (proved lower bound; the search was stopped), {} generators",
            order_text(&g.order),
            g.generators.len()
        ),
        Ok(g) if g.order.to_u64() == Some(1) => "exact automorphisms: trivial (proved)".to_owned(),
        Ok(g) => {
            let gens = g.generators.len();
            format!(
                "exact automorphisms: order {} (proved), {gens} generator{}",
                order_text(&g.order),
                if gens == 1 { "" } else { "s" }
            )
        }
        Err(e) => format!("exact automorphisms: not proved: {e}"),
    }
}

/// The exact method's certificate in one line: the proved optimum of `J`, or the best
/// value with its lower bound and gap.
pub fn certificate_text(c: &Certificate) -> String {
    if c.proved_optimal {
        format!("branch and bound: optimum proved, J = {:.5}", c.best_cost)
    } else {
        format!(
            "branch and bound: not proved, J = {:.5}, lower bound {:.5} (gap {:.5})",
            c.best_cost, c.lower_bound, c.gap
        )
    }
}

/// Why no group is shown: no candidate's error is below the acceptance level
/// `tolerance`; `best_error` is the best candidate's (None: there was none).
pub fn no_symmetry_text(best_error: Option<f64>, tolerance: f64) -> String {
    let best = best_error.map_or_else(
        || "no candidate at all".to_owned(),
        |e| format!("the best has {e:.4}"),
    );
    format!("No candidate's error is below the acceptance level {tolerance:.4}; {best}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_group_and_the_certificate_read_as_proved_or_not() {
        assert_eq!(
            exact_group_text(&Err("cancelled".into())),
            "exact automorphisms: not proved: cancelled"
        );
        let mut c = Certificate {
            proved_optimal: true,
            best_cost: 0.25,
            lower_bound: 0.25,
            gap: 0.0,
            nodes: 7,
            best_permutation: None,
        };
        assert_eq!(
            certificate_text(&c),
            "branch and bound: optimum proved, J = 0.25000"
        );
        c.proved_optimal = false;
        c.lower_bound = 0.125;
        c.gap = 0.125;
        assert_eq!(
            certificate_text(&c),
            "branch and bound: not proved, J = 0.25000, lower bound 0.12500 (gap 0.12500)"
        );
        assert_eq!(
            no_symmetry_text(Some(0.5), 0.05),
            "No candidate's error is below the acceptance level 0.0500; the best has 0.5000."
        );
        assert!(no_symmetry_text(None, 0.05).ends_with("no candidate at all."));
    }

    #[test]
    fn digits_are_grouped_by_three_from_the_right() {
        assert_eq!(grouped_digits("128"), "128");
        assert_eq!(grouped_digits("5040"), "5040");
        assert_eq!(grouped_digits("46080"), "46\u{a0}080");
        assert_eq!(grouped_digits("1234567"), "1\u{a0}234\u{a0}567");
    }

    #[test]
    fn huge_orders_are_powers_of_ten() {
        // 40! = 815915283247897734345611269596115894272000000000 (48 digits).
        let forty = GroupOrder::from_orbit_lengths(1..=40);
        assert_eq!(forty.decimal().len(), 48);
        assert_eq!(order_text(&forty), "≈ 8.16 × 10^47");
        assert_eq!(order_text(&GroupOrder::from(46_080)), "46\u{a0}080");
    }

    #[test]
    fn headlines_name_the_family_once() {
        assert_eq!(
            headline(Some("(C_16 × C_16) ⋊ D_4"), &GroupOrder::from(2048)),
            "(C_16 × C_16):D_4, order 2048"
        );
        let o = GroupOrder::from(128);
        assert_eq!(headline(Some("D_64"), &o), "dihedral D_64, order 128");
        assert_eq!(
            headline(Some("C_16 × C_16"), &GroupOrder::from(256)),
            "C_16 × C_16, order 256"
        );
        assert_eq!(
            headline(
                Some("order 5040, non-abelian, 2 generators"),
                &GroupOrder::from(5040)
            ),
            "a group of order 5040, non-abelian, 2 generators"
        );
        assert_eq!(headline(None, &o), "a group of order 128");
    }

    #[test]
    fn unit_steps_rank_first() {
        let r = |t| transformation_rank(&t);
        assert!(
            r(Transformation::Rotate { quarter_turns: 1 })
                < r(Transformation::Rotate { quarter_turns: 3 })
        );
        assert!(
            r(Transformation::Rotate { quarter_turns: 3 })
                < r(Transformation::Rotate { quarter_turns: 2 })
        );
        assert!(r(Transformation::Shift { k: 1 }) < r(Transformation::Shift { k: -1 }));
        assert!(r(Transformation::Shift { k: -1 }) < r(Transformation::Shift { k: 2 }));
        assert!(
            r(Transformation::Rotate { quarter_turns: 1 })
                < r(Transformation::Reflect { quarter_turns: 0 })
        );
    }

    #[test]
    fn words_and_scopes_read_naturally() {
        assert_eq!(word_text(&[(0, 3), (1, 1)]), "g1^3·g2");
        let o = GroupOrder::from(2048);
        assert_eq!(
            error_scope(127, true, &GroupOrder::from(128)),
            "all 127 non-identity elements"
        );
        assert_eq!(
            error_scope(256, false, &o),
            "a random sample of 256 of 2048 elements"
        );
    }
}
