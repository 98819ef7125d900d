//! Semantic versions and constraints as Masterminds/semver v3 reads them, for
//! `semverCompare`, `semver` and the chart's `kubeVersion` check.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pub pre: String,
    pub meta: String,
    pub original: String,
}

impl Version {
    /// A version, loosely: `v` prefix, and missing minor or patch allowed.
    pub fn parse(s: &str) -> Result<Version, String> {
        let err = || "Invalid Semantic Version".to_string();
        let original = s.to_string();
        let body = s.strip_prefix('v').unwrap_or(s);
        let (body, meta) = match body.split_once('+') {
            Some((b, m)) => (b, m.to_string()),
            None => (body, String::new()),
        };
        let (core, pre) = match body.split_once('-') {
            Some((c, p)) => (c, p.to_string()),
            None => (body, String::new()),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty()
            || parts.len() > 3
            || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(err());
        }
        let num = |i: usize| -> Result<u64, String> { parts.get(i).map_or(Ok(0), |p| p.parse().map_err(|_| err())) };
        let valid_ident =
            |s: &str| s.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        if (!pre.is_empty() && !valid_ident(&pre)) || (!meta.is_empty() && !valid_ident(&meta)) {
            return Err(err());
        }
        Ok(Version { major: num(0)?, minor: num(1)?, patch: num(2)?, pre, meta, original })
    }

    pub fn compare(&self, o: &Version) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(o.major, o.minor, o.patch))
            .then_with(|| compare_pre(&self.pre, &o.pre))
    }
}

