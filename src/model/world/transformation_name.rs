//! The words for a transformation: `Display` for [`Transformation`] ("shift +3",
//! "reflect, then rotate 90°") and the space-aware name [`Space::describe`] gives,
//! which the app and the CLI both show.

use std::fmt;

use crate::model::config::{Space, Transformation};

/// `t`'s short, space-aware name on `space`: like `Display`, but a ring's reflection followed by a
/// shift reads "reflect, then shift +3". The app and the CLI both name
/// transformations with this.
pub(super) fn describe(space: Space, t: Transformation) -> String {
    if let Some(grid) = crate::model::world::polar::PolarGrid::of(space) {
        return crate::model::world::polar_space::describe(&grid, t);
    }
    match (space, t) {
        (
            Space::Ring { .. },
            Transformation::Rigid {
                reflect: true,
                dx,
                dy: 0,
                ..
            },
        ) => format!("reflect, then shift {}", signed_text(dx)),
        _ => t.to_string(),
    }
}

/// "+3", "-2", "0".
fn signed_text(k: i64) -> String {
    if k == 0 {
        "0".to_string()
    } else {
        format!("{k:+}")
    }
}

fn rotation_text(q: u8) -> String {
    format!("rotate {}°", 90 * u32::from(q % 4))
}

impl fmt::Display for Transformation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Transformation::Identity => write!(f, "identity"),
            Transformation::Shift { k } => write!(f, "shift {}", signed_text(k)),
            Transformation::Translate { dx, dy } => {
                write!(f, "translate ({}, {})", signed_text(dx), signed_text(dy))
            }
            Transformation::Rotate { quarter_turns } => {
                write!(f, "{}", rotation_text(quarter_turns))
            }
            Transformation::Reflect { quarter_turns } => {
                if quarter_turns % 4 == 0 {
                    write!(f, "reflect")
                } else {
                    write!(f, "reflect, then {}", rotation_text(quarter_turns))
                }
            }
            Transformation::Rigid {
                reflect,
                quarter_turns,
                dx,
                dy,
            } => {
                let mut parts = Vec::new();
                if reflect {
                    parts.push("reflect".to_string());
                }
                if quarter_turns % 4 != 0 {
                    parts.push(rotation_text(quarter_turns));
                }
                if dx != 0 || dy != 0 {
                    parts.push(format!(
                        "translate ({}, {})",
                        signed_text(dx),
                        signed_text(dy)
                    ));
                }
                if parts.is_empty() {
                    write!(f, "identity")
                } else {
                    write!(f, "{}", parts.join(", then "))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_short() {
        assert_eq!(Transformation::Shift { k: -3 }.to_string(), "shift -3");
        assert_eq!(Transformation::Shift { k: 1 }.to_string(), "shift +1");
        assert_eq!(
            Transformation::Translate { dx: 1, dy: 0 }.to_string(),
            "translate (+1, 0)"
        );
        assert_eq!(
            Transformation::Reflect { quarter_turns: 1 }.to_string(),
            "reflect, then rotate 90°"
        );
    }
}
