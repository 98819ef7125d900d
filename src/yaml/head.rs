//! A rendered manifest's `kind` and whether `metadata.annotations` holds `helm.sh/hook`,
//! read straight from the parser's events without building a tree: the renderer reads
//! every document this way (a tenth of a render went to building trees and dropping
//! them). It covers the common case only, a document whose top is a map, with no
//! anchors, aliases, tags, merge keys, complex keys or non-JSON floats; for anything
//! else, and for any error, it answers `None` and the caller loads the tree, which says
//! what is wrong exactly as before.

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
}

/// The keys the head cares about.
#[derive(Clone, Copy, PartialEq)]
enum KeyName {
    Kind,
    Metadata,
    Annotations,
    Other,
}

/// `(kind, is_hook)` as the tree reading would find them, or `None` (see the module).
pub fn scan_head(src: &str) -> Option<(String, bool)> {
    let mut parser = Parser::new_from_str(src);
    let mut stack: Vec<Frame> = Vec::new();
    let (mut documents, mut nodes) = (0usize, 0usize);
    let mut kind = String::new();
    // Helm keeps the last of duplicate keys: each `metadata` (and `annotations`) value
    // decides anew.
    let (mut hook_in_metadata, mut hook_in_annotations, mut hook) = (false, false, false);
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
                if !frame.is_map {
                    continue;
                }
                match frame.key.take() {
                    None => {
                        frame.key = Some(match (frame.role, text.as_ref()) {
                            (Role::Top, "<<") => return None,
                            (Role::Top, "kind") => KeyName::Kind,
                            (Role::Top, "metadata") => KeyName::Metadata,
                            (Role::Metadata, "annotations") => KeyName::Annotations,
                            (Role::Annotations, "helm.sh/hook") => {
                                hook_in_annotations = true;
                                KeyName::Other
                            }
                            _ => KeyName::Other,
                        })
                    }
                    Some(key) => match (frame.role, key) {
                        (Role::Top, KeyName::Kind) => {
                            let is_string = !plain || resolve_plain(&text) == ScalarValue::Str;
                            kind = if is_string { text.into_owned() } else { String::new() };
                        }
                        (Role::Top, KeyName::Metadata) => hook = false,
                        (Role::Metadata, KeyName::Annotations) => hook_in_metadata = false,
                        _ => {}
                    },
                }
            }
            Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                nodes += 1;
                if anchor != 0 || tag.is_some() || nodes > MAX_NODES || stack.len() >= MAX_DEPTH {
                    return None;
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let role = match stack.last_mut() {
                    None if is_map => Role::Top,
                    None => return None,
                    Some(parent) if !parent.is_map => Role::Other,
                    Some(parent) => match parent.key {
                        None => return None, // a complex key
                        Some(key) => match (parent.role, key, is_map) {
                            (Role::Top, KeyName::Kind, _) => {
                                kind.clear();
                                Role::Other
                            }
                            (Role::Top, KeyName::Metadata, true) => {
                                hook_in_metadata = false;
                                Role::Metadata
                            }
                            (Role::Top, KeyName::Metadata, false) => {
                                hook = false;
                                Role::Other
                            }
                            (Role::Metadata, KeyName::Annotations, true) => {
                                hook_in_annotations = false;
                                Role::Annotations
                            }
                            (Role::Metadata, KeyName::Annotations, false) => {
                                hook_in_metadata = false;
                                Role::Other
                            }
                            _ => Role::Other,
                        },
                    },
                };
                stack.push(Frame { is_map, role, key: None });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let frame = stack.pop()?;
                match frame.role {
                    Role::Annotations => hook_in_metadata = hook_in_annotations,
                    Role::Metadata => hook = hook_in_metadata,
                    _ => {}
                }
                if let Some(parent) = stack.last_mut() {
                    if parent.is_map {
                        parent.key.take()?;
                    }
                }
            }
            Event::Alias(_) => return None,
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    (documents == 1 && stack.is_empty()).then_some((kind, hook))
}
