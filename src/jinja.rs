//! The Jinja2 environment OSMO's service and worker render templates in, as minijinja:
//! strict undefined variables, Jinja2's built-in filters (minijinja's own, the ones
//! minijinja-contrib carries, and `truncate` with Jinja2's positional arguments), and
//! Python's string methods (`WF_POOL.upper()`), which Jinja2 templates may call.
//! tests/jinja_agreement.rs holds it to Python's Jinja2.

use minijinja::value::Kwargs;
use minijinja::{Environment, Error, UndefinedBehavior};

/// A fresh environment set up like the service's.
pub fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    minijinja_contrib::add_to_environment(&mut env);
    env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
    env.add_filter("truncate", truncate);
    env
}

/// Jinja2's `truncate(s, length=255, killwords=False, end='...', leeway=5)`, with the
/// arguments given by position or by name (leeway by name only): a string within `length + leeway` stays; else
/// it is cut to `length - len(end)` characters (at the last space unless `killwords`)
/// and `end` is added.
fn truncate(
    s: String,
    length: Option<usize>,
    killwords: Option<bool>,
    end: Option<String>,
    kwargs: Kwargs,
) -> Result<String, Error> {
    let length = length.or(kwargs.get("length")?).unwrap_or(255);
    let killwords = killwords.or(kwargs.get("killwords")?).unwrap_or(false);
    let end = end.or(kwargs.get("end")?).unwrap_or_else(|| "...".to_owned());
    let leeway = kwargs.get::<Option<usize>>("leeway")?.unwrap_or(5);
    kwargs.assert_all_used()?;
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= length + leeway {
        return Ok(s);
    }
    let keep: String = chars[..length.saturating_sub(end.chars().count())].iter().collect();
    let cut = if killwords { keep } else { keep.rsplit_once(' ').map_or(keep.clone(), |(head, _)| head.to_owned()) };
    Ok(cut + &end)
}
