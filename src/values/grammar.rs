//! Owns the validated string newtypes of the values file (names, tags, URLs, durations, ...).
//!
//! Each type carries one regular expression that is used twice: by `Deserialize` (through
//! [`TryFrom<String>`]) and as the `pattern` of its JSON Schema. Helm 3 and 4 evaluate schema
//! patterns with Go's RE2 engine, so every pattern here sticks to the syntax RE2, Rust's `regex`
//! and ECMAScript share: no lookaround, no backreferences, and `[0-9]` rather than `\d` (which
//! is Unicode-aware in Rust). Patterns are anchored with `^...$` because JSON Schema patterns
//! are unanchored searches.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

/// A string that does not match the grammar of the type it was meant to become.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrammarError {
    /// Human name of the grammar, e.g. "DNS-1123 label".
    pub grammar: &'static str,
    /// The rejected input.
    pub value: String,
}

impl fmt::Display for GrammarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not a valid {}", self.value, self.grammar)
    }
}

impl std::error::Error for GrammarError {}

/// Defines a `String` newtype that only holds values matching `$pattern` (and at most
/// `$max_len` characters when given), with serde, `Display`, `FromStr` and an inline
/// JSON Schema `{type: string, title, pattern[, maxLength]}`.
macro_rules! grammar {
    (
        $(#[doc = $doc:literal])*
        $name:ident, title: $title:literal, pattern: $pattern:literal $(, max_len: $max:literal)?
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Human name of the grammar; also the schema `title`.
            pub const TITLE: &'static str = $title;
            /// The anchored, RE2-compatible regular expression values must match.
            pub const PATTERN: &'static str = $pattern;
            /// The longest value allowed, in characters, if the pattern does not bound it.
            pub const MAX_LEN: Option<usize> = grammar!(@max $($max)?);

            /// Checks `value` against the grammar.
            pub fn new(value: impl Into<String>) -> Result<Self, GrammarError> {
                static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new($pattern).expect("grammar pattern compiles"));
                let value = value.into();
                let short_enough = Self::MAX_LEN.is_none_or(|max| value.chars().count() <= max);
                if short_enough && RE.is_match(&value) {
                    Ok(Self(value))
                } else {
                    Err(GrammarError { grammar: $title, value })
                }
            }

            /// The value as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = GrammarError;
            fn try_from(value: String) -> Result<Self, GrammarError> {
                Self::new(value)
            }
        }

        impl std::str::FromStr for $name {
            type Err = GrammarError;
            fn from_str(value: &str) -> Result<Self, GrammarError> {
                Self::new(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let mut schema = json_schema!({
                    "type": "string",
                    "title": $title,
                    "pattern": $pattern,
                });
                if let Some(max) = Self::MAX_LEN {
                    schema.insert("maxLength".into(), max.into());
                }
                schema
            }
        }
    };
    (@max $max:literal) => { Some($max) };
    (@max) => { None };
}

grammar! {
    /// A DNS-1123 label: namespaces, Kubernetes object name parts, ServiceAccount suffixes.
    DnsLabel, title: "DNS-1123 label", pattern: r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", max_len: 63
}

grammar! {
    /// A DNS-1123 subdomain: names of Secrets and PriorityClasses.
    DnsSubdomain,
    title: "DNS-1123 subdomain",
    pattern: r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    max_len: 253
}

grammar! {
    /// A name registered with OSMO, in the grammar of a Kubernetes label value (so it also
    /// rejects placeholders and whitespace).
    BackendName, title: "backend name", pattern: r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$", max_len: 63
}

grammar! {
    /// A container image tag (the OCI distribution grammar, at most 128 characters).
    ImageTag, title: "image tag", pattern: r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$"
}

grammar! {
    /// A container image tag, or "" to fall back to another tag.
    ImageTagOrEmpty, title: "image tag or empty", pattern: r"^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$"
}

grammar! {
    /// An http(s) URL with a host name or bracketed IPv6 address, an optional port and path;
    /// or "" (the chart's default, which the templates reject with a clearer message).
    HttpUrlOrEmpty,
    title: "http(s) URL or empty",
    pattern: r#"^(https?://([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(:[0-9]{1,5})?(/[^ <>"{}|\\^`\t\r\n]*)?)?$"#
}

grammar! {
    /// A positive Go duration such as 15s, 1m30s or 500ms.
    GoDuration, title: "Go duration", pattern: r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$"
}

grammar! {
    /// A cron schedule: five whitespace-separated fields, or one of the @ macros Kubernetes
    /// CronJobs accept. Field contents are checked only loosely.
    CronSchedule,
    title: "cron schedule",
    pattern: r"^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|@every ([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+|[-0-9A-Za-z*?/,]+([ \t]+[-0-9A-Za-z*?/,]+){4})$"
}

grammar! {
    /// An IANA time zone name such as UTC, Europe/Berlin or America/Argentina/Buenos_Aires.
    TimeZone, title: "IANA time zone", pattern: r"^[A-Za-z][-A-Za-z0-9_+]*(/[-A-Za-z0-9_+]+)*$", max_len: 255
}

grammar! {
    /// An IPv4 or IPv6 CIDR block such as 10.0.0.0/8 or fd00::/8.
    Cidr,
    title: "CIDR",
    pattern: r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}/(3[0-2]|[12]?[0-9])|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))$"
}

