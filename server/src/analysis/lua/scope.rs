//! Scopes and locals, read from full_moon's (possibly partial) tree: every local with the range
//! where it is visible and, when its initializer is an API value, its type.
//!
//! A local's type is only trusted while nothing reassigns it: a local that is the target of an
//! assignment anywhere is reported as untyped, so flow-insensitive inference never guesses.

use std::collections::{BTreeSet, HashMap};

use full_moon::ast::{
    Ast, Block, Call, Expression, Field, FunctionArgs, FunctionBody, FunctionCall, Index, LastStmt,
    Parameter, Prefix, Stmt, Suffix, TableConstructor, Var,
};
use full_moon::node::Node;
use full_moon::tokenizer::TokenReference;
use llmspell_runtime::definition::{Language, TypeDef};

use super::facts::{self, Arg, CallFact, GlobalRead};
use super::types::{self, Val};
use crate::analysis::TextRange;

/// How a local came to be, so rules can treat parameters and loop variables (often unused by
/// design) differently from `local` statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalKind {
    /// `local x = ...`
    Local,
    /// `local function f() end`
    LocalFunction,
    Parameter,
    /// A numeric or generic `for` variable.
    LoopVariable,
    /// The implicit `self` of `function t:m() end`.
    ImplicitSelf,
}

#[derive(Debug, Clone)]
pub struct LocalVar {
    pub name: String,
    /// The name where it is declared.
    pub decl: TextRange,
    /// Where the name refers to this local: from the end of its declaration to the end of
    /// the enclosing block (the end of the text for a block left open while typing).
    pub visible: TextRange,
    /// The API type of its initializer, when known.
    pub ty: Option<&'static TypeDef>,
    /// Whether an assignment elsewhere may change its value.
    pub reassigned: bool,
    /// Whether any expression reads it (assigning to it is not a read).
    pub read: bool,
    pub kind: LocalKind,
}

#[derive(Debug, Clone, Default)]
pub struct Scopes {
    pub locals: Vec<LocalVar>,
    /// Globals the script assigns (`Agent = nil`): their API type is no longer certain.
    pub assigned_globals: BTreeSet<String>,
    /// Every call, with its literal arguments (for argument and config-table checks).
    pub calls: Vec<CallFact>,
    /// Every read of a name no local declares at that point.
    pub global_reads: Vec<GlobalRead>,
}

/// Walks a text parsed in consecutive parts, each with the offset where it starts: the parts
/// are walked in order as one chunk, so a local of one part is in scope in the next. A part
/// can be walked as soon as it is parsed, while later parts are still being parsed.
pub struct PartsWalker(Walker);

impl PartsWalker {
    pub fn new(text_len: usize) -> PartsWalker {
        PartsWalker(Walker {
            text_len,
            base: 0,
            scopes: Scopes::default(),
            stack: vec![Vec::new()],
            in_scope: HashMap::new(),
        })
    }

    /// Walks the next part, which starts at byte `base` of the text.
    pub fn walk(&mut self, part: &Ast, base: usize) {
        self.0.base = base;
        let text_len = self.0.text_len;
        self.0.statements(part.nodes(), text_len);
    }

    pub fn finish(self) -> Scopes {
        self.0.scopes
    }
}

struct Walker {
    text_len: usize,
    /// Where the part being walked starts in the text.
    base: usize,
    scopes: Scopes,
    /// Indices into `scopes.locals` of the locals visible so far, one frame per open block.
    stack: Vec<Vec<usize>>,
    /// The same locals by name, latest last: a script that declares thousands of locals in one
    /// block would otherwise make every name read scan them all.
    in_scope: HashMap<String, Vec<usize>>,
}

impl Walker {
    // Positions in the tree count from the start of the part that was parsed; `base` makes
    // them offsets into the whole text.
    fn start(&self, t: &TokenReference) -> usize {
        self.base + t.token().start_position().bytes()
    }

    fn end(&self, t: &TokenReference) -> usize {
        self.base + t.token().end_position().bytes()
    }

    fn node_end(&self, n: &impl Node) -> Option<usize> {
        n.end_position().map(|p| self.base + p.bytes())
    }

    fn node_range(&self, n: &impl Node) -> TextRange {
        facts::range_of(n, self.base)
    }

    /// Where a block closed by `closer` ends. A closer the parser invented for a block left
    /// open has no position (it reports 0): the block then runs to the end of the text.
    fn block_end(&self, closer: &TokenReference, opened_at: usize) -> usize {
        let at = self.start(closer);
        if at <= opened_at { self.text_len } else { at }
    }

