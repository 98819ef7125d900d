//! A chart as Helm loads it: Chart.yaml, values.yaml, every file under templates/,
//! the other files (for `.Files`), and subcharts under charts/, minus what
//! .helmignore excludes. Charts load from a directory or from a list of files (the
//! chart embedded in the binary).

use crate::template::value::{Map, Object, Value};
use std::borrow::Cow;
use std::path::Path;
use std::rc::Rc;

/// A chart file's text: borrowed from the binary for the embedded chart (so loading it
/// copies nothing), owned when read from disk.
pub type Text = Cow<'static, str>;

/// A chart's files: path relative to the chart directory (`/`-separated), and text.
pub type Files = Vec<(String, Text)>;

#[derive(Debug, Clone)]
pub struct Chart {
    pub name: String,
    /// Chart.yaml as data.
    pub metadata: Map,
    /// values.yaml, once `load_values` has read it.
    pub values: Map,
    values_text: Option<Text>,
    /// values.schema.json, which the values are validated against before rendering.
    pub schema: Option<Text>,
    /// Templates: path relative to the chart (`templates/x.yaml`) and text.
    pub templates: Files,
    /// Every other file, for `.Files` (shared by every render of the chart).
    pub files: Rc<Files>,
    pub subcharts: Vec<Chart>,
}

/// Reads every file under `dir`, with paths relative to it (`/`-separated).
pub fn read_dir_files(dir: &Path) -> Result<Files, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| e.to_string())?;
            let path = entry.path();
            let ty = entry.file_type().map_err(|e| e.to_string())?;
            if ty.is_dir() {
                stack.push(path);
            } else if ty.is_file() {
                let rel = path.strip_prefix(dir).map_err(|e| e.to_string())?;
                let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                out.push((rel, bytes));
            }
        }
    }
    files_from_bytes(out)
}

/// A chart's files from their bytes, sorted by path, with every packaged subchart
/// (`charts/NAME.tgz`, at any depth) unpacked in place as the directory
/// `charts/NAME.tgz/`, its top directory stripped as Helm's archive loader strips it.
pub fn files_from_bytes(raw: Vec<(String, Vec<u8>)>) -> Result<Files, String> {
    // .helmignore applies to the chart's own files, before archives are opened: an
    // ignored archive is never read.
    let ignore = raw
        .iter()
        .find(|(p, _)| p == ".helmignore")
        .map(|(_, bytes)| IgnoreRules::parse(&text_of(bytes)))
        .unwrap_or_default();
    let raw = raw.into_iter().filter(|(p, _)| !ignore.ignored(p)).collect();
    let mut out = Vec::new();
    expand_archives(raw, &mut out, 0)?;
    out.sort();
    Ok(out)
}

/// Archives inside archives are followed this deep.
const MAX_ARCHIVE_NESTING: usize = 8;

fn expand_archives(raw: Vec<(String, Vec<u8>)>, out: &mut Files, depth: usize) -> Result<(), String> {
    // The chart roots (directories with a Chart.yaml) and that file, read for its name
    // only when an archive under it fails.
    let roots: Vec<(&str, &[u8])> = raw
        .iter()
        .filter(|(p, _)| p == "Chart.yaml" || p.ends_with("/Chart.yaml"))
        .map(|(p, bytes)| (p.strip_suffix("Chart.yaml").unwrap_or(""), bytes.as_slice()))
        .collect();
    for (path, bytes) in &raw {
        // Only `charts/` of a chart root holds subcharts.
        let packaged = path.rsplit_once('/').and_then(|(dir, file)| {
            let owner = dir.strip_suffix("charts").filter(|o| o.is_empty() || o.ends_with('/'))?;
            let root = roots.iter().find(|(d, _)| *d == owner)?;
            (file.ends_with(".tgz") && !file.starts_with(['_', '.'])).then_some((file, root.1))
        });
        let Some((file, chart_yaml)) = packaged else {
            out.push((path.clone(), Cow::Owned(text_of(bytes))));
            continue;
        };
        let failed = |e: String| {
            let parent = crate::yaml::to_json(&text_of(chart_yaml))
                .ok()
                .and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned))
                .unwrap_or_default();
            format!("error unpacking subchart {file} in {parent}: {e}")
        };
        if depth >= MAX_ARCHIVE_NESTING {
            return Err(failed("packaged subcharts nest too deep".into()));
        }
        let inner = unpack_chart(bytes).map_err(failed)?;
        let prefixed = inner.into_iter().map(|(p, b)| (format!("{path}/{p}"), b)).collect();
        expand_archives(prefixed, out, depth + 1)?;
    }
    Ok(())
}

