//! Suggestions for unknown keys: the nearest known key at the same level ("did you
//! mean"), or the place a known key belongs when it sits at the wrong level.

use super::schema_walk::SchemaWalker;
use crate::embedded_schema::EmbeddedSchema;
use serde_json::Value;
use std::cell::OnceCell;
use std::collections::BTreeMap;

/// Where each of the chart's own keys lives: key name -> parent paths ("" for the top).
/// Built on first use: only a file with an unknown key needs it.
pub struct KeyIndex<'s> {
    schema: &'s EmbeddedSchema,
    parents: OnceCell<BTreeMap<String, Vec<String>>>,
}

impl<'s> KeyIndex<'s> {
    pub fn new(schema: &'s EmbeddedSchema) -> KeyIndex<'s> {
        KeyIndex { schema, parents: OnceCell::new() }
    }

    /// The parents under which `key` is known, other than `here`.
    pub fn elsewhere(&self, key: &str, here: &str) -> Vec<&str> {
        let parents = self.parents.get_or_init(|| {
            let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for path in crate::docs::typed_key_paths(self.schema.whole()) {
                let (parent, key) = path.rsplit_once('.').unwrap_or(("", &path));
                parents.entry(key.to_owned()).or_default().push(parent.to_owned());
            }
            parents
        });
        parents.get(key).into_iter().flatten().map(String::as_str).filter(|p| *p != here).collect()
    }
}

/// Optimal-string-alignment distance, case-insensitive: typos, transpositions, case.
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        d[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The closest candidate within a typo's reach of `word`, if any.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let reach = (word.chars().count() / 3).clamp(1, 4);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= reach)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// The keys allowed in the object at `schema` (`false` ones excluded).
pub fn allowed_keys<'s>(walker: &SchemaWalker<'s>, schema: &'s Value) -> Vec<&'s str> {
    let mut keys: Vec<&str> =
        walker.known_keys(schema).into_iter().filter(|(_, s)| s.is_object()).map(|(k, _)| k).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// "at the top level" or "under `services.backendWorker`".
pub fn describe_parent(parent: &str) -> String {
    if parent.is_empty() {
        "at the top level".to_owned()
    } else {
        format!("under `{parent}`")
    }
}
