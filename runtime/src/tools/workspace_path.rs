//! Confines the paths that file tools touch to the run's workspace root.
//!
//! Scripts and agents name files with strings they may have been handed by a model, so every
//! path is resolved the way the operating system would resolve it (following symlinks and `..`)
//! and refused unless the result lies inside the canonical workspace root. This guards against
//! mistakes and hostile prompts, not against another local process that swaps folders for
//! symlinks between the check and the use.

use std::io::ErrorKind;
use std::path::{Component, Path, PathBuf};

/// Resolves `requested` against the workspace `root` and returns the canonical path it names.
///
/// Relative paths are taken relative to `root`; absolute paths are accepted only when they lie
/// inside it. When `must_exist` is false the path may name a file (and folders above it) that do
/// not exist yet: the deepest part that does exist is canonicalised, so a symlink anywhere on the
/// way that leads out of the root is still caught.
pub fn resolve_in_workspace(
    root: &Path,
    requested: &str,
    must_exist: bool,
) -> Result<PathBuf, String> {
    let root = root.canonicalize().map_err(|e| {
        format!(
            "the workspace root {} cannot be resolved: {e}",
            root.display()
        )
    })?;
    if requested.is_empty() {
        return Err("path is empty".into());
    }
    let requested_path = Path::new(requested);
    // `Path::join` with an absolute path replaces the root, which is what absolute paths need.
    let joined = root.join(requested_path);
    let outside = || {
        format!(
            "path '{requested}' is outside the workspace root {}",
            root.display()
        )
    };

    let (resolved, exists) = resolve_existing_prefix(&joined, requested)?;
    if !resolved.starts_with(&root) {
        return Err(outside());
    }
    if must_exist && !exists {
        return Err(format!(
            "path '{requested}' does not exist in the workspace"
        ));
    }
    Ok(resolved)
}

/// Canonicalises the longest leading part of `path` that exists and appends the rest, returning
/// the result and whether the whole path exists.
fn resolve_existing_prefix(path: &Path, requested: &str) -> Result<(PathBuf, bool), String> {
    let cannot = |e: std::io::Error| format!("path '{requested}' cannot be resolved: {e}");
    for ancestor in path.ancestors() {
        match ancestor.canonicalize() {
            Ok(canonical) => {
                let tail = path.strip_prefix(ancestor).map_err(|_| {
                    // Ancestors of a path are always prefixes of it, so this is unreachable in
                    // practice; it is still reported rather than trusted.
                    format!("path '{requested}' cannot be resolved")
                })?;
                let exists = tail.as_os_str().is_empty();
                return Ok((append_missing_tail(canonical, tail, requested)?, exists));
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                // A symlink whose target does not exist also reports `NotFound`. Writing
                // through it would create the target wherever it points, so it is refused
                // rather than treated as a missing file.
                if ancestor.symlink_metadata().is_ok() {
                    return Err(format!(
                        "path '{requested}' goes through a symlink whose target does not exist"
                    ));
                }
            }
            Err(e) => return Err(cannot(e)),
        }
    }
    // Even `/` failed to canonicalise, which only happens on a very unusual system.
    Err(format!("path '{requested}' cannot be resolved"))
}

