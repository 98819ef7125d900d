//! The executor: walks a parse tree with a dot and variables, as Go's text/template
//! does. One `walk` match dispatches every node kind; the evaluation of pipelines,
//! commands, fields and calls follows Go's rules (and its error messages).

use super::ast::{Arg, Branch, Command, List, Node, Number, Pipe, Tree};
use super::error::Error;
use super::value::{format_v, Value};
use super::{FnError, Func, FuncTable, Templates, Ty};
use std::fmt::Display;
use std::rc::Rc;

/// Bounds on one execution, so that no template runs away.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes written, all outputs (includes too) counted.
    pub max_output: usize,
    /// Most loop iterations and template calls.
    pub max_steps: u64,
    /// Deepest nesting of template calls (`template`, `include`, `tpl`).
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_output: 256 << 20, max_steps: 1_000_000, max_depth: 5_000 }
    }
}

/// What a walk ended with: normally, or at `{{break}}`/`{{continue}}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

type R<T> = Result<T, Error>;

/// The state of one execution.
pub struct Exec<'a> {
    pub templates: &'a Templates,
    pub funcs: &'a FuncTable,
    pub limits: Limits,
    written: usize,
    steps: u64,
    depth: usize,
    /// The template being executed.
    tree: Option<Rc<Tree>>,
    vars: Vec<(String, Value)>,
    /// How deep each name is being `include`d (Helm's recursion guard).
    pub include_counts: super::NameMap<String, usize>,
    /// Data a function table keeps for one render (Helm's render context).
    pub host: Option<Rc<dyn std::any::Any>>,
    /// Whether `range` iterates over integers (Go 1.22 and later; Helm 4).
    pub range_over_int: bool,
}

