//! Every values-lint rule: its id, default severity, and what it checks and why.
//! `osmo-chart values-lint --list-rules` prints this table; SARIF carries it too.

use crate::diagnostics::{RuleDoc, Severity};

macro_rules! rules {
    ($($konst:ident = $id:literal, $sev:ident, $summary:literal, $doc:literal;)*) => {
        $(pub const $konst: &str = $id;)*
        /// All rules, in the order `--list-rules` shows them.
        pub const ALL: &[RuleDoc] = &[
            $(RuleDoc { id: $id, severity: Severity::$sev, summary: $summary, doc: $doc },)*
        ];
    };
}
/// The same table macro, for other checking subcommands' rule modules.
pub(crate) use rules;

rules! {
    INPUT = "input", Error, "The file cannot be read as a values file.",
        "Checks that each file is UTF-8 text without NUL bytes and at most 10 MiB. Helm reads \
         values as UTF-8 YAML; a binary or mis-encoded file is almost always the wrong file.";
    YAML_SYNTAX = "yaml-syntax", Error, "The file is not valid YAML.",
        "Reports YAML syntax errors at their position, and documents nested deeper than 1000 \
         levels or expanding aliases past a million values (a \"billion laughs\" file), which \
         would stall any YAML reader.";
    TAB = "tab-indent", Error, "A tab character is used for indentation.",
        "YAML forbids tabs in indentation, and editors show them at different widths, so a key \
         that looks aligned may sit at another level. Indent with spaces.";
    DUPLICATE_KEY = "duplicate-key", Error, "A key appears twice in the same map.",
        "Helm silently keeps the last of two equal keys, so the first one's settings are lost \
         without a word. Merge the two entries.";
    EMPTY_FILE = "empty-file", Error, "The file sets no values.",
        "An empty values file (or one with only comments) changes nothing; it is usually a file \
         saved before it was written, or the wrong path.";
    NOT_A_MAP = "not-a-map", Error, "The file's top level is not a map of keys.",
        "Helm needs a map at the top of a values file (global:, services:, ...); a list or a \
         single value is rejected.";
    MULTIPLE_DOCUMENTS = "multiple-documents", Error, "The file holds more than one YAML document.",
        "Helm reads only the first document of a values file; anything after `---` is ignored.";
    UNKNOWN_KEY = "unknown-key", Error, "A key the chart does not know.",
        "The chart has a schema for every key; an unknown one is most often a typo, which Helm \
         without a schema would ignore. Suggests the nearest known key at that level.";
    WRONG_LEVEL = "wrong-level", Error, "A known key placed at the wrong level.",
        "A key the chart knows, but under another parent: for example a services: block indented \
         under global:, where the chart never reads it. Names where the key belongs.";
    UNKNOWN_GLOBAL_KEY = "unknown-global-key", Error, "An unknown key directly under global.",
        "The schema lets unknown keys through under global because Helm copies a parent chart's \
         globals there when this chart is a subchart. Installed on its own, such a key is a typo. \
         --subchart turns this rule off.";
    WRONG_TYPE = "wrong-type", Error, "A value of the wrong type.",
        "A string where a list is expected, a quoted \"true\" where a boolean is expected, and so \
         on. Helm's schema check rejects it.";
    INVALID_VALUE = "invalid-value", Error, "A value outside the allowed choices.",
        "Keys such as loginMethod, log levels and pull policies take one of a few values; anything \
         else is rejected by Helm or misread by the operator.";
    INVALID_NAME = "invalid-name", Error, "A Kubernetes name that is not a valid DNS-1123 name.",
        "Namespaces, ServiceAccount and object names must be lower-case letters, digits and \
         dashes, start and end alphanumeric, and fit in 63 characters (253 for subdomains).";
    INVALID_URL = "invalid-url", Error, "serviceUrl is not an http(s) URL.",
        "The operator connects to the OSMO service with this URL; without http:// or https:// it \
         cannot.";
    INVALID_QUANTITY = "invalid-quantity", Error, "A resource quantity outside the Kubernetes grammar.",
        "Quantities are a number with an optional suffix (500m, 1.5, 2Gi, 1e3). 1Gb or 1 GB are \
         rejected by the API server.";
    INVALID_FORMAT = "invalid-format", Error, "A value that does not follow its grammar.",
        "Image tags, durations, cron schedules, time zones, CIDRs and backend names each have a \
         grammar the schema enforces.";
    OUT_OF_RANGE = "out-of-range", Error, "A number outside its allowed range.",
        "Counts and timings such as probe thresholds must be positive.";
    MISSING_KEY = "missing-key", Error, "A required key is missing.",
        "Some entries need all their keys: a PriorityClass needs name and value, a PolicyRule \
         needs verbs.";
    NULL_VALUE = "null-value", Warning, "A null that deletes the chart's default.",
        "In Helm a null value removes the key, so the chart's default is gone too. Remove the \
         line to keep the default, or write the value you want.";
    PLACEHOLDER = "placeholder", Error, "A placeholder left in.",
        "Values such as <insert-osmo-image-tag>, <...>, changeme or TODO come from a template or \
         the install guide and must be replaced before installing.";
    EXAMPLE_DOMAIN = "example-domain", Warning, "The documentation's example domain.",
        "osmo.example.com and other example.com/.org/.net hosts appear in the docs; a real \
         install points at its own OSMO service.";
    YAML11 = "yaml11-trap", Error, "A value YAML 1.1 reads as another type than it looks.",
        "Helm reads values as YAML 1.1: unquoted yes/no/on/off are booleans, 012 is octal 10, \
         and 6.10 is the number 6.1. In a string field (an image tag 6.10 deploys 6.1) this is \
         an error; elsewhere a warning. Shows the quoted form.";
    REQUEST_OVER_LIMIT = "request-over-limit", Error, "A resource request above its limit.",
        "The API server rejects a container whose request exceeds its limit for the same \
         resource.";
    MEMORY_LIMIT = "memory-limit-missing", Warning, "A container without a memory limit.",
        "Without a memory limit a leaking operator can take a node's memory; the install guide \
         sets one for both containers.";
    NAME_TOO_LONG = "name-too-long", Error, "A name the chart builds is longer than 63 characters.",
        "The chart builds names such as <name>-<serviceName> and uses them as label values, \
         which Kubernetes limits to 63 characters.";
    MISSING_SERVICE_URL = "missing-service-url", Error, "global.serviceUrl is not set.",
        "The operator cannot register the backend without the OSMO service URL; the chart \
         refuses to render without it.";
    LOGIN = "login", Error, "The login settings do not fit together.",
        "loginMethod password needs accountUsername; with loginMethod token, accountUsername is \
         ignored (a warning).";
    LATEST_ALWAYS = "latest-tag", Warning, "osmoImageTag latest with pull policy Always.",
        "Every pod restart may then run a different operator version than the one tested. Pin \
         a release tag.";
    RBAC_RULE = "rbac-rule", Error, "An extraRBACRules entry that is not a well-formed PolicyRule.",
        "Each rule needs apiGroups, resources and verbs, with known verbs and lower-case plural \
         resources; nonResourceURLs cannot be granted by a Role.";
}

/// The documentation of a rule id.
pub fn find(id: &str) -> Option<&'static RuleDoc> {
    ALL.iter().find(|r| r.id == id)
}
