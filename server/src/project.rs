//! What the analysis of a file on disk needs from its project: the settings of the
//! `llmspell.toml` that governs it. The language server and `llmspell lint` both take them from
//! here, so the editor and CI judge a file by the same configuration.

use std::path::Path;

use crate::analysis::diagnostics::AnalysisConfig;

/// The analysis settings for a file in `folder`: from the `llmspell.toml` found there or in the
/// nearest folder above. Without one the defaults apply. An invalid config also gives the
/// defaults here: the runtime reports a broken config when a script runs, and the editor should
/// not invent findings from half a config meanwhile (`llmspell lint` reports the config error
/// itself before it gets here).
pub fn analysis_config_for_folder(folder: &Path) -> AnalysisConfig {
    match llmspell_runtime::Config::discover(folder) {
        Ok(loaded) => AnalysisConfig::from_config(&loaded.config),
        Err(_) => AnalysisConfig::default(),
    }
}
