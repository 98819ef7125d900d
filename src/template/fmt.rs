//! Go's `fmt.Sprintf`, `Sprint` and `Sprintln` for the values templates hold: the
//! verbs, flags, width and precision charts use, and Go's `%!v(...)` error forms.

use super::value::{format_float_g, format_float_g_prec, format_float_prec, format_v, go_quote, Value};

/// `fmt.Sprint`: operands side by side, with a space between two that are not strings.
pub fn sprint(args: &[Value]) -> String {
    let mut out = String::new();
    for (i, a) in args.iter().enumerate() {
        let is_str = matches!(a, Value::Str(_));
        if i > 0 && !is_str && !matches!(args[i - 1], Value::Str(_)) {
            out.push(' ');
        }
        out.push_str(&format_v(a));
    }
    out
}

/// `fmt.Sprintln`: operands separated by spaces, and a newline.
pub fn sprintln(args: &[Value]) -> String {
    let parts: Vec<String> = args.iter().map(format_v).collect();
    format!("{}\n", parts.join(" "))
}

#[derive(Default, Clone, Copy)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// `fmt.Sprintf`.
pub fn sprintf(format: &str, args: &[Value]) -> String {
    let mut out = String::new();
    let mut arg_i = 0;
    let mut chars = format.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        // Flags.
        while let Some(&(_, f)) = chars.peek() {
            match f {
                '-' => {
                    spec.minus = true;
                    spec.zero = false;
                }
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        // Width.
        if chars.peek().map(|&(_, c)| c) == Some('*') {
            chars.next();
            if let Some(Value::Int(w)) = args.get(arg_i) {
                if *w < 0 {
                    spec.minus = true;
                }
                spec.width = Some(w.unsigned_abs() as usize);
            } else {
                out.push_str("%!(BADWIDTH)");
            }
            arg_i += 1;
        } else {
            let mut w = String::new();
            while let Some(&(_, d)) = chars.peek() {
                if d.is_ascii_digit() {
                    w.push(d);
                    chars.next();
                } else {
                    break;
                }
            }
            if !w.is_empty() {
                spec.width = w.parse().ok().map(|w: usize| w.min(1 << 20));
            }
        }
        // Precision.
        if chars.peek().map(|&(_, c)| c) == Some('.') {
            chars.next();
            if chars.peek().map(|&(_, c)| c) == Some('*') {
                chars.next();
                if let Some(Value::Int(p)) = args.get(arg_i) {
                    spec.prec = if *p < 0 { None } else { Some((*p as usize).min(1 << 20)) };
                } else {
                    out.push_str("%!(BADPREC)");
                }
                arg_i += 1;
            } else {
                let mut p = String::new();
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_digit() {
                        p.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                spec.prec = Some(p.parse::<usize>().unwrap_or(0).min(1 << 20));
            }
        }
        let Some((_, verb)) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(arg) = args.get(arg_i) else {
            out.push_str(&format!("%!{verb}(MISSING)"));
            continue;
        };
        arg_i += 1;
        out.push_str(&format_one(arg, verb, spec));
    }
    if arg_i < args.len() {
        out.push_str("%!(EXTRA ");
        let extra: Vec<String> = args[arg_i..]
            .iter()
            .map(|a| match a {
                Value::Nil => "<nil>".to_string(),
                a => format!("{}={}", a.type_name(), format_v(a)),
            })
            .collect();
        out.push_str(&extra.join(", "));
        out.push(')');
    }
    out
}

fn bad_verb(arg: &Value, verb: char) -> String {
    match arg {
        Value::Nil => format!("%!{verb}(<nil>)"),
        a => format!("%!{verb}({}={})", a.type_name(), format_v(a)),
    }
}

fn pad(s: String, spec: Spec, numeric: bool) -> String {
    let Some(width) = spec.width else { return s };
    let len = s.chars().count();
    if len >= width {
        return s;
    }
    let fill = width - len;
    if spec.minus {
        format!("{s}{}", " ".repeat(fill))
    } else if spec.zero && numeric {
        let (sign, digits) = match s.strip_prefix(['-', '+']) {
            Some(rest) => (&s[..1], rest),
            None => ("", s.as_str()),
        };
        format!("{sign}{}{digits}", "0".repeat(fill))
    } else {
        format!("{}{s}", " ".repeat(fill))
    }
}

fn sign(s: String, negative: bool, spec: Spec) -> String {
    if negative {
        format!("-{s}")
    } else if spec.plus {
        format!("+{s}")
    } else if spec.space {
        format!(" {s}")
    } else {
        s
    }
}

fn format_int(i: i64, verb: char, spec: Spec) -> Option<String> {
    let neg = i < 0;
    let m = i.unsigned_abs();
    let mut digits = match verb {
        'd' | 'v' => m.to_string(),
        'b' => format!("{m:b}"),
        'o' | 'O' => format!("{m:o}"),
        'x' => format!("{m:x}"),
        'X' => format!("{m:X}"),
        'c' => return char::from_u32(i as u32).map(|c| pad(c.to_string(), spec, false)),
        'q' => return char::from_u32(i as u32).map(|c| pad(go_quote_rune(c), spec, false)),
        'U' => return Some(pad(format!("U+{:04X}", i), spec, false)),
        _ => return None,
    };
    if let Some(p) = spec.prec {
        if digits.len() < p {
            digits = format!("{}{digits}", "0".repeat(p - digits.len()));
        }
        if p == 0 && m == 0 {
            digits.clear();
        }
    }
    if spec.sharp {
        match verb {
            'b' => digits = format!("0b{digits}"),
            'o' => digits = format!("0{digits}"),
            'x' => digits = format!("0x{digits}"),
            'X' => digits = format!("0X{digits}"),
            _ => {}
        }
    }
    if verb == 'O' {
        digits = format!("0o{digits}");
    }
    let spec_zero = Spec { zero: spec.zero && spec.prec.is_none(), ..spec };
    Some(pad(sign(digits, neg, spec), spec_zero, true))
}

fn go_quote_rune(c: char) -> String {
    match c {
        '\'' => "'\\''".into(),
        '"' => "'\"'".into(),
        c => {
            let q = go_quote(&c.to_string());
            format!("'{}'", &q[1..q.len() - 1])
        }
    }
}

fn format_float(f: f64, verb: char, spec: Spec) -> Option<String> {
    let s = match verb {
        'v' | 'g' => match spec.prec {
            Some(p) => format_float_g_prec(f, p),
            None => format_float_g(f),
        },
        'G' => match spec.prec {
            Some(p) => format_float_g_prec(f, p).to_uppercase(),
            None => format_float_g(f).to_uppercase(),
        },
        'e' | 'E' | 'f' | 'F' => format_float_prec(f, verb.to_ascii_lowercase(), spec.prec.unwrap_or(6)),
        _ => return None,
    };
    let s = if verb == 'E' { s.to_uppercase() } else { s };
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s.trim_start_matches('+').to_string()),
    };
    let body = if f.is_infinite() { body.trim_start_matches('+').to_string() } else { body };
    Some(pad(sign(body, neg, spec), spec, f.is_finite()))
}

