//! Paths written as URIs: `file:` URIs for the language server's workspace index, and the
//! relative references SARIF output uses, percent-encoding what a URI path may not hold.

use std::path::Path;

/// `path` (with `/` separators) with every byte outside the unreserved set and `/`
/// percent-encoded.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The `file:` URI of an absolute path.
pub fn file_uri(path: &Path) -> Option<String> {
    let path = path.to_str()?;
    if !path.starts_with('/') {
        return None;
    }
    Some(format!("file://{}", encode_path(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_are_percent_encoded() {
        assert_eq!(
            file_uri(Path::new("/work/my scripts/a#1.lua")).as_deref(),
            Some("file:///work/my%20scripts/a%231.lua")
        );
        assert_eq!(file_uri(Path::new("relative.lua")), None);
        assert_eq!(encode_path("dir/é.lua"), "dir/%C3%A9.lua");
    }
}
