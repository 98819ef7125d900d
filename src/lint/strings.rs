//! Checks on scalar text whatever the schema says: placeholders left in, the docs'
//! example domain, and YAML 1.1 readings (`yes`, `012`, `6.10`) that surprise.

use crate::yaml::{Scalar, ScalarValue, Style};

/// Why `text` looks like a placeholder, if it does.
pub fn placeholder(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.starts_with("<insert") && t.contains('>') {
        return Some("an install-guide placeholder");
    }
    if t.len() > 2 && t.starts_with('<') && t.ends_with('>') && !t[1..t.len() - 1].contains(['<', '>']) {
        return Some("a <...> placeholder");
    }
    if t.to_ascii_lowercase().contains("changeme") || t.to_ascii_lowercase().contains("change-me") {
        return Some("a changeme placeholder");
    }
    if t.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w == "TODO" || w == "FIXME") {
        return Some("a TODO marker");
    }
    None
}

/// The example host in `text`, if it names one (osmo.example.com and friends).
pub fn example_host(text: &str) -> Option<&str> {
    for (start, _) in text.match_indices("example.") {
        let tail = &text[start + "example.".len()..];
        if !["com", "org", "net"].iter().any(|tld| {
            tail.starts_with(tld) && !tail[tld.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
        }) {
            continue;
        }
        let before = &text[..start];
        if before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '-') {
            continue; // "myexample.com" is someone's real domain
        }
        let host_start =
            before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.')).map_or(0, |i| i + 1);
        return Some(&text[host_start..start + "example.".len() + 3]);
    }
    None
}

/// When a plain scalar is read by YAML 1.1 as something other than the string it looks
/// like: what it is read as, and the quoted form that keeps the text.
pub fn yaml11_reading(scalar: &Scalar) -> Option<(String, String)> {
    if scalar.style != Style::Plain || scalar.tag.is_some() {
        return None;
    }
    let text = scalar.text.as_str();
    let read_as = match &scalar.value {
        ScalarValue::Bool(b) => format!("the boolean {b}"),
        ScalarValue::Int(i) => format!("the number {i}"),
        ScalarValue::Float(f) => format!("the number {}", go_float(*f)),
        ScalarValue::Null if !text.is_empty() => "null".to_owned(),
        _ => return None,
    };
    Some((read_as, format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))))
}

/// Whether the YAML 1.1 reading changes what was written, even for a field that takes
/// that type: `yes`/`on` for true, a leading-zero octal, `1_000`.
pub fn surprising(scalar: &Scalar) -> bool {
    if scalar.style != Style::Plain || scalar.tag.is_some() {
        return false;
    }
    let t = scalar.text.as_str();
    match scalar.value {
        ScalarValue::Bool(_) => !matches!(t, "true" | "false" | "True" | "False" | "TRUE" | "FALSE"),
        ScalarValue::Int(i) => {
            t.contains('_') || t.trim_start_matches(['+', '-']) != i.unsigned_abs().to_string() && !t.starts_with("0x")
        }
        ScalarValue::Float(_) => t.contains('_'),
        _ => false,
    }
}

/// A float as Go's %v prints it, as Helm would show the value.
fn go_float(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e21 {
        format!("{f:.0}")
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(placeholder("<insert-osmo-image-tag>").is_some());
        assert!(placeholder("<your-token>").is_some());
        assert!(placeholder("changeme").is_some());
        assert!(placeholder("TODO: fill in").is_some());
        assert!(placeholder("todo-list").is_none());
        assert!(placeholder("a<b>c").is_none());
        assert!(placeholder("6.4.0").is_none());
    }

    #[test]
    fn example_hosts() {
        assert_eq!(example_host("https://osmo.example.com"), Some("osmo.example.com"));
        assert_eq!(example_host("https://example.org/x"), Some("example.org"));
        assert_eq!(example_host("https://myexample.com"), None);
        assert_eq!(example_host("https://example.community.dev"), None);
    }
}
