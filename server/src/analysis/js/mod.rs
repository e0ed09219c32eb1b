//! JavaScript analysis: swc parsing (as an ES module, so top-level `await` is allowed) for
//! syntax errors, and everything else on the analysis's own tokens.
//!
//! swc_ecma_parser stops at its first fatal error and returns no partial tree, while a document
//! being typed is almost never valid. So declarations, inferred types, member chains, completion
//! and the API rules all work on tokens ([`lexer`]), which exist for any text; swc only answers
//! "is this valid JavaScript, and if not, where is the first error?". Like the Lua parser, swc
//! recurses per nesting level, so it runs on a 64 MiB-stack thread behind [`MAX_NESTING`].

pub mod completion;
pub mod facts;
pub mod hover;
pub mod lexer;
pub mod signature;
pub mod types;

use swc_common::{BytePos, Spanned};
use swc_ecma_parser::{EsSyntax, Parser, StringInput, Syntax};

pub use completion::complete;
pub use hover::hover;
use lexer::{NO_MATCH, Token, TokenKind, Tokens};
pub use signature::signature_help;
use types::Val;

use crate::analysis::model::NotParsed;
use crate::analysis::name_index::NameIndex;
use crate::analysis::{TextRange, stack};

/// Deeper bracket nesting than this is not parsed by swc (see `lua::MAX_NESTING`: same reason,
/// same margin).
pub const MAX_NESTING: usize = 200;

/// Larger documents are not given to swc. It is leaner than full_moon (see
/// `lua::MAX_PARSED_BYTES`), but a 10 MB generated bundle is still no script to analyse.
pub const MAX_PARSED_BYTES: usize = 4 << 20;

/// How deep the token-level evaluation follows parenthesised groups; deeper is `Unknown`.
const MAX_EVAL_DEPTH: usize = 64;

/// swc's (first) error, or one it recovered from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A name declared in the document: `const`/`let`/`var`, a function or class, a parameter.
#[derive(Debug, Clone)]
pub struct Binding {
    pub name: String,
    /// The declared name's token range.
    pub decl: TextRange,
    /// Where the name is visible (an over-approximation: to the end of the enclosing block).
    pub visible: TextRange,
    /// The inferred type; `Unknown` for parameters, destructuring and reassigned names.
    pub ty: Val,
}

/// A parsed JavaScript document. It holds no swc tree, so it is cheap to share and clone.
#[derive(Debug, Clone)]
pub struct ParsedJs {
    pub text: String,
    pub tokens: Tokens,
    pub errors: Vec<SyntaxError>,
    /// Why swc was not run, when it was not: then nothing beyond tokens is trusted.
    pub not_parsed: Option<NotParsed>,
    /// Built by [`parse`] together with a by-name index: read it, do not edit it.
    pub bindings: Vec<Binding>,
    /// For each token, its innermost enclosing opening bracket, or [`NO_MATCH`].
    enclosing: Vec<usize>,
    /// Indices into `bindings` by name: every chain root looks its name up, so a linear scan
    /// would make the rules quadratic on long files.
    by_name: NameIndex,
    /// Every member-chain step, found once: half a dozen rules and the symbols ask for them,
    /// and walking the chains was the largest cost of linting JavaScript.
    accesses: std::sync::OnceLock<Vec<Access>>,
}

/// Parses `text`. Never fails and never panics: bad input gives errors, not a missing result.
pub fn parse(text: &str) -> ParsedJs {
    let tokens = lexer::tokenize(text);
    let enclosing = enclosing_openers(text, &tokens);
    let mut parsed = ParsedJs {
        text: text.to_owned(),
        tokens,
        errors: Vec::new(),
        not_parsed: None,
        bindings: Vec::new(),
        enclosing,
        by_name: NameIndex::default(),
        accesses: std::sync::OnceLock::new(),
    };
    let (depth, at) = lexer::max_depth(text, &parsed.tokens.tokens);
    if text.len() > MAX_PARSED_BYTES {
        parsed.not_parsed = Some(NotParsed::TooLarge {
            bytes: text.len(),
            max: MAX_PARSED_BYTES,
        });
    } else if depth > MAX_NESTING {
        parsed.not_parsed = Some(NotParsed::TooDeep {
            at: at.unwrap_or(TextRange::at(0)),
            max: MAX_NESTING,
        });
    } else {
        parsed.errors = swc_errors(text);
    }
    collect_bindings(&mut parsed);
    parsed
}

