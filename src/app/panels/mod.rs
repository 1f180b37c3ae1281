//! The panels around the central view. Each is a struct with its own UI state (textures,
//! drafts, caches) that draws itself from the read-only
//! [`crate::app::context::PanelContext`] and returns the [`crate::app::AppAction`]s the
//! user asked for; none reaches into another or into the app's state.

pub mod animation;
pub mod central;
pub mod compare;
pub mod facts;
pub mod file_dialog;
pub mod group;
pub mod inspect;
pub mod notices;
pub mod params;
pub mod result_cells;
pub mod search;
pub mod shortcuts;
pub mod status_bar;
pub mod stimulus;
pub mod top_bar;
pub mod tour;
pub mod unsaved_prompt;

/// Widths of the side panels as last laid out (None: not shown yet).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PanelWidths {
    /// The parameter panel.
    pub left: Option<f32>,
    /// The search panel.
    pub right: Option<f32>,
}

/// Every panel's state.
pub struct Panels {
    /// Menu bar and toolbar.
    pub top_bar: top_bar::TopBar,
    /// Notices under the toolbar.
    pub notices: notices::Notices,
    /// The simulation's parameters (left).
    pub params: params::ParamsPanel,
    /// An imported matrix's facts (left, in place of the parameters).
    pub facts: facts::FactsPanel,
    /// The symmetry search (right).
    pub search: search::SearchPanel,
    /// The central views.
    pub central: central::CentralPanel,
    /// The inspector of pinned weights and clicked neurons.
    pub inspect: inspect::InspectPanel,
    /// The lecture tour's caption.
    pub tour: tour::TourCaption,
    /// The unsaved-changes prompt.
    pub unsaved: unsaved_prompt::UnsavedPrompt,
    /// The typed-path dialog.
    pub file_dialog: file_dialog::FileDialog,
    /// Whether the shortcut overlay is shown.
    pub help_open: bool,
    /// Side panel widths as last laid out (remembered in the settings).
    pub widths: PanelWidths,
}

impl Panels {
    /// Fresh panels; `repaint` wakes the UI when background rendering is done;
    /// `inspect` opens the inspector at start.
    pub fn new(repaint: Option<egui::Context>, inspect: bool) -> Self {
        Self {
            top_bar: top_bar::TopBar,
            notices: notices::Notices,
            params: params::ParamsPanel::default(),
            facts: facts::FactsPanel,
            search: search::SearchPanel::default(),
            central: central::CentralPanel::new(repaint),
            inspect: inspect::InspectPanel::new(inspect),
            tour: tour::TourCaption,
            unsaved: unsaved_prompt::UnsavedPrompt,
            file_dialog: file_dialog::FileDialog::default(),
            help_open: false,
            widths: PanelWidths::default(),
        }
    }
}
