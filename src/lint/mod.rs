//! values-lint: every mistake in values files (and --set values) found in one pass,
//! each located at file:line:col with its values path, rule and fix. Per-input checks
//! (encoding, YAML, duplicates, the schema, placeholders) run on each input's own tree;
//! checks that need the merged values run once and point at the input that set the key.

mod keys;
mod quantity;
pub mod rules;
pub mod schema_walk;
mod semantics;
mod strings;

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::embedded_schema::EmbeddedSchema;
use crate::yaml::{self, Kind, Node, ScalarValue};
use schema_walk::{Found, SchemaWalker, Violation};
use serde_json::Value;
use std::sync::LazyLock;

/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

mod values_schema {
    include!(concat!(env!("OUT_DIR"), "/values_schema_split.rs"));
}

/// The chart's schema, as built into the binary without its prose and split into its
/// definitions (see build.rs), and the chart's defaults.
pub static SCHEMA: LazyLock<EmbeddedSchema> =
    LazyLock::new(|| EmbeddedSchema::new(values_schema::ROOT, values_schema::TABLES));
static DEFAULTS: LazyLock<Value> =
    LazyLock::new(|| yaml::to_json(include_str!("../../chart/values.yaml")).expect("the chart's values.yaml loads"));

/// One input, in the order Helm merges them.
#[derive(Debug, Clone)]
pub enum Source {
    /// A values file: the name to report and its bytes.
    File { name: String, bytes: Vec<u8> },
    /// One `--set` (or with `string`, `--set-string`) argument.
    Set { arg: String, string: bool },
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Allow unknown keys directly under `global` (the chart is a subchart).
    pub subchart: bool,
    /// Rule ids to leave out.
    pub allow: Vec<String>,
    /// The release name the chart's names are built from when global.name is unset.
    pub release_name: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { subchart: false, allow: Vec::new(), release_name: "osmo-operator".into() }
    }
}

/// An input after reading: its text and tree, if it got that far.
struct Loaded {
    name: String,
    text: String,
    root: Option<Node>,
}

impl Loaded {
    fn diag(&self, node: &Node, path: &str, severity: Severity, rule: &'static str, message: String) -> Diagnostic {
        let location = Location::of(node.span);
        Diagnostic::at(&self.name, &self.text, location, path, severity, rule, message)
    }

    fn diag_at(&self, offset: usize, severity: Severity, rule: &'static str, message: String) -> Diagnostic {
        Diagnostic::at(&self.name, &self.text, Location { offset, len: 1 }, "", severity, rule, message)
    }
}

/// Lints the inputs; the findings come back sorted by file, line and column.
pub fn lint(sources: &[Source], options: &Options) -> Vec<Diagnostic> {
    lint_inputs(sources, options).0
}

/// The inputs as read, for placing later findings (from `check`) at the values key
/// that caused them.
pub struct Inputs {
    loaded: Vec<Loaded>,
    /// The chart's defaults with every input coalesced over them; None when an input
    /// could not be read.
    pub merged: Option<Value>,
}

impl Inputs {
    /// A finding at the values path `path` in the last input that sets it (or its
    /// deepest set ancestor); None when no input sets any part of it.
    pub fn diag_at_path(
        &self,
        path: &str,
        severity: Severity,
        rule: &'static str,
        message: String,
    ) -> Option<Diagnostic> {
        let mut candidate = path;
        loop {
            for input in self.loaded.iter().rev() {
                if let Some((key, value)) = input.root.as_ref().and_then(|root| entry_at(root, candidate)) {
                    let node = if value.as_scalar().is_some() { value } else { key };
                    return Some(input.diag(node, path, severity, rule, message));
                }
            }
            candidate = match candidate.rfind(['.', '[']) {
                Some(i) if i > 0 => &candidate[..i],
                _ => return None,
            };
        }
    }

    /// The values path of a string scalar in the inputs equal to (or, for longer texts,
    /// containing) `text`, if exactly one input key holds it.
    pub fn path_of_text(&self, text: &str) -> Option<String> {
        fn walk(node: &Node, path: &str, text: &str, found: &mut Vec<String>) {
            match &node.kind {
                Kind::Map(entries) => {
                    for e in entries {
                        walk(&e.value, &schema_walk::join_path(path, &e.key.key_text()), text, found);
                    }
                }
                Kind::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        walk(item, &format!("{path}[{i}]"), text, found);
                    }
                }
                Kind::Scalar(s) => {
                    if s.text == text || (text.len() >= 6 && s.text.contains(text)) {
                        found.push(path.to_owned());
                    }
                }
            }
        }
        let mut found = Vec::new();
        for input in &self.loaded {
            if let Some(root) = &input.root {
                walk(root, "", text, &mut found);
            }
        }
        found.dedup();
        (found.len() == 1).then(|| found.remove(0))
    }
}