/// swc's syntax errors for `text`. The module tree is built and dropped on the big-stack thread
/// (dropping a deep tree recurses as much as building it). A parser panic, an swc bug, gives
/// no errors: the analysis then stays quiet rather than taking the server down.
fn swc_errors(text: &str) -> Vec<SyntaxError> {
    // Spans are u32 offsets from 1 (0 is swc's "no position").
    let Ok(len) = u32::try_from(text.len()) else {
        return Vec::new();
    };
    if len >= u32::MAX - 1 {
        return Vec::new();
    }
    let run = || {
        let input = StringInput::new(text, BytePos(1), BytePos(len + 1));
        let mut parser = Parser::new(Syntax::Es(EsSyntax::default()), input, None);
        let fatal = parser.parse_module().err();
        let mut errors = parser.take_errors();
        errors.extend(fatal);
        errors
            .into_iter()
            .map(|e| {
                let span = e.span();
                let start = (span.lo.0 as usize).saturating_sub(1);
                let end = (span.hi.0 as usize).saturating_sub(1);
                SyntaxError {
                    range: clamp(text, start, end),
                    message: e.kind().msg().into_owned(),
                }
            })
            .collect::<Vec<_>>()
    };
    stack::with_large_stack("js-parse", run).unwrap_or_default()
}

fn clamp(text: &str, a: usize, b: usize) -> TextRange {
    let fix = |mut o: usize| {
        o = o.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    };
    TextRange::new(fix(a), fix(b))
}

impl ParsedJs {
    /// A document of `text`'s tokens with the given bindings and no swc run: for re-reading a
    /// part of a document (a template's interpolation) at the same offsets.
    pub(crate) fn tokens_only(text: &str, bindings: Vec<Binding>) -> ParsedJs {
        let tokens = lexer::tokenize(text);
        let enclosing = enclosing_openers(text, &tokens);
        let mut p = ParsedJs {
            text: text.to_owned(),
            tokens,
            errors: Vec::new(),
            not_parsed: None,
            bindings: Vec::new(),
            enclosing,
            by_name: NameIndex::default(),
            accesses: std::sync::OnceLock::new(),
        };
        for b in bindings {
            p.add_binding(b);
        }
        p
    }

    fn add_binding(&mut self, b: Binding) {
        self.by_name.insert(&b.name, b.visible, self.bindings.len());
        self.bindings.push(b);
    }
}

fn enclosing_openers(text: &str, tokens: &Tokens) -> Vec<usize> {
    let mut out = Vec::with_capacity(tokens.tokens.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in tokens.tokens.iter().enumerate() {
        let s = &text[t.range.start..t.range.end];
        let punct = t.kind == TokenKind::Punct;
        if punct && matches!(s, ")" | "]" | "}") {
            let m = tokens.matching[i];
            if m != NO_MATCH
                && let Some(k) = stack.iter().rposition(|&o| o == m)
            {
                stack.truncate(k);
            }
        }
        out.push(stack.last().copied().unwrap_or(NO_MATCH));
        if punct && matches!(s, "(" | "[" | "{") {
            stack.push(i);
        }
    }
    out
}

/// One `.name` (or `?.name`) step of a member chain.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// The value left of the `.`.
    pub receiver: Val,
    /// The receiver's source, from the chain's first token to the `.`.
    pub receiver_range: TextRange,
    pub name_token: usize,
    /// Whether call arguments follow the name.
    pub called: bool,
    /// Whether the name is assigned to (`obj.x = 1`).
    pub assigned: bool,
}

impl ParsedJs {
    pub fn token_text(&self, i: usize) -> &str {
        let r = self.tokens.tokens[i].range;
        &self.text[r.start..r.end]
    }

