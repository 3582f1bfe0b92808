//! What the headless commands print and the exports hand on: one document
//! with its entities marked ([`show`]), an entity's concordance
//! ([`concordance`], shared with the reader's cross-link panel), tables for
//! spreadsheets ([`table`]) and the FollowTheMoney entities Aleph ingests
//! ([`ftm`]). Every writer here passes document-derived text through the
//! sanitiser before it is written.

pub mod concordance;
pub mod ftm;
pub mod lookup;
pub mod show;
pub mod table;