/// Lints the inputs and keeps them, as read, for `check`.
pub fn lint_inputs(sources: &[Source], options: &Options) -> (Vec<Diagnostic>, Inputs) {
    let walker = SchemaWalker::embedded(&SCHEMA);
    let index = keys::KeyIndex::new(&SCHEMA);
    let mut out = Vec::new();
    let mut loaded = Vec::new();
    let mut all_loaded = true;
    for source in sources {
        let input = match source {
            Source::File { name, bytes } => load_file(name, bytes, &mut out),
            Source::Set { arg, string } => load_set(arg, *string, &mut out),
        };
        all_loaded &= input.root.is_some();
        if let Some(root) = &input.root {
            check_tree(&input, root, &walker, &index, options, &mut out);
        }
        loaded.push(input);
    }
    // Merged-value checks only mean something when every input could be read.
    let mut merged = None;
    if all_loaded {
        let mut values = DEFAULTS.clone();
        for input in &loaded {
            coalesce(&mut values, &input.root.as_ref().unwrap().to_json());
        }
        if !sources.is_empty() {
            for f in semantics::check(&values, &options.release_name) {
                out.push(locate(&loaded, &f));
            }
        }
        merged = Some(values);
    }
    out.retain(|d| !options.allow.iter().any(|a| a == d.rule));
    crate::diagnostics::sort(&mut out);
    (out, Inputs { loaded, merged })
}

/// Helm's coalescing: maps merge key by key, null deletes, anything else replaces.
pub fn coalesce(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                match (base.get_mut(key), value) {
                    (_, Value::Null) => {
                        base.remove(key);
                    }
                    (Some(existing @ Value::Object(_)), Value::Object(_)) => coalesce(existing, value),
                    _ => {
                        base.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (base, over) => *base = over.clone(),
    }
}

fn load_file(name: &str, bytes: &[u8], out: &mut Vec<Diagnostic>) -> Loaded {
    let mut input = Loaded { name: name.to_owned(), text: String::new(), root: None };
    if bytes.len() > MAX_FILE_BYTES {
        out.push(input.diag_at(
            0,
            Severity::Error,
            rules::INPUT,
            format!(
                "the file is {} MiB; values files over 10 MiB are refused (is this the right file?)",
                bytes.len() / (1024 * 1024)
            ),
        ));
        return input;
    }
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        input.text = String::from_utf8_lossy(&bytes[..nul]).into_owned();
        out.push(input.diag_at(
            input.text.len(),
            Severity::Error,
            rules::INPUT,
            "the file contains NUL bytes: it is binary, not a YAML values file".into(),
        ));
        return input;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => input.text = text.to_owned(),
        Err(e) => {
            input.text = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            out.push(input.diag_at(
                e.valid_up_to(),
                Severity::Error,
                rules::INPUT,
                "the file is not UTF-8 text: re-save it as UTF-8".into(),
            ));
            return input;
        }
    }
    let tabs = tab_indents(&input, out);
    match yaml::load_all(&input.text) {
        Err(e) if tabs => drop(e), // the tab is the cause; its finding says so
        Err(e) => out.push(input.diag_at(e.offset, Severity::Error, rules::YAML_SYNTAX, e.message)),
        Ok(docs) => {
            if docs.len() > 1 {
                let second = docs[1].as_ref().map_or(input.text.len(), |n| n.span.start);
                out.push(input.diag_at(second, Severity::Error, rules::MULTIPLE_DOCUMENTS,
                    "Helm reads only the first YAML document of a values file; move these values into it or into another -f file".into()));
            }
            match docs.into_iter().next().flatten() {
                None => out.push(input.diag_at(
                    0,
                    Severity::Error,
                    rules::EMPTY_FILE,
                    "the file sets no values (it is empty or only comments)".into(),
                )),
                Some(root) if !matches!(root.kind, Kind::Map(_)) => out.push(input.diag(
                    &root,
                    "",
                    Severity::Error,
                    rules::NOT_A_MAP,
                    "a values file must be a map of keys (global:, services:, ...) at its top level".into(),
                )),
                Some(root) => input.root = Some(root),
            }
        }
    }
    input
}

