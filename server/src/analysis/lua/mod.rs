//! Lua analysis: parsing with full_moon (error-recovering, on a large-stack thread, behind a
//! nesting cap), locals and their API types, member chains over tokens, completion, hover and
//! signature help.
//!
//! Everything here works on text that does not parse: full_moon recovers a partial tree for
//! the locals, and the questions asked at a cursor ("what is before this `.`?") are answered
//! on tokens, which exist for any text.

pub mod completion;
pub mod facts;
pub mod hover;
pub mod lexer;
pub mod scope;
pub mod signature;
pub mod split;
pub mod types;

use std::collections::BTreeSet;

use full_moon::LuaVersion;

pub use completion::complete;
pub use hover::hover;
use lexer::{NO_MATCH, Token, TokenKind, Tokens};
pub use scope::{LocalKind, LocalVar};
pub use signature::signature_help;
use types::Val;

use crate::analysis::model::NotParsed;
use crate::analysis::name_index::NameIndex;
use crate::analysis::{TextRange, stack};

/// Deeper nesting than this is not parsed: full_moon recurses per level and a hostile or
/// generated file would overflow even a large stack. 200 is far beyond hand-written code and
/// leaves the 64 MiB parser stack a wide margin (it handles about 2,000 levels).
pub const MAX_NESTING: usize = 200;

/// Larger documents are not parsed. full_moon's tree takes about 250 bytes of memory per byte
/// of source, so 1 MiB (some 25,000 lines, far beyond a hand-written script) already peaks near
/// 250 MB while it is parsed; a 10 MB generated file would take gigabytes and seconds.
pub const MAX_PARSED_BYTES: usize = 1 << 20;

/// A syntax error reported by full_moon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// A parsed Lua document: its text, tokens, syntax errors and locals. It holds no full_moon
/// tree (that stays on the parser thread), so it is cheap to share between requests.
#[derive(Debug, Clone)]
pub struct ParsedLua {
    pub text: String,
    pub tokens: Tokens,
    pub errors: Vec<SyntaxError>,
    /// Why full_moon was not run, when it was not: then there are no locals, calls or errors.
    pub not_parsed: Option<NotParsed>,
    pub locals: Vec<LocalVar>,
    /// The indexes in `locals` by name and visibility, so resolving a name stays cheap
    /// however often the document redeclares it.
    pub locals_by_name: NameIndex,
    pub assigned_globals: BTreeSet<String>,
    /// Every call with its literal arguments, and every global read: facts for diagnostics.
    pub calls: Vec<facts::CallFact>,
    pub global_reads: Vec<facts::GlobalRead>,
    /// What [`ParsedLua::accesses`] found, once asked.
    accesses: std::sync::OnceLock<Vec<Access>>,
}

/// Parses `text`. Never fails and never panics: bad input gives errors, not a missing result.
pub fn parse(text: &str) -> ParsedLua {
    parse_in_parts(text, parts_for(text.len()))
}

