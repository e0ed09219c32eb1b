//! The results of analysis, in the analysis's own terms (byte ranges, plain strings), so every
//! front end (the language server, `llmspell lint`) converts them its own way.

/// Why a document's text was not given to the parser. Analysis then rests on tokens alone,
/// which cannot tell a shadowing local from an API global, so only the rule that says why
/// reports anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotParsed {
    /// Brackets or blocks nest deeper than `max` levels, first at `at`: the parser recurses
    /// per level and would overflow its stack.
    TooDeep { at: TextRange, max: usize },
    /// The text has `bytes` bytes, more than the parser is given (`max`).
    TooLarge { bytes: usize, max: usize },
}

/// A half-open byte range `[start, end)` of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: usize,
    pub end: usize,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        TextRange {
            start: start.min(end),
            end: start.max(end),
        }
    }

    /// An empty range at `offset`.
    pub fn at(offset: usize) -> Self {
        TextRange {
            start: offset,
            end: offset,
        }
    }

    pub fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
}

/// What a completion inserts, for the editor's icon and sorting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CompletionKind {
    /// A global of the API (`Agent`) or of the standard library (`string`).
    Global,
    /// A namespace function (`Agent.create`) or a global function (`print`).
    Function,
    /// A method of an API object (`agent:execute`).
    Method,
    /// A read-only field of an API object (`agent.name`) or a field of a result table.
    Field,
    /// A field of a config table (`model = ` inside `Agent.create{ }`).
    ConfigField,
    /// A local variable or parameter in scope.
    Variable,
    /// One of a field's allowed values, or a tool or model name.
    Value,
    Keyword,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A one-line signature or type, shown beside the label.
    pub detail: Option<String>,
    /// Markdown documentation from the API definition.
    pub documentation: Option<String>,
    /// What to insert when it differs from the label, as an LSP snippet (`$1`, `${1:name}`).
    pub snippet: Option<String>,
    /// Replaced by the completion: the partial word already typed.
    pub replace: TextRange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

/// A finding of a diagnostic rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// The rule's stable code (`unknown-member`), used in configuration and suppressions.
    pub code: &'static str,
    pub message: String,
    /// A sure correction, offered as a quick fix (the did-you-mean name, `.` to `:`).
    pub fix: Option<Fix>,
}

/// Text edits that correct a finding, with a title for the editor's menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<(TextRange, String)>,
}

impl Fix {
    /// Replaces `range` with the suggested name.
    pub fn replace(range: TextRange, with: &str) -> Fix {
        Fix {
            title: format!("Change to '{with}'"),
            edits: vec![(range, with.to_owned())],
        }
    }
}

/// What hovering over a name or string shows: Markdown (a Lua code block with the signature or
/// type, the doc, the example) for the hovered token's `range`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The signature of the API call the cursor is in the arguments of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureHelp {
    /// `Agent.create(config: AgentConfig) -> Agent`.
    pub label: String,
    /// Markdown documentation of the function.
    pub documentation: Option<String>,
    /// Each parameter's label, a substring of `label` (`config: AgentConfig`), and its doc.
    pub parameters: Vec<(String, String)>,
    /// The parameter the cursor is in: the number of top-level commas before it. It may lie past
    /// the last parameter (too many arguments); a variadic last parameter absorbs the rest.
    pub active_parameter: usize,
}
