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