    fn declare(
        &mut self,
        name: &TokenReference,
        visible_from: usize,
        scope_end: usize,
        ty: Option<&'static TypeDef>,
        kind: LocalKind,
    ) {
        let decl = TextRange::new(self.start(name), self.end(name));
        // `visible_from` of a partial tree's statement can be a phantom 0: never before the name.
        let from = visible_from.max(decl.end);
        self.scopes.locals.push(LocalVar {
            name: facts::name_text(name).into_owned(),
            decl,
            visible: TextRange::new(from, scope_end.max(from)),
            ty,
            reassigned: false,
            read: false,
            kind,
        });
        self.bring_into_scope(self.scopes.locals.len() - 1);
    }

    /// Makes the local `idx` visible until the innermost open block ends.
    fn bring_into_scope(&mut self, idx: usize) {
        if let Some(frame) = self.stack.last_mut() {
            frame.push(idx);
            self.in_scope
                .entry(self.scopes.locals[idx].name.clone())
                .or_default()
                .push(idx);
        }
    }

    fn open_block(&mut self) {
        self.stack.push(Vec::new());
    }

    /// Ends the innermost block: its locals leave the scope.
    fn close_block(&mut self) {
        for idx in self.stack.pop().unwrap_or_default() {
            if let Some(namesakes) = self.in_scope.get_mut(&self.scopes.locals[idx].name) {
                namesakes.pop();
            }
        }
    }

    /// A name read as a value: marks its local as used, or records a global read.
    fn read(&mut self, name: &TokenReference) {
        let text = facts::name_text(name);
        match self.lookup(&text) {
            Some(i) => self.scopes.locals[i].read = true,
            None => self.scopes.global_reads.push(GlobalRead {
                name: text.into_owned(),
                range: TextRange::new(self.start(name), self.end(name)),
            }),
        }
    }

    fn lookup(&self, name: &str) -> Option<usize> {
        self.in_scope.get(name)?.last().copied()
    }

    fn block(&mut self, block: &Block, scope_end: usize) {
        self.block_then(block, scope_end, None);
    }

    /// A block, then `after` still inside its scope (`repeat ... until cond` sees the block's
    /// locals in `cond`).
    fn block_then(&mut self, block: &Block, scope_end: usize, after: Option<&Expression>) {
        self.open_block();
        self.statements(block, scope_end);
        if let Some(e) = after {
            self.expr(e);
        }
        self.close_block();
    }

    /// The statements of `block`, in the scope that is open.
    fn statements(&mut self, block: &Block, scope_end: usize) {
        for stmt in block.stmts() {
            self.stmt(stmt, scope_end);
        }
        if let Some(LastStmt::Return(ret)) = block.last_stmt() {
            for e in ret.returns() {
                self.expr(e);
            }
        }
    }

    /// A block that starts with locals of its own (loop variables, parameters).
    fn block_with(&mut self, names: &[&TokenReference], block: &Block, scope_end: usize) {
        self.open_block();
        for name in names {
            self.declare(
                name,
                self.end(name),
                scope_end,
                None,
                LocalKind::LoopVariable,
            );
        }
        self.block(block, scope_end);
        self.close_block();
    }

