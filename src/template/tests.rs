//! Execution of Go template features with Go's builtins, against outputs Go gives.

use super::{render_str, Map, Value};

fn data() -> Value {
    let mut m = Map::new();
    m.insert("s".into(), Value::str("str"));
    m.insert("n".into(), Value::Float(1000000.0));
    m.insert("i".into(), Value::Int(3));
    m.insert("l".into(), Value::list(vec![Value::str("a"), Value::str("b")]));
    let mut inner = Map::new();
    inner.insert("y".into(), Value::str("z"));
    inner.insert("a".into(), Value::Bool(true));
    m.insert("m".into(), Value::map(inner));
    m.insert("nil".into(), Value::Nil);
    Value::map(m)
}

fn r(src: &str) -> String {
    render_str(src, data()).unwrap_or_else(|e| panic!("{src}: {e}"))
}

fn e(src: &str) -> String {
    render_str(src, data()).unwrap_err().to_string()
}

#[test]
fn actions_and_printing() {
    assert_eq!(
        r("{{ .s }} {{ .n }} {{ .i }} {{ .l }} {{ .m }} {{ .nil }} {{ .missing }}"),
        "str 1e+06 3 [a b] map[a:true y:z] <no value> <no value>"
    );
    assert_eq!(
        r("{{ 1.5 }} {{ 1e3 }} {{ 0x10 }} {{ 'a' }} {{ \"q\" }} {{ `r` }} {{ true }}"),
        "1.5 1000 16 97 q r true"
    );
}

#[test]
fn control_flow() {
    assert_eq!(r("{{ if .s }}y{{ else }}n{{ end }}{{ if .nil }}y{{ else if .i }}i{{ end }}"), "yi");
    assert_eq!(r("{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}"), "0=a;1=b;");
    assert_eq!(r("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}"), "a=true;y=z;");
    assert_eq!(r("{{ range .nil }}x{{ else }}empty{{ end }}"), "empty");
    assert_eq!(r("{{ range 3 }}{{ . }}{{ end }}"), "012");
    assert_eq!(r("{{ range .l }}{{ if eq . \"b\" }}{{ break }}{{ end }}{{ . }}{{ end }}"), "a");
    assert_eq!(r("{{ range .l }}{{ if eq . \"a\" }}{{ continue }}{{ end }}{{ . }}{{ end }}"), "b");
    assert_eq!(r("{{ with .m }}{{ .y }}{{ end }}{{ with .nil }}x{{ else with .s }}{{ . }}{{ end }}"), "zstr");
    assert_eq!(r("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}"), "2");
    assert_eq!(
        r("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .s }}{{ block \"b\" .i }}<{{ . }}>{{ end }}"),
        "[str]<3>"
    );
}

#[test]
fn builtins() {
    assert_eq!(r("{{ and 1 0 2 }} {{ or 0 \"\" .s }} {{ and .s .i }} {{ not .nil }}"), "0 str 3 true");
    assert_eq!(r("{{ eq .s \"x\" \"str\" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ ge \"b\" \"a\" }}"), "true true true true");
    assert_eq!(r("{{ index .l 1 }} {{ index .m \"y\" }} {{ len .l }} {{ len .s }} {{ slice .l 1 }}"), "b z 2 3 [b]");
    assert_eq!(r("{{ printf \"%s=%v\" .s .n }} {{ print 1 2 \"a\" }} {{ html \"<a>\" }} {{ js \"'\" }} {{ urlquery \"a b\" }}"), "str=1e+06 1 2a &lt;a&gt; \\' a+b");
}

#[test]
fn errors_read_like_go() {
    assert_eq!(
        e("{{ .m.y.z }}"),
        "template: t:1:5: executing \"t\" at <.m.y.z>: can't evaluate field z in type interface {}"
    );
    assert_eq!(
        e("{{ .nil.x }}"),
        "template: t:1:7: executing \"t\" at <.nil.x>: nil pointer evaluating interface {}.x"
    );
    assert_eq!(
        e("{{ index .m 3 }}"),
        "template: t:1:3: executing \"t\" at <index .m 3>: error calling index: value has type int; should be string"
    );
    assert_eq!(e("{{ eq 1 \"a\" }}"), "template: t:1:3: executing \"t\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison: int and string");
    assert_eq!(
        e("{{ template \"nope\" }}"),
        "template: t:1:12: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"
    );
    assert_eq!(
        e("{{ range 1.5 }}{{ end }}"),
        "template: t:1:9: executing \"t\" at <1.5>: range can't iterate over 1.5"
    );
    assert_eq!(e("{{ len 3 }}"), "template: t:1:3: executing \"t\" at <len 3>: error calling len: len of type int");
}
