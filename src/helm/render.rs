//! `helm template`: renders every template of a chart and its subcharts, splits the
//! output into documents, sorts them in Helm's install order and prints them with
//! `---` and `# Source:` lines, byte for byte as Helm does.

use super::chart::{chart_map, glob, Chart, ChartObject, FilesObject, Text};
use super::funcs;
use super::values;
use crate::template::value::{format_v, Map, Object, Value};
use crate::template::{Error, ErrorKind, Exec, FuncTable, Limits, Templates};
use std::rc::Rc;

/// Helm's InstallOrder: kinds earlier in the list come first.
pub const INSTALL_ORDER: &[&str] = &[
    "PriorityClass",
    "Namespace",
    "NetworkPolicy",
    "ResourceQuota",
    "LimitRange",
    "PodSecurityPolicy",
    "PodDisruptionBudget",
    "ServiceAccount",
    "Secret",
    "SecretList",
    "ConfigMap",
    "StorageClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "CustomResourceDefinition",
    "ClusterRole",
    "ClusterRoleList",
    "ClusterRoleBinding",
    "ClusterRoleBindingList",
    "Role",
    "RoleList",
    "RoleBinding",
    "RoleBindingList",
    "Service",
    "DaemonSet",
    "Pod",
    "ReplicationController",
    "ReplicaSet",
    "Deployment",
    "HorizontalPodAutoscaler",
    "StatefulSet",
    "Job",
    "CronJob",
    "IngressClass",
    "Ingress",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// Which Helm to imitate where Helm 3 and 4 differ (defaults, error layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HelmMajor {
    V3,
    #[default]
    V4,
}

#[derive(Debug, Clone)]
pub struct Options {
    pub release_name: String,
    pub namespace: String,
    /// `v1.35.0`; None for the Helm version's default.
    pub kube_version: Option<String>,
    pub api_versions: Vec<String>,
    pub show_only: Vec<String>,
    pub helm: HelmMajor,
    pub limits: Limits,
    /// The values were already validated against the schema (by values-lint).
    pub values_validated: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            release_name: "release-name".into(),
            namespace: "default".into(),
            kube_version: None,
            api_versions: Vec::new(),
            show_only: Vec::new(),
            helm: HelmMajor::V4,
            limits: Limits::default(),
            values_validated: false,
        }
    }
}

/// User-supplied values, in the order Helm applies them.
#[derive(Debug, Clone, Default)]
pub struct ValueSources {
    /// Text of each `-f` file, with its name for messages.
    pub files: Vec<(String, String)>,
    pub set: Vec<String>,
    pub set_string: Vec<String>,
}

impl ValueSources {
    /// The files and --set values merged, as Helm 4 reads them.
    pub fn merged(&self) -> Result<Map, String> {
        self.merged_as(HelmMajor::V4)
    }

    pub fn merged_as(&self, helm: HelmMajor) -> Result<Map, String> {
        let mut base = Map::new();
        for (name, text) in &self.files {
            base = values::merge_maps(&base, &values::parse_values_file(text, name, helm == HelmMajor::V4)?);
        }
        for s in &self.set {
            values::apply_set(&mut base, s, false)?;
        }
        for s in &self.set_string {
            values::apply_set(&mut base, s, true)?;
        }
        Ok(base)
    }
}

/// `.Capabilities`.
#[derive(Debug)]
struct Capabilities {
    kube: Rc<KubeVersion>,
    api: Rc<ApiVersions>,
    helm_version: String,
}

#[derive(Debug)]
struct KubeVersion {
    version: String,
    major: String,
    minor: String,
}

#[derive(Debug)]
struct ApiVersions(Vec<String>);

#[derive(Debug)]
struct HelmVersion(String);

impl Object for Capabilities {
    fn type_name(&self) -> &str {
        "*chartutil.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "KubeVersion" => Some(Value::Object(self.kube.clone())),
            "APIVersions" => Some(Value::Object(self.api.clone())),
            "HelmVersion" => Some(Value::Object(Rc::new(HelmVersion(self.helm_version.clone())))),
            _ => None,
        }
    }
    fn display(&self) -> String {
        format!("&{{{} {} {}}}", self.kube.version, self.api.display(), self.helm_version)
    }
}

impl Object for KubeVersion {
    fn type_name(&self) -> &str {
        "chartutil.KubeVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::str(self.version.as_str())),
            "Major" => Some(Value::str(self.major.as_str())),
            "Minor" => Some(Value::str(self.minor.as_str())),
            _ => None,
        }
    }
    fn has_method(&self, name: &str) -> bool {
        matches!(name, "String" | "GitVersion")
    }
    fn call(&self, name: &str, _args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "String" | "GitVersion" => Some(Ok(Value::str(self.version.as_str()))),
            _ => None,
        }
    }
    fn display(&self) -> String {
        self.version.clone()
    }
    fn to_data(&self) -> Value {
        let mut m = Map::new();
        m.insert("Major".into(), Value::str(self.major.as_str()));
        m.insert("Minor".into(), Value::str(self.minor.as_str()));
        m.insert("Version".into(), Value::str(self.version.as_str()));
        Value::map(m)
    }
}