/// Whether a path lies in a subchart unpacked from `charts/NAME.tgz`.
fn inside_archive(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.windows(2).any(|w| w[0] == "charts" && w[1].ends_with(".tgz")) && !path.ends_with(".tgz")
}

/// A file's text: UTF-8 (invalid bytes replaced), without a byte order mark.
fn text_of(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files of a packaged chart with its top directory stripped, checked as Helm's
/// archive loader checks them.
fn unpack_chart(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut files = Vec::new();
    for f in crate::archive::read_tgz(bytes)? {
        let Some((top, rest)) = f.path.split_once('/') else {
            return Err(format!("chart illegally contains content outside the base directory: {:?}", f.path));
        };
        if top == "Chart.yaml" {
            return Err("chart yaml not in base directory".into());
        }
        let rest = clean_path(rest);
        if rest.starts_with('/') {
            return Err("chart illegally contains absolute paths".into());
        }
        if rest == ".." || rest.starts_with("../") {
            return Err("chart illegally references parent directory".into());
        }
        let drive = rest.as_bytes();
        if drive.len() >= 3 && drive[0].is_ascii_alphabetic() && drive[1] == b':' && drive[2] == b'/' {
            return Err("chart contains illegally named files".into());
        }
        files.push((rest, f.bytes));
    }
    if files.is_empty() {
        return Err("no files in chart archive".into());
    }
    Ok(files)
}

/// Go's `path.Clean` for a relative path: `.` and empty parts dropped, `..` folded.
fn clean_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

impl Chart {
    pub fn load_dir(dir: &Path) -> Result<Chart, String> {
        if !dir.join("Chart.yaml").is_file() {
            return Err(format!("Chart.yaml file is missing in {}", dir.display()));
        }
        Chart::from_files(&read_dir_files(dir)?)
    }

    /// A chart from its files (paths relative to the chart directory), its values.yaml
    /// errors worded as Helm 4 words them.
    pub fn from_files(files: &[(String, Text)]) -> Result<Chart, String> {
        Chart::load(files, super::HelmMajor::default())
    }

    /// A chart from its files, its values.yaml errors worded as `helm` words them.
    pub fn load(files: &[(String, Text)], helm: super::HelmMajor) -> Result<Chart, String> {
        let mut chart = Chart::layout(files)?;
        chart.load_values(helm)?;
        Ok(chart)
    }

    /// The chart and its subcharts with everything but their values.yaml read;
    /// `load_values` reads those.
    fn layout(files: &[(String, Text)]) -> Result<Chart, String> {
        let ignore = files
            .iter()
            .find(|(p, _)| p == ".helmignore")
            .map(|(_, text)| IgnoreRules::parse(text))
            .unwrap_or_default();
        // Files unpacked from an archive were filtered when it was packaged.
        let kept: Vec<&(String, Text)> =
            files.iter().filter(|(p, _)| inside_archive(p) || !ignore.ignored(p)).collect();
        let chart_yaml =
            kept.iter().find(|(p, _)| p == "Chart.yaml").ok_or_else(|| "Chart.yaml file is missing".to_string())?;
        let mut metadata = match Value::from_json(
            &crate::yaml::to_json(&chart_yaml.1).map_err(|e| format!("cannot load Chart.yaml: {e}"))?,
        ) {
            Value::Map(m) => m.borrow().clone(),
            _ => return Err("cannot load Chart.yaml: not a map".into()),
        };
        // Helm reads Chart.yaml into Go strings, so a YAML 1.1 boolean there (`name: off`)
        // becomes the text "false", not an error.
        for key in ["name", "version", "appVersion", "kubeVersion", "description", "type", "icon", "home"] {
            if let Some(Value::Bool(b)) = metadata.get(key) {
                let text = b.to_string();
                metadata.insert(key.into(), Value::str(text));
            }
        }
        let name = match metadata.get("name") {
            Some(Value::Str(s)) => s.to_string(),
            _ => return Err("validation: chart.metadata.name is required".into()),
        };
        let values_text = kept.iter().find(|(p, _)| p == "values.yaml").map(|(_, text)| text.clone());
        let schema = kept.iter().find(|(p, _)| p == "values.schema.json").map(|(_, text)| text.clone());
        let mut templates = Vec::new();
        let mut other = Vec::new();
        let mut sub_files: std::collections::BTreeMap<String, Files> = Default::default();
        for (p, text) in kept {
            if let Some(rest) = p.strip_prefix("charts/") {
                if rest.ends_with(".prov") && !rest.contains('/') {
                    other.push((p.clone(), text.clone()));
                    continue;
                }
                // Every name under charts/ is a subchart (a directory or an unpacked
                // archive), except those starting with `_` or `.`.
                let (sub, inner) = rest.split_once('/').unwrap_or((rest, ""));
                if sub.starts_with(['_', '.']) {
                    continue;
                }
                let entry = sub_files.entry(sub.to_string()).or_default();
                if !inner.is_empty() {
                    entry.push((inner.to_string(), text.clone()));
                }
                continue;
            }
            if p.starts_with("templates/") {
                // A library chart only lends its helpers: Helm skips its other templates.
                let base = p.rsplit('/').next().unwrap_or(p);
                if metadata.get("type").and_then(Value::as_str) == Some("library") && !base.starts_with('_') {
                    continue;
                }
                templates.push((p.clone(), text.clone()));
            } else if !matches!(p.as_str(), "Chart.yaml" | "values.yaml" | "values.schema.json" | "Chart.lock")
                && !p.starts_with("crds/")
            {
                other.push((p.clone(), text.clone()));
            }
        }
        let mut subcharts = Vec::new();
        for (sub, files) in sub_files {
            if !files.iter().any(|(p, _)| p == "Chart.yaml") {
                return Err(format!("error unpacking subchart {sub} in {name}: Chart.yaml file is missing"));
            }
            subcharts.push(Chart::layout(&files)?);
        }
        subcharts.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Chart {
            name,
            metadata,
            values: Map::new(),
            values_text,
            schema,
            templates,
            files: Rc::new(other),
            subcharts,
        })
    }

    /// Parses values.yaml of the chart and of every subchart (errors worded as `helm`
    /// words them).
    fn load_values(&mut self, helm: super::HelmMajor) -> Result<(), String> {
        if let Some(text) = self.values_text.take() {
            self.values = match crate::template::digest::lookup_values(super::embedded::VALUES_DIGEST, &text) {
                Some(values) => values,
                None => super::values::parse_values(&text, "values.yaml", helm == super::HelmMajor::V4)?,
            };
        }
        self.subcharts.iter_mut().try_for_each(|sub| sub.load_values(helm))
    }

    /// Helm installs (and renders) only application charts at the top.
    pub fn is_library(&self) -> bool {
        self.metadata.get("type").and_then(Value::as_str) == Some("library")
    }

    pub fn kube_version(&self) -> Option<&str> {
        self.metadata.get("kubeVersion").and_then(Value::as_str)
    }
}

