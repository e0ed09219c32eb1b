//! LSP snippet text and replace ranges shared by the completions of both languages.

use crate::analysis::TextRange;

/// The part of a string's `content` on the cursor's line. A string continued over a line
/// break (`"a\` + newline) spans lines, but a completion may only replace text on one line
/// (the LSP requires it; VS Code drops the item otherwise). `offset` lies in `content`.
pub fn line_of_string(text: &str, offset: usize, content: TextRange) -> TextRange {
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_end = text[offset..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| offset + i);
    TextRange::new(content.start.max(line_start), content.end.min(line_end))
}

/// A string literal whose content is a choice among `values`: `"${1|a,b|}"`. Inside a choice,
/// `|`, `,` and `\` are syntax, so they are escaped in the values.
pub fn quoted_choice(values: &[String]) -> String {
    let escaped: Vec<String> = values
        .iter()
        .map(|v| {
            v.replace('\\', "\\\\")
                .replace(',', "\\,")
                .replace('|', "\\|")
        })
        .collect();
    format!("\"${{1|{}|}}\"", escaped.join(","))
}

#[cfg(test)]
mod tests {
    #[test]
    fn choice_syntax_is_escaped() {
        let values = ["a,b".to_owned(), "c|d".to_owned(), "e\\f".to_owned()];
        assert_eq!(
            super::quoted_choice(&values),
            "\"${1|a\\,b,c\\|d,e\\\\f|}\""
        );
    }
}
