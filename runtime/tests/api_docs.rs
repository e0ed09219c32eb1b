//! `docs/api.md` is generated from the API definition; this test fails when the definition
//! changes and the document was not regenerated (`UPDATE_GOLDEN=1` regenerates it).

use llmspell_runtime::ApiDefinition;
use llmspell_runtime::definition::markdown;

#[test]
fn docs_api_md_is_generated_from_the_definition() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/api.md");
    let rendered = markdown::render(ApiDefinition::get());
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &rendered).expect("write docs/api.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == rendered,
        "docs/api.md is out of date with runtime/api/; run `UPDATE_GOLDEN=1 cargo test -p llmspell-runtime --test api_docs`"
    );
}
