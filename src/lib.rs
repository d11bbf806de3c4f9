//! skillpress: lint agent skills, measure their token cost, and reduce them into a
//! progressively loadable form. The library is organised by pipeline stage:
//! discover → skill (load, parse) → rules | tokens → render.

pub mod audit;
pub mod classify;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod fix;
pub mod lint;
pub mod position;
pub mod progress;
pub mod reduce;
pub mod render;
pub mod routing;
pub mod rules;
pub mod server;
pub mod skill;
pub mod text;
pub mod tokens;