impl Object for ApiVersions {
    fn type_name(&self) -> &str {
        "chartutil.VersionSet"
    }
    fn field(&self, _name: &str) -> Option<Value> {
        None
    }
    fn has_method(&self, name: &str) -> bool {
        name == "Has"
    }
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, String>> {
        match name {
            "Has" => {
                let want = args.first().and_then(Value::as_str).unwrap_or_default();
                Some(Ok(Value::Bool(self.0.iter().any(|v| v == want))))
            }
            _ => None,
        }
    }
    fn display(&self) -> String {
        format!("[{}]", self.0.join(" "))
    }
    fn to_data(&self) -> Value {
        Value::list(self.0.iter().map(|s| Value::str(s.as_str())).collect())
    }
}

impl Object for HelmVersion {
    fn type_name(&self) -> &str {
        "chartutil.HelmVersion"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "Version" => Some(Value::str(self.0.as_str())),
            "GitCommit" | "GitTreeState" => Some(Value::str("")),
            "GoVersion" => Some(Value::str("go")),
            _ => None,
        }
    }
    fn display(&self) -> String {
        format!("{{{}}}", self.0)
    }
}

/// The API versions `helm template` assumes without a cluster.
const DEFAULT_API_VERSIONS: &[&str] = &[
    "v1",
    "admissionregistration.k8s.io/v1",
    "apiextensions.k8s.io/v1",
    "apiregistration.k8s.io/v1",
    "apps/v1",
    "authentication.k8s.io/v1",
    "authorization.k8s.io/v1",
    "autoscaling/v1",
    "autoscaling/v2",
    "batch/v1",
    "certificates.k8s.io/v1",
    "coordination.k8s.io/v1",
    "discovery.k8s.io/v1",
    "events.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1",
    "networking.k8s.io/v1",
    "node.k8s.io/v1",
    "policy/v1",
    "rbac.authorization.k8s.io/v1",
    "resource.k8s.io/v1",
    "scheduling.k8s.io/v1",
    "storage.k8s.io/v1",
];

/// Why a render failed: Helm's message, and the stage it failed in, which decides
/// whether `helm template` adds its `--debug` hint.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderError {
    pub message: String,
    pub stage: Stage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Before Helm creates the release: reading the chart, values files and `--set`,
    /// dependencies, the values' schema, flags. Helm prints the message alone.
    Input,
    /// Rendering: template parse and execution errors, the rendered YAML, the chart's
    /// kubeVersion. Helm adds "Use --debug flag to render out invalid YAML".
    Render,
}

impl RenderError {
    pub fn input(message: impl Into<String>) -> RenderError {
        RenderError { message: message.into(), stage: Stage::Input }
    }

    pub fn render(message: impl Into<String>) -> RenderError {
        RenderError { message: message.into(), stage: Stage::Render }
    }

    /// Whether Helm adds its `--debug` hint to this error.
    pub fn from_rendering(&self) -> bool {
        self.stage == Stage::Render
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Helm's wording of a template error.
pub fn describe_error(e: &Error, helm: HelmMajor) -> String {
    if e.kind == ErrorKind::Parse {
        let last = e.message.rsplit(": ").next().unwrap_or(&e.message);
        return format!("parse error at ({}): {}", e.location(), last);
    }
    if let Some(msg) = e.user_message() {
        return format!("execution error at ({}): {}", e.location(), msg);
    }
    if helm == HelmMajor::V3 || e.innermost().message.contains(": ") {
        return e.to_string();
    }
    let mut levels = Vec::new();
    let mut cur = Some(e);
    while let Some(level) = cur {
        levels.push(format!(
            "{}\n  executing {} at <{}>:\n    {}{}",
            level.location(),
            crate::template::value::go_quote(&level.template),
            level.context,
            level.message,
            if level.cause.is_some() { ":" } else { "" }
        ));
        cur = level.cause.as_deref();
    }
    levels.join("\n")
}

/// One template file to render, with the chart it belongs to.
struct Renderable {
    name: String,
    dot: Rc<std::cell::RefCell<Map>>,
    base_path: String,
}

/// Helm's parse order: deepest paths first, and within a depth, reverse lexical order.
fn sort_templates(names: &mut [String]) {
    names.sort_by(|a, b| {
        let (ca, cb) = (a.matches('/').count(), b.matches('/').count());
        cb.cmp(&ca).then_with(|| b.cmp(a))
    });
}

fn kube_version_parts(v: &str) -> (String, String) {
    let t = v.trim_start_matches('v');
    let mut it = t.split('.');
    (it.next().unwrap_or("").to_string(), it.next().unwrap_or("").to_string())
}

/// A manifest of the output: its template path, content and kind.
struct Manifest {
    name: String,
    content: String,
    kind: String,
}

/// What a render prints: the manifests (stdout) and Helm's warnings (stderr lines).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rendered {
    pub manifests: String,
    pub warnings: Vec<values::Warning>,
}

/// Renders `chart` as `helm template` prints it.
pub fn render(chart: &Chart, sources: &ValueSources, opts: &Options) -> Result<Rendered, RenderError> {
    Prepared::new(chart).render(sources, opts)
}

/// A chart with its templates parsed, ready to render any number of times: what
/// `render` does once per call, done once.
pub struct Prepared<'c> {
    chart: &'c Chart,
    funcs: FuncTable,
    /// Parsed templates by the template names a render includes: one entry, unless
    /// dependency conditions include different subcharts for different values.
    sets: std::cell::RefCell<Vec<Rc<ParsedSet>>>,
    /// Documents seen by earlier renders (a batch repeats many of them); filled from
    /// the second render on, so that a single render does not hash every document.
    heads: HeadCache,
    rendered_before: std::cell::Cell<bool>,
}

