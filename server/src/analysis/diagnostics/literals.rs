//! Shared by the config-table rules: the API calls of a document (resolved on tokens, in their
//! own call style only) and a walk of their literal arguments against the parameter types,
//! following the runtime's `check_value` rules (`runtime/src/definition/validate.rs`) so the
//! editor and the runtime agree on what is wrong and say it the same way.

use llmspell_runtime::definition::{Field, Param, TypeDef, TypeExpr, TypeKind};

use crate::analysis::TextRange;
pub use crate::analysis::literal::ApiCall;
use crate::analysis::literal::{Key, Lit, TableLit, TableOrigin};
pub use crate::analysis::lua::facts::api_calls as lua_api_calls;
use crate::analysis::lua::types::def;

/// What the walk finds.
pub enum Event<'a> {
    /// A table constructor where a table type with fields is expected.
    Table {
        path: &'a str,
        ty: &'static TypeDef,
        lit: &'a TableLit,
    },
    /// A literal of the right kind.
    Value {
        path: &'a str,
        lit: &'a Lit,
        range: TextRange,
        /// The field it is the value of.
        field: Option<&'static Field>,
        /// The list-typed field it is an item of.
        item_of: Option<&'static Field>,
        /// The table type holding `field` or `item_of`.
        table: Option<&'static TypeDef>,
        /// The parameter it is, for a whole argument.
        param: Option<&'static Param>,
    },
    /// A literal of the wrong kind (`what` is how messages name the place).
    Mismatch {
        what: String,
        expected: &'static TypeExpr,
        lit: &'a Lit,
        range: TextRange,
    },
}

/// Walks every literal argument of every API call.
pub fn visit(calls: &[ApiCall], mut f: impl FnMut(&ApiCall, Event)) {
    for call in calls {
        for (arg, param) in call.fact.args.iter().zip(&call.member.params) {
            if param.variadic {
                break;
            }
            let mut on = |e: Event| f(call, e);
            let ctx = Place {
                path: "",
                field: None,
                item_of: None,
                table: None,
                param: Some(param),
            };
            walk(&param.ty, &arg.lit, arg.range, &ctx, &mut on);
        }
    }
}

struct Place<'a> {
    path: &'a str,
    field: Option<&'static Field>,
    item_of: Option<&'static Field>,
    table: Option<&'static TypeDef>,
    param: Option<&'static Param>,
}

fn walk(ty: &'static TypeExpr, lit: &Lit, range: TextRange, at: &Place, f: &mut dyn FnMut(Event)) {
    match matches(ty, lit) {
        None => return,
        Some(false) => {
            // A whole argument is only checked by the runtime when its type names a table
            // type (config, spec, input); scalars may be coerced by the engine.
            if at.param.is_some() && !mentions_named(ty) {
                return;
            }
            f(Event::Mismatch {
                what: describe(at),
                expected: ty,
                lit,
                range,
            });
            return;
        }
        Some(true) => {}
    }
    f(Event::Value {
        path: at.path,
        lit,
        range,
        field: at.field,
        item_of: at.item_of,
        table: at.table,
        param: at.param,
    });
    let Lit::Table(table) = lit else { return };
    // The first alternative of the right kind decides, as in the runtime.
    let chosen = match ty {
        TypeExpr::Union(items) => match items.iter().find(|t| matches(t, lit) == Some(true)) {
            Some(t) => t,
            None => return,
        },
        t => t,
    };
    match chosen {
        TypeExpr::List(inner) => {
            let mut i = 0;
            for e in &table.entries {
                if matches!(e.key, Key::Positional) {
                    i += 1;
                    let path = format!("{}[{i}]", at.path);
                    let place = Place {
                        path: &path,
                        field: None,
                        item_of: at.field,
                        table: at.table,
                        param: None,
                    };
                    walk(inner, &e.value, e.value_range, &place, f);
                }
            }
        }
        TypeExpr::Map(inner) => {
            for e in &table.entries {
                if let Key::Name { name, .. } = &e.key {
                    let path = join(at.path, name);
                    let place = Place {
                        path: &path,
                        field: None,
                        item_of: None,
                        table: None,
                        param: None,
                    };
                    walk(inner, &e.value, e.value_range, &place, f);
                }
            }
        }
        TypeExpr::Named(name) => {
            let Some(td) = def().type_def(name) else {
                return;
            };
            if td.kind != TypeKind::Table || td.fields.is_empty() {
                return;
            }
            f(Event::Table {
                path: at.path,
                ty: td,
                lit: table,
            });
            for e in &table.entries {
                if let Key::Name { name, .. } = &e.key
                    && let Some(field) = td.field(name)
                {
                    let path = join(at.path, name);
                    let place = Place {
                        path: &path,
                        field: Some(field),
                        item_of: None,
                        table: Some(td),
                        param: None,
                    };
                    walk(&field.ty, &e.value, e.value_range, &place, f);
                }
            }
        }
        _ => {}
    }
}