    fn stmt(&mut self, stmt: &Stmt, scope_end: usize) {
        match stmt {
            Stmt::LocalAssignment(la) => {
                let tys: Vec<Option<&'static TypeDef>> = la
                    .expressions()
                    .iter()
                    .map(|e| {
                        self.expr(e);
                        match self.expr_type(e) {
                            Val::Type(t) => Some(t),
                            _ => None,
                        }
                    })
                    .collect();
                let stmt_end = self.node_end(la).unwrap_or(0);
                for (i, name) in la.names().iter().enumerate() {
                    self.declare(
                        name,
                        stmt_end,
                        scope_end,
                        tys.get(i).copied().flatten(),
                        LocalKind::Local,
                    );
                }
            }
            Stmt::LocalFunction(lf) => {
                self.declare(
                    lf.name(),
                    self.start(lf.name()),
                    scope_end,
                    None,
                    LocalKind::LocalFunction,
                );
                self.body(lf.body(), &[]);
            }
            Stmt::FunctionDeclaration(fd) => {
                let names = fd.name().names();
                if names.len() == 1
                    && fd.name().method_name().is_none()
                    && let Some(first) = names.iter().next()
                {
                    self.assign(&facts::name_text(first));
                } else if let Some(first) = names.iter().next() {
                    // `function M.f()` / `function M:f()` reads `M`.
                    self.read(first);
                }
                let is_method = fd.name().method_name().is_some();
                self.body(fd.body(), if is_method { &["self"] } else { &[] });
            }
            Stmt::Assignment(a) => {
                for v in a.variables() {
                    match v {
                        Var::Name(n) => self.assign(&facts::name_text(n)),
                        other => self.var(other),
                    }
                }
                for e in a.expressions() {
                    self.expr(e);
                }
            }
            Stmt::FunctionCall(call) => self.call(call),
            Stmt::Do(d) => {
                let end_at = self.block_end(d.end_token(), self.start(d.do_token()));
                self.block(d.block(), end_at);
            }
            Stmt::While(w) => {
                self.expr(w.condition());
                let end_at = self.block_end(w.end_token(), self.start(w.do_token()));
                self.block(w.block(), end_at);
            }
            Stmt::Repeat(r) => {
                // The `until` condition still sees the block's locals.
                let end_at = self
                    .node_end(r.until())
                    .filter(|&e| e > self.start(r.repeat_token()))
                    .unwrap_or(self.text_len);
                self.block_then(r.block(), end_at, Some(r.until()));
            }
            Stmt::If(i) => {
                self.expr(i.condition());
                let mut closers: Vec<&TokenReference> = Vec::new();
                if let Some(eifs) = i.else_if() {
                    closers.extend(eifs.iter().map(|e| e.else_if_token()));
                }
                closers.extend(i.else_token());
                closers.push(i.end_token());
                let opened = self.start(i.then_token());
                let first_end = self.block_end(closers[0], opened);
                self.block(i.block(), first_end);
                if let Some(eifs) = i.else_if() {
                    for (k, e) in eifs.iter().enumerate() {
                        self.expr(e.condition());
                        let end_at = self.block_end(closers[k + 1], self.start(e.then_token()));
                        self.block(e.block(), end_at);
                    }
                }
                if let (Some(b), Some(tok)) = (i.else_block(), i.else_token()) {
                    let end_at = self.block_end(i.end_token(), self.start(tok));
                    self.block(b, end_at);
                }
            }
            Stmt::NumericFor(f) => {
                self.expr(f.start());
                self.expr(f.end());
                if let Some(step) = f.step() {
                    self.expr(step);
                }
                let end_at = self.block_end(f.end_token(), self.start(f.do_token()));
                self.block_with(&[f.index_variable()], f.block(), end_at);
            }
            Stmt::GenericFor(f) => {
                for e in f.expressions() {
                    self.expr(e);
                }
                let names: Vec<&TokenReference> = f.names().iter().collect();
                let end_at = self.block_end(f.end_token(), self.start(f.do_token()));
                self.block_with(&names, f.block(), end_at);
            }
            _ => {}
        }
    }

    fn assign(&mut self, name: &str) {
        match self.lookup(name) {
            Some(i) => self.scopes.locals[i].reassigned = true,
            None => {
                self.scopes.assigned_globals.insert(name.to_owned());
            }
        }
    }

    fn body(&mut self, body: &FunctionBody, implicit: &[&str]) {
        let (open, _) = body.parameters_parentheses().tokens();
        let opened = self.start(open);
        let end_at = self.block_end(body.end_token(), opened);
        self.open_block();
        for name in implicit {
            // `self` of `function t:m()`: visible in the body, declared nowhere in the text.
            self.scopes.locals.push(LocalVar {
                name: (*name).to_owned(),
                decl: TextRange::at(opened),
                visible: TextRange::new(opened, end_at),
                ty: None,
                reassigned: false,
                read: false,
                kind: LocalKind::ImplicitSelf,
            });
            self.bring_into_scope(self.scopes.locals.len() - 1);
        }
        for p in body.parameters() {
            if let Parameter::Name(n) = p {
                self.declare(n, opened, end_at, None, LocalKind::Parameter);
            }
        }
        self.block(body.block(), end_at);
        self.close_block();
    }

