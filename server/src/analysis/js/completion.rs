//! Completion at a byte offset of a JavaScript document. The context is read from the tokens
//! around the cursor (swc has no tree for text being typed), so it works on `Agent.` followed by
//! nothing, an unclosed `Agent.create({`, an unclosed `Tool.get("`.

use std::collections::BTreeSet;

use llmspell_runtime::definition::{GlobalKind, Language, MemberKind, TypeDef, TypeExpr, TypeKind};

use super::ParsedJs;
use super::lexer::{self, TokenKind};
use super::types::{self, PROMISE_MEMBERS, Val, def, display_name, documentation, signature};
use crate::analysis::diagnostics::AnalysisConfig;
use crate::analysis::{Completion, CompletionKind, TextRange, model_names, tool_completion};
use llmspell_runtime::definition::Field;
use llmspell_runtime::tools::ToolSchema;

/// `(type, member)` pairs whose first parameter is a tool name.
pub(super) const TOOL_NAME_CALLS: &[(&str, &str)] = &[
    ("ToolApi", "get"),
    ("ToolApi", "exists"),
    ("ToolApi", "execute"),
];

/// Completions at `offset` (clamped into the text). Empty where nothing fits: in a comment,
/// after a number, where a new name is being declared.
pub fn complete(p: &ParsedJs, offset: usize) -> Vec<Completion> {
    complete_with(p, offset, &AnalysisConfig::default())
}

/// As [`complete`], with the workspace's settings (its providers and default model, offered
/// inside `model: "`).
pub fn complete_with(p: &ParsedJs, offset: usize, config: &AnalysisConfig) -> Vec<Completion> {
    complete_nested(p, offset, 0, config)
}

/// How many templates deep completion looks into interpolations (each level re-tokenizes).
const MAX_TEMPLATE_NESTING: usize = 8;

fn complete_nested(
    p: &ParsedJs,
    offset: usize,
    nesting: usize,
    config: &AnalysisConfig,
) -> Vec<Completion> {
    let mut offset = offset.min(p.text.len());
    while !p.text.is_char_boundary(offset) {
        offset -= 1;
    }
    if p.tokens.comments.iter().any(|c| {
        c.start < offset
            && (offset < c.end || (offset == c.end && p.text[c.start..].starts_with("//")))
    }) {
        return Vec::new();
    }
    let toks = &p.tokens.tokens;
    let Some(before) = toks.iter().rposition(|t| t.range.start < offset) else {
        return general(p, offset, TextRange::at(offset));
    };
    let cur = toks[before];
    match cur.kind {
        TokenKind::Template { terminated }
            if offset < cur.range.end || (!terminated && offset == cur.range.end) =>
        {
            return match interpolation_start(&p.text, cur.range, offset) {
                Some(code) if nesting < MAX_TEMPLATE_NESTING => {
                    in_interpolation(p, cur.range.start, code, offset, nesting, config)
                }
                _ => Vec::new(),
            };
        }
        TokenKind::String { terminated }
            if offset < cur.range.end || (!terminated && offset == cur.range.end) =>
        {
            return in_string(p, before, offset, config);
        }
        TokenKind::Regex if offset <= cur.range.end => return Vec::new(),
        _ => {}
    }
    let touching = cur.range.end >= offset;
    let (replace, prev) = match cur.kind {
        TokenKind::Name if touching => (cur.range, before.checked_sub(1)),
        TokenKind::Number if touching => return Vec::new(),
        _ => (TextRange::at(offset), Some(before)),
    };
    let Some(prev) = prev else {
        return general(p, offset, replace);
    };
    if p.is_punct(prev, ".") || p.is_punct(prev, "?.") {
        let receiver = match prev.checked_sub(1) {
            Some(last) => p.chain_value_before(last),
            None => Val::Unknown,
        };
        return members(receiver, replace);
    }
    if ["const", "let", "var", "function", "class"]
        .iter()
        .any(|k| p.is_keyword(prev, k))
    {
        // A new name is being written: nothing existing fits.
        return Vec::new();
    }
    if let Some(open) = p.enclosing_at_end(prev)
        && p.is_punct(open, "{")
    {
        if p.is_punct(prev, "{") || p.is_punct(prev, ",") {
            let typing = (replace.start < replace.end).then_some(before);
            if let Some(shape) = object_shape(p, open) {
                return config_fields(p, shape, open, typing, replace);
            }
            if let Some(tool) = params_tool(p, open) {
                let written = written_keys(p, open, typing);
                return tool_completion::param_completions(tool, &written, Language::Js, replace);
            }
        } else if p.is_punct(prev, ":") {
            if let Some(field) = key_field(p, prev)
                && let Some(values) = &field.values
            {
                let mut out: Vec<Completion> = values
                    .iter()
                    .map(|v| value(format!("\"{v}\""), &field.doc, replace))
                    .collect();
                out.extend(general(p, offset, replace));
                return out;
            }
            if let Some((tool, param)) = tool_param_of_value(p, prev) {
                let mut out = tool_completion::value_completions(tool, param, "\"", replace);
                out.extend(general(p, offset, replace));
                return out;
            }
        }
    }
    general(p, offset, replace)
}

