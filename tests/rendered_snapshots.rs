//! The rendered chart for every example and every chart/ci scenario, one insta
//! snapshot per values file under snapshots/rendered/, so every change to the chart
//! shows its rendered effect in review. CI fails on a changed or missing snapshot.

mod support;

use support::*;

#[test]
fn rendered_chart_snapshots() {
    for file in [examples(), yaml_files("chart/ci")].concat() {
        let out = helm_template("helm4", &[&file], &[]);
        assert!(out.status.success(), "{}: {}", file.display(), text(&out.stderr));
        let dir = file.parent().unwrap().file_name().unwrap().to_str().unwrap().to_owned();
        let name = format!("{dir}__{}", file.file_stem().unwrap().to_str().unwrap());
        insta::with_settings!({snapshot_path => "../snapshots/rendered", prepend_module_to_snapshot => false, omit_expression => true, description => file.strip_prefix(root()).unwrap().display().to_string()}, {
            insta::assert_snapshot!(name, text(&out.stdout));
        });
    }
}