/// The templates of a chart and the subcharts a render includes, parsed together.
struct ParsedSet {
    /// Every template name, in Helm's parse order.
    names: Vec<String>,
    /// The parsed set, or the first parse error.
    set: Result<Templates, Error>,
}

impl<'c> Prepared<'c> {
    pub fn new(chart: &'c Chart) -> Prepared<'c> {
        Prepared {
            chart,
            funcs: funcs::table(),
            sets: Default::default(),
            heads: Default::default(),
            rendered_before: Default::default(),
        }
    }

    /// The templates of `chart` (this chart, or it with dependencies resolved), parsed
    /// once per distinct set of names.
    fn parsed(&self, chart: &Chart) -> Rc<ParsedSet> {
        let mut texts: Vec<(String, &str)> = Vec::new();
        collect_texts(chart, &chart.name, &mut texts);
        let mut names: Vec<String> = texts.iter().map(|(n, _)| n.clone()).collect();
        sort_templates(&mut names);
        if let Some(found) = self.sets.borrow().iter().find(|p| p.names == names) {
            return found.clone();
        }
        let texts: crate::template::NameMap<String, &str> = texts.into_iter().collect();
        let mut set = Templates::new();
        let mut parsed = Ok(());
        let digest = super::embedded::TEMPLATE_DIGEST;
        for name in &names {
            let text = texts[name];
            if let Some(parsed) = crate::template::digest::lookup(digest, name, text, &|f| self.funcs.contains(f)) {
                set.add_parsed(name, text, parsed);
            } else if let Err(e) = set.add_file(name, text, &self.funcs) {
                parsed = Err(e);
                break;
            }
        }
        let parsed = Rc::new(ParsedSet { names, set: parsed.map(|_| set) });
        self.sets.borrow_mut().push(parsed.clone());
        parsed
    }

    /// Renders the chart with these values and options.
    pub fn render(&self, sources: &ValueSources, opts: &Options) -> Result<Rendered, RenderError> {
        let user = sources.merged_as(opts.helm).map_err(RenderError::input)?;
        if self.chart.is_library() {
            return Err(RenderError::input("library charts are not installable"));
        }
        super::dependencies::check_present(self.chart, opts.helm).map_err(RenderError::input)?;
        let (chart, dependency_warnings) = super::dependencies::resolve(self.chart, &user);
        let mut values = prepare_values(&chart, user, opts)?;
        values.warnings.splice(0..0, dependency_warnings);
        self.render_values(&chart, values, opts)
    }

    /// Renders `chart` (this chart with its dependencies resolved) with values
    /// `prepare_values` made.
    fn render_values(&self, chart: &Chart, values: PreparedValues, opts: &Options) -> Result<Rendered, RenderError> {
        let PreparedValues { values, kube, warnings } = values;
        let (major, minor) = kube_version_parts(&kube);
        let mut api: Vec<String> = DEFAULT_API_VERSIONS.iter().map(|s| s.to_string()).collect();
        api.extend(opts.api_versions.iter().cloned());
        let caps = Value::Object(Rc::new(Capabilities {
            kube: Rc::new(KubeVersion { version: kube.clone(), major, minor }),
            api: Rc::new(ApiVersions(api)),
            helm_version: match opts.helm {
                HelmMajor::V3 => "v3.17.3".into(),
                HelmMajor::V4 => "v4.1.4".into(),
            },
        }));
        let mut release = Map::new();
        release.insert("Name".into(), Value::str(opts.release_name.as_str()));
        release.insert("Namespace".into(), Value::str(opts.namespace.as_str()));
        release.insert("IsUpgrade".into(), Value::Bool(false));
        release.insert("IsInstall".into(), Value::Bool(true));
        release.insert("Revision".into(), Value::Int(1));
        release.insert("Service".into(), Value::str("Helm"));
        let release = Value::map(release);

        // Every template of the chart and its subcharts, each with its chart's dot.
        let mut renderables = Vec::new();
        collect(chart, &chart.name, Value::map(values), &release, &caps, opts.helm, true, &mut renderables);

        let parsed = self.parsed(chart);
        let set = parsed.set.as_ref().map_err(|e| RenderError::render(describe_error(e, opts.helm)))?;
        let mut rendered: Vec<(String, String)> = Vec::new();
        let mut exec = Exec::new(set, &self.funcs, opts.limits);
        exec.range_over_int = opts.helm == HelmMajor::V4;
        exec.host = Some(Rc::new(opts.helm));
        for name in &parsed.names {
            let base = name.rsplit('/').next().unwrap_or(name);
            if base.starts_with('_') {
                continue;
            }
            let r = renderables.iter().find(|r| &r.name == name).expect("collected");
            let mut template = Map::new();
            template.insert("Name".into(), Value::str(name.as_str()));
            template.insert("BasePath".into(), Value::str(r.base_path.as_str()));
            r.dot.borrow_mut().insert("Template".into(), Value::map(template));
            exec.include_counts.clear();
            let out = exec
                .execute(name, Value::Map(r.dot.clone()))
                .map_err(|e| RenderError::render(describe_error(&e, opts.helm)))?;
            let out = if out.contains("<no value>") { out.replace("<no value>", "") } else { out };
            rendered.push((name.clone(), out));
        }
        // NOTES.txt files are rendered (their errors count) but never printed.
        rendered.retain(|(name, _)| !name.ends_with("NOTES.txt"));
        let cache = self.rendered_before.replace(true).then_some(&self.heads);
        assemble(rendered, opts, cache).map(|manifests| Rendered { manifests, warnings })
    }
}

/// The values a render executes with, and what was found while merging them.
pub struct PreparedValues {
    values: Map,
    /// The Kubernetes version, `vX.Y.Z`.
    kube: String,
    warnings: Vec<values::Warning>,
}

/// Merges the values as Helm does, after checking the chart's kubeVersion, and
/// validates them against the chart's schemas (unless already done).
fn prepare_values(chart: &Chart, user: Map, opts: &Options) -> Result<PreparedValues, RenderError> {
    let kube = match &opts.kube_version {
        Some(v) => {
            let parsed = super::semver::Version::parse(v)
                .map_err(|_| RenderError::input(format!("invalid kube version '{v}': Invalid Semantic Version")))?;
            format!("v{}.{}.{}", parsed.major, parsed.minor, parsed.patch)
        }
        None => match opts.helm {
            HelmMajor::V3 => "v1.32.0".to_string(),
            HelmMajor::V4 => "v1.35.0".to_string(),
        },
    };
    let mut warnings = Vec::new();
    let values = values::coalesce(chart, &user, &mut warnings);
    if !opts.values_validated {
        super::validate::check(chart, &values)?;
    }
    // Helm checks the chart's kubeVersion when it renders, after validating the values.
    if let Some(constraint) = chart.kube_version() {
        let v = super::semver::Version::parse(&kube).map_err(RenderError::render)?;
        if !super::semver::satisfies(constraint, &v).unwrap_or(false) {
            return Err(RenderError::render(format!(
                "chart requires kubeVersion: {constraint} which is incompatible with Kubernetes {kube}"
            )));
        }
    }
    Ok(PreparedValues { values, kube, warnings })
}

/// The template files of a chart and its subcharts, by their names in the output.
fn collect_texts<'c>(chart: &'c Chart, path: &str, out: &mut Vec<(String, &'c str)>) {
    for sub in &chart.subcharts {
        collect_texts(sub, &format!("{path}/charts/{}", sub.name), out);
    }
    for (p, text) in &chart.templates {
        out.push((format!("{path}/{p}"), text));
    }
}

#[allow(clippy::too_many_arguments)]
fn collect(
    chart: &Chart,
    path: &str,
    values: Value,
    release: &Value,
    caps: &Value,
    helm: HelmMajor,
    is_root: bool,
    out: &mut Vec<Renderable>,
) {
    let chart_value = |c: &Chart, root: bool| match helm {
        HelmMajor::V3 => Value::Object(Rc::new(ChartObject { metadata: c.metadata.clone(), is_root: root })),
        HelmMajor::V4 => chart_map(&c.metadata, root),
    };
    let mut dot = Map::new();
    dot.insert("Values".into(), values.clone());
    dot.insert("Release".into(), release.clone());
    dot.insert("Capabilities".into(), caps.clone());
    dot.insert("Chart".into(), chart_value(chart, is_root));
    dot.insert("Files".into(), Value::Object(Rc::new(FilesObject { files: chart.files.clone() })));
    let mut subcharts = Map::new();
    for sub in &chart.subcharts {
        subcharts.insert(sub.name.clone(), chart_value(sub, false));
    }
    dot.insert("Subcharts".into(), Value::map(subcharts));
    let dot = Rc::new(std::cell::RefCell::new(dot));
    for sub in &chart.subcharts {
        let sub_values = match &values {
            Value::Map(m) => match m.borrow().get(&sub.name) {
                Some(v @ Value::Map(_)) => v.clone(),
                _ => Value::empty_map(),
            },
            _ => Value::empty_map(),
        };
        collect(sub, &format!("{path}/charts/{}", sub.name), sub_values, release, caps, helm, false, out);
    }
    for (p, _) in &chart.templates {
        out.push(Renderable { name: format!("{path}/{p}"), dot: dot.clone(), base_path: format!("{path}/templates") });
    }
}

/// Helm's `SplitManifests`: documents separated by `---` lines, trimmed.
fn split_manifests(text: &str) -> Vec<String> {
    let trimmed = text.trim_matches(go_space);
    let mut docs = Vec::new();
    let bytes = trimmed.as_bytes();
    // A separator is `(^|\s*\n)---\s*`.
    let mut start = 0;
    let mut i = 0;
    let mut seps: Vec<(usize, usize)> = Vec::new();
    if trimmed.starts_with("---") {
        let mut e = 3;
        while e < bytes.len() && separator_space(bytes[e]) {
            e += 1;
        }
        seps.push((0, e));
        i = e;
    }
    while i < bytes.len() {
        if bytes[i] == b'\n' && trimmed[i + 1..].starts_with("---") {
            let mut s = i;
            while s > 0 && separator_space(bytes[s - 1]) && s - 1 >= seps.last().map_or(0, |l| l.1) {
                s -= 1;
            }
            let mut e = i + 4;
            while e < bytes.len() && separator_space(bytes[e]) {
                e += 1;
            }
            seps.push((s, e));
            i = e;
            continue;
        }
        i += 1;
    }
    for (s, e) in seps {
        docs.push(trimmed[start..s].to_string());
        start = e;
    }
    docs.push(trimmed[start..].to_string());
    docs.into_iter().filter(|d| !d.is_empty()).map(|d| d.trim_matches(go_space).to_string()).collect()
}

/// `\s` in Helm's separator pattern (`(?:^|\s*\n)---\s*`): RE2's ASCII class, so the
/// scan stays on character boundaries (a byte of a multi-byte character is never one).
fn separator_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)
}