/// Appends the not-yet-existing part of a path, which may only consist of plain names: a `..`
/// after a missing folder cannot be resolved the way the operating system would.
fn append_missing_tail(base: PathBuf, tail: &Path, requested: &str) -> Result<PathBuf, String> {
    let mut out = base;
    for component in tail.components() {
        match component {
            Component::Normal(name) => out.push(name),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(format!(
                    "path '{requested}' uses '..' after a folder that does not exist"
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn workspace() -> tempfile::TempDir {
        tempfile::tempdir().expect("create a temporary folder")
    }

    #[test]
    fn plain_file_inside_the_root_resolves_to_its_canonical_path() {
        let dir = workspace();
        fs::write(dir.path().join("notes.txt"), "hi").expect("write file");
        let resolved = resolve_in_workspace(dir.path(), "notes.txt", true).expect("resolves");
        let expected = dir
            .path()
            .canonicalize()
            .expect("canonical root")
            .join("notes.txt");
        assert_eq!(resolved, expected);
    }

    #[test]
    fn dot_segments_that_stay_inside_are_accepted() {
        let dir = workspace();
        fs::create_dir(dir.path().join("sub")).expect("mkdir");
        fs::write(dir.path().join("a.txt"), "a").expect("write file");
        let resolved = resolve_in_workspace(dir.path(), "./sub/../a.txt", true).expect("resolves");
        assert_eq!(
            resolved,
            dir.path()
                .canonicalize()
                .expect("canonical root")
                .join("a.txt")
        );
    }

    #[test]
    fn absolute_path_inside_the_root_is_accepted() {
        let dir = workspace();
        let file = dir.path().join("x.txt");
        fs::write(&file, "x").expect("write file");
        let requested = file.to_str().expect("utf-8 temp path");
        let resolved = resolve_in_workspace(dir.path(), requested, true).expect("resolves");
        assert_eq!(resolved, file.canonicalize().expect("canonical file"));
    }

    #[test]
    fn parent_escape_is_refused_with_a_clear_message() {
        let dir = workspace();
        let err = resolve_in_workspace(dir.path(), "../../etc/passwd", true).unwrap_err();
        let root = dir.path().canonicalize().expect("canonical root");
        assert_eq!(
            err,
            format!(
                "path '../../etc/passwd' is outside the workspace root {}",
                root.display()
            )
        );
    }

    #[test]
    fn absolute_path_outside_the_root_is_refused() {
        let dir = workspace();
        let err = resolve_in_workspace(dir.path(), "/etc/passwd", true).unwrap_err();
        assert!(
            err.starts_with("path '/etc/passwd' is outside the workspace root"),
            "{err}"
        );
        // A path outside the root is refused as outside even when it would be a new file.
        let err = resolve_in_workspace(dir.path(), "/etc/new-file", false).unwrap_err();
        assert!(err.contains("is outside the workspace root"), "{err}");
    }

    #[test]
    fn symlink_inside_the_root_pointing_outside_is_refused() {
        let dir = workspace();
        let outside = workspace();
        let secret = outside.path().join("secret.txt");
        fs::write(&secret, "secret").expect("write file");
        symlink(&secret, dir.path().join("link.txt")).expect("symlink");
        let err = resolve_in_workspace(dir.path(), "link.txt", true).unwrap_err();
        assert!(
            err.starts_with("path 'link.txt' is outside the workspace root"),
            "{err}"
        );
    }

    #[test]
    fn symlinked_folder_escape_is_refused_for_new_files() {
        let dir = workspace();
        let outside = workspace();
        symlink(outside.path(), dir.path().join("out")).expect("symlink");
        let err = resolve_in_workspace(dir.path(), "out/new.txt", false).unwrap_err();
        assert!(
            err.starts_with("path 'out/new.txt' is outside the workspace root"),
            "{err}"
        );
        // The same holds when folders below the symlink do not exist yet either.
        let err = resolve_in_workspace(dir.path(), "out/a/b/new.txt", false).unwrap_err();
        assert!(err.contains("is outside the workspace root"), "{err}");
    }

    #[test]
    fn dangling_symlink_is_refused_for_writes() {
        let dir = workspace();
        let outside = workspace();
        symlink(
            outside.path().join("not-there.txt"),
            dir.path().join("dangling"),
        )
        .expect("symlink");
        let err = resolve_in_workspace(dir.path(), "dangling", false).unwrap_err();
        assert_eq!(
            err,
            "path 'dangling' goes through a symlink whose target does not exist"
        );
    }

    #[test]
    fn new_file_in_new_folders_resolves_inside_the_root() {
        let dir = workspace();
        let resolved = resolve_in_workspace(dir.path(), "a/b/c.txt", false).expect("resolves");
        let root = dir.path().canonicalize().expect("canonical root");
        assert_eq!(resolved, root.join("a").join("b").join("c.txt"));
    }

    #[test]
    fn missing_file_is_refused_when_it_must_exist() {
        let dir = workspace();
        let err = resolve_in_workspace(dir.path(), "missing.txt", true).unwrap_err();
        assert_eq!(err, "path 'missing.txt' does not exist in the workspace");
    }

    #[test]
    fn parent_segment_after_a_missing_folder_is_refused() {
        let dir = workspace();
        let err = resolve_in_workspace(dir.path(), "missing/../x.txt", false).unwrap_err();
        assert_eq!(
            err,
            "path 'missing/../x.txt' uses '..' after a folder that does not exist"
        );
    }

    #[test]
    fn empty_path_is_refused() {
        let dir = workspace();
        assert_eq!(
            resolve_in_workspace(dir.path(), "", false).unwrap_err(),
            "path is empty"
        );
    }
}
