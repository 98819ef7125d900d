//! The `osmo-chart` command: parses the command line and hands it to `cli`.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    single_malloc_arena();
    cli::run(cli::Cli::parse()).into()
}

/// glibc gives every new thread its own malloc arena, grown a page range at a time with
/// mprotect; the renderer runs on one big-stack thread while the main thread waits, so one
/// shared arena is enough, and saves about a millisecond per `osmo-chart render`.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn single_malloc_arena() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_ARENA_MAX: i32 = -8;
    // SAFETY: mallopt only sets a tuning parameter of glibc's allocator; called before
    // any thread exists.
    unsafe {
        mallopt(M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn single_malloc_arena() {}