fn value(label: String, doc: &str, replace: TextRange) -> Completion {
    Completion {
        label,
        kind: CompletionKind::Value,
        detail: None,
        documentation: documentation(doc, None),
        snippet: None,
        replace,
    }
}

/// For the `:` at token `colon` of `{ key: `, the field `key` of the object's type.
fn key_field(p: &ParsedJs, colon: usize) -> Option<&'static Field> {
    let key = colon.checked_sub(1)?;
    let parent = p.enclosing(key).filter(|&o| p.is_punct(o, "{"))?;
    let after_sep = key
        .checked_sub(1)
        .is_some_and(|k| p.is_punct(k, "{") || p.is_punct(k, ","));
    if !after_sep {
        return None;
    }
    let shape = object_shape(p, parent)?;
    shape.field(p.token_text(key).trim_matches(['"', '\'']))
}

/// For the `:` at token `colon` in a tool's parameter object (`{ operation: `), the tool and
/// the parameter's name.
fn tool_param_of_value(p: &ParsedJs, colon: usize) -> Option<(&'static ToolSchema, &str)> {
    let key = colon.checked_sub(1)?;
    let open = p.enclosing(key).filter(|&o| p.is_punct(o, "{"))?;
    let after_sep = key
        .checked_sub(1)
        .is_some_and(|k| p.is_punct(k, "{") || p.is_punct(k, ","));
    if !after_sep {
        return None;
    }
    Some((
        params_tool(p, open)?,
        p.token_text(key).trim_matches(['"', '\'']),
    ))
}

/// The built-in tool whose parameters the object literal opened at token `open` holds:
/// `t.execute({` where `t` is `Tool.get("name")` (that call itself, or a `const` set from it),
/// `Tool.execute("name", {`, and `params: {` in a step with `tool: "name"`.
pub(super) fn params_tool(p: &ParsedJs, open: usize) -> Option<&'static ToolSchema> {
    let prev = open.checked_sub(1)?;
    if p.is_punct(prev, ":") {
        let key = prev.checked_sub(1)?;
        if p.token_text(key).trim_matches(['"', '\'']) != "params" {
            return None;
        }
        let outer = p.enclosing(key).filter(|&o| p.is_punct(o, "{"))?;
        return tool_completion::builtin_tool(field_string(p, outer, "tool")?);
    }
    let paren = if p.is_punct(prev, "(") {
        prev
    } else if p.is_punct(prev, ",") {
        p.enclosing(prev).filter(|&o| p.is_punct(o, "("))?
    } else {
        return None;
    };
    let callee = paren.checked_sub(1)?;
    let argument = top_level_commas(p, paren, open);
    match p.chain_value_before(callee).member_names() {
        Some(("ToolApi", "execute")) if argument == 1 => {
            tool_completion::builtin_tool(plain_string(p, paren + 1)?)
        }
        Some(("Tool", "execute")) if argument == 0 && p.is_punct(callee.checked_sub(1)?, ".") => {
            tool_of_receiver(p, callee.checked_sub(2)?)
        }
        _ => None,
    }
}

