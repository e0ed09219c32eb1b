//! Checks script values against types of the API definition, so `Agent.create{...}` and every
//! other config table is validated by the same data the editor uses.

use super::{ApiDefinition, TypeDef, TypeExpr, TypeKind};
use crate::value::ScriptValue;

/// Checks `value` against `ty`. The error names the field path (`steps[2].tool`) and says what
/// was expected and what was given.
pub fn check_value(def: &ApiDefinition, value: &ScriptValue, ty: &TypeExpr) -> Result<(), String> {
    let mut problems = Vec::new();
    check(def, value, ty, "", &mut problems);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// The closest candidate to a misspelt name, for "did you mean" hints.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(given, c), c))
        .filter(|(distance, c)| *distance <= (c.len().max(given.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, c)| c)
}

fn describe(path: &str) -> String {
    if path.is_empty() {
        "value".to_owned()
    } else {
        format!("field '{path}'")
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn check(
    def: &ApiDefinition,
    value: &ScriptValue,
    ty: &TypeExpr,
    path: &str,
    out: &mut Vec<String>,
) {
    if matches_shallow(def, value, ty) {
        check_deep(def, value, ty, path, out);
    } else {
        out.push(format!(
            "{} must be {ty}, got {}",
            describe(path),
            value.type_name()
        ));
    }
}

/// Whether the value has the right kind for `ty`, without looking inside tables.
fn matches_shallow(def: &ApiDefinition, value: &ScriptValue, ty: &TypeExpr) -> bool {
    use ScriptValue as V;
    match ty {
        TypeExpr::Any => true,
        TypeExpr::Nil => value.is_nil(),
        TypeExpr::String => matches!(value, V::String(_)),
        TypeExpr::Number => matches!(value, V::Integer(_) | V::Number(_)),
        TypeExpr::Integer => value.as_i64().is_some(),
        TypeExpr::Boolean => matches!(value, V::Bool(_)),
        TypeExpr::Table => matches!(value, V::Map(_) | V::List(_)),
        TypeExpr::List(_) => matches!(value, V::List(_)) || is_empty_map(value),
        TypeExpr::Map(_) => matches!(value, V::Map(_)) || is_empty_list(value),
        TypeExpr::Function { .. } => matches!(value, V::Function(_)),
        TypeExpr::Union(items) => items.iter().any(|t| matches_shallow(def, value, t)),
        TypeExpr::Named(name) => match (name.as_str(), value) {
            ("Agent", V::Agent(_)) | ("Tool", V::Tool(_)) | ("Workflow", V::Workflow(_)) => true,
            _ => def.type_def(name).is_some_and(|t| {
                t.kind == TypeKind::Table && (matches!(value, V::Map(_)) || is_empty_list(value))
            }),
        },
    }
}

fn is_empty_map(value: &ScriptValue) -> bool {
    matches!(value, ScriptValue::Map(m) if m.is_empty())
}

fn is_empty_list(value: &ScriptValue) -> bool {
    matches!(value, ScriptValue::List(l) if l.is_empty())
}

fn check_deep(
    def: &ApiDefinition,
    value: &ScriptValue,
    ty: &TypeExpr,
    path: &str,
    out: &mut Vec<String>,
) {
    match (ty, value) {
        (TypeExpr::List(inner), ScriptValue::List(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(def, item, inner, &format!("{path}[{}]", i + 1), out);
            }
        }
        (TypeExpr::Map(inner), ScriptValue::Map(map)) => {
            for (key, item) in map {
                check(def, item, inner, &join(path, key), out);
            }
        }
        (TypeExpr::Union(items), _) => {
            // The first alternative of the right kind decides; unions here never mix two table
            // shapes, so this picks the one the author meant.
            if let Some(t) = items.iter().find(|t| matches_shallow(def, value, t)) {
                check_deep(def, value, t, path, out);
            }
        }
        (TypeExpr::Named(name), ScriptValue::Map(map)) => {
            if let Some(table) = def.type_def(name) {
                check_table(def, table, map, path, out);
            }
        }
        _ => {}
    }
}

fn check_table(
    def: &ApiDefinition,
    table: &TypeDef,
    map: &indexmap::IndexMap<String, ScriptValue>,
    path: &str,
    out: &mut Vec<String>,
) {
    for key in map.keys() {
        if table.field(key).is_none() {
            let hint = did_you_mean(key, table.fields.iter().map(|f| f.name.as_str()))
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            out.push(format!("unknown field '{}'{hint}", join(path, key)));
        }
    }
    for field in &table.fields {
        let field_path = join(path, &field.name);
        let Some(value) = map.get(&field.name).filter(|v| !v.is_nil()) else {
            if field.required {
                out.push(format!("field '{field_path}' is required"));
            }
            continue;
        };
        let before = out.len();
        check(def, value, &field.ty, &field_path, out);
        if out.len() != before {
            continue;
        }
        if let Some(n) = value.as_f64() {
            let below = field.min.is_some_and(|min| n < min);
            let above = field.max.is_some_and(|max| n > max);
            if below || above {
                let range = match (field.min, field.max) {
                    (Some(min), Some(max)) => format!("between {min} and {max}"),
                    (Some(min), None) => format!("at least {min}"),
                    (None, Some(max)) => format!("at most {max}"),
                    (None, None) => unreachable!("a bound was crossed"),
                };
                out.push(format!("field '{field_path}' must be {range}, got {n}"));
            }
        }
        if let (Some(values), Some(s)) = (&field.values, value.as_str())
            && !values.iter().any(|v| v == s)
        {
            out.push(format!(
                "field '{field_path}' must be one of {}, got \"{s}\"",
                values.join(", ")
            ));
        }
    }
    if !table.one_of.is_empty() {
        let given: Vec<&str> = table
            .one_of
            .iter()
            .filter(|f| map.get(f.as_str()).is_some_and(|v| !v.is_nil()))
            .map(String::as_str)
            .collect();
        let what = if path.is_empty() {
            "the table".to_owned()
        } else {
            format!("'{path}'")
        };
        match given.len() {
            1 => {}
            0 => out.push(format!("{what} needs one of {}", table.one_of.join(", "))),
            _ => out.push(format!(
                "{what} has {} but may have only one of them",
                given.join(" and ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indexmap::IndexMap;

    fn map(entries: &[(&str, ScriptValue)]) -> ScriptValue {
        ScriptValue::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect::<IndexMap<_, _>>(),
        )
    }

    fn agent_config(value: ScriptValue) -> Result<(), String> {
        let def = ApiDefinition::get();
        check_value(def, &value, &TypeExpr::Named("AgentConfig".into()))
    }

    #[test]
    fn accepts_a_good_agent_config() {
        let config = map(&[
            ("model", "mock/echo".into()),
            ("temperature", ScriptValue::Number(0.2)),
            ("tools", ScriptValue::List(vec!["calculator".into()])),
        ]);
        assert_eq!(agent_config(config), Ok(()));
    }

    #[test]
    fn names_the_field_and_the_problem() {
        let cases = [
            (
                map(&[("temprature", ScriptValue::Integer(1))]),
                "unknown field 'temprature' (did you mean 'temperature'?)",
            ),
            (
                map(&[("temperature", ScriptValue::Integer(3))]),
                "field 'temperature' must be between 0 and 2, got 3",
            ),
            (
                map(&[("model", ScriptValue::Integer(3))]),
                "field 'model' must be string, got integer",
            ),
            (
                map(&[("tools", ScriptValue::List(vec![ScriptValue::Integer(1)]))]),
                "field 'tools[1]' must be string | Tool, got integer",
            ),
            (
                map(&[("max_tokens", ScriptValue::Number(1.5))]),
                "field 'max_tokens' must be integer, got number",
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(agent_config(value), Err(expected.to_owned()));
        }
    }

    #[test]
    fn one_of_and_required_fields_in_nested_steps() {
        let def = ApiDefinition::get();
        let step_both = map(&[
            ("tool", "calculator".into()),
            ("run", ScriptValue::Nil),
            ("agent", "x".into()),
        ]);
        let config = map(&[("steps", ScriptValue::List(vec![map(&[]), step_both]))]);
        let err =
            check_value(def, &config, &TypeExpr::Named("SequentialConfig".into())).unwrap_err();
        assert_eq!(
            err,
            "'steps[1]' needs one of agent, tool, workflow, run; 'steps[2]' has agent and tool but may have only one of them"
        );
        let missing =
            check_value(def, &map(&[]), &TypeExpr::Named("SequentialConfig".into())).unwrap_err();
        assert_eq!(missing, "field 'steps' is required");
    }

    #[test]
    fn enums_are_checked() {
        let def = ApiDefinition::get();
        let msg = map(&[("role", "bot".into()), ("content", "hi".into())]);
        let err = check_value(def, &msg, &TypeExpr::Named("Message".into())).unwrap_err();
        assert_eq!(
            err,
            "field 'role' must be one of system, user, assistant, got \"bot\""
        );
    }
}
