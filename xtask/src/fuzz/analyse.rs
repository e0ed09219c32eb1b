//! One fuzz case's analysis: everything an editor asks of a document after an edit, asked the way
//! the language server asks it, and the invariants its answers must keep.
//!
//! The invariants are the ones that hold for any input, so a violation is always a bug and never
//! a matter of opinion: every range an answer carries lies within the text, on character
//! boundaries, with its start before its end (the server converts ranges to positions by
//! clamping, so a bad range does not crash it, but it underlines or replaces the wrong text);
//! plus the few shapes the LSP specification demands of what the server forwards unchanged (a
//! symbol's selection inside its range, a completion's replaced range on the cursor's line and
//! around it, a fix's edits not overlapping). They are checked here, where the input that broke
//! them is known, rather than found later as a wrong underline in someone's editor.

use llmspell_server::analysis::definition::{Definition, js_definition, lua_definition};
use llmspell_server::analysis::diagnostics::AnalysisConfig;
use llmspell_server::analysis::document::ParsedDocument;
use llmspell_server::analysis::model::{Hover, SignatureHelp};
use llmspell_server::analysis::{Completion, Language, TextRange, js, lua};

/// Parses `text` as `language` and asks every question: diagnostics (every rule, with their
/// fixes) and symbols once, then completion, hover, signature help and go to definition at each
/// of `offsets`. `Ok` tells what the answers reached, `Err` is the first broken invariant.
pub fn analyse(language: Language, text: &str, offsets: &[usize]) -> Result<Reached, Violation> {
    let document = ParsedDocument::parse(language, text);
    let ranges = Ranges { text };
    let mut reached = Reached {
        documents: 1,
        queries: offsets.len() as u64,
        ..Reached::default()
    };
    let diagnostics = document.diagnostics(&AnalysisConfig::default());
    reached.with_syntax_error += u64::from(diagnostics.iter().any(|d| d.code == "syntax-error"));
    reached.with_rule_finding += u64::from(diagnostics.iter().any(|d| d.code != "syntax-error"));
    for d in diagnostics {
        ranges.check(&format!("diagnostic {}", d.code), d.range)?;
        if let Some(fix) = &d.fix {
            reached.fixes += 1;
            let mut edits: Vec<TextRange> = Vec::new();
            for (range, _) in &fix.edits {
                ranges.check(&format!("fix edit of {}", d.code), *range)?;
                edits.push(*range);
            }
            // A workspace edit with overlapping edits is rejected by the client (LSP: "text
            // edits must never overlap"). Two inserts at one point do not overlap.
            edits.sort();
            if let Some(pair) = edits.windows(2).find(|w| w[0].end > w[1].start) {
                return Err(Violation::new(
                    format!("overlapping edits in the fix of {}", d.code),
                    format!("edits {:?} and {:?} overlap", pair[0], pair[1]),
                ));
            }
        }
    }
    let symbols = document.symbols();
    reached.with_symbols += u64::from(!symbols.is_empty());
    for s in symbols {
        ranges.check("symbol range", s.range)?;
        ranges.check("symbol selection", s.selection)?;
        // LSP: a document symbol's `selectionRange` "must be contained by the `range`"; editors
        // reject the whole outline otherwise.
        if !(s.range.start <= s.selection.start && s.selection.end <= s.range.end) {
            return Err(Violation::new(
                "symbol selection outside its range".to_owned(),
                format!(
                    "symbol {:?} has the selection {:?} outside its range {:?}",
                    s.name, s.selection, s.range
                ),
            ));
        }
    }
    for &at in offsets {
        let answers = match &document {
            ParsedDocument::Lua(p) => Answers {
                completions: lua::complete(p, at),
                hover: lua::hover(p, at),
                signature: lua::signature_help(p, at),
                definition: lua_definition(p, at),
            },
            ParsedDocument::Js(p) => Answers {
                completions: js::complete(p, at),
                hover: js::hover(p, at),
                signature: js::signature_help(p, at),
                definition: js_definition(p, at),
            },
        };
        answers.check(&ranges, at)?;
        reached.completions += u64::from(!answers.completions.is_empty());
        reached.hovers += u64::from(answers.hover.is_some());
        reached.signatures += u64::from(answers.signature.is_some());
        reached.definitions += u64::from(answers.definition.is_some());
    }
    Ok(reached)
}

/// How much of the analysis the cases reached: a fuzzer whose inputs never get a completion or
/// a rule's finding would pass while testing little, and these counts show it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Reached {
    pub documents: u64,
    pub with_syntax_error: u64,
    /// Documents with a finding of a rule other than `syntax-error`.
    pub with_rule_finding: u64,
    pub fixes: u64,
    pub with_symbols: u64,
    pub queries: u64,
    /// Queries answered with at least one completion; likewise for the others.
    pub completions: u64,
    pub hovers: u64,
    pub signatures: u64,
    pub definitions: u64,
}

impl Reached {
    pub fn add(&mut self, other: &Reached) {
        self.documents += other.documents;
        self.with_syntax_error += other.with_syntax_error;
        self.with_rule_finding += other.with_rule_finding;
        self.fixes += other.fixes;
        self.with_symbols += other.with_symbols;
        self.queries += other.queries;
        self.completions += other.completions;
        self.hovers += other.hovers;
        self.signatures += other.signatures;
        self.definitions += other.definitions;
    }

