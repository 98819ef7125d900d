//! rbac-lint: proves, offline, that the backend worker's Role lets it create the objects
//! this backend's group templates declare. One stage per module: [`templates`] reads and
//! merges the templates, [`jinja`] renders their strings, [`kinds`] maps kinds to RBAC
//! resources, [`rendered`] reads the worker's Role from the rendered chart,
//! [`authorize`] evaluates it, [`fix`] writes the missing rules. This module runs the
//! checks and turns what they find into [`Diagnostic`]s.

pub mod authorize;
pub mod fix;
pub mod jinja;
pub mod kinds;
pub mod rendered;
pub mod rules;
pub mod templates;

use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::yaml::{self, Kind, Node};
use authorize::{PolicyRule, Request};
use kinds::{Kinds, Lookup};
use rendered::RoleRef;
use serde_json::Value;
use templates::{Catalog, Object, Seg};

/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: usize = crate::lint::MAX_FILE_BYTES;

/// The verbs the worker uses on every group object.
pub const WORKER_VERBS: [&str; 4] = ["create", "delete", "list", "patch"];

/// One input file: the name to report and its bytes.
#[derive(Clone, Debug)]
pub struct Source {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// What rbac-lint reads.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The chart's values files, in `helm -f` order.
    pub values: Vec<Source>,
    /// Group-template files, in any of the three forms.
    pub group_templates: Vec<Source>,
    /// CustomResourceDefinitions of the custom kinds the templates use.
    pub crds: Vec<Source>,
    /// The backend whose pools count; global.backendName when None.
    pub backend: Option<String>,
    /// The Helm release name the chart's object names are built from.
    pub release_name: String,
}

/// A finding before it is placed in its file's text.
#[derive(Clone, Debug)]
pub struct Finding {
    pub file: usize,
    pub offset: usize,
    pub len: usize,
    pub path: String,
    pub severity: Severity,
    pub rule: &'static str,
    pub message: String,
}

impl Finding {
    /// A finding at a node of file `file`.
    pub fn new(
        file: usize,
        node: &Node,
        path: &str,
        severity: Severity,
        rule: &'static str,
        message: String,
    ) -> Finding {
        Finding {
            file,
            offset: node.span.start,
            len: node.span.end.saturating_sub(node.span.start),
            path: path.to_owned(),
            severity,
            rule,
            message,
        }
    }
}

/// A file as text (empty when it could not be read).
#[derive(Clone, Debug)]
pub struct TextFile {
    pub name: String,
    pub text: String,
}

/// An extraRBACRules entry of the values, with where it is.
#[derive(Clone, Debug)]
pub struct ExtraRule {
    pub file: usize,
    pub index: usize,
    pub node: Node,
    pub rule: PolicyRule,
}

/// The result of a check.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// The rules whose addition to extraRBACRules clears every RBAC error.
    pub fix: Vec<PolicyRule>,
}

/// The inputs, read and parsed, ready to be checked against a rendered chart.
#[derive(Clone, Debug)]
pub struct Session {
    files: Vec<TextFile>,
    /// File index and tree of each values file (None when it did not load).
    values: Vec<(usize, Option<Node>)>,
    catalog: Catalog,
    kinds: Kinds,
    findings: Vec<Finding>,
    /// Whether every group-template file loaded (else rules may look unneeded wrongly).
    templates_complete: bool,
    /// The backend whose pools count.
    pub backend: String,
    /// Where the chart puts the worker's Role.
    pub role: RoleRef,
}

static DEFAULTS: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
    yaml::to_json(include_str!("../../chart/values.yaml")).expect("the chart's values.yaml loads")
});