fn format_str(s: &str, verb: char, spec: Spec) -> Option<String> {
    let text = match verb {
        's' | 'v' => match spec.prec {
            Some(p) => s.chars().take(p).collect(),
            None => s.to_string(),
        },
        'q' => {
            let s: String = match spec.prec {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            if spec.sharp && !s.contains('`') {
                format!("`{s}`")
            } else {
                go_quote(&s)
            }
        }
        'x' => s.bytes().map(|b| format!("{b:02x}")).collect(),
        'X' => s.bytes().map(|b| format!("{b:02X}")).collect(),
        _ => return None,
    };
    Some(pad(text, spec, false))
}

fn format_one(arg: &Value, verb: char, spec: Spec) -> String {
    format_one_at(arg, verb, spec, 0)
}

fn format_one_at(arg: &Value, verb: char, spec: Spec, depth: usize) -> String {
    if depth > super::value::MAX_NESTING {
        return "...".into();
    }
    if verb == 'T' {
        return pad(arg.type_name(), spec, false);
    }
    let formatted = match arg {
        Value::Nil => match verb {
            'v' => Some(pad("<nil>".into(), spec, false)),
            _ => None,
        },
        Value::Bool(b) => match verb {
            't' | 'v' => Some(pad(b.to_string(), spec, false)),
            _ => None,
        },
        Value::Int(i) => format_int(*i, verb, spec),
        Value::Float(f) => format_float(*f, verb, spec),
        Value::Str(s) => format_str(s, verb, spec),
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|v| format_one_at(v, verb, Spec::default(), depth + 1)).collect();
            Some(pad(format!("[{}]", parts.join(" ")), spec, false))
        }
        Value::Map(m) => {
            let parts: Vec<String> = m
                .borrow()
                .iter()
                .map(|(k, v)| {
                    let key = format_one_at(&Value::str(k.as_str()), verb, Spec::default(), depth + 1);
                    format!("{key}:{}", format_one_at(v, verb, Spec::default(), depth + 1))
                })
                .collect();
            Some(pad(format!("map[{}]", parts.join(" ")), spec, false))
        }
        Value::Object(o) => match verb {
            'v' | 's' => Some(pad(o.display(), spec, false)),
            _ => None,
        },
    };
    formatted.unwrap_or_else(|| bad_verb(arg, verb))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::str(v)
    }

    #[test]
    fn verbs() {
        assert_eq!(sprintf("%s-%s", &[s("a"), s("b")]), "a-b");
        assert_eq!(sprintf("%d", &[Value::Float(1.5)]), "%!d(float64=1.5)");
        assert_eq!(sprintf("%s", &[Value::Nil]), "%!s(<nil>)");
        assert_eq!(sprintf("%v", &[Value::Float(1e6)]), "1e+06");
        assert_eq!(sprintf("%05.1f|%-4d|%x", &[Value::Float(3.14159), Value::Int(7), s("hi")]), "003.1|7   |6869");
        assert_eq!(sprintf("%q", &[s("a\"b")]), "\"a\\\"b\"");
        assert_eq!(sprintf("%d %d", &[Value::Int(1)]), "1 %!d(MISSING)");
        assert_eq!(sprintf("%d", &[Value::Int(1), s("x")]), "1%!(EXTRA string=x)");
        assert_eq!(sprintf("%T %T", &[Value::list(vec![]), Value::Nil]), "[]interface {} <nil>");
        assert_eq!(sprintf("%s", &[Value::list(vec![s("a"), Value::Int(1)])]), "[a %!s(int=1)]");
        assert_eq!(sprint(&[Value::Int(1), Value::Int(2), s("a"), Value::Int(3)]), "1 2a3");
    }
}
