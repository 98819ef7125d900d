//! Fuzzing the template engine (lexer, parser, executor and Helm's functions) with
//! seeded random inputs: no input may panic, hang or overflow the stack. The seed is
//! fixed for CI; FUZZ_SEED and FUZZ_CASES run a bigger or different campaign.

use osmo_chart::helm::funcs;
use osmo_chart::template::{Exec, Limits, Map, Templates, Value};

/// A small xorshift generator: reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Pieces templates are made of: delimiters, keywords, operands, functions, junk.
const PIECES: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    "{{/* c */}}",
    "/*",
    "*/",
    " ",
    "\n",
    "\t",
    "text",
    "if ",
    "else ",
    "else if ",
    "end",
    "range ",
    "with ",
    "define \"d\"",
    "template \"d\" .",
    "block \"b\" .",
    "include \"d\" .",
    "tpl \"{{ .a }}\" .",
    "break",
    "continue",
    ".",
    ".a",
    ".a.b",
    ".l",
    ".m",
    ".n",
    "$",
    "$x",
    "$x := ",
    "$x = ",
    "$i, $v := ",
    "|",
    "(",
    ")",
    "\"s\"",
    "`raw`",
    "'c'",
    "1",
    "-2",
    "1.5",
    "1e3",
    "0x1F",
    "true",
    "nil",
    ",",
    "printf \"%v %d %s\" ",
    "print ",
    "len ",
    "index ",
    "slice ",
    "eq ",
    "lt ",
    "and ",
    "or ",
    "not ",
    "html ",
    "js ",
    "urlquery ",
    "toYaml ",
    "fromYaml ",
    "toJson ",
    "fromJson ",
    "dict \"k\" ",
    "list ",
    "append ",
    "concat ",
    "merge ",
    "deepCopy ",
    "set ",
    "get ",
    "default ",
    "required \"r\" ",
    "fail \"f\" ",
    "quote ",
    "nindent 2 ",
    "indent ",
    "trunc 3 ",
    "replace \"a\" \"b\" ",
    "until 5 ",
    "seq 3 ",
    "repeat 3 ",
    "sha256sum ",
    "b64enc ",
    "b64dec ",
    "regexFind \"[a\" ",
    "semverCompare \">1\" ",
    "int ",
    "toString ",
    "split \",\" ",
    "splitList \",\" ",
    "uniq ",
    "keys ",
    "first ",
    "rest ",
    "add 1 ",
    "div 1 ",
    "mod 1 ",
    // Dates, durations and the other encoders.
    "toDate \"2006-01-02\" ",
    "mustToDate \"2006-01-02T15:04:05Z07:00\" ",
    "date \"Mon Jan _2 15:04:05.000 MST 2006 PM -07:00\" ",
    "dateInZone \"2006-01-02 15:04\" ",
    "dateModify \"-1h30m\" ",
    "mustDateModify \"99999999h\" ",
    "duration ",
    "durationRound ",
    "unixEpoch ",
    "htmlDate ",
    "htmlDateInZone ",
    "ago ",
    "now",
    "\"America/New_York\"",
    "\"UTC\"",
    "\"2020-02-30\"",
    "\"9999999999-01-01\"",
    "\"-1h\"",
    "9223372036854775807",
    "-9223372036854775808",
    "(now).Add ",
    "(now).AddDate 1 2 ",
    "toToml ",
    "toYamlPretty ",
    "int64 ",
    "\u{1F600}",
    "é",
    "\"\\x",
    "\"unterminated",
    "((((",
    "))))",
    "{{{{",
    "}}}}",
    ":=",
    "=",
    "-",
    ". . .",
];

fn random_template(rng: &mut Rng) -> String {
    let n = 1 + rng.below(40);
    let mut s = String::new();
    for _ in 0..n {
        if rng.below(10) == 0 {
            // Raw random characters, including multi-byte ones.
            let c = char::from_u32(rng.below(0x2_0000) as u32).unwrap_or('x');
            s.push(c);
        } else {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
    }
    s
}

fn data() -> Value {
    let mut inner = Map::new();
    inner.insert("b".into(), Value::str("deep"));
    let mut m = Map::new();
    m.insert("a".into(), Value::map(inner.clone()));
    m.insert("l".into(), Value::list(vec![Value::Float(1.0), Value::str("two"), Value::Nil]));
    m.insert("m".into(), Value::map(inner));
    m.insert("n".into(), Value::Nil);
    Value::map(m)
}

/// Parses and runs one template with Helm's functions; returns whether it rendered.
fn run(src: &str) -> bool {
    let funcs = funcs::table();
    let mut set = Templates::new();
    if set.add_file("t", src, &funcs).is_err() {
        return false;
    }
    let limits = Limits { max_output: 1 << 20, max_steps: 10_000, max_depth: 200 };
    let mut exec = Exec::new(&set, &funcs, limits);
    exec.execute("t", data()).is_ok()
}

#[test]
fn random_templates_never_panic() {
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed_1234_abcd_ef01);
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3_000);
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut rng = Rng(seed | 1);
            let mut rendered = 0;
            for i in 0..cases {
                let src = random_template(&mut rng);
                let result = std::panic::catch_unwind(|| run(&src));
                match result {
                    Ok(ok) => rendered += usize::from(ok),
                    Err(_) => panic!("case {i} (seed {seed}) panicked on template {src:?}"),
                }
            }
            rendered
        })
        .unwrap();
    let rendered = handle.join().expect("the fuzz thread does not die");
    eprintln!("{rendered} of {cases} random templates rendered; none panicked");
}

