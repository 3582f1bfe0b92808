//! Annotation: a person's decisions, journalled durably, applied over the
//! engine's analysis, and exported to the formats annotation tools read.

pub mod agreement;
pub mod anchor;
pub mod export;
pub mod journal;
pub mod ops;
pub mod overlay;
pub mod workspace;

pub use anchor::Anchor;
pub use journal::{Journal, JournalError};
pub use ops::{NewEntity, NoteTarget, Op, OverlayReport};
pub use overlay::Overlay;
pub use workspace::{Saved, Workspace};