    pub fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.tokens.get(i)
    }

    pub fn is_punct(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Punct) && self.token_text(i) == s
    }

    /// An identifier (not a keyword).
    pub fn is_ident(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| t.kind == TokenKind::Name && !t.keyword)
    }

    pub fn is_keyword(&self, i: usize, k: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Name) && self.token_text(i) == k
    }

    pub fn matching(&self, i: usize) -> Option<usize> {
        match self.tokens.matching.get(i) {
            Some(&m) if m != NO_MATCH => Some(m),
            _ => None,
        }
    }

    /// The innermost bracket enclosing token `i`.
    pub fn enclosing(&self, i: usize) -> Option<usize> {
        match self.enclosing.get(i) {
            Some(&m) if m != NO_MATCH => Some(m),
            _ => None,
        }
    }

    fn is_dot(&self, i: usize) -> bool {
        self.is_punct(i, ".") || self.is_punct(i, "?.")
    }

    /// The binding `name` refers to at `offset`: the visible one declared last.
    pub fn binding_at(&self, name: &str, offset: usize) -> Option<&Binding> {
        self.by_name.lookup(name, offset).map(|i| &self.bindings[i])
    }

    /// The value of the identifier token `i`: its binding's type, else the API global's.
    pub fn name_value(&self, i: usize) -> Val {
        let name = self.token_text(i);
        match self.binding_at(name, self.tokens.tokens[i].range.start) {
            Some(b) => b.ty,
            None => global_value(name),
        }
    }

    /// Whether token `i` starts a chain: an identifier not after `.`, or a `(` group that is
    /// not call arguments.
    pub fn is_chain_root(&self, i: usize) -> bool {
        let prev = i.checked_sub(1);
        if self.is_ident(i) {
            return !prev.is_some_and(|p| self.is_dot(p));
        }
        if self.is_punct(i, "(") {
            return match prev {
                None => true,
                Some(p) => {
                    !(self.is_ident(p)
                        || self.is_punct(p, ")")
                        || self.is_punct(p, "]")
                        || self.is_punct(p, "?.")
                        || matches!(
                            self.tok(p).map(|t| t.kind),
                            Some(TokenKind::Template { .. } | TokenKind::String { .. })
                        ))
                }
            };
        }
        false
    }

    /// Walks the chain starting at `root` up to (not including) `stop`, reporting every `.name`
    /// step. Returns the value reached and the index of the first token after the chain.
    pub fn walk_chain(
        &self,
        root: usize,
        stop: usize,
        depth: usize,
        on_access: &mut dyn FnMut(&Access),
    ) -> (Val, usize) {
        let mut val = if self.is_punct(root, "(") {
            match self.matching(root) {
                Some(close) if close < stop => {
                    let inner = self.eval_expr(root + 1, close, depth + 1);
                    return self.continue_chain(root, close + 1, stop, inner, on_access);
                }
                _ => return (Val::Unknown, stop),
            }
        } else {
            self.name_value(root)
        };
        // `new X(...)` builds something the definition does not describe.
        if root > 0 && self.is_keyword(root - 1, "new") {
            val = Val::Unknown;
        }
        self.continue_chain(root, root + 1, stop, val, on_access)
    }

    fn continue_chain(
        &self,
        root: usize,
        mut j: usize,
        stop: usize,
        mut val: Val,
        on_access: &mut dyn FnMut(&Access),
    ) -> (Val, usize) {
        let root_start = self.tokens.tokens[root].range.start;
        while j < stop {
            if self.is_dot(j)
                && j + 1 < stop
                && self.tok(j + 1).is_some_and(|t| t.kind == TokenKind::Name)
            {
                let after = j + 2;
                let access = Access {
                    receiver: val,
                    receiver_range: TextRange::new(root_start, self.tokens.tokens[j].range.start),
                    name_token: j + 1,
                    called: after < stop
                        && (self.is_punct(after, "(")
                            || self.is_punct(after, "?.") && self.is_punct(after + 1, "(")),
                    assigned: self.tok(after).is_some_and(|t| t.kind == TokenKind::Punct)
                        && is_assignment(self.token_text(after)),
                };
                on_access(&access);
                val = match val {
                    Val::Promise(_) => Val::Unknown,
                    v => types::member_of(v, self.token_text(j + 1)),
                };
                j = after;
            } else if self.is_punct(j, "(") || (self.is_punct(j, "?.") && self.is_punct(j + 1, "("))
            {
                let open = if self.is_punct(j, "(") { j } else { j + 1 };
                match self.matching(open) {
                    Some(close) if close < stop => {
                        val = types::call(val);
                        j = close + 1;
                    }
                    _ => return (Val::Unknown, stop),
                }
            } else if self.is_punct(j, "[") || (self.is_punct(j, "?.") && self.is_punct(j + 1, "["))
            {
                let open = if self.is_punct(j, "[") { j } else { j + 1 };
                match self.matching(open) {
                    Some(close) if close < stop => {
                        val = Val::Unknown;
                        j = close + 1;
                    }
                    _ => return (Val::Unknown, stop),
                }
            } else if self
                .tok(j)
                .is_some_and(|t| matches!(t.kind, TokenKind::Template { .. }))
            {
                // A tagged template: a call of unknown result.
                val = Val::Unknown;
                j += 1;
            } else {
                break;
            }
        }
        (val, j)
    }

    /// The value of the expression in tokens `[start, stop)` when it is a single (possibly
    /// awaited) chain that fills the range up to a terminator; `Unknown` otherwise (`a + b`,
    /// `x ? a : b`), since a part of an expression says nothing about the whole.
    pub fn eval_expr(&self, start: usize, stop: usize, depth: usize) -> Val {
        if depth > MAX_EVAL_DEPTH || start >= stop {
            return Val::Unknown;
        }
        if self.is_keyword(start, "await") {
            return types::awaited(self.eval_expr(start + 1, stop, depth + 1));
        }
        if !(self.is_ident(start) || self.is_punct(start, "(")) {
            return Val::Unknown;
        }
        let (val, end) = self.walk_chain(start, stop, depth, &mut |_| {});
        if end >= stop || self.ends_expression(end) {
            val
        } else {
            Val::Unknown
        }
    }

    /// Whether token `i`, following a complete chain, ends the expression: a separator, a
    /// closer, or (automatic semicolon insertion) a token on a new line that cannot continue it.
    fn ends_expression(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else {
            return true;
        };
        if t.kind == TokenKind::Punct {
            return matches!(self.token_text(i), ";" | "," | ")" | "]" | "}");
        }
        let prev_end = self.tokens.tokens[i - 1].range.end;
        self.text[prev_end..t.range.start].contains('\n')
    }

    /// Every `.name` step of every chain in the document.
    pub fn accesses(&self) -> &[Access] {
        self.accesses.get_or_init(|| {
            let mut out = Vec::new();
            let n = self.tokens.tokens.len();
            for i in 0..n {
                if self.is_chain_root(i) {
                    self.walk_chain(i, n, 0, &mut |a| out.push(*a));
                }
            }
            out
        })
    }

    /// The value of the chain ending with token `last` (inclusive), walking back to its root.
    pub fn chain_value_before(&self, last: usize) -> Val {
        let mut p = last;
        for _ in 0..10_000 {
            let Some(t) = self.tok(p) else {
                return Val::Unknown;
            };
            if t.kind == TokenKind::Name {
                if p > 0 && self.is_dot(p - 1) && p >= 2 {
                    p -= 2;
                    continue;
                }
                if !self.is_ident(p) {
                    return Val::Unknown;
                }
                return self.walk_chain(p, last + 1, 0, &mut |_| {}).0;
            }
            if self.is_punct(p, ")") || self.is_punct(p, "]") {
                let Some(open) = self.matching(p) else {
                    return Val::Unknown;
                };
                if self.is_punct(open, "(") && self.is_chain_root(open) {
                    return self.walk_chain(open, last + 1, 0, &mut |_| {}).0;
                }
                let Some(before) = open.checked_sub(1) else {
                    return Val::Unknown;
                };
                p = if self.is_punct(before, "?.") {
                    match before.checked_sub(1) {
                        Some(b) => b,
                        None => return Val::Unknown,
                    }
                } else {
                    before
                };
                continue;
            }
            return Val::Unknown;
        }
        Val::Unknown
    }
}