fn go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{a0}') || c.is_whitespace()
}

fn kind_rank(kind: &str) -> Option<usize> {
    INSTALL_ORDER.iter().position(|k| *k == kind)
}

/// The kind of one rendered document and whether it is a hook, read as Helm reads them
/// (the whole document must be valid YAML).
fn doc_head(name: &str, doc: &str, helm: HelmMajor) -> Result<(String, bool), RenderError> {
    if values::has_control_characters(doc) {
        return Err(RenderError::render(format!(
            "YAML parse error on {name}: error converting YAML to JSON: yaml: control characters are not allowed"
        )));
    }
    // go-yaml reads NEL, LS and PS as line breaks, like \n; a byte order mark at the
    // start is an encoding mark, and one further in is text (saphyr-parser refuses it, so
    // it stands in as U+2060, also three bytes and also text).
    let doc = doc.strip_prefix('\u{feff}').unwrap_or(doc);
    let as_go_reads = if !doc.is_ascii() && doc.contains(['\u{85}', '\u{2028}', '\u{2029}', '\u{feff}']) {
        std::borrow::Cow::Owned(doc.replace(['\u{85}', '\u{2028}', '\u{2029}'], "\n").replace('\u{feff}', "\u{2060}"))
    } else {
        std::borrow::Cow::Borrowed(doc)
    };
    // The common case, read from the parser's events; the tree for the rest.
    if let std::borrow::Cow::Borrowed(doc) = as_go_reads {
        if let Some(head) = crate::yaml::scan_head(doc) {
            return Ok(head);
        }
    }
    tree_head(name, doc, &as_go_reads, helm)
}