/// .helmignore rules: globs on the base name, on the path when they hold a `/`, and
/// directories when they end in `/`; `!` negates.
#[derive(Debug, Default)]
pub struct IgnoreRules {
    rules: Vec<(bool, String)>,
}

impl IgnoreRules {
    pub fn parse(text: &str) -> IgnoreRules {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| match l.strip_prefix('!') {
                Some(rest) => (true, rest.to_string()),
                None => (false, l.to_string()),
            })
            .collect();
        IgnoreRules { rules }
    }

    pub fn ignored(&self, path: &str) -> bool {
        let mut ignored = false;
        for (negate, pattern) in &self.rules {
            if rule_matches(pattern, path) {
                ignored = !negate;
            }
        }
        ignored
    }
}

fn rule_matches(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_start_matches("./").trim_start_matches('/');
    // The path's directories as prefixes: `a`, `a/b` for `a/b/c.yaml`.
    let mut dirs = path.match_indices('/').map(|(i, _)| &path[..i]);
    if let Some(dir) = pattern.strip_suffix('/') {
        // A directory: any directory on the path.
        if dir.contains('/') {
            return dirs.any(|prefix| glob(dir, prefix));
        }
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        return parts.iter().any(|p| glob(dir, p));
    }
    if pattern.contains('/') {
        return glob(pattern, path) || dirs.any(|prefix| glob(pattern, prefix));
    }
    path.split('/').any(|p| glob(pattern, p))
}

