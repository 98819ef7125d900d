//! Kubernetes resource quantities as numbers, to compare requests with limits. The
//! grammar itself is checked by the schema's pattern; this only reads valid ones.

use serde_json::Value;

/// The value of a quantity (`500m` is 0.5, `1Gi` is 1073741824), or None if unreadable.
pub fn parse(value: &Value) -> Option<f64> {
    let text = match value {
        Value::Number(n) => return n.as_f64(),
        Value::String(s) => s.trim(),
        _ => return None,
    };
    let split = text.find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E').unwrap_or(text.len());
    let (number, suffix) = text.split_at(split);
    // A bare exponent (1e3) is part of the number; `E` alone is the exa suffix.
    let (number, suffix) = match number.parse::<f64>() {
        Ok(_) => (number, suffix),
        Err(_) if number.ends_with(['e', 'E']) => (&number[..number.len() - 1], &text[number.len() - 1..]),
        Err(_) => return None,
    };
    let base: f64 = number.parse().ok()?;
    let scale = match suffix {
        "" => 1.0,
        "n" => 1e-9,
        "u" => 1e-6,
        "m" => 1e-3,
        "k" => 1e3,
        "M" => 1e6,
        "G" => 1e9,
        "T" => 1e12,
        "P" => 1e15,
        "E" => 1e18,
        "Ki" => 1024f64,
        "Mi" => 1024f64.powi(2),
        "Gi" => 1024f64.powi(3),
        "Ti" => 1024f64.powi(4),
        "Pi" => 1024f64.powi(5),
        "Ei" => 1024f64.powi(6),
        _ => return None,
    };
    Some(base * scale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_suffixes_and_exponents() {
        assert_eq!(parse(&json!("500m")), Some(0.5));
        assert_eq!(parse(&json!("1Gi")), Some(1073741824.0));
        assert_eq!(parse(&json!("1e3")), Some(1000.0));
        assert_eq!(parse(&json!("2E")), Some(2e18));
        assert_eq!(parse(&json!(2)), Some(2.0));
        assert_eq!(parse(&json!("1Gb")), None);
        assert!(parse(&json!("1.5G")).unwrap() > parse(&json!("1Gi")).unwrap());
    }
}