/// `doc_head` through the whole tree: for every document `scan_head` leaves alone, and
/// the reference it is tested against.
fn tree_head(name: &str, doc: &str, as_go_reads: &str, helm: HelmMajor) -> Result<(String, bool), RenderError> {
    // go-yaml does not check the indentation of quoted scalars' later lines.
    let head = match crate::yaml::load_one(as_go_reads) {
        Err(e) if e.message.contains("invalid indentation in quoted scalar") => crate::yaml::load_one(doc),
        other => other,
    };
    let head = head.map_err(|e| {
        RenderError::render(format!("YAML parse error on {name}: error converting YAML to JSON: yaml: {e}"))
    })?;
    // Helm converts the document to JSON, which has no infinities or NaN.
    if let Some(bad) = head.as_ref().and_then(non_json_float) {
        return Err(RenderError::render(format!(
            "YAML parse error on {name}: error converting YAML to JSON: json: unsupported value: {bad}"
        )));
    }
    // Only the head matters here (kind, hook annotation): read it from the tree
    // rather than converting the whole document, unless a merge key could supply it.
    let (kind, is_hook) = match &head {
        Some(node) => match &node.kind {
            crate::yaml::Kind::Map(entries) if !entries.iter().any(|e| e.key.key_text() == "<<") => {
                let kind =
                    node.get("kind").and_then(|k| k.as_scalar()).filter(|s| s.value == crate::yaml::ScalarValue::Str);
                let annotations = node.get("metadata").and_then(|m| m.get("annotations"));
                let is_hook = annotations
                    .is_some_and(|a| matches!(&a.kind, crate::yaml::Kind::Map(_)) && a.get("helm.sh/hook").is_some());
                (kind.map_or(String::new(), |k| k.text.clone()), is_hook)
            }
            _ => {
                let head = node.to_json();
                if !head.is_object() && !head.is_null() {
                    return Err(RenderError::render(format!(
                "YAML parse error on {name}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {} into Go value of type {}.SimpleHead",
                if head.is_array() { "array" } else { "string" },
                // The package that declares it: Helm 4 moved it.
                match helm { HelmMajor::V3 => "releaseutil", HelmMajor::V4 => "util" }
            )));
                }
                let kind = head.get("kind").and_then(|k| k.as_str()).unwrap_or("").to_string();
                let is_hook = head
                    .get("metadata")
                    .and_then(|m| m.get("annotations"))
                    .and_then(|a| a.as_object())
                    .is_some_and(|a| a.contains_key("helm.sh/hook"));
                (kind, is_hook)
            }
        },
        None => (String::new(), false),
    };
    Ok((kind, is_hook))
}