/// Reports tabs in indentation; true when there were any.
fn tab_indents(input: &Loaded, out: &mut Vec<Diagnostic>) -> bool {
    let mut found = false;
    let mut offset = 0;
    for line in input.text.split_inclusive('\n') {
        let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        if let Some(tab) = indent.find('\t') {
            out.push(input.diag_at(
                offset + tab,
                Severity::Error,
                rules::TAB,
                "a tab in the indentation: YAML allows only spaces there".into(),
            ));
            found = true;
        }
        offset += line.len();
    }
    found
}

fn load_set(arg: &str, string: bool, out: &mut Vec<Diagnostic>) -> Loaded {
    let name = if string { "--set-string" } else { "--set" };
    let mut input = Loaded { name: name.to_owned(), text: arg.to_owned(), root: None };
    match crate::setvalues::parse(arg, string) {
        Ok(root) => input.root = Some(root),
        Err(e) => out.push(input.diag_at(
            e.offset,
            Severity::Error,
            rules::YAML_SYNTAX,
            format!("{name} {arg:?}: {}", e.message),
        )),
    }
    input
}

/// The per-input checks on one tree.
fn check_tree(
    input: &Loaded,
    root: &Node,
    walker: &SchemaWalker,
    index: &keys::KeyIndex,
    options: &Options,
    out: &mut Vec<Diagnostic>,
) {
    duplicates(input, root, "", out);
    scalars(input, root, "", walker, out);
    let mut found = Vec::new();
    walker.check(root, walker.root(), "", &mut found);
    for f in found {
        if let Some(d) = classify(input, f, walker, index, options) {
            out.push(d);
        }
    }
}

fn duplicates(input: &Loaded, node: &Node, path: &str, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        Kind::Map(entries) => {
            for (i, entry) in entries.iter().enumerate() {
                let key = entry.key.key_text();
                let child = schema_walk::join_path(path, &key);
                if let Some(first) = entries[..i].iter().find(|e| e.key.key_text() == key) {
                    let (line, _) = yaml::line_col(&input.text, first.key.span.start);
                    out.push(input.diag(&entry.key, &child, Severity::Error, rules::DUPLICATE_KEY, format!(
                        "`{key}` is already set on line {line}; Helm keeps only this one and drops the first: merge the two"
                    )));
                }
                duplicates(input, &entry.value, &child, out);
            }
        }
        Kind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                duplicates(input, item, &format!("{path}[{i}]"), out);
            }
        }
        Kind::Scalar(_) => {}
    }
}

/// Placeholder and example-domain checks on every string value, and YAML 1.1 readings
/// that change what was written in fields that take them (string fields get an error
/// from the schema check instead).
fn scalars(input: &Loaded, node: &Node, path: &str, walker: &SchemaWalker, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                scalars(input, &entry.value, &schema_walk::join_path(path, &entry.key.key_text()), walker, out);
            }
        }
        Kind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                scalars(input, item, &format!("{path}[{i}]"), walker, out);
            }
        }
        Kind::Scalar(s) if s.value == ScalarValue::Str => {
            if let Some(what) = strings::placeholder(&s.text) {
                out.push(input.diag(
                    node,
                    path,
                    Severity::Error,
                    rules::PLACEHOLDER,
                    format!("{:?} is {what}: replace it with the real value", s.text),
                ));
            } else if let Some(host) = strings::example_host(&s.text) {
                out.push(input.diag(
                    node,
                    path,
                    Severity::Warning,
                    rules::EXAMPLE_DOMAIN,
                    format!("{host} is the documentation's example domain: point this at your own OSMO service"),
                ));
            }
        }
        Kind::Scalar(s) if strings::surprising(s) => {
            let takes_string = schema_at(walker, path).is_some_and(|schema| {
                walker.facets(schema).iter().any(|f| match f.get("type") {
                    Some(Value::String(t)) => t == "string",
                    Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                    _ => false,
                })
            });
            if let Some((read_as, quoted)) = strings::yaml11_reading(s).filter(|_| !takes_string) {
                out.push(input.diag(
                    node,
                    path,
                    Severity::Warning,
                    rules::YAML11,
                    format!("`{}` is read as {read_as} (YAML 1.1); if you meant the text, quote it: {quoted}", s.text),
                ));
            }
        }
        Kind::Scalar(_) => {}
    }
}