    fn expr(&mut self, e: &Expression) {
        match e {
            Expression::BinaryOperator { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            Expression::Parentheses { expression, .. }
            | Expression::UnaryOperator { expression, .. } => self.expr(expression),
            Expression::Function(f) => self.body(f.body(), &[]),
            Expression::FunctionCall(c) => self.call(c),
            Expression::TableConstructor(t) => self.table(t),
            Expression::Var(v) => self.var(v),
            _ => {}
        }
    }

    fn table(&mut self, t: &TableConstructor) {
        for field in t.fields() {
            match field {
                Field::ExpressionKey { key, value, .. } => {
                    self.expr(key);
                    self.expr(value);
                }
                Field::NameKey { value, .. } => self.expr(value),
                Field::NoKey(value) => self.expr(value),
                _ => {}
            }
        }
    }

    fn var(&mut self, v: &Var) {
        match v {
            Var::Expression(ve) => {
                self.prefix(ve.prefix());
                for s in ve.suffixes() {
                    self.suffix(s);
                }
            }
            Var::Name(n) => self.read(n),
            _ => {}
        }
    }

    fn call(&mut self, c: &FunctionCall) {
        self.prefix(c.prefix());
        for s in c.suffixes() {
            self.suffix(s);
        }
    }

    fn prefix(&mut self, p: &Prefix) {
        match p {
            Prefix::Expression(e) => self.expr(e),
            Prefix::Name(n) => self.read(n),
            _ => {}
        }
    }

    fn suffix(&mut self, s: &Suffix) {
        match s {
            Suffix::Call(Call::AnonymousCall(args)) => {
                self.record_call(args);
                self.args(args);
            }
            Suffix::Call(Call::MethodCall(m)) => {
                self.record_call(m.args());
                self.args(m.args());
            }
            Suffix::Index(Index::Brackets { expression, .. }) => self.expr(expression),
            _ => {}
        }
    }

    fn record_call(&mut self, args: &FunctionArgs) {
        let Some(args_start) = args.start_position().map(|p| self.base + p.bytes()) else {
            return;
        };
        let (args, open_ended) = match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                let list: Vec<Arg> = arguments
                    .iter()
                    .map(|e| Arg {
                        lit: facts::lit(e, self.base),
                        range: self.node_range(e),
                    })
                    .collect();
                (list, arguments.iter().last().is_some_and(facts::is_multi))
            }
            FunctionArgs::TableConstructor(t) => (
                vec![Arg {
                    lit: facts::Lit::Table(facts::table(t, self.base)),
                    range: self.node_range(t),
                }],
                false,
            ),
            FunctionArgs::String(s) => (
                vec![Arg {
                    lit: facts::lit(&Expression::String(s.clone()), self.base),
                    range: TextRange::new(self.start(s), self.end(s)),
                }],
                false,
            ),
            _ => return,
        };
        self.scopes.calls.push(CallFact {
            args_start,
            args,
            open_ended,
        });
    }

    fn args(&mut self, args: &FunctionArgs) {
        match args {
            FunctionArgs::Parentheses { arguments, .. } => {
                for a in arguments {
                    self.expr(a);
                }
            }
            FunctionArgs::TableConstructor(t) => self.table(t),
            _ => {}
        }
    }

    /// The API type of an initializer, following names, member chains and calls.
    fn expr_type(&self, e: &Expression) -> Val {
        match e {
            Expression::Parentheses { expression, .. } => self.expr_type(expression),
            Expression::FunctionCall(c) => self.chain_type(c.prefix(), c.suffixes()),
            Expression::Var(Var::Name(n)) => self.name_type(&facts::name_text(n)),
            Expression::Var(Var::Expression(ve)) => self.chain_type(ve.prefix(), ve.suffixes()),
            _ => Val::Unknown,
        }
    }

    fn name_type(&self, name: &str) -> Val {
        if let Some(i) = self.lookup(name) {
            let local = &self.scopes.locals[i];
            return match local.ty {
                Some(t) if !local.reassigned => Val::Type(t),
                _ => Val::Unknown,
            };
        }
        global_type(name, &self.scopes.assigned_globals)
    }

    fn chain_type<'a>(&self, prefix: &Prefix, suffixes: impl Iterator<Item = &'a Suffix>) -> Val {
        let mut val = match prefix {
            Prefix::Name(n) => self.name_type(&facts::name_text(n)),
            Prefix::Expression(e) => self.expr_type(e),
            _ => Val::Unknown,
        };
        for s in suffixes {
            val = match s {
                Suffix::Index(Index::Dot { name, .. }) => {
                    types::member_of(val, &facts::name_text(name), '.')
                }
                Suffix::Call(Call::MethodCall(m)) => {
                    types::call(types::member_of(val, &facts::name_text(m.name()), ':'))
                }
                Suffix::Call(Call::AnonymousCall(_)) => types::call(val),
                _ => Val::Unknown,
            };
        }
        val
    }
}

/// The value of a global name that no local shadows: an API global's type, a standard-library
/// table, or unknown. A global the script assigns is unknown.
pub fn global_type(name: &str, assigned: &BTreeSet<String>) -> Val {
    if assigned.contains(name) {
        return Val::Unknown;
    }
    let def = types::def();
    if let Some(g) = def.globals_for(Language::Lua).find(|g| g.name == name) {
        return g
            .ty
            .as_ref()
            .and_then(types::named)
            .map_or(Val::Unknown, Val::Type);
    }
    match def.lua_stdlib.tables.get_key_value(name) {
        Some((k, _)) => Val::StdTable(k.as_str()),
        None => Val::Unknown,
    }
}
