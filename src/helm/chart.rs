//! A chart as Helm loads it: Chart.yaml, values.yaml, every file under templates/,
//! the other files (for `.Files`), and subcharts under charts/, minus what
//! .helmignore excludes. Charts load from a directory or from a list of files (the
//! chart embedded in the binary).

use crate::template::value::{Map, Object, Value};
use std::path::Path;
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct Chart {
    pub name: String,
    /// Chart.yaml as data.
    pub metadata: Map,
    /// values.yaml.
    pub values: Map,
    /// values.schema.json, which the values are validated against before rendering.
    pub schema: Option<String>,
    /// Templates: path relative to the chart (`templates/x.yaml`) and text.
    pub templates: Vec<(String, String)>,
    /// Every other file, for `.Files` (shared by every render of the chart).
    pub files: Rc<Vec<(String, String)>>,
    pub subcharts: Vec<Chart>,
}

/// Reads every file under `dir`, with paths relative to it (`/`-separated).
pub fn read_dir_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
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
                out.push((rel, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    out.sort();
    Ok(out)
}

impl Chart {
    pub fn load_dir(dir: &Path) -> Result<Chart, String> {
        if !dir.join("Chart.yaml").is_file() {
            return Err(format!("Chart.yaml file is missing in {}", dir.display()));
        }
        Chart::from_files(&read_dir_files(dir)?)
    }

    /// A chart from its files (paths relative to the chart directory).
    pub fn from_files(files: &[(String, String)]) -> Result<Chart, String> {
        let ignore = files
            .iter()
            .find(|(p, _)| p == ".helmignore")
            .map(|(_, text)| IgnoreRules::parse(text))
            .unwrap_or_default();
        let kept: Vec<&(String, String)> = files.iter().filter(|(p, _)| !ignore.ignored(p)).collect();
        let chart_yaml =
            kept.iter().find(|(p, _)| p == "Chart.yaml").ok_or_else(|| "Chart.yaml file is missing".to_string())?;
        let metadata = match Value::from_json(
            &crate::yaml::to_json(&chart_yaml.1).map_err(|e| format!("cannot load Chart.yaml: {e}"))?,
        ) {
            Value::Map(m) => m.borrow().clone(),
            _ => return Err("cannot load Chart.yaml: not a map".into()),
        };
        let name = match metadata.get("name") {
            Some(Value::Str(s)) => s.to_string(),
            _ => return Err("validation: chart.metadata.name is required".into()),
        };
        let values = match kept.iter().find(|(p, _)| p == "values.yaml") {
            Some((_, text)) => super::values::parse_values(text, "values.yaml")?,
            None => Map::new(),
        };
        let schema = kept.iter().find(|(p, _)| p == "values.schema.json").map(|(_, text)| text.clone());
        let mut templates = Vec::new();
        let mut other = Vec::new();
        let mut sub_files: std::collections::BTreeMap<String, Vec<(String, String)>> = Default::default();
        for (p, text) in kept {
            if let Some(rest) = p.strip_prefix("charts/") {
                if let Some((sub, inner)) = rest.split_once('/') {
                    sub_files.entry(sub.to_string()).or_default().push((inner.to_string(), text.clone()));
                }
                continue;
            }
            if p.starts_with("templates/") {
                templates.push((p.clone(), text.clone()));
            } else if !matches!(p.as_str(), "Chart.yaml" | "values.yaml" | "values.schema.json" | "Chart.lock")
                && !p.starts_with("crds/")
            {
                other.push((p.clone(), text.clone()));
            }
        }
        let mut subcharts = Vec::new();
        for (_, files) in sub_files {
            if files.iter().any(|(p, _)| p == "Chart.yaml") {
                subcharts.push(Chart::from_files(&files)?);
            }
        }
        subcharts.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Chart { name, metadata, values, schema, templates, files: Rc::new(other), subcharts })
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
    let parts: Vec<&str> = path.split('/').collect();
    if let Some(dir) = pattern.strip_suffix('/') {
        // A directory: any directory on the path.
        if dir.contains('/') {
            return (1..parts.len()).any(|n| glob(dir, &parts[..n].join("/")));
        }
        return parts[..parts.len() - 1].iter().any(|p| glob(dir, p));
    }
    if pattern.contains('/') {
        return glob(pattern, path) || (1..parts.len()).any(|n| glob(pattern, &parts[..n].join("/")));
    }
    parts.iter().any(|p| glob(pattern, p))
}

/// Go's `filepath.Match` (no `/` inside `*`).
pub fn glob(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    glob_at(&p, &n, 0)
}

fn glob_at(p: &[char], n: &[char], depth: usize) -> bool {
    if depth > 64 {
        return false;
    }
    let (mut pi, mut ni) = (0, 0);
    while pi < p.len() {
        match p[pi] {
            '*' => {
                let rest = &p[pi + 1..];
                for k in ni..=n.len() {
                    if n[ni..k].contains(&'/') {
                        break;
                    }
                    if glob_at(rest, &n[k..], depth + 1) {
                        return true;
                    }
                }
                return false;
            }
            '?' => {
                if ni >= n.len() || n[ni] == '/' {
                    return false;
                }
                pi += 1;
                ni += 1;
            }
            '[' => {
                let Some(close) = p[pi..].iter().position(|&c| c == ']') else { return false };
                if ni >= n.len() {
                    return false;
                }
                let class = &p[pi + 1..pi + close];
                let (neg, class) = match class.first() {
                    Some('^') | Some('!') => (true, &class[1..]),
                    _ => (false, class),
                };
                let c = n[ni];
                let mut hit = false;
                let mut k = 0;
                while k < class.len() {
                    if k + 2 < class.len() && class[k + 1] == '-' {
                        hit |= class[k] <= c && c <= class[k + 2];
                        k += 3;
                    } else {
                        hit |= class[k] == c;
                        k += 1;
                    }
                }
                if hit == neg {
                    return false;
                }
                pi += close + 1;
                ni += 1;
            }
            '\\' if pi + 1 < p.len() => {
                if ni >= n.len() || n[ni] != p[pi + 1] {
                    return false;
                }
                pi += 2;
                ni += 1;
            }
            c => {
                if ni >= n.len() || n[ni] != c {
                    return false;
                }
                pi += 1;
                ni += 1;
            }
        }
    }
    ni == n.len()
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
    pub files: Rc<Vec<(String, String)>>,
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
        let get = |p: &str| self.files.iter().find(|(f, _)| f == p).map(|(_, t)| t.clone());
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
                    let v = if name == "AsSecrets" { super::encoding::b64_encode(t.as_bytes()) } else { t.clone() };
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
        let m: Map = self.files.iter().map(|(p, t)| (p.clone(), Value::str(t.as_str()))).collect();
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