#[test]
fn runaway_templates_are_stopped() {
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            for src in [
                "{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}",
                "{{ define \"tt\" }}{{ template \"tt\" . }}{{ end }}{{ template \"tt\" . }}",
                "{{ range until 100000 }}{{ range until 100000 }}x{{ end }}{{ end }}",
                "{{ $s := \"xxxxxxxxxx\" }}{{ range until 1000 }}{{ $s = print $s $s }}{{ end }}{{ $s }}",
                "{{ $d := dict }}{{ $_ := set $d \"self\" $d }}{{ $d }} {{ toYaml $d }} {{ toJson $d }} {{ printf \"%v\" $d }}",
            ] {
                let funcs = funcs::table();
                let mut set = Templates::new();
                set.add_file("t", src, &funcs).unwrap_or_else(|e| panic!("{src}: {e}"));
                let mut exec = Exec::new(&set, &funcs, Limits::default());
                let _ = exec.execute("t", Value::Nil);
            }
        })
        .unwrap();
    handle.join().expect("runaway templates end with an error, not a crash");
}

/// Go layout elements and other text, for random date layouts and inputs.
const LAYOUT_PIECES: &[&str] = &[
    "2006",
    "06",
    "01",
    "1",
    "Jan",
    "January",
    "02",
    "2",
    "_2",
    "002",
    "__2",
    "15",
    "03",
    "3",
    "04",
    "4",
    "05",
    "5",
    "PM",
    "pm",
    "MST",
    "-0700",
    "-07:00",
    "-07",
    "Z0700",
    "Z07:00",
    "Z07",
    "-070000",
    ".000",
    ".999999999",
    ",000",
    "Mon",
    "Monday",
    " ",
    "-",
    ":",
    "T",
    "Z",
    "+",
    "x",
    "0",
    "9",
    "99999999999",
    "\u{e9}",
    "\n",
];

fn random_layout(rng: &mut Rng) -> String {
    (0..1 + rng.below(8)).map(|_| LAYOUT_PIECES[rng.below(LAYOUT_PIECES.len())]).collect()
}

#[test]
fn random_date_calls_never_panic() {
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0xda7e_5eed);
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(3_000);
    let mut rng = Rng(seed | 1);
    let mut rendered = 0;
    for i in 0..cases {
        let (layout, input, out) = (random_layout(&mut rng), random_layout(&mut rng), random_layout(&mut rng));
        let modify = ["-1h", "99999999999h", "1.5s", "-9223372036854775807ns", "x", "1h1m1s1ms1us1ns"][rng.below(6)];
        let number = ["0", "-1", "9223372036854775807", "-9223372036854775808", "1e300", "253402300800"][rng.below(6)];
        let zone = [
            "UTC",
            "Local",
            "America/New_York",
            "Asia/Kolkata",
            "Europe/Berlin",
            "Australia/Lord_Howe",
            "Nowhere/Else",
            "",
        ][rng.below(8)];
        let src = match rng.below(6) {
            0 => format!("{{{{ toDate {layout:?} {input:?} | date {out:?} }}}}"),
            1 => format!("{{{{ mustToDate {layout:?} {input:?} | mustDateModify {modify:?} | htmlDate }}}}"),
            2 => format!("{{{{ dateInZone {out:?} (int64 {number}) {zone:?} }}}}"),
            3 => format!("{{{{ duration {number:?} }}}} {{{{ durationRound {number:?} }}}}"),
            4 => format!("{{{{ (toDate {layout:?} {input:?}).AddDate {number} 1 1 | toToml }}}}"),
            _ => format!("{{{{ dict \"t\" (unixEpoch (toDate {layout:?} {input:?})) \"d\" (toDate {layout:?} {input:?}) | toYamlPretty }}}}"),
        };
        match std::panic::catch_unwind(|| run(&src)) {
            Ok(ok) => rendered += usize::from(ok),
            Err(_) => panic!("case {i} (seed {seed}) panicked on template {src:?}"),
        }
    }
    eprintln!("{rendered} of {cases} random date calls rendered; none panicked");
}
