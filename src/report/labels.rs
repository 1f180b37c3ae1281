//! Human-readable descriptions of neurons and transformations for tooltips and tables.

use crate::model::{NeuronLabel, Space, Transformation};

/// One line describing a detector: where it looks and which kernel it carries.
pub fn describe_neuron(label: &NeuronLabel, space: &Space) -> String {
    let place = match space {
        Space::Ring { .. } => format!("pixel {}", label.position),
        Space::Line { .. } => format!("bin {}", label.position),
        Space::Torus { side } | Space::Square { side } => {
            let side = (*side).max(1);
            format!("(x {}, y {})", label.position % side, label.position / side)
        }
        Space::Polar { sectors, .. } => {
            let sectors = (*sectors).max(1);
            format!(
                "(ring {}, sector {})",
                label.position / sectors,
                label.position % sectors
            )
        }
    };
    match label.kernel {
        Some(k) if matches!(space, Space::Ring { .. } | Space::Line { .. }) => {
            format!("{place}, kernel {k}")
        }
        Some(k) if matches!(space, Space::Polar { .. }) => format!(
            "{place}, kernel {k}{}",
            if label.rotation == 1 {
                ", mirrored"
            } else {
                ""
            }
        ),
        Some(k) => format!(
            "{place}, kernel {k}, rotated {}°",
            u32::from(label.rotation) * 90
        ),
        None => format!(
            "{place} (random field, centre {:.1}, {:.1})",
            label.centre.0, label.centre.1
        ),
    }
}

/// Short name of a transformation, e.g. "shift +3" or "rotate 90°" — the library's
/// space-aware name ([`Space::describe`]), so the app and the CLI use the same words
/// (and `gui --select` accepts what the table shows).
pub fn describe_transformation(t: &Transformation, space: Option<&Space>) -> String {
    match space {
        Some(space) => space.describe(*t),
        None => t.to_string(),
    }
}

/// Cycle type as "64¹ · 2³" style text (length^count), longest cycles first.
pub fn describe_cycle_type(cycle_type: &[(usize, usize)]) -> String {
    let mut parts: Vec<(usize, usize)> = cycle_type.to_vec();
    parts.sort_by_key(|p| std::cmp::Reverse(p.0));
    parts
        .iter()
        .map(|(len, count)| format!("{len}^{count}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the heatmap widget needs to know about the nodes for tooltips.
pub struct HeatmapContext<'a> {
    /// Detector labels in stored order (empty for an imported matrix).
    pub labels: &'a [NeuronLabel],
    /// The space, to format positions (None for an imported matrix).
    pub space: Option<&'a Space>,
    /// Node names from a labels file; they take precedence over `labels`.
    pub names: Option<&'a [String]>,
}

impl HeatmapContext<'_> {
    /// One line naming node `k`.
    pub fn describe(&self, k: usize) -> String {
        if let Some(name) = self.names.and_then(|n| n.get(k)) {
            return name.clone();
        }
        match (self.labels.get(k), self.space) {
            (Some(l), Some(space)) => describe_neuron(l, space),
            _ => format!("node {k}"),
        }
    }
}
