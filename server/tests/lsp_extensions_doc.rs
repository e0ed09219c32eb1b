//! docs/lsp-extensions.md stays true to `server/src/lsp/ext.rs`: every method and command name
//! the file defines, and every field of its payloads (as the wire spells it, in camelCase), is
//! in the document; and the document carries a fingerprint of the file, so any change to the
//! protocol's definition fails this test until someone has read the page again and updated it.

use std::path::Path;

use llmspell_server::lsp::ext::camel_case;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms, unlike `DefaultHasher`.
fn fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[test]
fn every_name_and_field_of_ext_rs_is_documented() {
    let ext = read("src/lsp/ext.rs");
    let doc = read("../docs/lsp-extensions.md");
    let mut missing = Vec::new();
    for line in ext.lines().map(str::trim) {
        // `pub const RUN_SCRIPT: &str = "llmspell.runScript";`
        if line.starts_with("pub const ")
            && let Some(value) = line.split('"').nth(1)
            && !doc.contains(&format!("`{value}`"))
        {
            missing.push(value.to_owned());
        }
        // `pub run_id: u64,` inside a payload struct.
        if let Some(field) = line.strip_prefix("pub ").and_then(|l| l.split_once(':'))
            && !field.0.contains(' ')
        {
            let wire = camel_case(field.0);
            if !doc.contains(&format!("`{wire}`")) {
                missing.push(wire);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not in docs/lsp-extensions.md: {missing:?}"
    );
}

#[test]
fn the_document_was_updated_with_ext_rs() {
    let ext = read("src/lsp/ext.rs");
    let doc = read("../docs/lsp-extensions.md");
    let want = format!("<!-- ext.rs fingerprint: {} -->", fingerprint(&ext));
    if std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lsp-extensions.md");
        let kept: Vec<&str> = doc
            .lines()
            .filter(|l| !l.starts_with("<!-- ext.rs fingerprint:"))
            .collect();
        std::fs::write(&path, format!("{}\n{want}\n", kept.join("\n").trim_end()))
            .expect("write the document");
        return;
    }
    assert!(
        doc.contains(&want),
        "server/src/lsp/ext.rs changed: bring docs/lsp-extensions.md up to date, then record it \
         with UPDATE_DOCS=1 cargo test -p llmspell-server --test lsp_extensions_doc"
    );
}
