//! Go's text/template in Rust, as Helm uses it: a lexer, a parser and a tree-walking
//! executor, each in its own file, plus Go's built-in functions and `fmt` verbs.
//!
//! Functions come from static tables of [`Func`] (Go's builtins, then whatever the
//! caller adds: Helm's and Sprig's); a [`FuncTable`] indexes them by name for one kind
//! of render. Templates are parsed into a [`Templates`] set, and an [`Exec`] runs them.

pub mod ast;
pub mod builtins;
pub mod digest;
pub mod error;
pub mod exec;
pub mod fmt;
pub mod lex;
pub mod parse;
pub mod value;

pub use error::{Error, ErrorKind};
pub use exec::{Exec, Limits};
pub use value::{Map, Object, Value};

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

/// The Go type of a function parameter, which decides how arguments are checked and
/// how literals are converted, as Go's reflection-based calls do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// `interface{}`: anything.
    Any,
    Str,
    Int,
    Int64,
    Float,
    Bool,
    /// `[]interface{}`
    List,
    /// `map[string]interface{}`
    Map,
    /// `time.Time` (Sprig's date functions).
    Time,
}

impl Ty {
    /// Go's spelling of the type, for messages.
    pub fn go_name(self) -> &'static str {
        match self {
            Ty::Any => "interface {}",
            Ty::Str => "string",
            Ty::Int => "int",
            Ty::Int64 => "int64",
            Ty::Float => "float64",
            Ty::Bool => "bool",
            Ty::List => "[]interface {}",
            Ty::Map => "map[string]interface {}",
            Ty::Time => "time.Time",
        }
    }

    /// Can a nil be passed as this type?
    pub fn nilable(self) -> bool {
        matches!(self, Ty::Any | Ty::List | Ty::Map)
    }
}

/// Why a function failed.
#[derive(Debug, Clone)]
pub enum FnError {
    /// A plain error: `error calling f: message`.
    Msg(String),
    /// A message from `fail` or `required`, which Helm prints on its own.
    User(String),
    /// The error of a template the function executed (`include`), after a context
    /// (`tpl` says which text it ran).
    Template(Option<String>, Box<Error>),
}

impl From<String> for FnError {
    fn from(s: String) -> Self {
        FnError::Msg(s)
    }
}

impl From<&str> for FnError {
    fn from(s: &str) -> Self {
        FnError::Msg(s.into())
    }
}

pub type FnResult = Result<Value, FnError>;

/// A template function: its Go signature and its body.
pub struct Func {
    pub name: &'static str,
    /// Fixed parameters.
    pub params: &'static [Ty],
    /// The type of `...` parameters, when the function is variadic.
    pub variadic: Option<Ty>,
    pub call: fn(&mut Exec, Vec<Value>) -> FnResult,
}

/// A multiply-rotate hash, eight bytes at a time. The maps keyed by it hold function
/// and template names, looked up on every call and `include`; their keys come from the
/// chart, not from an adversary, so SipHash's flood resistance buys nothing here.
#[derive(Default, Clone, Copy)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(tail) ^ bytes.len() as u64).wrapping_mul(K);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map keyed by names, hashed with `NameHasher`.
pub type NameMap<K, V> = HashMap<K, V, BuildHasherDefault<NameHasher>>;

/// Functions by name. Later tables override earlier ones, as a template's own
/// functions override Go's builtins.
#[derive(Default)]
pub struct FuncTable {
    map: NameMap<&'static str, &'static Func>,
}

impl FuncTable {
    pub fn new(tables: &[&'static [Func]]) -> FuncTable {
        let mut map = NameMap::default();
        for table in tables {
            for f in table.iter() {
                map.insert(f.name, f);
            }
        }
        FuncTable { map }
    }

    pub fn get(&self, name: &str) -> Option<&'static Func> {
        self.map.get(name).copied()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }
}

/// A set of named templates: every file parsed into it and every `define` in them.
#[derive(Clone, Default)]
pub struct Templates {
    trees: NameMap<String, Rc<ast::Tree>>,
}

impl Templates {
    pub fn new() -> Templates {
        Templates::default()
    }

    /// Parses `src` as the file `name` and adds it and its `define`s. As in Go, a later
    /// definition replaces an earlier one, unless it is empty.
    pub fn add_file(&mut self, name: &str, src: &str, funcs: &FuncTable) -> Result<(), Error> {
        let parsed = parse::parse(name, src, &|f| funcs.contains(f))?;
        self.add_parsed(name, src, parsed);
        Ok(())
    }

    /// Adds the file `name`, already parsed (from a digest), and its `define`s.
    pub fn add_parsed(&mut self, name: &str, src: &str, parsed: parse::Parsed) {
        let src: Rc<str> = Rc::from(src);
        let mut add = |tname: String, root: ast::List| {
            if let Some(old) = self.trees.get(&tname) {
                if ast::is_empty_list(&root) && !ast::is_empty_list(&old.root) {
                    return;
                }
            }
            let tree = ast::Tree { name: tname.clone(), file: name.to_string(), src: src.clone(), root };
            self.trees.insert(tname, Rc::new(tree));
        };
        for (tname, root) in parsed.defines {
            add(tname, root);
        }
        add(name.to_string(), parsed.root);
    }

    pub fn get(&self, name: &str) -> Option<Rc<ast::Tree>> {
        self.trees.get(name).cloned()
    }

    pub fn contains(&self, name: &str) -> bool {
        self.trees.contains_key(name)
    }
}

/// Parses and runs one template text with Go's builtins only: for tests and fuzzing.
pub fn render_str(src: &str, data: Value) -> Result<String, Error> {
    let funcs = FuncTable::new(&[builtins::BUILTINS]);
    let mut set = Templates::new();
    set.add_file("t", src, &funcs)?;
    let mut exec = Exec::new(&set, &funcs, Limits::default());
    exec.execute("t", data)
}

#[cfg(test)]
mod tests;