impl Session {
    pub fn new(input: &Input) -> Session {
        let mut session = Session {
            files: Vec::new(),
            values: Vec::new(),
            catalog: Catalog::default(),
            kinds: Kinds::builtin(),
            findings: Vec::new(),
            templates_complete: true,
            backend: String::new(),
            role: RoleRef { name: String::new(), namespace: String::new() },
        };
        let mut merged = DEFAULTS.clone();
        for source in &input.values {
            let (file, text) = session.add_file(source);
            let root = text.and_then(|text| session.load_one(file, &text));
            if let Some(root) = &root {
                crate::lint::coalesce(&mut merged, &root.to_json());
            }
            session.values.push((file, root));
        }
        for source in &input.group_templates {
            let (file, text) = session.add_file(source);
            match text.and_then(|text| session.load_all(file, &text)) {
                Some(docs) => templates::read(file, &docs, &mut session.catalog, &mut session.findings),
                None => session.templates_complete = false,
            }
        }
        for source in &input.crds {
            let (file, text) = session.add_file(source);
            let Some(docs) = text.and_then(|text| session.load_all(file, &text)) else { continue };
            for doc in docs.iter().flatten() {
                if let Err(message) = session.kinds.add_crd(&doc.to_json(), &source.name) {
                    session.findings.push(Finding::new(
                        file,
                        doc,
                        "",
                        Severity::Error,
                        rules::INPUT,
                        format!("--crd {}: {message}", source.name),
                    ));
                }
            }
        }
        let text = |path: &[&str]| {
            let mut v = &merged;
            for key in path {
                v = &v[*key];
            }
            v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
        };
        session.backend = input.backend.clone().or_else(|| text(&["global", "backendName"])).unwrap_or_default();
        let name = text(&["global", "name"]).unwrap_or_else(|| input.release_name.clone());
        session.role = RoleRef {
            name: format!("{name}-worker"),
            namespace: text(&["global", "backendNamespace"]).unwrap_or_default(),
        };
        session
    }

    fn add_file(&mut self, source: &Source) -> (usize, Option<String>) {
        let file = self.files.len();
        let text = match decode(&source.bytes) {
            Ok(text) => Some(text),
            Err(message) => {
                self.findings.push(Finding {
                    file,
                    offset: 0,
                    len: 0,
                    path: String::new(),
                    severity: Severity::Error,
                    rule: rules::INPUT,
                    message,
                });
                None
            }
        };
        self.files.push(TextFile { name: source.name.clone(), text: text.clone().unwrap_or_default() });
        (file, text)
    }

    fn syntax_error(&mut self, file: usize, e: &yaml::Error) {
        self.findings.push(Finding {
            file,
            offset: e.offset,
            len: 1,
            path: String::new(),
            severity: Severity::Error,
            rule: rules::YAML_SYNTAX,
            message: e.message.clone(),
        });
    }

    fn load_one(&mut self, file: usize, text: &str) -> Option<Node> {
        match yaml::load_one(text) {
            Ok(Some(root)) => Some(root),
            // An empty values file sets nothing, as in Helm.
            Ok(None) => Some(Node { kind: Kind::Map(Vec::new()), span: yaml::Span::default() }),
            Err(e) => {
                self.syntax_error(file, &e);
                None
            }
        }
    }

    fn load_all(&mut self, file: usize, text: &str) -> Option<Vec<Option<Node>>> {
        match yaml::load_all(text) {
            Ok(docs) => Some(docs),
            Err(e) => {
                self.syntax_error(file, &e);
                None
            }
        }
    }

    /// Whether every values file loaded, so the chart can be rendered with them.
    pub fn values_loaded(&self) -> bool {
        self.values.iter().all(|(_, root)| root.is_some())
    }

    /// The findings made while reading, for when the chart cannot be rendered.
    pub fn reading_findings(&self) -> Vec<Diagnostic> {
        self.diagnostics(self.findings.clone())
    }

    pub fn file(&self, index: usize) -> &TextFile {
        &self.files[index]
    }

    /// The values file whose extraRBACRules the chart uses (the last one that sets the
    /// key), or the last values file when none does: where a fix goes. An index into
    /// the values files.
    pub fn fix_target(&self) -> Option<usize> {
        let sets = |root: &Option<Node>| root.as_ref().is_some_and(|r| templates::entry_at(r, &extra_path()).is_some());
        self.values.iter().rposition(|(_, root)| sets(root)).or_else(|| self.values.len().checked_sub(1))
    }

