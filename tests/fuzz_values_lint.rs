//! A seeded mutation fuzzer over the whole linter (YAML loader, --set parser, schema
//! walk, rules, every output format): corpus files and --set arguments are mutated
//! byte-wise and token-wise, and each result must lint without a panic. CI runs a fixed
//! seed; `OSMO_FUZZ_ITERATIONS=200000 OSMO_FUZZ_SEED=7 cargo test --release --test
//! fuzz_values_lint` runs longer. Inputs that once failed live in
//! tests/fixtures/fuzz-regressions and run every time.

mod support;

use osmo_chart::diagnostics::{self, ColorChoice, Format};
use osmo_chart::lint::{self, rules, Options, Source};
use support::*;

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that reach the interesting corners of YAML and of the rules.
const TOKENS: &[&str] = &[
    ":",
    "- ",
    "\n",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "!!int ",
    "'",
    "\"",
    "|",
    ">-",
    "#",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "012",
    "6.10",
    "1Gb",
    "1Gi",
    "<insert-x>",
    "global:",
    "services:",
    "resources:",
    "limits:",
    "memory:",
    "\u{feff}",
    "é",
    "😀",
    "\\",
    "%",
    "@",
    "`",
    "?",
    "=",
    ".",
    "[0]",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(5) {
            0 if !out.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(out.len());
                out.drain(at.min(out.len())..end);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                out.splice(at..at, token.iter().copied());
            }
            2 if !out.is_empty() => {
                let i = at.min(out.len() - 1);
                out[i] = rng.next() as u8;
            }
            3 if !out.is_empty() => {
                // Repeat a slice: deep nesting and long lines.
                let start = rng.below(out.len());
                let end = (start + 1 + rng.below(32)).min(out.len());
                let chunk: Vec<u8> = out[start..end].to_vec();
                for _ in 0..rng.below(50) {
                    out.splice(at.min(out.len())..at.min(out.len()), chunk.iter().copied());
                }
            }
            _ => {
                let other = input.len().saturating_sub(1);
                let from = rng.below(other + 1);
                let piece: Vec<u8> = input[from..(from + rng.below(64)).min(input.len())].to_vec();
                out.splice(at..at, piece);
            }
        }
    }
    out
}

fn run_all_formats(sources: &[Source]) {
    let found = lint::lint(sources, &Options::default());
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
        let _ = diagnostics::render(format, &found, rules::ALL, ColorChoice::Always);
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn mutated_values_files_never_panic() {
    let seeds: Vec<Vec<u8>> = [yaml_files("tests/fixtures/values-lint"), examples()]
        .concat()
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let iterations = env_number("OSMO_FUZZ_ITERATIONS", 3000);
    let mut rng = Rng(env_number("OSMO_FUZZ_SEED", 0x05e0_c4a7).max(1));
    for i in 0..iterations {
        let seed = &seeds[rng.below(seeds.len())];
        let input = mutate(&mut rng, seed);
        let sources = [Source::File { name: "fuzz.yaml".into(), bytes: input.clone() }];
        if std::panic::catch_unwind(|| run_all_formats(&sources)).is_err() {
            let dir = root().join("tests/fixtures/fuzz-regressions");
            let path = dir.join(format!("crash-{i}.yaml"));
            std::fs::write(&path, &input).unwrap();
            panic!("iteration {i} panicked; input saved to {}", path.display());
        }
    }
}

#[test]
fn mutated_set_arguments_never_panic() {
    let seeds = [
        "global.osmoImageTag=6.4.0",
        "a.b[0].c={x,y},d=1",
        "services.backendWorker.extraArgs={--a,--b}",
        "x\\.y=z\\,w",
    ];
    let iterations = env_number("OSMO_FUZZ_ITERATIONS", 3000);
    let mut rng = Rng(env_number("OSMO_FUZZ_SEED", 0x05e0_c4a7).max(1) ^ 0xabcdef);
    for i in 0..iterations {
        let seed = seeds[rng.below(seeds.len())];
        let bytes = mutate(&mut rng, seed.as_bytes());
        let arg = String::from_utf8_lossy(&bytes).into_owned();
        let sources = [Source::Set { arg: arg.clone(), string: i % 2 == 0 }];
        assert!(std::panic::catch_unwind(|| run_all_formats(&sources)).is_ok(), "--set {arg:?} panicked");
    }
}

#[test]
fn inputs_that_once_failed_still_lint() {
    let dir = root().join("tests/fixtures/fuzz-regressions");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            run_all_formats(&[Source::File { name: path.display().to_string(), bytes: std::fs::read(&path).unwrap() }]);
        }
    }
}