fn compare_pre(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let (pa, pb): (Vec<&str>, Vec<&str>) = (a.split('.').collect(), b.split('.').collect());
    for (x, y) in pa.iter().zip(pb.iter()) {
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(i), Ok(j)) => i.cmp(&j),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// One `op version` term, with wildcard parts (`x`, `*`) remembered.
struct Term {
    op: String,
    v: Version,
    /// How many leading parts were given as numbers (the rest are wildcards).
    given: usize,
}

/// Does `version` satisfy `constraint`?
pub fn satisfies(constraint: &str, version: &Version) -> Result<bool, String> {
    for group in constraint.split("||") {
        let terms = parse_group(group.trim())?;
        let mut ok = true;
        for t in &terms {
            if !check(t, version) {
                ok = false;
                break;
            }
        }
        if ok {
            return Ok(true);
        }
    }
    Ok(false)
}

fn parse_group(group: &str) -> Result<Vec<Term>, String> {
    let bad = || format!("improper constraint: {group}");
    // Hyphen ranges: "1.2 - 1.4".
    if let Some((lo, hi)) = group.split_once(" - ") {
        let (mut a, mut b) = (parse_term(&format!(">={}", lo.trim()))?, parse_term(&format!("<={}", hi.trim()))?);
        a.op = ">=".into();
        b.op = "<=".into();
        return Ok(vec![a, b]);
    }
    let normalized = group.replace(',', " ");
    let mut tokens: Vec<String> = Vec::new();
    for tok in normalized.split_whitespace() {
        // An operator alone is joined to the version after it.
        if tok.chars().all(|c| "<>=!~^".contains(c)) {
            tokens.push(tok.to_string());
        } else if let Some(last) = tokens.last_mut().filter(|l| l.chars().all(|c| "<>=!~^".contains(c))) {
            last.push_str(tok);
        } else {
            tokens.push(tok.to_string());
        }
    }
    if tokens.is_empty() {
        return Err(bad());
    }
    tokens.iter().map(|t| parse_term(t)).collect()
}

fn parse_term(t: &str) -> Result<Term, String> {
    let op_len = t.find(|c: char| !"<>=!~^".contains(c)).unwrap_or(t.len());
    let (op, ver) = t.split_at(op_len);
    let op = match op {
        "" | "=" => "=",
        "!=" => "!=",
        ">" => ">",
        "<" => "<",
        ">=" | "=>" => ">=",
        "<=" | "=<" => "<=",
        "~" | "~>" => "~",
        "^" => "^",
        _ => return Err(format!("improper constraint: {t}")),
    };
    let ver = ver.trim();
    let body = ver.strip_prefix('v').unwrap_or(ver);
    let (core, rest) = match body.find(['-', '+']) {
        Some(i) => (&body[..i], &body[i..]),
        None => (body, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let mut given = 0;
    let mut nums = Vec::new();
    for p in &parts {
        if matches!(*p, "x" | "X" | "*") {
            break;
        }
        given += 1;
        nums.push(*p);
    }
    let text = if nums.is_empty() { format!("0{rest}") } else { format!("{}{rest}", nums.join(".")) };
    let v = Version::parse(&text).map_err(|_| format!("improper constraint: {t}"))?;
    let given = if parts.len() < 3 && given == parts.len() { given } else { given };
    Ok(Term { op: op.into(), v, given })
}

fn check(t: &Term, v: &Version) -> bool {
    if !v.pre.is_empty() && t.v.pre.is_empty() {
        return false;
    }
    let c = &t.v;
    let cmp = v.compare(c);
    match t.op.as_str() {
        "=" => {
            if t.given < 3 {
                return wildcard_match(t, v);
            }
            cmp == Ordering::Equal
        }
        "!=" => {
            if t.given < 3 {
                return !wildcard_match(t, v);
            }
            cmp != Ordering::Equal
        }
        ">" => {
            if t.given == 0 {
                return false;
            }
            if t.given < 3 {
                let bumped = if t.given == 1 { (c.major + 1, 0, 0) } else { (c.major, c.minor + 1, 0) };
                return (v.major, v.minor, v.patch) >= bumped;
            }
            cmp == Ordering::Greater
        }
        "<" => cmp == Ordering::Less,
        ">=" => cmp != Ordering::Less,
        "<=" => {
            if t.given < 3 && t.given > 0 {
                let upper = if t.given == 1 { (c.major + 1, 0, 0) } else { (c.major, c.minor + 1, 0) };
                return (v.major, v.minor, v.patch) < upper;
            }
            cmp != Ordering::Greater
        }
        "~" => {
            if cmp == Ordering::Less {
                return false;
            }
            if t.given == 1 && c.major != 0 || t.given == 0 {
                return v.major == c.major || t.given == 0;
            }
            v.major == c.major && v.minor == c.minor
        }
        "^" => {
            if cmp == Ordering::Less {
                return false;
            }
            if c.major > 0 || t.given <= 1 {
                return v.major == c.major;
            }
            if c.minor > 0 || t.given == 2 {
                return v.major == 0 && v.minor == c.minor;
            }
            v.major == 0 && v.minor == 0 && v.patch == c.patch
        }
        _ => false,
    }
}

fn wildcard_match(t: &Term, v: &Version) -> bool {
    match t.given {
        0 => true,
        1 => v.major == t.v.major,
        2 => v.major == t.v.major && v.minor == t.v.minor,
        _ => v.compare(&t.v) == Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(c: &str, v: &str) -> bool {
        satisfies(c, &Version::parse(v).unwrap()).unwrap()
    }

    #[test]
    fn constraints() {
        assert!(s(">=1.27.0-0", "v1.35.0"));
        assert!(!s(">=1.27.0-0", "v1.20.0"));
        assert!(s(">=1.20", "1.21.3"));
        assert!(!s(">=1.20", "1.21.3-beta.1"));
        assert!(s("~1.2.3", "1.2.9"));
        assert!(!s("~1.2.3", "1.3.0"));
        assert!(s("^1.2.3", "1.9.0"));
        assert!(s("1.2.x", "1.2.7"));
        assert!(s("<2.0.0, >1.0", "1.5.0"));
        assert!(s("<1.0 || >=2.0", "2.1.0"));
    }
}