/// [`parse`], with full_moon run on up to `parts` parts of the text at once.
fn parse_in_parts(text: &str, parts: usize) -> ParsedLua {
    let tokens = lexer::tokenize(text);
    let mut parsed = ParsedLua {
        text: text.to_owned(),
        tokens,
        errors: Vec::new(),
        not_parsed: None,
        locals: Vec::new(),
        locals_by_name: NameIndex::default(),
        assigned_globals: BTreeSet::new(),
        calls: Vec::new(),
        global_reads: Vec::new(),
        accesses: std::sync::OnceLock::new(),
    };
    if text.len() > MAX_PARSED_BYTES {
        parsed.not_parsed = Some(NotParsed::TooLarge {
            bytes: text.len(),
            max: MAX_PARSED_BYTES,
        });
        return parsed;
    }
    let (depth, at) = lexer::max_depth(text, &parsed.tokens.tokens);
    if depth > MAX_NESTING {
        parsed.not_parsed = Some(NotParsed::TooDeep {
            at: at.unwrap_or(TextRange::at(0)),
            max: MAX_NESTING,
        });
        return parsed;
    }
    // full_moon 3 panics (`unreachable!`) on a backtick outside a string, which only its CfxLua
    // dialect lexes. Our lexer finds those; they are blanked out for full_moon (offsets stay
    // the same) and reported as syntax errors here.
    let mut stray = Vec::new();
    for token in &parsed.tokens.tokens {
        if token.kind == lexer::TokenKind::Unknown
            && text.get(token.range.start..token.range.end) == Some("`")
        {
            stray.push(token.range);
        }
    }
    // Every backtick is blanked, not just the stray ones: where full_moon's tokenizer disagrees
    // with ours (a malformed number before a quote, say) it can meet one we saw inside a string.
    // A backtick is one byte, so offsets stay the same.
    let blanked;
    let text: &str = if text.contains('`') {
        blanked = text.replace('`', " ");
        &blanked
    } else {
        text
    };
    // A large text is cut into parts parsed on as many cores; the parts are walked in order,
    // as one chunk.
    let mut starts = vec![0];
    starts.extend(split::cuts(
        text,
        &parsed.tokens.tokens,
        &cut_targets(text.len(), parts),
    ));
    let pieces: Vec<(&str, usize)> = starts
        .iter()
        .enumerate()
        .map(|(k, &start)| {
            let end = starts.get(k + 1).copied().unwrap_or(text.len());
            (&text[start..end], start)
        })
        .collect();
    // The trees are built, read and dropped on big-stack threads: dropping a deep tree
    // recurses as much as building it. Each part is walked as soon as it and the parts before
    // it are parsed, while the later ones are still being parsed.
    let result = stack::with_large_stack("lua-parse", || {
        std::thread::scope(|inner| {
            let others: Vec<_> = pieces[1..]
                .iter()
                .map(|&(piece, _)| {
                    stack::spawn_scoped(inner, "lua-parse", move || {
                        full_moon::parse_fallible(piece, LuaVersion::lua54())
                    })
                })
                .collect();
            let mut walker = scope::PartsWalker::new(text.len());
            let mut errors = Vec::new();
            // A text large enough to be cut is one whose trees take milliseconds to free:
            // an editor waits for its diagnostics, not for that. Small texts free theirs here,
            // which keeps `llmspell lint`'s workers from queueing behind one freeing thread.
            let in_background = pieces.len() > 1;
            let mut take = |tree: full_moon::ast::AstResult, base: usize| {
                errors.extend(syntax_errors(&tree, &text[base..], base));
                walker.walk(tree.ast(), base);
                if in_background {
                    stack::drop_in_background(tree);
                }
            };
            let (first, first_base) = pieces[0];
            take(
                full_moon::parse_fallible(first, LuaVersion::lua54()),
                first_base,
            );
            for (other, &(_, base)) in others.into_iter().zip(&pieces[1..]) {
                // A part whose parser panicked leaves the whole text without facts.
                take(other?.join().ok()?, base);
            }
            Some((errors, walker.finish()))
        })
    })
    .flatten();
    // A parser panic (a full_moon bug) leaves the document without locals or syntax errors:
    // the analysis then stays quiet rather than taking the server down.
    if let Some((errors, scopes)) = result {
        parsed.errors = stray
            .iter()
            .map(|range| SyntaxError {
                range: *range,
                message: "unexpected character '`'".to_owned(),
            })
            .chain(errors)
            .collect();
        parsed.locals = scopes.locals;
        parsed.assigned_globals = scopes.assigned_globals;
        parsed.calls = scopes.calls;
        parsed.global_reads = scopes.global_reads;
    }
    for (i, local) in parsed.locals.iter().enumerate() {
        parsed.locals_by_name.insert(&local.name, local.visible, i);
    }
    parsed
}

/// How many parts to parse a text of `len` bytes in: one per 128 KiB, at most one per core.
/// Small texts stay whole (a thread costs more than it saves), and `llmspell lint` already
/// keeps every core busy with whole files.
fn parts_for(len: usize) -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cores = *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from));
    (len / (128 << 10)).clamp(1, cores)
}

/// The syntax errors full_moon found in the part of the text that starts at byte `base`.
fn syntax_errors<'a>(
    tree: &'a full_moon::ast::AstResult,
    part: &'a str,
    base: usize,
) -> impl Iterator<Item = SyntaxError> + 'a {
    tree.errors().iter().map(move |e| {
        let (a, b) = e.range();
        let local = clamp(part, a.bytes(), b.bytes());
        SyntaxError {
            range: TextRange::new(base + local.start, base + local.end),
            message: e.error_message().into_owned(),
        }
    })
}

/// Walking a part's tree takes about this many tenths of the time parsing it took.
const WALK_TENTHS_OF_PARSE: usize = 3;