/// The first float in a document that JSON cannot hold, spelled as Go's encoder names it.
fn non_json_float(node: &crate::yaml::Node) -> Option<&'static str> {
    match &node.kind {
        crate::yaml::Kind::Scalar(s) => match s.value {
            crate::yaml::ScalarValue::Float(f) if f.is_nan() => Some("NaN"),
            crate::yaml::ScalarValue::Float(f) if f.is_infinite() => Some(if f > 0.0 { "+Inf" } else { "-Inf" }),
            _ => None,
        },
        crate::yaml::Kind::Seq(items) => items.iter().find_map(non_json_float),
        crate::yaml::Kind::Map(entries) => {
            entries.iter().find_map(|e| non_json_float(&e.key).or_else(|| non_json_float(&e.value)))
        }
    }
}

/// The kind and hook flag of every document, from the cache or read as Helm reads them;
/// the first document (in order) that is not valid YAML fails the render.
fn doc_heads(
    docs: &[(String, String)],
    cache: Option<&HeadCache>,
    helm: HelmMajor,
) -> Result<Vec<(String, bool)>, RenderError> {
    let mut heads = Vec::with_capacity(docs.len());
    for (name, doc) in docs {
        let cached = cache.and_then(|c| c.borrow().get(doc).cloned());
        let head = match cached {
            Some(head) => head,
            None => {
                let head = doc_head(name, doc, helm)?;
                if let Some(c) = cache {
                    let mut c = c.borrow_mut();
                    if c.len() < HEAD_CACHE_LIMIT {
                        c.insert(doc.clone(), head.clone());
                    }
                }
                head
            }
        };
        heads.push(head);
    }
    Ok(heads)
}

/// Documents already read by a prepared chart, with their kind and hook flag.
type HeadCache = std::cell::RefCell<std::collections::HashMap<String, (String, bool)>>;

/// How many documents a prepared chart remembers.
const HEAD_CACHE_LIMIT: usize = 20_000;

