//! The two script languages the benchmarks generate and measure: one definition for the
//! language-server and the lint benchmarks.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Lua,
    JavaScript,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Lua => "Lua",
            Language::JavaScript => "JavaScript",
        }
    }

    /// The LSP `languageId`.
    pub fn id(self) -> &'static str {
        match self {
            Language::Lua => "lua",
            Language::JavaScript => "javascript",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Language::Lua => "lua",
            Language::JavaScript => "js",
        }
    }
}
