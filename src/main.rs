//! The `osmo-chart` command: parses the command line and hands it to `cli`.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::run(cli::Cli::parse()).into()
}

/// Size classes in one huge-page-backed region: see `osmo_chart::arena_alloc`.
#[global_allocator]
static ALLOCATOR: osmo_chart::arena_alloc::ArenaAlloc = osmo_chart::arena_alloc::ArenaAlloc::new();