/// Where to aim the cuts of a text of `len` bytes parsed in `parts` parts. This thread parses
/// the first part and walks it while the others are parsed on theirs, so the first part is
/// made smaller by its walk's share: it is then walked by the time the second is parsed.
fn cut_targets(len: usize, parts: usize) -> Vec<usize> {
    let first = 10;
    let other = 10 + WALK_TENTHS_OF_PARSE;
    let total = first + other * parts.saturating_sub(1);
    (1..parts)
        .map(|k| len * (first + other * (k - 1)) / total)
        .collect()
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

/// One `.name` or `:name` step of a member chain.
#[derive(Debug, Clone, Copy)]
pub struct Access {
    /// The value left of the separator.
    pub receiver: Val,
    /// The receiver's source, from the chain's first token to the separator.
    pub receiver_range: TextRange,
    pub sep: char,
    /// Token indices of the separator and the name.
    pub sep_token: usize,
    pub name_token: usize,
    /// Whether call arguments follow the name.
    pub called: bool,
    /// Whether the name is the target of an assignment (`Agent.x = 1`).
    pub assigned: bool,
}

impl ParsedLua {
    pub fn token_text(&self, i: usize) -> &str {
        let r = self.tokens.tokens[i].range;
        &self.text[r.start..r.end]
    }

    fn tok(&self, i: usize) -> Option<&Token> {
        self.tokens.tokens.get(i)
    }

    /// Whether token `i` is the symbol `s`.
    pub fn is_sym(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Symbol) && self.token_text(i) == s
    }

    pub fn is_keyword(&self, i: usize, s: &str) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Keyword) && self.token_text(i) == s
    }

    pub fn is_name(&self, i: usize) -> bool {
        self.tok(i).is_some_and(|t| t.kind == TokenKind::Name)
    }

    fn is_string(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| matches!(t.kind, TokenKind::String { .. }))
    }

    /// The local `name` refers to at `offset`: the visible one declared last.
    pub fn local_at(&self, name: &str, offset: usize) -> Option<&LocalVar> {
        self.locals_by_name
            .lookup(name, offset)
            .map(|i| &self.locals[i])
    }

    /// The index of the token starting at byte `offset`, if one does.
    pub fn token_starting_at(&self, offset: usize) -> Option<usize> {
        let i = self
            .tokens
            .tokens
            .partition_point(|t| t.range.start < offset);
        (self.tok(i)?.range.start == offset).then_some(i)
    }

    /// The value of the name token `i`.
    pub fn name_value(&self, i: usize) -> Val {
        let name = self.token_text(i);
        let at = self.tokens.tokens[i].range.start;
        match self.local_at(name, at) {
            Some(l) => match l.ty {
                Some(t) if !l.reassigned => Val::Type(t),
                _ => Val::Unknown,
            },
            None => scope::global_type(name, &self.assigned_globals),
        }
    }

    /// Whether token `i` starts call arguments: `(`, `{` or a string.
    fn starts_args(&self, i: usize) -> bool {
        self.is_sym(i, "(") || self.is_sym(i, "{") || self.is_string(i)
    }

    /// The token after call arguments starting at `i`, if they are closed.
    fn after_args(&self, i: usize) -> Option<usize> {
        if self.is_string(i) {
            return Some(i + 1);
        }
        match self.tokens.matching.get(i) {
            Some(&m) if m != NO_MATCH => Some(m + 1),
            _ => None,
        }
    }

    /// Walks the member chain whose first token is the name `root`, up to (not including)
    /// token `stop`, calling `on_access` for every `.name` / `:name`. Returns the value reached.
    pub fn walk_chain(&self, root: usize, stop: usize, mut on_access: impl FnMut(&Access)) -> Val {
        let mut val = self.name_value(root);
        let root_start = self.tokens.tokens[root].range.start;
        let mut j = root + 1;
        while j < stop {
            if (self.is_sym(j, ".") || self.is_sym(j, ":")) && self.is_name(j + 1) && j + 1 < stop {
                let sep = if self.is_sym(j, ".") { '.' } else { ':' };
                let after = j + 2;
                let access = Access {
                    receiver: val,
                    receiver_range: TextRange::new(root_start, self.tokens.tokens[j].range.start),
                    sep,
                    sep_token: j,
                    name_token: j + 1,
                    called: after < self.tokens.tokens.len() && self.starts_args(after),
                    assigned: self.is_sym(after, "="),
                };
                on_access(&access);
                val = types::member_of(val, self.token_text(j + 1), sep);
                j = after;
            } else if self.starts_args(j) {
                match self.after_args(j) {
                    Some(next) => {
                        val = types::call(val);
                        j = next;
                    }
                    None => return Val::Unknown,
                }
            } else if self.is_sym(j, "[") {
                match self.after_args_bracket(j) {
                    Some(next) => {
                        val = Val::Unknown;
                        j = next;
                    }
                    None => return Val::Unknown,
                }
            } else {
                break;
            }
        }
        val
    }

    fn after_args_bracket(&self, i: usize) -> Option<usize> {
        match self.tokens.matching.get(i) {
            Some(&m) if m != NO_MATCH => Some(m + 1),
            _ => None,
        }
    }

    /// Whether the name token `i` starts a chain: not a member (`a.b`), not a declared
    /// function's dotted name (`function M.f`), not a goto label.
    pub fn is_chain_root(&self, i: usize) -> bool {
        if !self.is_name(i) || i == 0 {
            return self.is_name(i);
        }
        let p = i - 1;
        !(self.is_sym(p, ".")
            || self.is_sym(p, ":")
            || self.is_sym(p, "::")
            || self.is_keyword(p, "function")
            || self.is_keyword(p, "goto"))
    }

    /// The first token of the chain that ends with token `last`, when it is a chain rooted in
    /// a name (`Agent.create{...}:x` → `Agent`).
    pub fn chain_root_before(&self, last: usize) -> Option<usize> {
        let mut p = last;
        for _ in 0..10_000 {
            let t = self.tok(p)?;
            if t.kind == TokenKind::Name {
                if p > 0 && (self.is_sym(p - 1, ".") || self.is_sym(p - 1, ":")) {
                    p = p.checked_sub(2)?;
                    continue;
                }
                return self.is_chain_root(p).then_some(p);
            }
            let open = if self.is_sym(p, ")") || self.is_sym(p, "}") || self.is_sym(p, "]") {
                match self.tokens.matching[p] {
                    NO_MATCH => return None,
                    m => m,
                }
            } else if self.is_string(p) {
                p
            } else {
                return None;
            };
            // Arguments or an index must follow something that is itself a chain.
            let before = open.checked_sub(1)?;
            let chainy = self.is_name(before)
                || self.is_sym(before, ")")
                || self.is_sym(before, "]")
                || self.is_sym(before, "}")
                || self.is_string(before);
            if !chainy {
                return None;
            }
            p = before;
        }
        None
    }

    /// The value of the chain ending with token `last` (inclusive).
    pub fn chain_value_before(&self, last: usize) -> Val {
        match self.chain_root_before(last) {
            Some(root) => self.walk_chain(root, last + 1, |_| {}),
            None => Val::Unknown,
        }
    }

    /// Every `.name` / `:name` step of every chain in the document, found once and kept:
    /// several rules read them all.
    pub fn accesses(&self) -> &[Access] {
        self.accesses.get_or_init(|| {
            let mut out = Vec::new();
            let n = self.tokens.tokens.len();
            for i in 0..n {
                if self.is_chain_root(i) {
                    self.walk_chain(i, n, |a| out.push(*a));
                }
            }
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example script many times over, each copy in a `do ... end` of its own except
    /// the top-level locals of every fourth, so cuts fall both between blocks and between
    /// statements that share the chunk's scope.
    fn long_script() -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");
        let mut examples: Vec<String> = std::fs::read_dir(dir)
            .expect("examples")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "lua"))
            .map(|p| std::fs::read_to_string(p).expect("example"))
            .collect();
        examples.sort();
        let mut text = String::new();
        for k in 0..40 {
            for (i, example) in examples.iter().enumerate() {
                // `return` may only end a block, so each copy gets one.
                if (k + i) % 4 == 0 && !example.contains("\nreturn") {
                    text.push_str(example);
                } else {
                    text.push_str("do\n");
                    text.push_str(example);
                    text.push_str("\nend\n");
                }
            }
        }
        text
    }

    #[test]
    fn the_first_part_is_the_smaller() {
        assert_eq!(cut_targets(1000, 1), Vec::<usize>::new());
        // Parsed and walked here while the second is parsed: 10 : 13.
        assert_eq!(cut_targets(2300, 2), [1000]);
        assert_eq!(cut_targets(3600, 3), [1000, 2300]);
    }

    #[test]
    fn parsing_in_parts_finds_what_parsing_whole_finds() {
        let text = long_script();
        for text in [text.clone(), format!("{text}\nlocal broken = (\n{text}")] {
            let whole = parse_in_parts(&text, 1);
            // The valid text offers all three cuts; the broken one only before its open
            // bracket, which no cut may follow.
            let cut = split::cuts(&text, &whole.tokens.tokens, &cut_targets(text.len(), 4));
            assert!(!cut.is_empty(), "the script offers cuts");
            let parted = parse_in_parts(&text, 4);
            assert_eq!(
                format!("{:?}", parted.errors),
                format!("{:?}", whole.errors)
            );
            assert_eq!(
                format!("{:?}", parted.locals),
                format!("{:?}", whole.locals)
            );
            assert_eq!(format!("{:?}", parted.calls), format!("{:?}", whole.calls));
            assert_eq!(
                format!("{:?}", parted.global_reads),
                format!("{:?}", whole.global_reads)
            );
            assert_eq!(parted.assigned_globals, whole.assigned_globals);
        }
    }
}
