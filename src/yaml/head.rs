//! A rendered manifest's `kind` and whether `metadata.annotations` holds `helm.sh/hook`,
//! read straight from the parser's events without building a tree: the renderer reads
//! every document this way (building the trees and dropping them was about 3% of a
//! render's instructions). It covers the common case only, a document whose top is a
//! map, with no anchors, aliases, tags, merge keys, complex keys or non-JSON floats; for
//! anything else, and for any error, it answers `None` and the caller loads the tree,
//! which says what is wrong exactly as before.

use super::resolve::{resolve_plain, ScalarValue};
use super::{MAX_DEPTH, MAX_NODES};
use saphyr_parser::{Event, Parser, ScalarStyle};

/// Where a collection sits, as far as the head is concerned.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Top,
    Metadata,
    Annotations,
    Other,
}

struct Frame {
    is_map: bool,
    role: Role,
    /// In a map: the key whose value comes next (`None`: a key comes next).
    key: Option<KeyName>,
    /// What this collection says about the hook: an annotations map, whether it has the
    /// key; a metadata map or the top, what its last `annotations` (`metadata`) said.
    hook: bool,
}

/// The keys the head cares about.
#[derive(Clone, Copy, PartialEq)]
enum KeyName {
    Kind,
    Metadata,
    Annotations,
    Other,
}

/// A value that has ended, scalar or collection.
enum Ended<'a> {
    Scalar { text: &'a str, plain: bool },
    Collection { hook: bool },
}

/// An ended value answers the pending key of the map it is in. Helm keeps the last of
/// duplicate keys, so each answer replaces the one before.
fn answer(stack: &mut [Frame], value: Ended, kind: &mut String) {
    let Some(parent) = stack.last_mut().filter(|p| p.is_map) else { return };
    match (parent.role, parent.key.take(), value) {
        (Role::Top, Some(KeyName::Kind), Ended::Scalar { text, plain }) => {
            let is_string = !plain || resolve_plain(text) == ScalarValue::Str;
            *kind = if is_string { text.to_owned() } else { String::new() };
        }
        (Role::Top, Some(KeyName::Kind), Ended::Collection { .. }) => kind.clear(),
        (Role::Top, Some(KeyName::Metadata), value) | (Role::Metadata, Some(KeyName::Annotations), value) => {
            parent.hook = matches!(value, Ended::Collection { hook: true });
        }
        _ => {}
    }
}

/// `(kind, is_hook)` as the tree reading would find them, or `None` (see the module).
pub fn scan_head(src: &str) -> Option<(String, bool)> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let (mut documents, mut nodes) = (0usize, 0usize);
    let (mut kind, mut hook) = (String::new(), false);
    while let Some(next) = parser.next_event() {
        let (event, _) = next.ok()?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return None;
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                nodes += 1;
                if anchor != 0 || tag.is_some() || nodes > MAX_NODES {
                    return None;
                }
                let plain = style == ScalarStyle::Plain;
                if plain && text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '.' | '+' | '-')) {
                    if let ScalarValue::Float(f) = resolve_plain(&text) {
                        if !f.is_finite() {
                            return None;
                        }
                    }
                }
                let frame = stack.last_mut()?;
                if frame.is_map && frame.key.is_none() {
                    frame.key = Some(match (frame.role, text.as_ref()) {
                        (Role::Top, "<<") => return None,
                        (Role::Top, "kind") => KeyName::Kind,
                        (Role::Top, "metadata") => KeyName::Metadata,
                        (Role::Metadata, "annotations") => KeyName::Annotations,
                        (Role::Annotations, "helm.sh/hook") => {
                            frame.hook = true;
                            KeyName::Other
                        }
                        _ => KeyName::Other,
                    });
                } else {
                    answer(&mut stack, Ended::Scalar { text: &text, plain }, &mut kind);
                }
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                nodes += 1;
                if anchor != 0 || tag.is_some() || nodes > MAX_NODES || stack.len() >= MAX_DEPTH {
                    return None;
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let role = match stack.last() {
                    None if is_map => Role::Top,
                    None => return None,
                    Some(parent) if !parent.is_map => Role::Other,
                    Some(parent) => match (parent.role, parent.key?, is_map) {
                        (Role::Top, KeyName::Metadata, true) => Role::Metadata,
                        (Role::Metadata, KeyName::Annotations, true) => Role::Annotations,
                        _ => Role::Other,
                    },
                };
                stack.push(Frame { is_map, role, key: None, hook: false });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = stack.pop()?;
                if stack.is_empty() {
                    hook = frame.hook;
                } else {
                    answer(&mut stack, Ended::Collection { hook: frame.hook }, &mut kind);
                }
            }
            Event::Alias(_) => return None,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    (documents == 1 && stack.is_empty()).then_some((kind, hook))
}