    /// The values tree of values file `index` (an index into the values files).
    pub fn values_tree(&self, index: usize) -> Option<&Node> {
        self.values.get(index).and_then(|(_, root)| root.as_ref())
    }

    /// Whether the values already set services.backendWorker.extraRBACRules.
    pub fn has_extra_rules(&self) -> bool {
        self.values.iter().any(|(_, r)| r.as_ref().is_some_and(|r| templates::entry_at(r, &extra_path()).is_some()))
    }

    /// The extraRBACRules entries the chart renders: those of the last values file that
    /// sets the key.
    pub fn extra_rules(&self) -> Vec<ExtraRule> {
        for (file, root) in self.values.iter().rev() {
            let Some(entry) = root.as_ref().and_then(|r| templates::entry_at(r, &extra_path())) else { continue };
            let Kind::Seq(items) = &entry.value.kind else { return Vec::new() };
            return items
                .iter()
                .enumerate()
                .filter(|(_, item)| matches!(item.kind, Kind::Map(_)))
                .map(|(index, item)| ExtraRule {
                    file: *file,
                    index,
                    node: item.clone(),
                    rule: PolicyRule::from_json(&item.to_json()),
                })
                .collect();
        }
        Vec::new()
    }

    /// Checks the group templates against the worker's Role in rendered manifests.
    /// Fails when the manifests hold no such Role.
    pub fn check(&self, manifests: &str) -> Result<Report, String> {
        let role = rendered::worker_role(manifests, &self.role)?;
        let mut out = self.findings.clone();
        let objects = templates::select(&self.catalog, &self.backend, &mut out);
        let extra = self.extra_rules();
        let mut checker = Checker {
            session: self,
            renderer: jinja::Renderer::new(),
            role: &role,
            extra: &extra,
            needed: Vec::new(),
            missing: Vec::new(),
            complete: self.templates_complete,
            out,
        };
        for object in &objects {
            checker.object(object);
        }
        checker.extra_rules();
        let fix = fix::rules_for(&checker.missing);
        Ok(Report { diagnostics: self.diagnostics(checker.out), fix })
    }

    fn diagnostics(&self, findings: Vec<Finding>) -> Vec<Diagnostic> {
        let mut out: Vec<Diagnostic> = findings
            .into_iter()
            .map(|f| {
                let file = &self.files[f.file];
                Diagnostic::at(
                    &file.name,
                    &file.text,
                    Location { offset: f.offset, len: f.len },
                    f.path,
                    f.severity,
                    f.rule,
                    f.message,
                )
            })
            .collect();
        crate::diagnostics::sort(&mut out);
        out
    }
}

fn extra_path() -> Vec<Seg> {
    ["services", "backendWorker", "extraRBACRules"].iter().map(|k| Seg::Key((*k).to_owned())).collect()
}

/// Text from bytes, refusing what is not a text file.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(format!(
            "the file is {} MiB; files over 10 MiB are refused (is this the right file?)",
            bytes.len() >> 20
        ));
    }
    if bytes.contains(&0) {
        return Err("the file holds NUL bytes: it is binary, not YAML or JSON".into());
    }
    String::from_utf8(bytes.to_vec())
        .map_err(|e| format!("the file is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))
}

/// What the worker needs on one object: (group, plural, name).
type Need = (String, String, String);

struct Checker<'a> {
    session: &'a Session,
    renderer: jinja::Renderer,
    role: &'a [PolicyRule],
    extra: &'a [ExtraRule],
    needed: Vec<Need>,
    /// (group, plural, missing verbs), for --fix.
    missing: Vec<(String, String, Vec<&'static str>)>,
    /// False once a kind could not be resolved: what is needed is then partly unknown.
    complete: bool,
    out: Vec<Finding>,
}

fn request<'a>(verb: &'a str, need: &'a Need) -> Request<'a> {
    // Kubernetes authorizes create and list before any object name is known.
    let name = if matches!(verb, "create" | "list") { "" } else { need.2.as_str() };
    Request { verb, group: &need.0, resource: &need.1, subresource: "", name }
}

fn quoted_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", "))
}

