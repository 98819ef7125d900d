//! golden-diff: what a change to the chart or a values file does to the rendered
//! objects. Objects are matched by API group, kind, namespace and name, compared as
//! sorted-key YAML after ignores and credential masking, and each change carries the
//! highlights a reviewer must not miss.

pub mod highlights;
pub mod normalize;
pub mod report;

use highlights::Highlight;
use normalize::ObjectKey;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// One object that differs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ObjectDiff {
    pub key: ObjectKey,
    pub change: Change,
    /// Unified diff of the normalised YAML.
    pub diff: String,
    pub highlights: Vec<Highlight>,
}

/// The differences for one pair of renders (one values file, or one golden file).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Section {
    pub title: String,
    pub objects: Vec<ObjectDiff>,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Lines of context around each change.
    pub context: usize,
    /// Paths removed from every object before comparing.
    pub ignore: Vec<String>,
    /// Ignore the chart-version labels (helm.sh/chart, app.kubernetes.io/version).
    pub ignore_chart_version: bool,
    pub show_secrets: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { context: 3, ignore: Vec::new(), ignore_chart_version: true, show_secrets: false }
    }
}

/// A short stable fingerprint (FNV-1a, 64 bits) for masked values.
pub fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

fn prepare(key: &ObjectKey, mut value: Value, options: &Options) -> Value {
    if options.ignore_chart_version {
        normalize::drop_chart_version_labels(&mut value);
    }
    for path in &options.ignore {
        normalize::remove_path(&mut value, path);
    }
    if !options.show_secrets {
        normalize::mask_credentials(key, &mut value);
    }
    normalize::sorted(&value)
}

/// Compares two rendered manifests.
pub fn compare(title: &str, base: &str, head: &str, options: &Options) -> Result<Section, String> {
    let base = normalize::objects(base).map_err(|e| format!("base: {e}"))?;
    let head = normalize::objects(head).map_err(|e| format!("head: {e}"))?;
    let mut keys: Vec<&ObjectKey> = base.keys().chain(head.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut objects = Vec::new();
    for key in keys {
        let before = base.get(key).map(|v| prepare(key, v.clone(), options));
        let after = head.get(key).map(|v| prepare(key, v.clone(), options));
        if before == after {
            continue;
        }
        let change = match (&before, &after) {
            (None, _) => Change::Added,
            (_, None) => Change::Removed,
            _ => Change::Changed,
        };
        let text = |v: &Option<Value>| v.as_ref().map_or(String::new(), normalize::to_yaml);
        let (old, new) = (text(&before), text(&after));
        let diff = similar::TextDiff::from_lines(&old, &new)
            .unified_diff()
            .context_radius(options.context)
            .header(&format!("base/{key}"), &format!("head/{key}"))
            .to_string();
        let highlights = highlights::highlights(key, before.as_ref(), after.as_ref());
        objects.push(ObjectDiff { key: key.clone(), change, diff, highlights });
    }
    Ok(Section { title: title.to_owned(), objects })
}