    /// One line of percentages: of documents for the document-wide answers, of queries for the
    /// cursor ones.
    pub fn describe(&self) -> String {
        let percent = |n: u64, of: u64| 100.0 * n as f64 / of.max(1) as f64;
        let (d, q) = (self.documents, self.queries);
        format!(
            "documents with a syntax error {:.0}%, with another rule's finding {:.0}%, with \
             symbols {:.0}%; {} quick fixes; queries answered: completion {:.0}%, hover {:.0}%, \
             signature help {:.0}%, definition {:.0}%",
            percent(self.with_syntax_error, d),
            percent(self.with_rule_finding, d),
            percent(self.with_symbols, d),
            self.fixes,
            percent(self.completions, q),
            percent(self.hovers, q),
            percent(self.signatures, q),
            percent(self.definitions, q),
        )
    }
}

/// A broken invariant.
#[derive(Debug)]
pub struct Violation {
    /// What kind of violation it is (`bad diagnostic unknown-member`): failures of one kind are
    /// taken to be one bug, so one bad rule does not hide another.
    pub kind: String,
    /// The specifics: the offending range, label or name.
    pub message: String,
}

impl Violation {
    fn new(kind: String, message: String) -> Self {
        Violation { kind, message }
    }
}

/// What the cursor features answer at one offset.
struct Answers {
    completions: Vec<Completion>,
    hover: Option<Hover>,
    /// Carries no range; asked so that a panic in it is found.
    signature: Option<SignatureHelp>,
    definition: Option<Definition>,
}

impl Answers {
    fn check(&self, ranges: &Ranges, offset: usize) -> Result<(), Violation> {
        std::hint::black_box(&self.signature);
        // The analysis clamps the offset into the text and back to a character boundary; the
        // cursor the editor sees is that one.
        let cursor = ranges.clamp(offset);
        for c in &self.completions {
            ranges.check("completion replace range", c.replace)?;
            // LSP: a completion's text edit "must be a single line range and it must contain
            // the position at which completion has been requested"; VS Code drops the item
            // otherwise.
            if !c.replace.contains(cursor) {
                return Err(Violation::new(
                    "completion replace range away from the cursor".to_owned(),
                    format!(
                        "{:?} has the replace range {:?}, which does not contain the cursor \
                         {cursor}",
                        c.label, c.replace
                    ),
                ));
            }
            let replaced = &ranges.text[c.replace.start..c.replace.end];
            if replaced.contains(['\n', '\r']) {
                return Err(Violation::new(
                    "completion replace range over several lines".to_owned(),
                    format!(
                        "{:?} has the replace range {:?} ({replaced:?})",
                        c.label, c.replace
                    ),
                ));
            }
        }
        if let Some(h) = &self.hover {
            ranges.check("hover range", h.range)?;
        }
        if let Some(Definition::Local(range)) = &self.definition {
            ranges.check("definition range", *range)?;
        }
        Ok(())
    }
}

/// Range checks against one document's text.
struct Ranges<'a> {
    text: &'a str,
}

impl Ranges<'_> {
    /// Whether `range` is a well-formed range of the text; `what` names its origin.
    fn check(&self, what: &str, range: TextRange) -> Result<(), Violation> {
        let text = self.text;
        let valid = range.start <= range.end
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if valid {
            Ok(())
        } else {
            Err(Violation::new(
                format!("bad {what}"),
                format!(
                    "{what} {}..{} is reversed, outside the {}-byte text or inside a character",
                    range.start,
                    range.end,
                    text.len()
                ),
            ))
        }
    }

    /// `offset` clamped into the text and back to a character boundary, as the analysis does.
    fn clamp(&self, offset: usize) -> usize {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use llmspell_server::analysis::CompletionKind;

    use super::*;

    #[test]
    fn bad_ranges_are_violations() {
        let ranges = Ranges { text: "aé\nb" };
        assert!(ranges.check("x", TextRange::new(0, 5)).is_ok());
        assert!(ranges.check("x", TextRange::at(5)).is_ok());
        // Past the end, and inside the two bytes of 'é'.
        assert!(ranges.check("x", TextRange::at(6)).is_err());
        assert!(ranges.check("x", TextRange::new(0, 2)).is_err());
        // Reversed (built by hand: `TextRange::new` orders its ends).
        let reversed = TextRange { start: 3, end: 1 };
        assert_eq!(
            ranges.check("hover range", reversed).unwrap_err().kind,
            "bad hover range"
        );
    }

    #[test]
    fn a_completion_must_replace_around_the_cursor_on_its_line() {
        let ranges = Ranges { text: "ab\ncd" };
        let completion = |replace| Completion {
            label: "x".to_owned(),
            kind: CompletionKind::Variable,
            detail: None,
            documentation: None,
            snippet: None,
            replace,
        };
        let answers = |replace| Answers {
            completions: vec![completion(replace)],
            hover: None,
            signature: None,
            definition: None,
        };
        assert!(answers(TextRange::new(0, 2)).check(&ranges, 1).is_ok());
        // An offset past the end is clamped to the end, as the analysis clamps it.
        assert!(answers(TextRange::new(3, 5)).check(&ranges, 99).is_ok());
        assert!(answers(TextRange::new(3, 5)).check(&ranges, 1).is_err());
        assert!(answers(TextRange::new(1, 4)).check(&ranges, 2).is_err());
    }
}
