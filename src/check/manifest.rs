//! Rendered manifests as `helm template` prints them (`---` and `# Source:` lines): the
//! spanned objects, which template each came from, and where to report a position.

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::yaml::{self, Kind, Node};

/// One rendered object.
pub struct Object {
    pub node: Node,
    /// The template that rendered it, e.g. `backend-operator/templates/worker-rbac.yaml`.
    pub source: String,
    /// Byte offset in the text where this object's document starts.
    pub doc_start: usize,
}

impl Object {
    fn text(&self, key: &str) -> String {
        self.node.get(key).and_then(Node::as_scalar).map_or(String::new(), |s| s.text.clone())
    }

    pub fn kind(&self) -> String {
        self.text("kind")
    }

    pub fn api_version(&self) -> String {
        self.text("apiVersion")
    }

    pub fn name(&self) -> String {
        self.node
            .get("metadata")
            .and_then(|m| m.get("name"))
            .and_then(Node::as_scalar)
            .map_or(String::new(), |s| s.text.clone())
    }

    pub fn namespace(&self) -> String {
        self.node
            .get("metadata")
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_scalar)
            .map_or(String::new(), |s| s.text.clone())
    }

    /// `Kind namespace/name`, for messages.
    pub fn describe(&self) -> String {
        match self.namespace() {
            ns if ns.is_empty() => format!("{} {}", self.kind(), self.name()),
            ns => format!("{} {ns}/{}", self.kind(), self.name()),
        }
    }

    /// The node at a dotted path with `[i]` indexes.
    pub fn at(&self, path: &str) -> Option<&Node> {
        node_at(&self.node, path)
    }
}

/// The node at a dotted path (`spec.template.spec.containers[0].name`).
pub fn node_at<'a>(root: &'a Node, path: &str) -> Option<&'a Node> {
    let mut node = root;
    if path.is_empty() {
        return Some(node);
    }
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            node = node.get(key)?;
        }
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = match &node.kind {
                Kind::Seq(items) => items.get(i)?,
                _ => return None,
            };
        }
    }
    Some(node)
}

/// The whole rendered text and its objects.
pub struct Manifests {
    /// The name findings are reported under when they point into the rendered text.
    pub name: String,
    pub text: String,
    pub objects: Vec<Object>,
}

impl Manifests {
    /// Parses rendered manifests; an unparsable text is one finding.
    pub fn parse(name: &str, text: String) -> Result<Manifests, Diagnostic> {
        let docs = yaml::load_all(&text).map_err(|e| {
            Diagnostic::at(
                name,
                &text,
                Location { offset: e.offset, len: 1 },
                "",
                Severity::Error,
                super::rules::RENDER,
                format!("the rendered manifests are not valid YAML: {e}"),
            )
        })?;
        let sources: Vec<(usize, String)> = text
            .match_indices("# Source: ")
            .map(|(at, _)| {
                let rest = &text[at + "# Source: ".len()..];
                (at, rest.lines().next().unwrap_or("").trim().to_owned())
            })
            .collect();
        let objects = docs
            .into_iter()
            .flatten()
            .filter(|node| matches!(node.kind, Kind::Map(_)))
            .map(|node| {
                let (doc_start, source) = sources
                    .iter()
                    .rev()
                    .find(|(at, _)| *at <= node.span.start)
                    .map_or((0, String::new()), |(at, s)| (*at, s.clone()));
                Object { node, source, doc_start }
            })
            .collect();
        Ok(Manifests { name: name.to_owned(), text, objects })
    }

    /// A finding at a node of the rendered text, about `path` inside `object`.
    pub fn diag(
        &self,
        object: &Object,
        node: &Node,
        path: &str,
        severity: Severity,
        rule: &'static str,
        message: String,
    ) -> Finding {
        let location = Location::of(node.span);
        let mut diagnostic = Diagnostic::at(&self.name, &self.text, location, path, severity, rule, message);
        if !object.source.is_empty() {
            diagnostic.message = format!("{} ({}, from {})", diagnostic.message, object.describe(), object.source);
        }
        let object = self.objects.iter().position(|o| std::ptr::eq(o, object)).unwrap_or(usize::MAX);
        Finding { diagnostic, object, filled_path: None, culprit: None }
    }
}

/// A finding of `check`: the diagnostic at its place in the rendered text, and what it
/// is about, so it can be moved to the values key that caused it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// Index of the object in `Manifests::objects`.
    pub object: usize,
    /// For findings in the worker's filled CronJob: the path inside that CronJob.
    pub filled_path: Option<String>,
    /// Text that names the cause (an undefined variable), to find in the values.
    pub culprit: Option<String>,
}

impl Finding {
    /// The path inside the rendered object.
    pub fn object_path(&self) -> &str {
        &self.diagnostic.path
    }
}
