//! golden-diff's output formats: a coloured terminal report, a Markdown PR comment that
//! stays under GitHub's 65,536-character limit, and JSON for other tools.

use super::{Change, ObjectDiff, Section};

/// GitHub rejects comments longer than this.
pub const GITHUB_COMMENT_LIMIT: usize = 65_536;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    #[default]
    Terminal,
    Markdown,
    Json,
}

fn counts(sections: &[Section]) -> (usize, usize, usize) {
    let all = sections.iter().flat_map(|s| &s.objects);
    let n = |c: Change| all.clone().filter(|o| o.change == c).count();
    (n(Change::Added), n(Change::Removed), n(Change::Changed))
}

fn change_word(c: Change) -> &'static str {
    match c {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
    }
}

pub fn render(format: Format, sections: &[Section], color: bool) -> String {
    match format {
        Format::Terminal => terminal(sections, color),
        Format::Markdown => markdown(sections, GITHUB_COMMENT_LIMIT),
        Format::Json => json(sections),
    }
}

fn terminal(sections: &[Section], color: bool) -> String {
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let mut out = String::new();
    for section in sections.iter().filter(|s| !s.objects.is_empty()) {
        out.push_str(&paint("1", &format!("== {}\n", section.title)));
        for object in &section.objects {
            out.push_str(&paint("1", &format!("{} {}\n", change_word(object.change), object.key)));
            for h in &object.highlights {
                out.push_str(&paint("1;33", &format!("  ! {}: {}", h.kind.label(), h.message)));
                out.push('\n');
            }
            for line in object.diff.lines() {
                let code = match line.as_bytes().first() {
                    Some(b'+') if !line.starts_with("+++") => "32",
                    Some(b'-') if !line.starts_with("---") => "31",
                    Some(b'@') => "36",
                    _ => "0",
                };
                out.push_str(&paint(code, line));
                out.push('\n');
            }
        }
    }
    let (added, removed, changed) = counts(sections);
    if added + removed + changed == 0 {
        out.push_str("no differences\n");
    } else {
        out.push_str(&format!("{changed} changed, {added} added, {removed} removed\n"));
    }
    out
}

fn markdown_section(object: &ObjectDiff) -> String {
    let mut s = format!("<details><summary>{} <code>{}</code></summary>\n\n", change_word(object.change), object.key);
    for h in &object.highlights {
        s.push_str(&format!("- **{}**: {}\n", h.kind.label(), h.message));
    }
    // A fence longer than any backtick run in the diff.
    let fence = "`".repeat(3.max(object.diff.split(|c| c != '`').map(str::len).max().unwrap_or(0) + 1));
    s.push_str(&format!("\n{fence}diff\n{}{fence}\n\n</details>\n\n", object.diff));
    s
}

/// The Markdown comment: a summary table, then one collapsible section per object while
/// they fit in `limit` characters; the rest are listed by name only.
pub fn markdown(sections: &[Section], limit: usize) -> String {
    let (added, removed, changed) = counts(sections);
    let mut head = format!("### osmo-chart golden-diff\n\n{changed} changed, {added} added, {removed} removed\n\n");
    if added + removed + changed == 0 {
        head.push_str("The rendered objects are unchanged.\n");
        return head;
    }
    head.push_str("| values | object | change | highlights |\n|---|---|---|---|\n");
    for section in sections {
        for o in &section.objects {
            let highlights: Vec<&str> = o.highlights.iter().map(|h| h.kind.label()).collect();
            head.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                section.title,
                o.key,
                change_word(o.change),
                highlights.join(", ")
            ));
        }
    }
    head.push('\n');
    let mut body = String::new();
    let mut left_out = Vec::new();
    // Room for the note about what did not fit.
    let reserve = 2_000;
    for section in sections {
        for o in &section.objects {
            let part = markdown_section(o);
            if head.len() + body.len() + part.len() + reserve <= limit {
                body.push_str(&part);
            } else {
                left_out.push(format!("{} ({})", o.key, section.title));
            }
        }
    }
    let mut out = head + &body;
    if !left_out.is_empty() {
        let mut note = format!("**{} more objects differ but do not fit in one comment**; run `osmo-chart golden-diff` locally or read the JSON report:", left_out.len());
        for name in &left_out {
            if out.len() + note.len() + name.len() + 8 > limit {
                note.push_str(" …");
                break;
            }
            note.push_str(&format!("\n- `{name}`"));
        }
        out.push_str(&note);
        out.push('\n');
    }
    if out.len() > limit {
        // The summary table alone was too long: keep what fits.
        let mut cut = limit - 40;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        out.push_str("\n\n(truncated to fit a comment)\n");
    }
    out
}

fn json(sections: &[Section]) -> String {
    let (added, removed, changed) = counts(sections);
    let report = serde_json::json!({"sections": sections, "added": added, "removed": removed, "changed": changed});
    format!("{}\n", serde_json::to_string_pretty(&report).expect("the report serializes"))
}