/// Turns a schema violation into a finding with the right rule and a fix.
fn classify(
    input: &Loaded,
    found: Found,
    walker: &SchemaWalker,
    index: &keys::KeyIndex,
    options: &Options,
) -> Option<Diagnostic> {
    let path = found.path.as_str();
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let error =
        |node: &Node, rule: &'static str, message: String| Some(input.diag(node, path, Severity::Error, rule, message));
    match found.violation {
        Violation::UnknownKey { entry, open } => {
            if open && options.subchart {
                return None;
            }
            let parent_schema = schema_at(walker, parent);
            let here = parent_schema.map(|s| keys::allowed_keys(walker, s)).unwrap_or_default();
            let elsewhere = index.elsewhere(key, parent);
            let node = &entry.key;
            if let Some(near) = keys::nearest(key, here.iter().copied()) {
                let rule = if open { rules::UNKNOWN_GLOBAL_KEY } else { rules::UNKNOWN_KEY };
                return error(
                    node,
                    rule,
                    format!("unknown key `{key}` {}: did you mean `{near}`?", keys::describe_parent(parent)),
                );
            }
            if !elsewhere.is_empty() {
                let places: Vec<String> = elsewhere.iter().take(3).map(|p| keys::describe_parent(p)).collect();
                return error(
                    node,
                    rules::WRONG_LEVEL,
                    format!(
                        "`{key}` does not belong {}: the chart reads it {}; move it there",
                        keys::describe_parent(parent),
                        places.join(" or ")
                    ),
                );
            }
            let rule = if open { rules::UNKNOWN_GLOBAL_KEY } else { rules::UNKNOWN_KEY };
            let mut message = format!("unknown key `{key}` {}", keys::describe_parent(parent));
            if open {
                message.push_str(": the chart ignores it (if a parent chart sets it, pass --subchart)");
            } else if !here.is_empty() && here.len() <= 12 {
                message.push_str(&format!("; known keys here: {}", here.join(", ")));
            }
            error(node, rule, message)
        }
        Violation::Type { node, expected } => {
            let wanted = expected.iter().filter(|t| *t != "null").cloned().collect::<Vec<_>>().join(" or ");
            let scalar = node.as_scalar();
            if input.name == "--set" && expected.iter().any(|t| t == "string") && scalar.is_some() {
                return error(
                    node,
                    rules::WRONG_TYPE,
                    format!(
                        "--set reads `{}` as {}, but this key takes a string: pass it with --set-string {path}={}",
                        scalar.unwrap().text,
                        describe(node),
                        scalar.unwrap().text
                    ),
                );
            }
            if let Some((read_as, quoted)) =
                scalar.filter(|_| expected.iter().any(|t| t == "string")).and_then(strings::yaml11_reading)
            {
                return error(
                    node,
                    rules::YAML11,
                    format!(
                        "`{}` is read as {read_as} (YAML 1.1), but this key takes a string: quote it, {quoted}",
                        scalar.unwrap().text
                    ),
                );
            }
            if let Some(s) = scalar.filter(|s| s.value == ScalarValue::Str && expected.iter().any(|t| t == "boolean")) {
                if matches!(s.text.as_str(), "true" | "false" | "yes" | "no") {
                    return error(
                        node,
                        rules::WRONG_TYPE,
                        format!(
                            "\"{}\" is a string here; write the boolean unquoted: {}",
                            s.text,
                            if matches!(s.text.as_str(), "true" | "yes") { "true" } else { "false" }
                        ),
                    );
                }
            }
            error(node, rules::WRONG_TYPE, format!("expected {wanted}, found {}", describe(node)))
        }
        Violation::Enum { node, allowed } => {
            let choices: Vec<String> =
                allowed.iter().map(|v| v.as_str().map_or(v.to_string(), str::to_owned)).collect();
            let value = node.as_scalar().map_or(String::new(), |s| s.text.clone());
            let hint = keys::nearest(&value, choices.iter().map(String::as_str))
                .map_or(String::new(), |n| format!("; did you mean `{n}`?"));
            error(node, rules::INVALID_VALUE, format!("`{value}` is not one of {}{hint}", choices.join(", ")))
        }
        Violation::Grammar { node, title, detail } => {
            let text = node.as_scalar().map_or(String::new(), |s| s.text.clone());
            if strings::placeholder(&text).is_some() {
                return None; // the placeholder finding says it better
            }
            let title = title.unwrap_or("value");
            let rule = match title {
                t if t.starts_with("DNS-1123") => rules::INVALID_NAME,
                t if t.contains("URL") => rules::INVALID_URL,
                _ => rules::INVALID_FORMAT,
            };
            let fix = match rule {
                r if r == rules::INVALID_NAME => {
                    format!(": use lower-case letters, digits and '-', e.g. {:?}", dns_label(&text))
                }
                r if r == rules::INVALID_URL => {
                    format!(": include the scheme, e.g. \"https://{}\"", text.trim_start_matches("//"))
                }
                _ => format!(" ({detail})"),
            };
            error(node, rule, format!("{text:?} is not a valid {}{fix}", title.trim_end_matches(" or empty")))
        }
        Violation::NoBranch { node, description } => {
            let text = node.as_scalar().map_or_else(|| describe(node), |s| s.text.clone());
            if description.is_some_and(|d| d.contains("quantity")) {
                return error(node, rules::INVALID_QUANTITY, format!(
                    "{text:?} is not a Kubernetes quantity: write a number with an optional suffix, e.g. 512Mi, 1Gi, 500m or 2"
                ));
            }
            error(
                node,
                rules::WRONG_TYPE,
                format!("{text:?} fits none of the allowed forms: {}", description.unwrap_or("see the chart README")),
            )
        }
        Violation::Range { node, detail } => error(node, rules::OUT_OF_RANGE, format!("{} {detail}", describe(node))),
        Violation::Required { node, key } => error(node, rules::MISSING_KEY, format!("`{key}` is required here")),
        Violation::NullDeletes { entry } => Some(input.diag(
            &entry.value,
            path,
            Severity::Warning,
            rules::NULL_VALUE,
            format!("null removes `{key}` and the chart's default with it; delete the line to keep the default"),
        )),
    }
}