/// Builds a grammar value from a literal known to be valid (for `Default` impls).
///
/// # Panics
/// If `value` does not match; that is a bug in the caller's literal.
pub(crate) fn known<T: TryFrom<String, Error = GrammarError>>(value: &str) -> T {
    T::try_from(value.to_owned()).unwrap_or_else(|e| panic!("built-in default: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T>(good: &[&str], bad: &[&str])
    where
        T: TryFrom<String, Error = GrammarError> + fmt::Debug,
    {
        for value in good {
            assert!(T::try_from((*value).to_owned()).is_ok(), "{value:?} should be accepted");
        }
        for value in bad {
            assert!(T::try_from((*value).to_owned()).is_err(), "{value:?} should be rejected");
        }
    }

    #[test]
    fn dns_label() {
        check::<DnsLabel>(
            &["osmo", "osmo-namespace", "a", "0", "a1-b2", &"a".repeat(63)],
            &["", "Osmo_NS", "osmo.ns", "-osmo", "osmo-", "<insert-namespace>", "osmo ns", &"a".repeat(64)],
        );
    }

    #[test]
    fn dns_subdomain() {
        check::<DnsSubdomain>(
            &["agent-token", "svc-osmo-admin", "osmo.high", "a.b.c"],
            &["", "Agent-Token", "a..b", ".a", "a.", "<insert-secret-name>", &"a".repeat(254)],
        );
    }

    #[test]
    fn backend_name() {
        check::<BackendName>(
            &["default", "my_backend", "Cluster-1.a", "x"],
            &["", "<insert-backend-name>", "my backend", "-x", "x-", &"a".repeat(64)],
        );
    }

    #[test]
    fn image_tag() {
        check::<ImageTag>(
            &["latest", "6.4.0", "v6.4.0-rc1", "_x", "1", &"a".repeat(128)],
            &["", "<insert-osmo-image-tag>", ".hidden", "-x", "a:b", "a/b", "a b", &"a".repeat(129)],
        );
        check::<ImageTagOrEmpty>(&["", "latest", "6.4.0"], &["<insert-osmo-image-tag>", " ", "-x"]);
    }

    #[test]
    fn http_url_or_empty() {
        check::<HttpUrlOrEmpty>(
            &[
                "",
                "https://osmo.example.com",
                "http://osmo.example.com:8080/",
                "https://osmo.example.com/api/v1?x=1",
                "http://10.0.0.1:80",
                "http://[fd00::1]:8000",
                "http://localhost",
            ],
            &[
                "osmo.example.com",
                "ftp://osmo.example.com",
                "https://",
                "https://<insert-osmo-url>",
                "<insert-osmo-url>",
                "https://osmo.example.com/<path>",
                "https://osmo example.com",
                "https://-bad.example.com",
                " https://osmo.example.com",
            ],
        );
    }

    #[test]
    fn go_duration() {
        check::<GoDuration>(
            &["15s", "1m30s", "500ms", "1.5h", "2h45m10s", "10us", "3µs", "100ns"],
            &["", "15", "s", "15 s", "-15s", "15sec", "1d", "<insert-duration>", "1.s"],
        );
    }

    #[test]
    fn cron_schedule() {
        check::<CronSchedule>(
            &["0 2 * * *", "*/15 * * * *", "0 0 1,15 * MON-FRI", "0\t2 * * *", "@daily", "@every 1h30m", "0 0 ? * *"],
            &["", "0 2 * *", "0 2 * * * *", "@fortnightly", "<insert-schedule>", " 0 2 * * *", "0 2 * * * ", "@every"],
        );
    }

    #[test]
    fn time_zone() {
        check::<TimeZone>(
            &[
                "UTC",
                "Europe/Berlin",
                "America/Argentina/Buenos_Aires",
                "Etc/GMT+5",
                "EST5EDT",
                "America/Port-au-Prince",
            ],
            &["", "<insert-time-zone>", "Europe/", "/UTC", "UTC ", "Europe//Berlin", "+05:00"],
        );
    }

    #[test]
    fn cidr() {
        check::<Cidr>(
            &["10.0.0.0/8", "192.168.0.0/16", "0.0.0.0/0", "255.255.255.255/32", "fd00::/8", "::/0", "2001:db8::/32"],
            &["", "10.0.0.0", "10.0.0.0/33", "256.0.0.0/8", "10.0.0/8", "fd00::/129", "<insert-cidr>", "10.0.0.0/08"],
        );
    }

    #[test]
    fn schema_carries_pattern_and_title() {
        let mut generator = SchemaGenerator::default();
        let schema = DnsLabel::json_schema(&mut generator);
        assert_eq!(schema.get("pattern").and_then(|p| p.as_str()), Some(DnsLabel::PATTERN));
        assert_eq!(schema.get("title").and_then(|p| p.as_str()), Some("DNS-1123 label"));
        assert_eq!(schema.get("maxLength").and_then(|p| p.as_u64()), Some(63));
        assert!(ImageTag::json_schema(&mut generator).get("maxLength").is_none());
    }

    #[test]
    fn serde_round_trip_and_rejection() {
        let tag: ImageTag = serde_json::from_str("\"6.4.0\"").unwrap();
        assert_eq!(serde_json::to_string(&tag).unwrap(), "\"6.4.0\"");
        let err = serde_json::from_str::<ImageTag>("\"<insert-osmo-image-tag>\"").unwrap_err();
        assert!(err.to_string().contains("not a valid image tag"), "{err}");
    }
}