fn assemble(rendered: Vec<(String, String)>, opts: &Options, cache: Option<&HeadCache>) -> Result<String, RenderError> {
    let mut files = rendered;
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let mut docs: Vec<(String, String)> = Vec::new();
    for (name, content) in files {
        let base = name.rsplit('/').next().unwrap_or(&name);
        if base.starts_with('_') || content.trim_matches(go_space).is_empty() {
            continue;
        }
        for doc in split_manifests(&content) {
            docs.push((name.clone(), doc));
        }
    }
    let heads = doc_heads(&docs, cache, opts.helm)?;
    let mut manifests: Vec<Manifest> = Vec::new();
    let mut hooks: Vec<Manifest> = Vec::new();
    for ((name, doc), (kind, is_hook)) in docs.into_iter().zip(heads) {
        let m = Manifest { name, content: doc, kind };
        if is_hook {
            hooks.push(m);
        } else {
            manifests.push(m);
        }
    }
    let by_kind = |a: &Manifest, b: &Manifest| match (kind_rank(&a.kind), kind_rank(&b.kind)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.kind.cmp(&b.kind),
    };
    manifests.sort_by(by_kind);
    hooks.sort_by(by_kind);
    let size: usize = manifests.iter().chain(&hooks).map(|m| m.name.len() + m.content.len() + 16).sum();
    let mut out = String::with_capacity(size + 1);
    let push = |out: &mut String, m: &Manifest| {
        for part in ["---\n# Source: ", &m.name, "\n", &m.content, "\n"] {
            out.push_str(part);
        }
    };
    for m in &manifests {
        push(&mut out, m);
    }
    // The manifests' part trimmed (it starts with `---` when not empty), then a newline.
    out.truncate(out.trim_end_matches(go_space).len());
    out.push('\n');
    for h in &hooks {
        push(&mut out, h);
    }
    if opts.show_only.is_empty() {
        return Ok(out);
    }
    let docs = split_manifests(&out);
    let mut selected = String::new();
    for pattern in &opts.show_only {
        let mut missing = true;
        for doc in &docs {
            let Some(rest) = doc.find("# Source: ").map(|i| &doc[i + "# Source: ".len()..]) else { continue };
            let line = rest.lines().next().unwrap_or("");
            let Some((_, path)) = line.split_once('/') else { continue };
            if glob(pattern, path) {
                selected.push_str(&format!("---\n{doc}\n"));
                missing = false;
            }
        }
        if missing {
            return Err(RenderError::input(format!("could not find template {pattern} in chart")));
        }
    }
    Ok(selected)
}

/// Renders on a large stack, so that deep template recursion (Helm
/// allows 1000 nested `include`s) cannot overflow the caller's stack.
pub fn render_on_big_stack(
    chart_files: super::chart::Files,
    sources: ValueSources,
    opts: Options,
) -> Result<Rendered, RenderError> {
    on_big_stack(|| render_files(&chart_files, &sources, &opts))
}

/// Loads a chart from its files and renders it once (the values.yaml errors worded as
/// the Helm being imitated words them).
pub fn render_files(files: &[(String, Text)], sources: &ValueSources, opts: &Options) -> Result<Rendered, RenderError> {
    let chart = Chart::load(files, opts.helm).map_err(RenderError::input)?;
    Prepared::new(&chart).render(sources, opts)
}

/// `render_files` for a process that exits after printing the result: the chart and
/// its parsed templates are left for the exit to reclaim, not freed one by one.
pub fn render_files_once(files: &[(String, Text)], sources: &ValueSources, opts: &Options) -> Result<Rendered, RenderError> {
    let chart: &'static Chart = Box::leak(Box::new(Chart::load(files, opts.helm).map_err(RenderError::input)?));
    let prepared: &'static Prepared<'static> = Box::leak(Box::new(Prepared::new(chart)));
    prepared.render(sources, opts)
}

/// Runs `work` on a 1 GiB stack (address space only; pages are touched as recursion
/// needs them). `stacker` switches stacks on the calling thread: a thread of its own cost
/// 0.2 ms per render (clone, wake-up, join) on a 2-core VM.
pub fn on_big_stack<T>(work: impl FnOnce() -> Result<T, RenderError>) -> Result<T, RenderError> {
    let mut work = Some(work);
    let mut result = None;
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stacker::grow(1 << 30, || result = work.take().map(|work| work()));
    }));
    match (caught, result) {
        (Ok(()), Some(result)) => result,
        // stacker panics when it cannot map the stack (a low `ulimit -v`, for one).
        (Err(panic), _) if panic.downcast_ref::<String>().is_some_and(|m| m.contains("allocate stack")) => {
            Err(RenderError::render("cannot reserve 1 GiB of address space for the renderer's stack"))
        }
        _ => Err(RenderError::render("the renderer panicked")),
    }
}