fn is_assignment(op: &str) -> bool {
    matches!(
        op,
        "=" | "+="
            | "-="
            | "*="
            | "/="
            | "%="
            | "**="
            | "<<="
            | ">>="
            | ">>>="
            | "&="
            | "|="
            | "^="
            | "&&="
            | "||="
            | "??="
            | "++"
            | "--"
    )
}

/// The value of a global name in a JS script: the API global's type, when it has one.
pub fn global_value(name: &str) -> Val {
    let d = types::def();
    d.globals_for(crate::analysis::Language::Js)
        .find(|g| g.name == name)
        .and_then(|g| d.global_type(g))
        .map_or(Val::Unknown, Val::Type)
}

/// Declarations, found on tokens so they exist while the text does not parse. Bindings are
/// pushed in order, so an initializer sees only the names declared before it, as in JS.
fn collect_bindings(p: &mut ParsedJs) {
    let n = p.tokens.tokens.len();
    let text_end = p.text.len();
    // Names assigned anywhere lose their inferred type: flow-insensitive but never wrong.
    let mut reassigned = std::collections::HashSet::new();
    for i in 0..n {
        if p.is_ident(i)
            && !(i > 0 && p.is_dot(i - 1))
            && p.tok(i + 1).is_some_and(|t| t.kind == TokenKind::Punct)
            && is_assignment(p.token_text(i + 1))
            && !(i > 0
                && ["const", "let", "var"]
                    .iter()
                    .any(|k| p.is_keyword(i - 1, k)))
        {
            reassigned.insert(p.token_text(i).to_owned());
        }
    }
    for i in 0..n {
        let at = p.tokens.tokens[i].range.start;
        let mut found: Vec<Binding> = Vec::new();
        if ["const", "let", "var"].iter().any(|k| p.is_keyword(i, k)) {
            let end = p.block_end(i);
            if p.is_ident(i + 1) {
                let name_tok = i + 1;
                let name = p.token_text(name_tok).to_owned();
                let mut ty = Val::Unknown;
                if p.is_punct(i + 2, "=") && !reassigned.contains(&name) {
                    ty = p.eval_expr(i + 3, expression_stop(p, i + 3), 0);
                }
                found.push(Binding {
                    name,
                    decl: p.tokens.tokens[name_tok].range,
                    visible: TextRange::new(p.tokens.tokens[name_tok].range.end, end),
                    ty,
                });
            } else if (p.is_punct(i + 1, "{") || p.is_punct(i + 1, "["))
                && let Some(close) = p.matching(i + 1)
            {
                let visible = TextRange::new(p.tokens.tokens[close].range.end, end);
                for t in i + 2..close {
                    if p.is_ident(t) && !p.is_dot(t - 1) {
                        found.push(p.unknown_binding(t, visible));
                    }
                }
            }
        } else if (p.is_keyword(i, "function") || p.is_keyword(i, "class")) && p.is_ident(i + 1) {
            let visible = TextRange::new(at, p.block_end(i));
            found.push(p.unknown_binding(i + 1, visible));
        } else if p.is_punct(i, "(")
            && let Some(close) = p.matching(i)
            && is_param_list(p, i, close)
        {
            let end = if p.is_punct(close + 1, "=>") && !p.is_punct(close + 2, "{") {
                p.block_end(i)
            } else {
                let body = if p.is_punct(close + 1, "=>") {
                    close + 2
                } else {
                    close + 1
                };
                p.matching(body)
                    .map_or(text_end, |c| p.tokens.tokens[c].range.end)
            };
            for t in i + 1..close {
                if p.is_ident(t) && !p.is_dot(t - 1) {
                    found.push(p.unknown_binding(t, TextRange::new(at, end)));
                }
            }
        } else if p.is_ident(i) && p.is_punct(i + 1, "=>") {
            let visible = TextRange::new(at, p.block_end(i));
            found.push(p.unknown_binding(i, visible));
        }
        for b in found {
            p.add_binding(b);
        }
    }
}

