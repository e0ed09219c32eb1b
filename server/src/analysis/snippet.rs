//! LSP snippet text shared by the completions of both languages.

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