/// The built-in tool the receiver ending at token `last` is: `Tool.get("name")` itself, or a
/// binding declared as `const t = Tool.get("name")` (or `let`, never assigned again).
fn tool_of_receiver(p: &ParsedJs, last: usize) -> Option<&'static ToolSchema> {
    if p.is_ident(last) && !(last > 0 && p.is_dot(last - 1)) {
        let binding = p.binding_at(p.token_text(last), p.tokens.tokens[last].range.start)?;
        // A reassigned or destructured name has no known type: then it is not known either.
        if !matches!(binding.ty, Val::Type(t) if t.name == "Tool") {
            return None;
        }
        let decl = p
            .tokens
            .tokens
            .binary_search_by_key(&binding.decl.start, |t| t.range.start)
            .ok()?;
        let declared = decl > 0
            && ["const", "let", "var"]
                .iter()
                .any(|k| p.is_keyword(decl - 1, k))
            && p.is_punct(decl + 1, "=");
        if !declared {
            return None;
        }
        let tool_token = if p.is_keyword(decl + 2, "await") {
            decl + 3
        } else {
            decl + 2
        };
        let (name, after) = tool_get_argument(p, tool_token + 2)?;
        // The initializer ends with the call: a `;`, `,`, the end, or a new line.
        let ends_there = match p.tok(after) {
            None => true,
            Some(t) => {
                p.is_punct(after, ";")
                    || p.is_punct(after, ",")
                    || (p.text[p.tokens.tokens[after - 1].range.end..t.range.start].contains('\n')
                        && t.kind == TokenKind::Name
                        && !["in", "instanceof", "of"].contains(&p.token_text(after)))
            }
        };
        return ends_there
            .then(|| tool_completion::builtin_tool(name))
            .flatten();
    }
    let open = p.matching(last).filter(|_| p.is_punct(last, ")"))?;
    let (name, after) = tool_get_argument(p, open.checked_sub(1)?)?;
    (after == last + 1)
        .then(|| tool_completion::builtin_tool(name))
        .flatten()
}

/// For the `get` token of `Tool.get("name")`, the name and the token after the call.
fn tool_get_argument(p: &ParsedJs, get: usize) -> Option<(&str, usize)> {
    if p.chain_value_before(get).member_names() != Some(("ToolApi", "get"))
        || !p.is_punct(get + 1, "(")
        || !p.is_punct(get + 3, ")")
    {
        return None;
    }
    Some((plain_string(p, get + 2)?, get + 4))
}

/// The text of the closed string literal at token `i`, when it has no escapes.
fn plain_string(p: &ParsedJs, i: usize) -> Option<&str> {
    if !matches!(p.tok(i)?.kind, TokenKind::String { terminated: true }) {
        return None;
    }
    let text = p.token_text(i);
    let body = text.get(1..text.len().checked_sub(1)?)?;
    (!body.contains('\\')).then_some(body)
}

/// The string value of `key: "..."` at the top level of the object opened at token `open`.
fn field_string<'a>(p: &'a ParsedJs, open: usize, key: &str) -> Option<&'a str> {
    let j = entry_starts(p, open)
        .find(|&j| p.token_text(j).trim_matches(['"', '\'']) == key && p.is_punct(j + 1, ":"))?;
    plain_string(p, j + 2)
}

/// Where the code of the `${...}` interpolation containing `offset` starts, when the cursor is
/// in one of the template `range` (at its top level; nested templates are skipped over).
fn interpolation_start(text: &str, range: TextRange, offset: usize) -> Option<usize> {
    let bytes = &text.as_bytes()[..offset.min(range.end)];
    let mut j = range.start + 1;
    let mut depth = 0usize;
    let mut code = 0;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if depth == 0 => j += 1,
            b'$' if depth == 0 && bytes.get(j + 1) == Some(&b'{') => {
                depth = 1;
                j += 1;
                code = j + 1;
            }
            b'{' if depth > 0 => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            q @ (b'"' | b'\'') if depth > 0 => {
                j = lexer::quoted(bytes, j, q).0;
                continue;
            }
            b'`' if depth > 0 => {
                j = lexer::template(bytes, j, 0).0;
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    (depth > 0 && j <= offset).then_some(code)
}

/// Completion inside `${...}`: the template is one token, so the text before the cursor is
/// re-tokenized with the template's head blanked out (offsets kept, so the document's
/// bindings still apply) and completed as ordinary code.
fn in_interpolation(
    p: &ParsedJs,
    template_start: usize,
    code: usize,
    offset: usize,
    nesting: usize,
    config: &AnalysisConfig,
) -> Vec<Completion> {
    let mut text = p.text[..offset].to_owned();
    text.replace_range(template_start..code, &" ".repeat(code - template_start));
    let inner = ParsedJs::tokens_only(&text, p.bindings.clone());
    complete_nested(&inner, offset, nesting + 1, config)
}

impl ParsedJs {
    /// The bracket enclosing the position just after token `i` (which may itself be an opener).
    fn enclosing_at_end(&self, i: usize) -> Option<usize> {
        let t = self.tok(i)?;
        if t.kind == TokenKind::Punct && matches!(self.token_text(i), "(" | "[" | "{") {
            return Some(i);
        }
        self.enclosing(i)
    }
}

/// The table type of an object literal opening at `open`: an API call's argument
/// (`Agent.create({`), or nested in one at a known place (`steps: [{`, `config: {`).
pub(super) fn object_shape(p: &ParsedJs, open: usize) -> Option<&'static TypeDef> {
    object_type(p, open, 0).and_then(crate::analysis::lua::types::table_shape)
}