impl Checker<'_> {
    fn template(&self, index: usize) -> &templates::Template {
        &self.session.catalog.templates[index]
    }

    /// The node for a path of a merged object: in the last template that has it, else
    /// its nearest ancestor.
    fn locate(&self, object: &Object, path: &[Seg]) -> (usize, Node, String) {
        for len in (0..=path.len()).rev() {
            for &i in object.parts.iter().rev() {
                let t = self.template(i);
                if let Some(node) = templates::node_at(&t.node, &path[..len]) {
                    return (t.file, node.clone(), templates::path_text(&t.base_path, &path[..len]));
                }
            }
        }
        unreachable!("the empty path is every template's root")
    }

    fn at(&mut self, object: &Object, path: &[&str], severity: Severity, rule: &'static str, message: String) {
        let segs: Vec<Seg> = path.iter().map(|k| Seg::Key((*k).to_owned())).collect();
        let (file, node, path) = self.locate(object, &segs);
        self.out.push(Finding::new(file, &node, &path, severity, rule, message));
    }

    fn label(&self, object: &Object) -> String {
        let names: Vec<String> = object
            .parts
            .iter()
            .map(|&i| self.template(i))
            .map(|t| if t.named { format!("`{}`", t.name) } else { t.name.clone() })
            .collect();
        let first = self.template(object.parts[0]);
        match (first.named, names.len()) {
            (false, _) => format!("the manifest in {}", self.session.files[first.file].name),
            (true, 1) => format!("group template {}", names[0]),
            (true, _) => format!("group templates {} (merged)", names.join(", ")),
        }
    }

    fn object(&mut self, object: &Object) {
        let vars = jinja::sample_variables(object.pool.as_deref().unwrap_or("default"), 0);
        let (rendered, problems) = self.renderer.render_value(&object.value, &vars);
        for problem in problems {
            self.string_problem(object, problem);
        }
        let api_version = rendered["apiVersion"].as_str().unwrap_or_default().to_owned();
        let kind = rendered["kind"].as_str().unwrap_or_default().to_owned();
        let label = self.label(object);
        let info = match self.session.kinds.lookup(&api_version, &kind) {
            Lookup::Found(info) => info.clone(),
            Lookup::UnknownVersion(info) => {
                let source = info.crd_file.as_ref().map_or("Kubernetes".to_owned(), |f| format!("the CRD in {f}"));
                let message = format!(
                    "`{kind}` has no version `{}` in {source} (known: {}): use one of those in apiVersion",
                    kinds::split_api_version(&api_version).1,
                    info.versions.join(", ")
                );
                self.at(object, &["apiVersion"], Severity::Error, rules::UNKNOWN_KIND, message);
                self.complete = false;
                return;
            }
            Lookup::Unknown => {
                let message = match self.session.kinds.similar(&api_version, &kind) {
                    Some(similar) => {
                        format!("there is no kind `{kind}` in `{api_version}`; did you mean `{}`?", similar.kind)
                    }
                    None => format!(
                        "`{kind}` ({api_version}) is not a built-in Kubernetes kind and no --crd file defines it: pass \
                         its CustomResourceDefinition with --crd FILE (`kubectl get crd <plural>.{} -o yaml` exports it)",
                        kinds::split_api_version(&api_version).0
                    ),
                };
                self.at(object, &["kind"], Severity::Error, rules::UNKNOWN_KIND, message);
                self.complete = false;
                return;
            }
        };
        if !info.namespaced {
            let message = format!(
                "`{kind}` is cluster-scoped, but the worker creates group objects in the workflow namespace with a \
                 Role: group templates must be of namespaced kinds"
            );
            self.at(object, &["kind"], Severity::Error, rules::CLUSTER_SCOPED, message);
            return;
        }
        self.namespace_set(object);
        let raw_name = object.value["metadata"]["name"].as_str().unwrap_or_default();
        let name = rendered["metadata"]["name"].as_str().unwrap_or(raw_name).to_owned();
        let other = jinja::sample_variables(object.pool.as_deref().unwrap_or("default"), 1);
        if self.renderer.render_str(raw_name, &other).is_ok_and(|n| n == name) {
            let message = format!(
                "the name `{name}` is the same for every task group, so two groups running at once collide: put \
                 {{{{WF_GROUP_UUID}}}} in it, e.g. `{raw_name}-{{{{WF_GROUP_UUID}}}}`"
            );
            self.at(object, &["metadata", "name"], Severity::Warning, rules::NAME_WITHOUT_UUID, message);
        }
        let need: Need = (info.group.clone(), info.plural.clone(), name);
        let missing: Vec<&'static str> =
            WORKER_VERBS.into_iter().filter(|verb| !authorize::allows(self.role, &request(verb, &need))).collect();
        if !missing.is_empty() {
            self.missing_verbs(object, &label, &info, &api_version, &need, &missing);
            self.missing.push((need.0.clone(), need.1.clone(), missing));
        }
        self.needed.push(need);
    }

    fn string_problem(&mut self, object: &Object, problem: jinja::StringProblem) {
        let (file, node, path) = self.locate(object, &problem.path);
        let mut finding = match &problem.problem {
            jinja::Problem::Unknown(names) => {
                let listed = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
                let mut f = Finding::new(
                    file,
                    &node,
                    &path,
                    Severity::Error,
                    rules::UNKNOWN_VARIABLE,
                    format!(
                        "{listed} {} not available to group templates, which get only {} (task-level variables are not \
                         set): use one of those, or `{{{{ {} | default(\"...\") }}}}`",
                        if names.len() == 1 { "is" } else { "are" },
                        jinja::GROUP_VARIABLES.join(", "),
                        names[0]
                    ),
                );
                // Point at the variable itself when the string is written as is.
                let text = &self.session.files[file].text;
                if let Some(at) = text.get(node.span.start..node.span.end).and_then(|s| s.find(names[0].as_str())) {
                    f.offset = node.span.start + at;
                    f.len = names[0].len();
                }
                f
            }
            jinja::Problem::Syntax(message) => Finding::new(
                file,
                &node,
                &path,
                Severity::Error,
                rules::TEMPLATE_SYNTAX,
                format!("this string does not render with Jinja ({message}), so creating the task group would fail"),
            ),
        };
        finding.path = path;
        self.out.push(finding);
    }

    fn namespace_set(&mut self, object: &Object) {
        let path = [Seg::Key("metadata".into()), Seg::Key("namespace".into())];
        for &i in object.parts.iter().rev() {
            let t = self.template(i);
            if let Some(entry) = templates::entry_at(&t.node, &path) {
                let message = format!(
                    "metadata.namespace is set, but OSMO drops it and creates the object in the workflow namespace \
                     (`{}`): remove it",
                    self.session.role.namespace
                );
                let finding = Finding::new(
                    t.file,
                    &entry.key,
                    &templates::path_text(&t.base_path, &path),
                    Severity::Error,
                    rules::NAMESPACE_SET,
                    message,
                );
                self.out.push(finding);
                return;
            }
        }
    }

    fn missing_verbs(
        &mut self,
        object: &Object,
        label: &str,
        info: &kinds::KindInfo,
        api_version: &str,
        need: &Need,
        missing: &[&str],
    ) {
        let group_text = if info.group.is_empty() {
            "the core API group \"\"".to_owned()
        } else {
            format!("API group \"{}\"", info.group)
        };
        let uses_missing = |r: &PolicyRule| missing.iter().any(|v| authorize::verb_matches(r, v));
        // A rule meant for this resource, under another group.
        let wrong_group: Vec<&ExtraRule> = self
            .extra
            .iter()
            .filter(|e| {
                authorize::resource_matches(&e.rule, &info.plural, "")
                    && uses_missing(&e.rule)
                    && !authorize::api_group_matches(&e.rule, &info.group)
            })
            .collect();
        if let Some(e) = wrong_group.first() {
            let message = format!(
                "`{}` is in {group_text}, but services.backendWorker.extraRBACRules[{}] grants `{}` with apiGroups {}: \
                 RBAC compares groups exactly, so write apiGroups: [\"{}\"] (apiVersion `{api_version}` without its \
                 version)",
                info.kind,
                e.index,
                info.plural,
                quoted_list(&e.rule.api_groups),
                info.group
            );
            self.at(object, &["apiVersion"], Severity::Error, rules::API_GROUP, message);
            return;
        }
        let mut hints = Vec::new();
        for e in self.extra {
            let r = &e.rule;
            if authorize::api_group_matches(r, &info.group)
                && authorize::resource_matches(r, &info.plural, "")
                && !r.resource_names.is_empty()
                && missing.iter().any(|v| matches!(*v, "create" | "list") && authorize::verb_matches(r, v))
            {
                hints.push(format!(
                    "extraRBACRules[{}] lists resourceNames, which can never allow create or list",
                    e.index
                ));
            }
            let lower = info.kind.to_lowercase();
            if authorize::api_group_matches(r, &info.group)
                && r.resources.iter().any(|res| *res == info.kind || *res == lower)
                && info.plural != lower
            {
                hints.push(format!(
                    "extraRBACRules[{}] names `{}`, but resources take the plural lower-case name `{}`",
                    e.index,
                    r.resources.iter().find(|res| **res == info.kind || **res == lower).unwrap(),
                    info.plural
                ));
            }
        }
        let message = format!(
            "the worker may not {} `{}` ({group_text}) in namespace `{}`, which it does for {label}: add \
             {{apiGroups: [\"{}\"], resources: [\"{}\"], verbs: [{}]}} to services.backendWorker.extraRBACRules \
             (--fix prints the block){}",
            missing.join(", "),
            need.1,
            self.session.role.namespace,
            info.group,
            info.plural,
            missing.iter().map(|v| format!("\"{v}\"")).collect::<Vec<_>>().join(", "),
            hints.iter().map(|h| format!("; {h}")).collect::<String>()
        );
        self.at(object, &["kind"], Severity::Error, rules::MISSING_VERBS, message);
    }

    /// Per-rule warnings on extraRBACRules: wildcards, and rules no template needs.
    fn extra_rules(&mut self) {
        for e in self.extra {
            let path = format!("services.backendWorker.extraRBACRules[{}]", e.index);
            for (field, what) in [("apiGroups", "API group"), ("resources", "resource"), ("verbs", "verb")] {
                let Some(Kind::Seq(items)) = e.node.get(field).map(|n| &n.kind) else { continue };
                for item in items {
                    let Some(text) = item.to_json().as_str().map(str::to_owned) else { continue };
                    if text == "*" || text.starts_with("*/") {
                        let every = if text == "*" {
                            format!("every {what}")
                        } else {
                            format!("`{}` of every resource", &text[2..])
                        };
                        self.out.push(Finding::new(
                            e.file,
                            item,
                            &format!("{path}.{field}"),
                            Severity::Warning,
                            rules::WILDCARD,
                            format!(
                                "`{text}` grants the worker {every}, today's and future ones: list the {field} the group \
                                 templates need"
                            ),
                        ));
                    }
                }
            }
            let used = self
                .needed
                .iter()
                .any(|need| WORKER_VERBS.iter().any(|verb| authorize::rule_allows(&e.rule, &request(verb, need))));
            if !used && self.complete {
                let message = if self.needed.is_empty() {
                    format!(
                        "no group template of backend `{}` needs this rule: remove it (least privilege)",
                        self.session.backend
                    )
                } else {
                    let mut needs: Vec<String> = self
                        .needed
                        .iter()
                        .map(|(g, p, _)| if g.is_empty() { p.clone() } else { format!("{p}.{g}") })
                        .collect();
                    needs.sort();
                    needs.dedup();
                    format!(
                        "this rule allows nothing the group templates need ({}): remove it, or fix it if it was meant \
                         for one of them",
                        needs.join(", ")
                    )
                };
                self.out.push(Finding::new(e.file, &e.node, &path, Severity::Warning, rules::UNNEEDED, message));
            }
        }
    }
}