/// The schema of the object at a dotted values path (list indexes included), if known.
fn schema_at<'s>(walker: &SchemaWalker<'s>, path: &str) -> Option<&'s Value> {
    let mut schema = walker.root();
    if path.is_empty() {
        return Some(schema);
    }
    for part in path.split('.') {
        let (key, indexes) = part.split_once('[').map_or((part, ""), |(k, rest)| (k, rest));
        schema = walker.property(schema, key)?;
        for _ in indexes.matches(']') {
            schema = walker.facets(schema).into_iter().find_map(|f| f.get("items"))?;
        }
    }
    Some(schema)
}

fn describe(node: &Node) -> String {
    match &node.kind {
        Kind::Map(_) => "a map".into(),
        Kind::Seq(_) => "a list".into(),
        Kind::Scalar(s) => match s.value {
            ScalarValue::Null => "null".into(),
            ScalarValue::Bool(b) => format!("the boolean {b}"),
            ScalarValue::Int(_) | ScalarValue::Float(_) => format!("the number {}", s.text),
            ScalarValue::Str => format!("the string {:?}", s.text),
        },
    }
}

/// A best guess at the DNS-1123 label the user meant.
fn dns_label(text: &str) -> String {
    let lowered: String =
        text.to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let trimmed = lowered.trim_matches('-');
    let short: String = trimmed.chars().take(63).collect();
    if short.is_empty() {
        "my-namespace".into()
    } else {
        short.trim_end_matches('-').to_owned()
    }
}

/// Places a merged-values finding at the last input that sets one of its paths.
fn locate(inputs: &[Loaded], f: &semantics::Finding) -> Diagnostic {
    for path in &f.paths {
        for input in inputs.iter().rev() {
            if let Some((key, value)) = input.root.as_ref().and_then(|root| entry_at(root, path)) {
                // Point at a scalar itself, at a map or list by its key.
                let node = if value.as_scalar().is_some() { value } else { key };
                return input.diag(node, &f.paths[0], f.severity, f.rule, f.message.clone());
            }
        }
    }
    let first = &inputs[0];
    first.diag_at(0, f.severity, f.rule, f.message.clone()).with_path(&f.paths[0])
}

/// The key and value nodes at a dotted path with `[i]` indexes (for a list item, the
/// item is both).
fn entry_at<'a>(root: &'a Node, path: &str) -> Option<(&'a Node, &'a Node)> {
    let mut node = root;
    let mut key_node = root;
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        let Kind::Map(entries) = &node.kind else { return None };
        let entry = entries.iter().rev().find(|e| e.key.key_text() == key)?;
        key_node = &entry.key;
        node = &entry.value;
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = match &node.kind {
                Kind::Seq(items) => items.get(i)?,
                _ => return None,
            };
            key_node = node;
        }
    }
    Some((key_node, node))
}