/// The type the definition expects of the object or array literal opening at `open`.
fn object_type(p: &ParsedJs, open: usize, depth: usize) -> Option<&'static TypeExpr> {
    if depth > 32 {
        return None;
    }
    let prev = open.checked_sub(1)?;
    if p.is_punct(prev, "(") {
        return param_type(p, prev, 0);
    }
    if p.is_punct(prev, "[") {
        return list_item(object_type(p, prev, depth + 1)?);
    }
    if p.is_punct(prev, ",") {
        let outer = p.enclosing(prev)?;
        if p.is_punct(outer, "(") {
            return param_type(p, outer, top_level_commas(p, outer, open));
        }
        if p.is_punct(outer, "[") {
            return list_item(object_type(p, outer, depth + 1)?);
        }
        return None;
    }
    if p.is_punct(prev, ":") {
        let key = prev.checked_sub(1)?;
        let parent = p.enclosing(key).filter(|&o| p.is_punct(o, "{"))?;
        let shape =
            object_type(p, parent, depth + 1).and_then(crate::analysis::lua::types::table_shape)?;
        let name = p.token_text(key).trim_matches(['"', '\'']);
        return shape.field(name).map(|f| &f.ty);
    }
    None
}

fn list_item(ty: &'static TypeExpr) -> Option<&'static TypeExpr> {
    match ty {
        TypeExpr::List(item) => Some(item),
        _ => None,
    }
}

/// The commas at the top level of the bracket opened at `open`, before token `until`.
pub(super) fn top_level_commas(p: &ParsedJs, open: usize, until: usize) -> usize {
    let mut count = 0;
    let mut j = open + 1;
    while j < until {
        if let Some(m) = p.matching(j)
            && m > j
        {
            j = m + 1;
            continue;
        }
        if p.is_punct(j, ",") {
            count += 1;
        }
        j += 1;
    }
    count
}

/// The type of parameter `index` of the API call whose `(` is token `paren`.
fn param_type(p: &ParsedJs, paren: usize, index: usize) -> Option<&'static TypeExpr> {
    match p.chain_value_before(paren.checked_sub(1)?) {
        Val::Member { member, .. } => member
            .params
            .get(index)
            .filter(|param| !param.variadic)
            .map(|param| &param.ty),
        _ => None,
    }
}

fn kw(label: &str, replace: TextRange) -> Completion {
    Completion {
        label: label.to_owned(),
        kind: CompletionKind::Keyword,
        detail: None,
        documentation: None,
        snippet: None,
        replace,
    }
}

