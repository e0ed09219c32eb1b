//! Completion at a byte offset of a JavaScript document. The context is read from the tokens
//! around the cursor (swc has no tree for text being typed), so it works on `Agent.` followed by
//! nothing, an unclosed `Agent.create({`, an unclosed `Tool.get("`.

use std::collections::BTreeSet;

use llmspell_runtime::definition::{GlobalKind, Language, MemberKind, TypeDef, TypeExpr, TypeKind};

use super::ParsedJs;
use super::lexer::{self, TokenKind};
use super::types::{self, PROMISE_MEMBERS, Val, def, display_name, documentation, signature};
use crate::analysis::{Completion, CompletionKind, TextRange};

/// `(type, member)` pairs whose first parameter is a tool name.
pub(super) const TOOL_NAME_CALLS: &[(&str, &str)] = &[
    ("ToolApi", "get"),
    ("ToolApi", "exists"),
    ("ToolApi", "execute"),
];

/// Completions at `offset` (clamped into the text). Empty where nothing fits: in a comment,
/// after a number, where a new name is being declared.
pub fn complete(p: &ParsedJs, offset: usize) -> Vec<Completion> {
    complete_nested(p, offset, 0)
}

/// How many templates deep completion looks into interpolations (each level re-tokenizes).
const MAX_TEMPLATE_NESTING: usize = 8;

fn complete_nested(p: &ParsedJs, offset: usize, nesting: usize) -> Vec<Completion> {
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
                    in_interpolation(p, cur.range.start, code, offset, nesting)
                }
                _ => Vec::new(),
            };
        }
        TokenKind::String { terminated }
            if offset < cur.range.end || (!terminated && offset == cur.range.end) =>
        {
            return in_string(p, before, offset);
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
        && (p.is_punct(prev, "{") || p.is_punct(prev, ","))
        && let Some(shape) = object_shape(p, open)
    {
        let typing = (replace.start < replace.end).then_some(before);
        return config_fields(p, shape, open, typing, replace);
    }
    general(p, offset, replace)
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
) -> Vec<Completion> {
    let mut text = p.text[..offset].to_owned();
    text.replace_range(template_start..code, &" ".repeat(code - template_start));
    let inner = ParsedJs::tokens_only(&text, p.bindings.clone());
    complete_nested(&inner, offset, nesting + 1)
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
    let mut keys = BTreeSet::new();
    let end = p.matching(open).unwrap_or(p.tokens.tokens.len());
    let mut j = open + 1;
    while j < end {
        if let Some(m) = p.matching(j)
            && m > j
        {
            j = m + 1;
            continue;
        }
        if p.is_punct(j, ")") || p.is_punct(j, "]") || p.is_punct(j, "}") {
            break;
        }
        let after_sep = p.is_punct(j - 1, "{") || p.is_punct(j - 1, ",");
        if p.tok(j).is_some_and(|t| t.kind == TokenKind::Name) && after_sep && Some(j) != typing {
            keys.insert(p.token_text(j).to_owned());
        }
        j += 1;
    }
    keys
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
        let escaped: Vec<String> = values
            .iter()
            .map(|v| {
                v.replace('\\', "\\\\")
                    .replace(',', "\\,")
                    .replace('|', "\\|")
            })
            .collect();
        return format!("\"${{1|{}|}}\"", escaped.join(","));
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
/// `Tool.execute(`.
fn in_string(p: &ParsedJs, s: usize, offset: usize) -> Vec<Completion> {
    let tok = p.tokens.tokens[s];
    if !matches!(tok.kind, TokenKind::String { .. }) {
        return Vec::new();
    }
    let Some(paren) = s.checked_sub(1).filter(|&i| p.is_punct(i, "(")) else {
        return Vec::new();
    };
    let is_tool_call = paren.checked_sub(1).is_some_and(|last| {
        matches!(p.chain_value_before(last), Val::Member { owner, member }
            if TOOL_NAME_CALLS.contains(&(owner.name.as_str(), member.name.as_str())))
    });
    if !is_tool_call {
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
    let replace = TextRange::new(tok.range.start + 1, inner_end.max(offset.min(inner_end)));
    def()
        .tools
        .iter()
        .map(|t| Completion {
            label: t.name.clone(),
            kind: CompletionKind::Value,
            detail: Some(format!("tool {}", t.name)),
            documentation: documentation(&t.description, None),
            snippet: None,
            replace,
        })
        .collect()
}
