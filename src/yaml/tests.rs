use super::*;
use serde_json::json;

#[test]
fn yaml_1_1_scalars_resolve_as_helm_reads_them() {
    let v = to_json("a: yes\nb: off\nc: 012\nd: 6.10\ne: 0x1F\nf: 1_000\ng: ~\nh: '012'\ni: 08\nj: -0b101\nk: .5\nl: 1e3\nm: 9223372036854775808\n").unwrap();
    assert_eq!(
        v,
        json!({"a": true, "b": false, "c": 10, "d": 6.1, "e": 31, "f": 1000, "g": null, "h": "012",
               "i": 8.0, "j": -5, "k": 0.5, "l": 1000.0, "m": 9223372036854775808.0})
    );
}

#[test]
fn later_duplicate_wins_and_merge_keys_apply() {
    let v = to_json("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nk: 1\nk: 2\n").unwrap();
    assert_eq!(v, json!({"base": {"x": 1, "y": 2}, "m": {"y": 3, "x": 1}, "k": 2}));
}

#[test]
fn spans_are_byte_offsets_and_positions_come_from_them() {
    let src = "é: ü\nkey:\n  inner: value\n";
    let doc = load_one(src).unwrap().unwrap();
    let inner = doc.get("key").unwrap().get("inner").unwrap();
    assert_eq!(&src[inner.span.start..inner.span.end], "value");
    assert_eq!(line_col(src, inner.span.start), (3, 10));
}

#[test]
fn alias_bomb_is_refused() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        src.push_str(&format!("a{i}: &a{i} [{}]\n", vec![format!("*a{}", i - 1); 10].join(", ")));
    }
    let err = load_all(&src).unwrap_err();
    assert!(err.message.contains("more than"), "{err}");
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    for src in ["[".repeat(10_000), "a:\n".repeat(1) + &"- ".repeat(10_000)] {
        let err = load_all(&src).unwrap_err();
        assert!(err.message.contains("deeper") || err.message.contains("syntax"), "{err}");
    }
}

#[test]
fn syntax_errors_carry_their_position() {
    let src = "a: b\n  c: d\n";
    let err = load_all(src).unwrap_err();
    assert_eq!(line_col(src, err.offset).0, 2, "{err}");
}

#[test]
fn tags_force_or_check_types() {
    assert_eq!(to_json("a: !!str 012\n").unwrap(), json!({"a": "012"}));
    assert!(to_json("a: !!int abc\n").is_err());
}

#[test]
fn empty_stream_is_null() {
    assert_eq!(to_json("").unwrap(), serde_json::Value::Null);
    assert_eq!(to_json("# only a comment\n").unwrap(), serde_json::Value::Null);
}
