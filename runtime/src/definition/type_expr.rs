//! The small type language of the API definition: `string`, `list<T>`, `map<T>`, `A | B`,
//! `fn(A) -> R` and named types, parsed from the strings written in `runtime/api/*.toml`.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    String,
    Number,
    Integer,
    Boolean,
    Nil,
    Any,
    /// Any table or object, shape unknown.
    Table,
    List(Box<TypeExpr>),
    Map(Box<TypeExpr>),
    Union(Vec<TypeExpr>),
    Function {
        params: Vec<TypeExpr>,
        returns: Box<TypeExpr>,
    },
    /// A `[[type]]` of the definition.
    Named(String),
}

impl TypeExpr {
    pub fn parse(text: &str) -> Result<TypeExpr, String> {
        let mut parser = Parser { text, pos: 0 };
        let ty = parser.union()?;
        parser.skip_ws();
        if parser.pos != text.len() {
            return Err(format!(
                "unexpected '{}' in type '{text}'",
                &text[parser.pos..]
            ));
        }
        Ok(ty)
    }

    /// Whether nil is allowed (a union with `nil`, or `any`).
    pub fn is_optional(&self) -> bool {
        match self {
            TypeExpr::Nil | TypeExpr::Any => true,
            TypeExpr::Union(items) => items.iter().any(TypeExpr::is_optional),
            _ => false,
        }
    }

    /// Every named type mentioned, for checking that the definition refers to real types.
    pub fn named_types<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            TypeExpr::Named(name) => out.push(name),
            TypeExpr::List(inner) | TypeExpr::Map(inner) => inner.named_types(out),
            TypeExpr::Union(items) => items.iter().for_each(|t| t.named_types(out)),
            TypeExpr::Function { params, returns } => {
                params.iter().for_each(|t| t.named_types(out));
                returns.named_types(out);
            }
            _ => {}
        }
    }
}

impl fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Number => f.write_str("number"),
            TypeExpr::Integer => f.write_str("integer"),
            TypeExpr::Boolean => f.write_str("boolean"),
            TypeExpr::Nil => f.write_str("nil"),
            TypeExpr::Any => f.write_str("any"),
            TypeExpr::Table => f.write_str("table"),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Map(inner) => write!(f, "map<{inner}>"),
            TypeExpr::Union(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{item}")?;
                }
                Ok(())
            }
            TypeExpr::Function { params, returns } => {
                f.write_str("fn(")?;
                for (i, p) in params.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}")?;
                }
                write!(f, ") -> {returns}")
            }
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text[self.pos..].starts_with(' ') {
            self.pos += 1;
        }
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_ws();
        if self.text[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, token: &str) -> Result<(), String> {
        if self.eat(token) {
            Ok(())
        } else {
            Err(format!(
                "expected '{token}' at column {} of type '{}'",
                self.pos + 1,
                self.text
            ))
        }
    }

    fn union(&mut self) -> Result<TypeExpr, String> {
        let mut items = vec![self.atom()?];
        while self.eat("|") {
            items.push(self.atom()?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            TypeExpr::Union(items)
        })
    }

    fn atom(&mut self) -> Result<TypeExpr, String> {
        self.skip_ws();
        let start = self.pos;
        while self.text[self.pos..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        let word = &self.text[start..self.pos];
        Ok(match word {
            "string" => TypeExpr::String,
            "number" => TypeExpr::Number,
            "integer" => TypeExpr::Integer,
            "boolean" => TypeExpr::Boolean,
            "nil" => TypeExpr::Nil,
            "any" => TypeExpr::Any,
            "table" => TypeExpr::Table,
            "list" | "map" => {
                self.expect("<")?;
                let inner = Box::new(self.union()?);
                self.expect(">")?;
                if word == "list" {
                    TypeExpr::List(inner)
                } else {
                    TypeExpr::Map(inner)
                }
            }
            "fn" => {
                self.expect("(")?;
                let mut params = Vec::new();
                if !self.eat(")") {
                    loop {
                        params.push(self.union()?);
                        if self.eat(")") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                self.expect("->")?;
                let returns = Box::new(self.union()?);
                TypeExpr::Function { params, returns }
            }
            "" => {
                return Err(format!(
                    "expected a type at column {} of '{}'",
                    start + 1,
                    self.text
                ));
            }
            name => TypeExpr::Named(name.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_form() {
        for text in [
            "string",
            "list<string | Tool>",
            "map<ParamSpec>",
            "fn(StepContext) -> boolean",
            "fn() -> any",
            "Agent | nil",
            "fn(table, integer) -> list<map<any>>",
        ] {
            assert_eq!(TypeExpr::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn rejects_malformed_types() {
        assert!(
            TypeExpr::parse("list<string")
                .unwrap_err()
                .contains("expected '>'")
        );
        assert!(
            TypeExpr::parse("string |")
                .unwrap_err()
                .contains("expected a type")
        );
        assert!(
            TypeExpr::parse("fn(string)")
                .unwrap_err()
                .contains("expected '->'")
        );
        assert!(
            TypeExpr::parse("string string")
                .unwrap_err()
                .contains("unexpected")
        );
    }

    #[test]
    fn optional_means_nil_is_allowed() {
        assert!(TypeExpr::parse("Agent | nil").unwrap().is_optional());
        assert!(!TypeExpr::parse("Agent").unwrap().is_optional());
    }
}