impl<'a> Exec<'a> {
    pub fn new(templates: &'a Templates, funcs: &'a FuncTable, limits: Limits) -> Exec<'a> {
        Exec {
            templates,
            funcs,
            limits,
            written: 0,
            steps: 0,
            depth: 0,
            tree: None,
            vars: Vec::new(),
            include_counts: Default::default(),
            host: None,
            range_over_int: true,
        }
    }

    /// How deep template calls are nested now.
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// Go's `ExecuteTemplate`: runs the template `name` with `data` as dot.
    pub fn execute(&mut self, name: &str, data: Value) -> R<String> {
        let Some(tree) = self.templates.get(name) else {
            return Err(Error {
                kind: super::ErrorKind::Exec,
                file: name.into(),
                line: 0,
                col: 0,
                template: name.into(),
                context: String::new(),
                message: format!("no template {} associated with template", super::value::go_quote(name)),
                cause: None,
                user_message: None,
            });
        };
        let mut out = String::new();
        let saved_tree = self.tree.replace(tree.clone());
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), data.clone())]);
        self.depth += 1;
        let result = if self.depth > self.limits.max_depth {
            Err(self.error(0, &"", format!("exceeded maximum template depth ({})", self.limits.max_depth)))
        } else {
            self.walk_list(&data, &tree.root, &mut out).map(|_| ())
        };
        self.depth -= 1;
        self.tree = saved_tree;
        self.vars = saved_vars;
        result.map(|_| out)
    }

    /// An execution error at `pos` of the current template, about node `context`.
    fn error(&self, pos: usize, context: &dyn Display, message: String) -> Error {
        match &self.tree {
            Some(t) => Error::exec(&t.file, &t.src, pos, &t.name, &context.to_string(), message),
            None => Error::exec("", "", 0, "", &context.to_string(), message),
        }
    }

    fn write(&mut self, out: &mut String, text: &str, pos: usize) -> R<()> {
        self.written += text.len();
        if self.written > self.limits.max_output {
            return Err(self.error(pos, &"", format!("output exceeds {} bytes", self.limits.max_output)));
        }
        out.push_str(text);
        Ok(())
    }

    fn step(&mut self, pos: usize) -> R<()> {
        self.steps += 1;
        if self.steps > self.limits.max_steps {
            return Err(self.error(pos, &"", format!("more than {} loop iterations", self.limits.max_steps)));
        }
        Ok(())
    }

    fn walk_list(&mut self, dot: &Value, list: &List, out: &mut String) -> R<Flow> {
        for node in &list.nodes {
            let flow = self.walk(dot, node, out)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &Value, node: &Node, out: &mut String) -> R<Flow> {
        match node {
            Node::Text { pos, text } => self.write(out, text, *pos)?,
            Node::Action { pos, pipe } => {
                let val = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    let text = match &val {
                        Value::Nil => "<no value>".to_string(),
                        v => format_v(v),
                    };
                    self.write(out, &text, *pos)?;
                }
            }
            Node::If(b) => return self.walk_if_or_with(dot, b, false, out),
            Node::With(b) => return self.walk_if_or_with(dot, b, true, out),
            Node::Range(b) => return self.walk_range(dot, b, out),
            Node::Template { pos, name, pipe } => self.walk_template(dot, *pos, node, name, pipe.as_ref(), out)?,
            Node::Break { .. } => return Ok(Flow::Break),
            Node::Continue { .. } => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn walk_if_or_with(&mut self, dot: &Value, b: &Branch, with: bool, out: &mut String) -> R<Flow> {
        let mark = self.vars.len();
        let result = (|| {
            let val = self.eval_pipeline(dot, &b.pipe)?;
            if val.truthy() {
                if with {
                    self.walk_list(&val, &b.list, out)
                } else {
                    self.walk_list(dot, &b.list, out)
                }
            } else if let Some(else_list) = &b.else_list {
                self.walk_list(dot, else_list, out)
            } else {
                Ok(Flow::Normal)
            }
        })();
        self.vars.truncate(mark);
        result
    }

    fn walk_range(&mut self, dot: &Value, b: &Branch, out: &mut String) -> R<Flow> {
        let mark = self.vars.len();
        let result = self.walk_range_inner(dot, b, out);
        self.vars.truncate(mark);
        result.map(|_| Flow::Normal)
    }

    fn walk_range_inner(&mut self, dot: &Value, b: &Branch, out: &mut String) -> R<()> {
        let val = self.eval_pipeline(dot, &b.pipe)?;
        let body_mark = self.vars.len();
        let ndecl = b.pipe.decl.len();
        let items: Vec<(Value, Value)> = match &val {
            Value::List(items) => items.iter().enumerate().map(|(i, v)| (Value::Int(i as i64), v.clone())).collect(),
            Value::Map(m) => m.borrow().iter().map(|(k, v)| (Value::str(k.as_str()), v.clone())).collect(),
            Value::Nil => Vec::new(),
            Value::Int(n) if self.range_over_int => {
                if ndecl > 1 {
                    return Err(self.error(
                        b.pos,
                        &b.pipe,
                        format!("can't use {n} to iterate over more than one variable"),
                    ));
                }
                if *n > 0 && (*n as u64) > self.limits.max_steps {
                    return Err(self.error(
                        b.pos,
                        &b.pipe,
                        format!("more than {} loop iterations", self.limits.max_steps),
                    ));
                }
                (0..(*n).max(0)).map(|i| (Value::Int(i), Value::Int(i))).collect()
            }
            other => {
                // Go reports the node it evaluated last: the operand of a one-word
                // command, else the command.
                let (pos, context) = match b.pipe.cmds.last() {
                    Some(c) if c.args.len() == 1 => (c.args[0].pos(), c.args[0].to_string()),
                    Some(c) => (c.pos, c.to_string()),
                    None => (b.pos, String::new()),
                };
                return Err(self.error(pos, &context, format!("range can't iterate over {}", format_v(other))));
            }
        };
        if items.is_empty() {
            if let Some(else_list) = &b.else_list {
                self.walk_list(dot, else_list, out)?;
            }
            return Ok(());
        }
        for (index, elem) in items {
            self.step(b.pos)?;
            if ndecl > 0 {
                if b.pipe.is_assign {
                    let target = if ndecl > 1 { index.clone() } else { elem.clone() };
                    self.set_var(&b.pipe.decl[0], target, b.pos)?;
                } else {
                    let n = self.vars.len();
                    self.vars[n - 1].1 = elem.clone();
                }
            }
            if ndecl > 1 {
                if b.pipe.is_assign {
                    self.set_var(&b.pipe.decl[1], elem.clone(), b.pos)?;
                } else {
                    let n = self.vars.len();
                    self.vars[n - 2].1 = index.clone();
                }
            }
            let flow = self.walk_list(&elem, &b.list, out);
            self.vars.truncate(body_mark);
            match flow? {
                Flow::Break => break,
                Flow::Continue | Flow::Normal => {}
            }
        }
        Ok(())
    }

    fn walk_template(
        &mut self,
        dot: &Value,
        pos: usize,
        node: &Node,
        name: &str,
        pipe: Option<&Pipe>,
        out: &mut String,
    ) -> R<()> {
        let Some(tree) = self.templates.get(name) else {
            return Err(self.error(pos, node, format!("template {} not defined", super::value::go_quote(name))));
        };
        if self.depth >= self.limits.max_depth {
            return Err(self.error(pos, node, format!("exceeded maximum template depth ({})", self.limits.max_depth)));
        }
        self.step(pos)?;
        let new_dot = match pipe {
            Some(p) => self.eval_pipeline(dot, p)?,
            None => Value::Nil,
        };
        let saved_tree = self.tree.replace(tree.clone());
        let saved_vars = std::mem::replace(&mut self.vars, vec![("$".into(), new_dot.clone())]);
        self.depth += 1;
        let result = self.walk_list(&new_dot, &tree.root, out);
        self.depth -= 1;
        self.tree = saved_tree;
        self.vars = saved_vars;
        result.map(|_| ())
    }

    fn set_var(&mut self, name: &str, value: Value, pos: usize) -> R<()> {
        for (n, v) in self.vars.iter_mut().rev() {
            if n == name {
                *v = value;
                return Ok(());
            }
        }
        Err(self.error(pos, &name, format!("undefined variable: {name}")))
    }

    fn var_value(&self, name: &str, pos: usize) -> R<Value> {
        for (n, v) in self.vars.iter().rev() {
            if n == name {
                return Ok(v.clone());
            }
        }
        Err(self.error(pos, &name, format!("undefined variable: {name}")))
    }

    pub(crate) fn eval_pipeline(&mut self, dot: &Value, pipe: &Pipe) -> R<Value> {
        let mut value: Option<Value> = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(Value::Nil);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(var, value.clone(), pipe.pos)?;
            } else {
                self.vars.push((var.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn not_a_function(&self, cmd: &Command, final_: &Option<Value>) -> R<()> {
        if cmd.args.len() > 1 || final_.is_some() {
            let first = &cmd.args[0];
            return Err(self.error(first.pos(), first, format!("can't give argument to non-function {first}")));
        }
        Ok(())
    }

    fn eval_command(&mut self, dot: &Value, cmd: &Command, final_: Option<Value>) -> R<Value> {
        let first = &cmd.args[0];
        match first {
            Arg::Field { pos, idents } => {
                return self.eval_field_chain(dot, dot.clone(), false, idents, first, *pos, &cmd.args, final_)
            }
            Arg::Chain { pos, node, fields } => {
                let receiver = self.eval_chain_receiver(dot, first, node)?;
                return self.eval_field_chain(dot, receiver, false, fields, first, *pos, &cmd.args, final_);
            }
            Arg::Identifier { pos, name } => return self.eval_function(dot, *pos, name, cmd, &cmd.args, final_),
            Arg::Pipe(p) => {
                self.not_a_function(cmd, &final_)?;
                return self.eval_pipeline(dot, p);
            }
            Arg::Variable { pos, idents } => {
                let value = self.var_value(&idents[0], *pos)?;
                if idents.len() == 1 {
                    self.not_a_function(cmd, &final_)?;
                    return Ok(value);
                }
                return self.eval_field_chain(dot, value, false, &idents[1..], first, *pos, &cmd.args, final_);
            }
            _ => {}
        }
        self.not_a_function(cmd, &final_)?;
        match first {
            Arg::Bool { val, .. } => Ok(Value::Bool(*val)),
            Arg::Dot { .. } => Ok(dot.clone()),
            Arg::Nil { pos } => Err(self.error(*pos, first, "nil is not a command".into())),
            Arg::Number { pos, num } => self.ideal_constant(*pos, num),
            Arg::String { text, .. } => Ok(Value::Str(text.clone())),
            _ => Err(self.error(first.pos(), first, format!("can't evaluate command {}", first))),
        }
    }

    fn eval_chain_receiver(&mut self, dot: &Value, chain: &Arg, node: &Arg) -> R<Value> {
        if let Arg::Nil { .. } = node {
            return Err(self.error(chain.pos(), chain, format!("indirection through explicit nil in {chain}")));
        }
        self.eval_arg(dot, Ty::Any, node)
    }

    fn ideal_constant(&self, pos: usize, num: &Number) -> R<Value> {
        let n = Arg::Number { pos, num: num.clone() };
        if num.is_complex {
            return Err(self.error(pos, &n, format!("complex constant {} is not supported", num.text)));
        }
        let text = num.text.to_ascii_lowercase();
        let is_hex = text.trim_start_matches(['+', '-']).starts_with("0x");
        if num.float.is_some() && !is_hex && !text.starts_with('\'') && text.contains(['.', 'e', 'p']) {
            return Ok(Value::Float(num.float.unwrap_or(0.0)));
        }
        if let Some(i) = num.int {
            return Ok(Value::Int(i));
        }
        Err(self.error(pos, &n, format!("{} overflows int", num.text)))
    }

    /// Evaluates `.a.b.c` on `receiver`. `iface` says the receiver came out of a map
    /// (Go's `interface {}`), which changes what a nil means.
    #[allow(clippy::too_many_arguments)]
    fn eval_field_chain(
        &mut self,
        dot: &Value,
        mut receiver: Value,
        mut iface: bool,
        idents: &[String],
        node: &Arg,
        pos: usize,
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let n = idents.len();
        for ident in &idents[..n - 1] {
            let (v, i) = self.eval_field(dot, ident, node, pos, &[], None, receiver, iface)?;
            receiver = v;
            iface = i;
        }
        self.eval_field(dot, &idents[n - 1], node, pos, args, final_, receiver, iface).map(|(v, _)| v)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_field(
        &mut self,
        dot: &Value,
        name: &str,
        node: &Arg,
        pos: usize,
        args: &[Arg],
        final_: Option<Value>,
        receiver: Value,
        iface: bool,
    ) -> R<(Value, bool)> {
        let has_args = args.len() > 1 || final_.is_some();
        match &receiver {
            Value::Nil => {
                if iface {
                    return Err(self.error(pos, node, format!("nil pointer evaluating interface {{}}.{name}")));
                }
                Ok((Value::Nil, false))
            }
            Value::Object(obj) => {
                if obj.has_method(name) {
                    let mut argv = Vec::new();
                    for a in args.iter().skip(1) {
                        argv.push(self.eval_arg(dot, Ty::Any, a)?);
                    }
                    if let Some(f) = final_ {
                        argv.push(f);
                    }
                    return match obj.call(name, &argv) {
                        Some(Ok(v)) => Ok((v, false)),
                        Some(Err(e)) => Err(self.error(pos, node, format!("error calling {name}: {e}"))),
                        None => Err(self.error(
                            pos,
                            node,
                            format!("can't evaluate field {name} in type {}", obj.type_name()),
                        )),
                    };
                }
                match obj.field(name) {
                    Some(v) => {
                        if has_args {
                            return Err(self.error(
                                pos,
                                node,
                                format!("{name} has arguments but cannot be invoked as function"),
                            ));
                        }
                        Ok((v, false))
                    }
                    None => {
                        Err(self.error(pos, node, format!("can't evaluate field {name} in type {}", obj.type_name())))
                    }
                }
            }
            Value::Map(m) => {
                if has_args {
                    return Err(self.error(pos, node, format!("{name} is not a method but has arguments")));
                }
                let v = m.borrow().get(name).cloned().unwrap_or(Value::Nil);
                Ok((v, true))
            }
            other => {
                let ty = if iface { "interface {}".to_string() } else { other.type_name() };
                Err(self.error(pos, node, format!("can't evaluate field {name} in type {ty}")))
            }
        }
    }

    fn eval_function(
        &mut self,
        dot: &Value,
        pos: usize,
        name: &str,
        cmd_node: &dyn Display,
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let Some(func) = self.funcs.get(name) else {
            return Err(self.error(pos, &name, format!("{} is not a defined function", super::value::go_quote(name))));
        };
        self.eval_call(dot, func, pos, name, cmd_node, args, final_)
    }

    #[allow(clippy::too_many_arguments)]
    fn eval_call(
        &mut self,
        dot: &Value,
        func: &'static Func,
        pos: usize,
        name: &str,
        cmd_node: &dyn Display,
        args: &[Arg],
        final_: Option<Value>,
    ) -> R<Value> {
        let args = if args.is_empty() { args } else { &args[1..] };
        let num_in = args.len() + usize::from(final_.is_some());
        let num_fixed = func.params.len();
        if func.variadic.is_some() {
            if num_in < num_fixed {
                return Err(self.error(
                    pos,
                    &name,
                    format!("wrong number of args for {name}: want at least {num_fixed} got {}", args.len()),
                ));
            }
        } else if num_in != num_fixed {
            return Err(self.error(
                pos,
                &name,
                format!("wrong number of args for {name}: want {num_fixed} got {num_in}"),
            ));
        }
        // `and` and `or` stop at the argument that decides, and return it.
        if func.name == "and" || func.name == "or" {
            let want = name == "or";
            let mut v = Value::Nil;
            for a in args {
                v = self.eval_arg(dot, Ty::Any, a)?;
                if v.truthy() == want {
                    return Ok(v);
                }
            }
            if let Some(f) = final_ {
                v = f;
            }
            return Ok(v);
        }
        let mut argv = Vec::with_capacity(num_in);
        for (i, a) in args.iter().enumerate() {
            let ty = if i < num_fixed { func.params[i] } else { func.variadic.unwrap_or(Ty::Any) };
            argv.push(self.eval_arg(dot, ty, a)?);
        }
        if let Some(f) = final_ {
            let ty = if num_in - 1 < num_fixed { func.params[num_in - 1] } else { func.variadic.unwrap_or(Ty::Any) };
            let v = self.validate(f, ty, false).map_err(|m| self.error(pos, &name, m))?;
            argv.push(v);
        }
        match (func.call)(self, argv) {
            Ok(Value::Str(s)) if s.len() > self.limits.max_output => Err(self.error(
                pos,
                cmd_node,
                format!("error calling {name}: result exceeds {} bytes", self.limits.max_output),
            )),
            Ok(v) => Ok(v),
            Err(e) => {
                let cmd_pos = pos;
                let mut err = self.error(cmd_pos, cmd_node, format!("error calling {name}"));
                match e {
                    FnError::Msg(m) => err.message = format!("error calling {name}: {m}"),
                    FnError::User(m) => {
                        err.message = format!("error calling {name}: {m}");
                        err.user_message = Some(m);
                    }
                    FnError::Template(context, inner) => {
                        if let Some(c) = context {
                            err.message = format!("error calling {name}: {c}");
                        }
                        err.cause = Some(inner);
                    }
                }
                Err(err)
            }
        }
    }

    /// Go's `validateType`: is `value` acceptable as a `ty` parameter? `iface` marks a
    /// value read out of a map, which Go sees as a (possibly nil) `interface {}`.
    fn validate(&self, value: Value, ty: Ty, iface: bool) -> Result<Value, String> {
        let ok = match (&value, ty) {
            (_, Ty::Any) => true,
            (Value::Nil, t) if t.nilable() => true,
            (_, t) if iface && t != Ty::Time && !matches!(value, Value::Nil) && !self.fits(&value, t) => {
                return Err(format!("wrong type for value; expected {}; got interface {{}}", t.go_name()))
            }
            (Value::Nil, t) => {
                return Err(if iface {
                    format!("wrong type for value; expected {}; got interface {{}}", t.go_name())
                } else {
                    format!("invalid value; expected {}", t.go_name())
                })
            }
            (Value::Str(_), Ty::Str) => true,
            (Value::Int(_), Ty::Int | Ty::Int64) => true,
            (Value::Float(_), Ty::Float) => true,
            (Value::Bool(_), Ty::Bool) => true,
            (Value::List(_), Ty::List) => true,
            (Value::Map(_), Ty::Map) => true,
            (Value::Object(o), Ty::Time) => o.type_name() == "time.Time",
            _ => false,
        };
        if ok {
            Ok(value)
        } else {
            Err(format!("wrong type for value; expected {}; got {}", ty.go_name(), value.type_name()))
        }
    }

    fn fits(&self, value: &Value, ty: Ty) -> bool {
        matches!(
            (value, ty),
            (_, Ty::Any)
                | (Value::Str(_), Ty::Str)
                | (Value::Int(_), Ty::Int | Ty::Int64)
                | (Value::Float(_), Ty::Float)
                | (Value::Bool(_), Ty::Bool)
                | (Value::List(_) | Value::Nil, Ty::List)
                | (Value::Map(_) | Value::Nil, Ty::Map)
        ) || matches!((value, ty), (Value::Object(o), Ty::Time) if o.type_name() == "time.Time")
    }

    fn eval_arg(&mut self, dot: &Value, ty: Ty, arg: &Arg) -> R<Value> {
        let pos = arg.pos();
        let (value, iface) = match arg {
            Arg::Dot { .. } => (dot.clone(), false),
            Arg::Nil { .. } => {
                if ty.nilable() {
                    return Ok(Value::Nil);
                }
                return Err(self.error(pos, arg, format!("cannot assign nil to {}", ty.go_name())));
            }
            Arg::Field { idents, .. } => {
                (self.eval_field_chain(dot, dot.clone(), false, idents, arg, pos, &[], None)?, true)
            }
            Arg::Variable { idents, .. } => {
                let v = self.var_value(&idents[0], pos)?;
                if idents.len() == 1 {
                    (v, false)
                } else {
                    (self.eval_field_chain(dot, v, false, &idents[1..], arg, pos, &[], None)?, true)
                }
            }
            Arg::Pipe(p) => (self.eval_pipeline(dot, p)?, false),
            Arg::Identifier { name, .. } => (self.eval_function(dot, pos, name, arg, &[], None)?, false),
            Arg::Chain { node, fields, .. } => {
                let receiver = self.eval_chain_receiver(dot, arg, node)?;
                (self.eval_field_chain(dot, receiver, false, fields, arg, pos, &[], None)?, true)
            }
            Arg::Bool { val, .. } => match ty {
                Ty::Bool | Ty::Any => return Ok(Value::Bool(*val)),
                _ => return Err(self.literal_mismatch(ty, arg)),
            },
            Arg::Number { num, .. } => match ty {
                Ty::Any => return self.ideal_constant(pos, num),
                Ty::Int | Ty::Int64 => match num.int {
                    Some(i) if !num.text.contains(['.', 'e', 'E']) || num.text.starts_with("0x") => {
                        return Ok(Value::Int(i))
                    }
                    Some(i) if num.float == Some(i as f64) => return Ok(Value::Int(i)),
                    _ => return Err(self.error(pos, arg, format!("expected integer; found {arg}"))),
                },
                Ty::Float => match num.float {
                    Some(f) => return Ok(Value::Float(f)),
                    None => return Err(self.error(pos, arg, format!("expected float; found {arg}"))),
                },
                _ => return Err(self.literal_mismatch(ty, arg)),
            },
            Arg::String { text, .. } => match ty {
                Ty::Str | Ty::Any => return Ok(Value::Str(text.clone())),
                _ => return Err(self.literal_mismatch(ty, arg)),
            },
        };
        self.validate(value, ty, iface).map_err(|m| self.error(pos, arg, m))
    }

    fn literal_mismatch(&self, ty: Ty, arg: &Arg) -> Error {
        let message = match ty {
            Ty::Bool => format!("expected bool; found {arg}"),
            Ty::Int | Ty::Int64 => format!("expected integer; found {arg}"),
            Ty::Float => format!("expected float; found {arg}"),
            Ty::Str => format!("expected string; found {arg}"),
            _ => format!("can't handle {arg} for arg of type {}", ty.go_name()),
        };
        self.error(arg.pos(), arg, message)
    }
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::exec("", "", 0, "", "", message)
    }
}