/// Declared names in scope, the API's JS globals, the JS standard library, keywords.
fn general(p: &ParsedJs, offset: usize, replace: TextRange) -> Vec<Completion> {
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    let mut visible: Vec<_> = p
        .bindings
        .iter()
        .filter(|b| {
            b.visible.start <= offset && offset <= b.visible.end && !b.decl.contains(offset)
        })
        .collect();
    // Innermost first, so a shadowing name wins over the one it hides.
    visible.sort_by_key(|b| std::cmp::Reverse(b.visible.start));
    for b in visible {
        if seen.insert(b.name.clone()) {
            let detail = match b.ty {
                Val::Type(t) => format!("{}: {}", b.name, display_name(t)),
                Val::Promise(Some(t)) => format!("{}: Promise<{}>", b.name, t.name),
                _ => b.name.clone(),
            };
            out.push(Completion {
                label: b.name.clone(),
                kind: CompletionKind::Variable,
                detail: Some(detail),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    let d = def();
    for g in d.globals_for(Language::Js) {
        if !seen.insert(g.name.clone()) {
            continue;
        }
        let kind = if g.kind == GlobalKind::Function {
            CompletionKind::Function
        } else {
            CompletionKind::Global
        };
        out.push(Completion {
            label: g.name.clone(),
            kind,
            detail: Some(
                g.ty.as_ref()
                    .map_or_else(|| g.name.clone(), |t| format!("{}: {t}", g.name)),
            ),
            documentation: documentation(&g.doc, g.example.js.as_deref()),
            snippet: None,
            replace,
        });
    }
    for name in &d.js_stdlib.globals {
        if seen.insert(name.clone()) {
            out.push(Completion {
                label: name.clone(),
                kind: CompletionKind::Global,
                detail: Some("JavaScript built-in".into()),
                documentation: None,
                snippet: None,
                replace,
            });
        }
    }
    out.extend(lexer::keywords().iter().map(|k| kw(k, replace)));
    out
}

fn members(receiver: Val, replace: TextRange) -> Vec<Completion> {
    match receiver {
        Val::Type(ty) => type_members(ty, replace),
        Val::Promise(inner) => PROMISE_MEMBERS
            .iter()
            .map(|m| Completion {
                label: (*m).to_owned(),
                kind: CompletionKind::Method,
                detail: Some(format!(
                    "Promise<{}>.{m}",
                    inner.map_or("unknown", |t| t.name.as_str())
                )),
                documentation: Some("The value is a Promise: `await` it to use its result.".into()),
                snippet: None,
                replace,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn type_members(ty: &'static TypeDef, replace: TextRange) -> Vec<Completion> {
    if ty.kind == TypeKind::Table {
        return ty
            .fields
            .iter()
            .map(|f| Completion {
                label: f.name.clone(),
                kind: CompletionKind::Field,
                detail: Some(format!("{}.{}: {}", ty.name, f.name, f.ty)),
                documentation: documentation(&f.doc, None),
                snippet: None,
                replace,
            })
            .collect();
    }
    ty.members
        .iter()
        .map(|m| Completion {
            label: m.name.clone(),
            kind: match m.kind {
                MemberKind::Function => CompletionKind::Function,
                MemberKind::Method | MemberKind::Stream => CompletionKind::Method,
                MemberKind::Field => CompletionKind::Field,
            },
            detail: Some(signature(ty, m)),
            documentation: types::member_doc(m),
            snippet: None,
            replace,
        })
        .collect()
}

/// Keys already written in the object literal at `open`, except the one being typed.
fn written_keys(p: &ParsedJs, open: usize, typing: Option<usize>) -> BTreeSet<String> {
    entry_starts(p, open)
        .filter(|&j| p.tok(j).is_some_and(|t| t.kind == TokenKind::Name) && Some(j) != typing)
        .map(|j| p.token_text(j).to_owned())
        .collect()
}

/// The first token of each entry at the top level of the object opened at token `open` (where
/// its key is): nested brackets are skipped, and a stray closer of an unbalanced object ends
/// it.
fn entry_starts(p: &ParsedJs, open: usize) -> impl Iterator<Item = usize> + '_ {
    let end = p.matching(open).unwrap_or(p.tokens.tokens.len());
    let mut j = open + 1;
    std::iter::from_fn(move || {
        while j < end {
            let at = j;
            if let Some(m) = p.matching(at)
                && m > at
            {
                j = m + 1;
                continue;
            }
            if p.is_punct(at, ")") || p.is_punct(at, "]") || p.is_punct(at, "}") {
                return None;
            }
            j += 1;
            if p.is_punct(at - 1, "{") || p.is_punct(at - 1, ",") {
                return Some(at);
            }
        }
        None
    })
}

fn config_fields(
    p: &ParsedJs,
    shape: &'static TypeDef,
    open: usize,
    typing: Option<usize>,
    replace: TextRange,
) -> Vec<Completion> {
    let written = written_keys(p, open, typing);
    shape
        .fields
        .iter()
        .filter(|f| !written.contains(&f.name))
        .map(|f| {
            let required = if f.required { " (required)" } else { "" };
            Completion {
                label: f.name.clone(),
                kind: CompletionKind::ConfigField,
                detail: Some(format!("{}: {}{required}", f.name, f.ty)),
                documentation: documentation(&f.doc, None),
                snippet: Some(format!(
                    "{}: {}",
                    f.name,
                    value_snippet(&f.ty, f.values.as_deref())
                )),
                replace,
            }
        })
        .collect()
}

fn value_snippet(ty: &TypeExpr, values: Option<&[String]>) -> String {
    if let Some(values) = values.filter(|v| !v.is_empty()) {
        return crate::analysis::snippet::quoted_choice(values);
    }
    match ty {
        TypeExpr::String => "\"$1\"".into(),
        TypeExpr::Boolean => "${1|true,false|}".into(),
        TypeExpr::Function { .. } => "(${1}) => $0".into(),
        TypeExpr::List(_) => "[$1]".into(),
        TypeExpr::Map(_) | TypeExpr::Table => "{ $1 }".into(),
        TypeExpr::Named(_) if crate::analysis::lua::types::table_shape(ty).is_some() => {
            "{ $1 }".into()
        }
        TypeExpr::Union(items) => items
            .iter()
            .find(|t| !matches!(t, TypeExpr::Nil))
            .map_or_else(|| "$1".into(), |t| value_snippet(t, None)),
        _ => "$1".into(),
    }
}

/// Inside a string: tool names as the first argument of `Tool.get(` / `Tool.exists(` /
/// `Tool.execute(` and as a step's `tool: "`; the allowed values of a config field or of a
/// tool parameter.
fn in_string(p: &ParsedJs, s: usize, offset: usize, config: &AnalysisConfig) -> Vec<Completion> {
    let tok = p.tokens.tokens[s];
    if !matches!(tok.kind, TokenKind::String { .. }) {
        return Vec::new();
    }
    // Replace the string's contents typed so far, up to its closing quote if there is one.
    let text = &p.text[tok.range.start..tok.range.end];
    let quote = text.chars().next().unwrap_or('"');
    let inner_end = if text.len() > 1 && text.ends_with(quote) {
        tok.range.end - 1
    } else {
        tok.range.end
    };
    let replace = crate::analysis::snippet::line_of_string(
        &p.text,
        offset,
        TextRange::new(tok.range.start + 1, inner_end.max(offset.min(inner_end))),
    );
    let Some(prev) = s.checked_sub(1) else {
        return Vec::new();
    };
    let is_tool_call = p.is_punct(prev, "(")
        && prev.checked_sub(1).is_some_and(|last| {
            matches!(p.chain_value_before(last), Val::Member { owner, member }
                if TOOL_NAME_CALLS.contains(&(owner.name.as_str(), member.name.as_str())))
        });
    if p.is_punct(prev, ":") {
        if let Some(field) = key_field(p, prev) {
            if field.name == "tool" {
                return tool_names(p, config, replace);
            }
            if model_names::is_agent_model(field) {
                return model_names::model_completions(config, replace);
            }
            if let Some(values) = &field.values {
                return values
                    .iter()
                    .map(|v| value(v.clone(), &field.doc, replace))
                    .collect();
            }
        }
        if let Some((tool, param)) = tool_param_of_value(p, prev) {
            return tool_completion::value_completions(tool, param, "", replace);
        }
    }
    if !is_tool_call {
        return Vec::new();
    }
    tool_names(p, config, replace)
}

/// The tool names to offer: built in, registered in this file or in other files.
fn tool_names(p: &ParsedJs, config: &AnalysisConfig, replace: TextRange) -> Vec<Completion> {
    let here: Vec<String> = crate::analysis::symbols::js_symbols(p)
        .into_iter()
        .filter(|s| s.registered && s.kind == crate::analysis::symbols::SymbolKind::Tool)
        .map(|s| s.name)
        .collect();
    tool_completion::tool_name_completions(&here, config, replace)
}