/// Go's `filepath.Match` (no `/` inside `*`).
pub fn glob(pattern: &str, name: &str) -> bool {
    // The shapes .helmignore files are made of, answered without backtracking.
    let literal = |s: &str| !s.contains(['*', '?', '[', '\\']);
    if literal(pattern) {
        return pattern == name;
    }
    if let Some(suffix) = pattern.strip_prefix('*').filter(|s| literal(s) && !s.contains('/')) {
        return !name.contains('/') && name.ends_with(suffix);
    }
    glob_at(pattern, name, 0)
}

/// Matches `p` against `n` from their starts, walking both by char without allocating.
fn glob_at(p: &str, n: &str, depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    let (mut p, mut n) = (p, n);
    while let Some(pc) = p.chars().next() {
        match pc {
            '*' => {
                let rest = p.trim_start_matches('*');
                if rest.is_empty() {
                    return !n.contains('/');
                }
                // Try every split of `n` up to its next `/`.
                for (k, c) in n.char_indices() {
                    if glob_at(rest, &n[k..], depth + 1) {
                        return true;
                    }
                    if c == '/' {
                        return false;
                    }
                }
                return glob_at(rest, "", depth + 1);
            }
            '?' => match n.chars().next() {
                Some(c) if c != '/' => {
                    p = &p[1..];
                    n = &n[c.len_utf8()..];
                }
                _ => return false,
            },
            '[' => {
                let Some(close) = p.find(']') else { return false };
                let Some(c) = n.chars().next() else { return false };
                let class = &p[1..close];
                let (neg, class) = match class.strip_prefix(['^', '!']) {
                    Some(rest) => (true, rest),
                    None => (false, class),
                };
                let members: Vec<char> = class.chars().collect();
                let mut hit = false;
                let mut k = 0;
                while k < members.len() {
                    if k + 2 < members.len() && members[k + 1] == '-' {
                        hit |= members[k] <= c && c <= members[k + 2];
                        k += 3;
                    } else {
                        hit |= members[k] == c;
                        k += 1;
                    }
                }
                if hit == neg {
                    return false;
                }
                p = &p[close + 1..];
                n = &n[c.len_utf8()..];
            }
            '\\' if p.len() > 1 => {
                let escaped = p[1..].chars().next().expect("checked length");
                match n.chars().next() {
                    Some(c) if c == escaped => {
                        p = &p[1 + escaped.len_utf8()..];
                        n = &n[c.len_utf8()..];
                    }
                    _ => return false,
                }
            }
            c => match n.chars().next() {
                Some(x) if x == c => {
                    p = &p[c.len_utf8()..];
                    n = &n[c.len_utf8()..];
                }
                _ => return false,
            },
        }
    }
    n.is_empty()
}