#[allow(dead_code)]
fn debug_value(v: &Value) -> String {
    format_v(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs parsed every template of the embedded chart, under the names a render
    /// looks them up by, with functions this renderer has, and the trees are the parser's.
    #[test]
    fn the_build_time_digest_covers_the_embedded_chart() {
        let chart = Chart::load(&super::super::embedded_chart_files(), HelmMajor::V4).unwrap();
        let funcs = funcs::table();
        let mut texts = Vec::new();
        collect_texts(&chart, &chart.name, &mut texts);
        assert!(texts.len() > 10);
        for (name, text) in texts {
            let is_func = |f: &str| funcs.contains(f);
            let from_digest = crate::template::digest::lookup(super::super::embedded::TEMPLATE_DIGEST, &name, text, &is_func)
                .unwrap_or_else(|| panic!("{name} is not in the digest"));
            let parsed = crate::template::parse::parse(&name, text, &is_func).unwrap();
            assert_eq!(format!("{from_digest:?}"), format!("{parsed:?}"), "{name}");
        }
        let text = super::super::embedded_chart_files().into_iter().find(|(p, _)| p == "values.yaml").unwrap().1;
        let from_digest = crate::template::digest::lookup_values(super::super::embedded::VALUES_DIGEST, &text)
            .expect("values.yaml is in the digest");
        let read = values::parse_values(&text, "values.yaml", true).unwrap();
        assert_eq!(format!("{from_digest:?}"), format!("{read:?}"));
    }

    /// The event reader agrees with the tree wherever it answers: on every document the
    /// install guide's values render, and on random documents built from the pieces
    /// that decide a head (duplicates, nesting, scalars of every type, anchors, tags).
    #[test]
    fn scan_head_agrees_with_the_tree() {
        let agree = |doc: &str| -> bool {
            let Some(scanned) = crate::yaml::scan_head(doc) else { return false };
            let tree = tree_head("t", doc, doc, HelmMajor::V4).expect("the tree reads what the scan read");
            assert_eq!(scanned, tree, "{doc}");
            true
        };
        let values = std::fs::read_to_string("examples/backend_operator_values.yaml").unwrap();
        let rendered = crate::helm::template(crate::helm::Template {
            chart_files: None,
            release_name: "r",
            values: vec![("v.yaml".into(), values)],
            set: &[],
            set_string: &[],
            values_validated: false,
        })
        .unwrap();
        let docs = split_manifests(&rendered);
        assert!(docs.len() > 10 && docs.iter().all(|d| agree(d)));

        let pieces = [
            "kind: Job", "kind: \"1\"", "kind: 1", "kind: null", "kind: [a]", "kind: {a: b}", "kind: |\n  x",
            "kind: yes", "kind: 'Pod'", "metadata: {annotations: {helm.sh/hook: x}}", "metadata: {annotations: {a: b}}",
            "metadata: {annotations: [helm.sh/hook]}", "metadata: {annotations: x}", "metadata: x", "metadata: [a]",
            "metadata:\n  annotations:\n    \"helm.sh/hook\": pre-install\n  name: n", "metadata: {name: n}",
            "metadata: {annotations: {helm.sh/hook: x}, annotations: {}}", "spec: {kind: Pod, metadata: {annotations: {helm.sh/hook: x}}}",
            "a: .inf", "a: 1e400", "a: -.Inf", "a: .nan", "a: 1.5", "a: &x 1", "b: *x", "c: !!str 1", "<<: {kind: Job}",
            "'<<': 1", "? [a]\n: 1", "list: [1, {kind: x}]", "a: 012", "kind: ~",
        ];
        let mut rng = crate::values::generate::Rng::new(3);
        let mut answered = 0;
        for _ in 0..3000 {
            let n = 1 + rng.below(4);
            let doc: Vec<&str> = (0..n).map(|_| pieces[rng.below(pieces.len())]).collect();
            let doc = doc.join("\n");
            if agree(&doc) {
                answered += 1;
            } else if crate::yaml::load_one(&doc).is_ok() {
                // Left to the tree: fine, as long as the tree can read it.
            }
        }
        assert!(answered > 1000, "the scan answered only {answered} of 3000");
    }

    #[test]
    fn splits_like_helm() {
        assert_eq!(split_manifests("a: 1\n---\nb: 2\n"), ["a: 1", "b: 2"]);
        // `\s*` eats the blank line, so the third `---` is not at a line start.
        assert_eq!(split_manifests("---\na: 1\n---\n\n---\nb: 2"), ["a: 1", "---\nb: 2"]);
        assert_eq!(split_manifests("\n\n---\n# c\na: 1  \n"), ["# c\na: 1"]);
        // A no-break space next to a separator is not `\s` (and is two bytes in UTF-8);
        // each document's own TrimSpace removes it afterwards.
        assert_eq!(split_manifests("a: \"x\u{a0}\n---\nb: 2"), ["a: \"x", "b: 2"]);
        assert_eq!(split_manifests("a: x\u{a0}\n---\u{a0}b: 2"), ["a: x", "b: 2"]);
        assert_eq!(split_manifests("a: x\n\u{b}\n---\nb: 2"), ["a: x", "b: 2"]);
    }
}