/// The runtime's path syntax: `steps[2].tool`.
pub fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// How the runtime names a place: `field 'steps[1].tool'`, or the parameter's name for a
/// whole argument (`config must be ...`).
fn describe(at: &Place) -> String {
    match (at.path.is_empty(), at.param) {
        (true, Some(p)) => p.name.clone(),
        (true, None) => "value".to_owned(),
        (false, _) => format!("field '{}'", at.path),
    }
}

fn mentions_named(ty: &TypeExpr) -> bool {
    let mut names = Vec::new();
    ty.named_types(&mut names);
    !names.is_empty()
}

/// The runtime's name for the value a literal becomes (`ScriptValue::type_name`).
pub fn kind_name(lit: &Lit) -> &'static str {
    match lit {
        Lit::Nil => "nil",
        Lit::Bool => "boolean",
        Lit::Integer(_) => "integer",
        Lit::Float(_) => "number",
        Lit::String(_) => "string",
        Lit::Table(t) if t.origin == TableOrigin::JsArray => "list",
        Lit::Table(t) if t.is_list() && !t.entries.is_empty() => "list",
        Lit::Table(_) => "table",
        Lit::Function => "function",
        Lit::Other => "value",
    }
}

/// A literal's number value, as the runtime's `as_f64`.
pub fn number(lit: &Lit) -> Option<f64> {
    match lit {
        Lit::Integer(i) => Some(*i as f64),
        Lit::Float(f) => Some(*f),
        _ => None,
    }
}

/// Whether a literal has the right kind for `ty` without looking inside tables (the runtime's
/// `matches_shallow`); `None` when that cannot be known (a computed value, a table whose shape
/// depends on computed keys).
pub fn matches(ty: &TypeExpr, lit: &Lit) -> Option<bool> {
    if matches!(lit, Lit::Other) {
        return None;
    }
    // The table a constructor becomes: empty, a list, a map, or unknown.
    let table = |l: &Lit| -> Option<(bool, bool)> {
        match l {
            Lit::Table(t) if t.origin == TableOrigin::JsArray => Some((true, false)),
            Lit::Table(t) if t.origin == TableOrigin::JsObject => Some((false, true)),
            Lit::Table(t) if t.dynamic => None,
            Lit::Table(t) if t.entries.is_empty() => Some((true, true)),
            Lit::Table(t) if t.is_list() => Some((true, false)),
            Lit::Table(t) if t.is_plain_record() => Some((false, true)),
            _ => None,
        }
    };
    let is_table = matches!(lit, Lit::Table(_));
    Some(match ty {
        TypeExpr::Any => true,
        TypeExpr::Nil => matches!(lit, Lit::Nil),
        TypeExpr::String => matches!(lit, Lit::String(_)),
        TypeExpr::Number => matches!(lit, Lit::Integer(_) | Lit::Float(_)),
        TypeExpr::Integer => match lit {
            Lit::Integer(_) => true,
            Lit::Float(f) => f.fract() == 0.0 && f.abs() < 9.0e15,
            _ => false,
        },
        TypeExpr::Boolean => matches!(lit, Lit::Bool),
        TypeExpr::Table => is_table,
        TypeExpr::List(_) => {
            if !is_table {
                return Some(false);
            }
            table(lit)?.0
        }
        TypeExpr::Map(_) => {
            if !is_table {
                return Some(false);
            }
            table(lit)?.1
        }
        TypeExpr::Function { .. } => matches!(lit, Lit::Function),
        TypeExpr::Union(items) => {
            let mut unsure = false;
            for t in items {
                match matches(t, lit) {
                    Some(true) => return Some(true),
                    None => unsure = true,
                    Some(false) => {}
                }
            }
            if unsure {
                return None;
            }
            false
        }
        TypeExpr::Named(name) => match def().type_def(name) {
            Some(t) if t.kind == TypeKind::Table => {
                if !is_table {
                    return Some(false);
                }
                table(lit)?.1
            }
            // Agent, Tool, Workflow: no literal is one.
            Some(_) => false,
            None => return None,
        },
    })
}