/// `.Chart` as Helm 3 has it: a struct of `*chart.Metadata`'s fields and `IsRoot`.
#[derive(Debug)]
pub struct ChartObject {
    pub metadata: Map,
    pub is_root: bool,
}

/// `.Chart` as Helm 4 has it: a map of the metadata under Go's field names.
pub fn chart_map(metadata: &Map, is_root: bool) -> Value {
    let obj = ChartObject { metadata: metadata.clone(), is_root };
    let mut m = Map::new();
    for (field, _) in CHART_FIELDS {
        let v = match *field {
            "Annotations" => metadata.get("annotations").cloned().unwrap_or(Value::Nil),
            f => obj.field(f).unwrap_or(Value::Nil),
        };
        m.insert(field.to_string(), v);
    }
    m.insert("IsRoot".into(), Value::Bool(is_root));
    Value::map(m)
}

const CHART_FIELDS: &[(&str, &str)] = &[
    ("Name", "name"),
    ("Home", "home"),
    ("Sources", "sources"),
    ("Version", "version"),
    ("Description", "description"),
    ("Keywords", "keywords"),
    ("Maintainers", "maintainers"),
    ("Icon", "icon"),
    ("APIVersion", "apiVersion"),
    ("Condition", "condition"),
    ("Tags", "tags"),
    ("AppVersion", "appVersion"),
    ("Deprecated", "deprecated"),
    ("Annotations", "annotations"),
    ("KubeVersion", "kubeVersion"),
    ("Dependencies", "dependencies"),
    ("Type", "type"),
];

impl Object for ChartObject {
    fn type_name(&self) -> &str {
        "*chart.Metadata"
    }

    fn field(&self, name: &str) -> Option<Value> {
        if name == "IsRoot" {
            return Some(Value::Bool(self.is_root));
        }
        let (_, key) = CHART_FIELDS.iter().find(|(f, _)| *f == name)?;
        let v = self.metadata.get(*key).cloned();
        Some(match (name, v) {
            (_, Some(Value::Float(f))) if !matches!(name, "Maintainers" | "Dependencies") => {
                Value::str(crate::template::value::format_float_g(f))
            }
            (_, Some(v)) => v,
            ("Deprecated", None) => Value::Bool(false),
            ("Sources" | "Keywords" | "Maintainers" | "Dependencies", None) => Value::list(vec![]),
            ("Annotations", None) => Value::empty_map(),
            (_, None) => Value::str(""),
        })
    }

    fn display(&self) -> String {
        format!("&{{{}}}", crate::template::value::format_v(&Value::map(self.metadata.clone())))
    }

    fn to_data(&self) -> Value {
        let mut m: Map =
            self.metadata.iter().filter(|(_, v)| v.truthy()).map(|(k, v)| (k.clone(), v.clone())).collect();
        m.insert("IsRoot".into(), Value::Bool(self.is_root));
        Value::map(m)
    }
}

/// `.Files`: the chart's other files, with Helm's methods.
#[derive(Debug)]
pub struct FilesObject {
    pub files: Rc<Files>,
}

impl Object for FilesObject {
    fn type_name(&self) -> &str {
        "engine.files"
    }

    fn field(&self, _name: &str) -> Option<Value> {
        None
    }

