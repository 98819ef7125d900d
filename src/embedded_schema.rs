//! JSON Schemas built into the binary, split by build.rs into a root and named tables
//! (`definitions`, and `kinds` for the Kubernetes schemas) whose entries are parsed on
//! first use: a run pays only for the parts of a schema it walks, not for all of it.

use serde_json::Value;
use std::sync::OnceLock;

/// One split schema. Entries live for as long as the schema does, so walkers can hold
/// references into them.
pub struct EmbeddedSchema {
    root_text: &'static str,
    root: OnceLock<Value>,
    tables: Vec<Table>,
    whole: OnceLock<Value>,
}

struct Table {
    name: &'static str,
    entries: &'static [(&'static str, &'static str)],
    parsed: Box<[OnceLock<Value>]>,
}

impl EmbeddedSchema {
    pub fn new(
        root_text: &'static str,
        tables: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    ) -> Self {
        let tables = tables
            .iter()
            .map(|(name, entries)| Table { name, entries, parsed: entries.iter().map(|_| OnceLock::new()).collect() })
            .collect();
        EmbeddedSchema { root_text, root: OnceLock::new(), tables, whole: OnceLock::new() }
    }

    /// The schema without its tables.
    pub fn root(&self) -> &Value {
        self.root.get_or_init(|| serde_json::from_str(self.root_text).expect("build.rs wrote JSON"))
    }

    /// Entry `name` of table `table` (`definitions`, `kinds`), parsed on first use.
    pub fn entry(&self, table: &str, name: &str) -> Option<&Value> {
        let table = self.tables.iter().find(|t| t.name == table)?;
        let index = table.entries.binary_search_by(|(n, _)| (*n).cmp(name)).ok()?;
        Some(
            table.parsed[index]
                .get_or_init(|| serde_json::from_str(table.entries[index].1).expect("build.rs wrote JSON")),
        )
    }

    /// The whole schema as one document, for the rare consumer that reads all of it.
    pub fn whole(&self) -> &Value {
        self.whole.get_or_init(|| {
            let mut whole = self.root().clone();
            for table in &self.tables {
                let entries: serde_json::Map<String, Value> = table
                    .entries
                    .iter()
                    .map(|(name, _)| (name.to_string(), self.entry(table.name, name).cloned().unwrap_or_default()))
                    .collect();
                whole[table.name] = Value::Object(entries);
            }
            whole
        })
    }
}
