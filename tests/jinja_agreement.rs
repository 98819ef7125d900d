//! minijinja, which rbac-lint and check use to fill templates, against real Python
//! Jinja2 set up as OSMO sets it up (sandboxed, strict undefined): the same output for
//! the expressions group templates and the test-runner template use, and a failure in
//! both where a variable is undefined.

mod support;

use osmo_chart::rbac::jinja::{sample_variables, Renderer};
use support::*;

/// Expressions seen in group templates and the chart's CronJob template, and the
/// filters Jinja2 users reach for.
const CASES: &[&str] = &[
    "{{ WF_GROUP_UUID }}-compute-domain",
    "cd-{{ WF_GROUP_UUID[:8] }}",
    "{{ WF_POOL | upper }}",
    "{{ WF_POOL | default(\"cpu\") }}",
    "{{ timezone | default(\"UTC\") }}",
    "{{ WF_ID ~ '-' ~ WF_GROUP_NAME }}",
    "{% if WF_PRIORITY == 'HIGH' %}urgent{% else %}normal{% endif %}",
    "{{ WF_GROUP_NAME | replace('er', 'ER') }}",
    "{{ WF_GROUP_NAME | length }}",
    "{{ '%s-%s' | format(WF_POOL, WF_ID) }}",
    "{{ ' padded ' | trim | title }}",
    "{{ [WF_POOL, WF_ID] | join(',') }}",
    "{{ WF_SUBMITTED_BY | lower }}@corp",
    "{{ WF_GROUP_NAME if WF_GROUP_NAME else 'none' }}",
    "{{ WF_TASK_NAME }}",
    "{{ WF_TASK_NAME | upper }}",
    "{% for x in [1, 2, 3] %}{{ x }}{% endfor %}",
    "{{ WF_GROUP_UUID | truncate(9, killwords=True, end='') }}",
    "{{ WF_GROUP_UUID | truncate(9, True, '') }}",
    "{{ 'a long group name with words' | truncate(12) }}",
    "{{ 'short' | truncate(3) }}",
    "{{ WF_POOL.upper() }}-{{ WF_GROUP_NAME.replace('er', '') }}",
    "{{ WF_ID.split('-') | first }}",
];

#[test]
fn minijinja_fills_templates_as_python_jinja2_does() {
    let renderer = Renderer::new();
    let vars = sample_variables("a100", 0);
    let json = serde_json::to_value(&vars).unwrap();
    let mut differences = Vec::new();
    for case in CASES {
        let ours = renderer.render_str(case, &vars).map_err(|e| format!("{e:?}"));
        let theirs = python_jinja(case, &json);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) if a == b => {}
            (Err(_), Err(_)) => {}
            _ => differences.push(format!("{case}: minijinja {ours:?}, Jinja2 {theirs:?}")),
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