    fn has_method(&self, name: &str) -> bool {
        matches!(name, "Get" | "GetBytes" | "Glob" | "Lines" | "AsConfig" | "AsSecrets")
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        let arg = |i: usize| args.get(i).and_then(Value::as_str).unwrap_or_default().to_string();
        let get = |p: &str| self.files.iter().find(|(f, _)| f == p).map(|(_, t)| t.to_string());
        Some(Ok(match name {
            "Get" | "GetBytes" => Value::str(get(&arg(0)).unwrap_or_default()),
            "Lines" => match get(&arg(0)).filter(|t| !t.is_empty()) {
                Some(t) => Value::list(t.strip_suffix('\n').unwrap_or(&t).split('\n').map(Value::str).collect()),
                None => Value::list(vec![]),
            },
            "Glob" => {
                let pattern = arg(0);
                let files = self.files.iter().filter(|(p, _)| glob_path(&pattern, p)).cloned().collect();
                Value::Object(Rc::new(FilesObject { files: Rc::new(files) }))
            }
            "AsConfig" | "AsSecrets" => {
                let mut m = Map::new();
                for (p, t) in self.files.iter() {
                    let base = p.rsplit('/').next().unwrap_or(p).to_string();
                    let v = if name == "AsSecrets" { super::encoding::b64_encode(t.as_bytes()) } else { t.to_string() };
                    m.insert(base, Value::str(v));
                }
                match super::to_yaml::to_yaml(&Value::map(m)) {
                    Ok(y) => Value::str(y.trim_end_matches('\n')),
                    Err(e) => return Some(Err(e)),
                }
            }
            _ => return None,
        }))
    }

    fn display(&self) -> String {
        let m: Map = self.files.iter().map(|(p, t)| (p.clone(), Value::str(t.as_ref()))).collect();
        crate::template::value::format_v(&Value::map(m))
    }
}

/// A glob over whole paths where `**` crosses directories.
fn glob_path(pattern: &str, path: &str) -> bool {
    if pattern.contains("**") {
        let (pre, post) = pattern.split_once("**").unwrap_or((pattern, ""));
        return path.starts_with(pre) && (post.is_empty() || path.ends_with(post.trim_start_matches('/')));
    }
    glob(pattern, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_follows_go_filepath_match() {
        let cases = [
            ("*.swp", "a.swp", true),
            ("*.swp", "dir/a.swp", false),
            ("*", "", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
            ("?.yaml", "é.yaml", true),
            ("?", "/", false),
            ("[a-c]x", "bx", true),
            ("[^a-c]x", "bx", false),
            ("[!a-c]x", "dx", true),
            ("\\*x", "*x", true),
            ("\\*x", "ax", false),
            ("ci", "ci", true),
            ("*~", "values.yaml~", true),
            ("templates/*.yaml", "templates/a.yaml", true),
            ("templates/*.yaml", "templates/sub/a.yaml", false),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(glob(pattern, name), want, "{pattern} against {name}");
        }
        // The shortcuts for literal and `*suffix` patterns answer as the general matcher.
        let patterns = ["ci", "*~", "*.swp", "*", ".git", "*/x", "a/b", "*é", "*.tmp.bak"];
        let names = ["ci", "c", "a.swp", "x~", "a/x~", "", ".git", "a/b", "é", "bé", "a/x", "q.tmp.bak", "swp"];
        for pattern in patterns {
            for name in names {
                assert_eq!(glob(pattern, name), glob_at(pattern, name, 0), "{pattern} against {name}");
            }
        }
    }

    #[test]
    fn helmignore_rules_match_names_directories_and_paths() {
        let rules = IgnoreRules::parse("# comment\n*.swp\nci/\n.git/\ntemplates/skip.yaml\n!keep.swp\n");
        assert!(rules.ignored("a.swp"));
        assert!(rules.ignored("templates/a.swp"));
        assert!(!rules.ignored("keep.swp"));
        assert!(rules.ignored("ci/x-values.yaml"));
        assert!(!rules.ignored("ci"));
        assert!(rules.ignored(".git/config"));
        assert!(rules.ignored("templates/skip.yaml"));
        assert!(!rules.ignored("templates/keep.yaml"));
        assert!(!rules.ignored("values.yaml"));
    }
}
