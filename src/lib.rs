//! `dossier`: a terminal reader for a corpus of news and analysis articles that
//! finds the named entities of every article and cross-links each mention of
//! one entity across the whole corpus.
//!
//! Data flows one way: [`corpus`] turns files into [`corpus::Document`]s, the
//! [`entity`] engine finds [`entity::Mention`]s, the [`index`] answers the
//! questions the panes and the headless commands ask, and [`tui`] draws it.
//! Nothing below `tui` knows about the terminal.

pub mod annotate;
pub mod corpus;
pub mod entity;
pub mod files;
pub mod index;
pub mod load;
pub mod pathlist;
pub mod report;
pub mod text;
pub mod tui;