impl ParsedJs {
    /// The end of the block enclosing token `i`, looking past a `for (...)` header's parens.
    fn block_end(&self, i: usize) -> usize {
        let mut o = self.enclosing(i);
        while let Some(open) = o {
            if self.is_punct(open, "{") {
                return self
                    .matching(open)
                    .map_or(self.text.len(), |c| self.tokens.tokens[c].range.end);
            }
            o = self.enclosing(open);
        }
        self.text.len()
    }

    fn unknown_binding(&self, t: usize, visible: TextRange) -> Binding {
        Binding {
            name: self.token_text(t).to_owned(),
            decl: self.tokens.tokens[t].range,
            visible,
            ty: Val::Unknown,
        }
    }
}

/// Whether the `(` group `[open, close]` declares parameters: an arrow function's, a
/// function's or method's (followed by a body `{`), or a `catch` clause's.
fn is_param_list(p: &ParsedJs, open: usize, close: usize) -> bool {
    if p.is_punct(close + 1, "=>") {
        return true;
    }
    if !p.is_punct(close + 1, "{") {
        return false;
    }
    let Some(prev) = open.checked_sub(1) else {
        return false;
    };
    if p.is_keyword(prev, "catch") || p.is_keyword(prev, "function") {
        return true;
    }
    // `name(...) {` is a function or method head; `if (...) {` and friends are not.
    p.tok(prev).is_some_and(|t| t.kind == TokenKind::Name)
        && !["if", "while", "for", "switch", "with"].contains(&p.token_text(prev))
}

/// The end (exclusive) of the initializer starting at token `start`: the first top-level `;`
/// or `,`, or the closer of the enclosing bracket.
fn expression_stop(p: &ParsedJs, start: usize) -> usize {
    let n = p.tokens.tokens.len();
    let mut j = start;
    while j < n {
        if let Some(m) = p.matching(j)
            && m > j
        {
            j = m + 1;
            continue;
        }
        if p.is_punct(j, ";")
            || p.is_punct(j, ",")
            || p.is_punct(j, ")")
            || p.is_punct(j, "]")
            || p.is_punct(j, "}")
        {
            return j;
        }
        j += 1;
    }
    n
}
