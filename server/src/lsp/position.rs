//! LSP positions ↔ byte offsets, in the position encoding negotiated at `initialize`.
//!
//! LSP 3.17 lets the client offer encodings in `general.positionEncodings`; the server picks one
//! and announces it as `capabilities.positionEncoding`. We prefer UTF-8 when offered, because our
//! text is a Rust `String` and byte columns then need no translation; otherwise UTF-16, which
//! every client must support (and which is the default when nothing is negotiated).
//!
//! Conversions never fail: editors send positions computed against a text that may be a few
//! keystrokes older than ours, and a bad position must not take the server down. So:
//! - a line past the last one means the end of the text;
//! - a column past the end of its line means the end of that line (before its `\n` or `\r\n`,
//!   so an edit never splits a line break);
//! - a column inside a character (a UTF-8 continuation byte, or between the two halves of a
//!   UTF-16 surrogate pair) means the start of that character.
//!
//! Lines end at `\n` (with an optional `\r` before it), as in `line-index`. A lone `\r` is not a
//! line break here, although LSP counts it as one; editors practically never produce it.

use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use tower_lsp_server::ls_types::{Position, PositionEncodingKind, Range};

/// The unit in which `Position::character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units: LSP's default and the only encoding every client supports.
    #[default]
    Utf16,
}

impl PositionEncoding {
    /// Chooses the encoding from the client's `general.positionEncodings`: UTF-8 when the client
    /// offers it, UTF-16 otherwise (also when it offers nothing, or only encodings we do not
    /// speak: UTF-16 is mandatory for clients, so it is always a safe answer).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        if offered.is_some_and(|kinds| kinds.contains(&PositionEncodingKind::UTF8)) {
            Self::Utf8
        } else {
            Self::Utf16
        }
    }

    /// The value announced as `capabilities.positionEncoding`.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Self::Utf8 => PositionEncodingKind::UTF8,
            Self::Utf16 => PositionEncodingKind::UTF16,
        }
    }
}

/// The byte offset of `position` in `text`, clamped as the module comment describes. `index` must
/// be the `LineIndex` of `text`.
pub fn offset(
    text: &str,
    index: &LineIndex,
    position: Position,
    encoding: PositionEncoding,
) -> usize {
    let Some(line) = index.line(position.line) else {
        return text.len();
    };
    let line_start = usize::from(line.start());
    // `line-index` already rejects texts of 4 GiB or more, so `line` is inside `text`; `get`
    // keeps even a broken invariant from becoming a panic.
    let Some(line_text) = text.get(line_start..usize::from(line.end())) else {
        return text.len();
    };
    let content = line_content(line_text);
    let column = match encoding {
        PositionEncoding::Utf8 => usize::try_from(position.character).unwrap_or(usize::MAX),
        PositionEncoding::Utf16 => index
            .to_utf8(
                WideEncoding::Utf16,
                WideLineCol {
                    line: position.line,
                    col: position.character,
                },
            )
            // `None` only on overflow, i.e. a column far past any line end.
            .map_or(usize::MAX, |line_col| line_col.col as usize),
    };
    line_start + floor_char_boundary(content, column.min(content.len()))
}

/// The byte range of `range` in `text`, each end clamped like [`offset`]. An inverted range (end
/// before start) is read with its ends swapped, so it still names the text between them.
pub fn offsets(
    text: &str,
    index: &LineIndex,
    range: Range,
    encoding: PositionEncoding,
) -> std::ops::Range<usize> {
    let a = offset(text, index, range.start, encoding);
    let b = offset(text, index, range.end, encoding);
    a.min(b)..a.max(b)
}

/// The position of byte `offset` in `text`. An offset past the end means the end; an offset
/// inside a character means the start of that character.
pub fn position(
    text: &str,
    index: &LineIndex,
    offset: usize,
    encoding: PositionEncoding,
) -> Position {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    // Lossless: `line-index` only accepts texts shorter than 4 GiB.
    let size = TextSize::try_from(offset).unwrap_or_else(|_| index.len());
    let line_col = index
        .try_line_col(size)
        .unwrap_or(LineCol { line: 0, col: 0 });
    let character = match encoding {
        PositionEncoding::Utf8 => line_col.col,
        PositionEncoding::Utf16 => index
            .to_wide(WideEncoding::Utf16, line_col)
            .map_or(line_col.col, |wide| wide.col),
    };
    Position::new(line_col.line, character)
}

/// A line without its line break.
fn line_content(line: &str) -> &str {
    match line.strip_suffix('\n') {
        Some(rest) => rest.strip_suffix('\r').unwrap_or(rest),
        None => line,
    }
}

/// The largest character boundary of `text` at or below `index` (`index <= text.len()`).
fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    // At most three steps: a UTF-8 character is at most four bytes long.
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    fn off(text: &str, line: u32, character: u32, encoding: PositionEncoding) -> usize {
        offset(text, &LineIndex::new(text), at(line, character), encoding)
    }

    fn pos(text: &str, byte: usize, encoding: PositionEncoding) -> Position {
        position(text, &LineIndex::new(text), byte, encoding)
    }

    use PositionEncoding::{Utf8, Utf16};

    #[test]
    fn negotiation_prefers_utf8_and_falls_back_to_utf16() {
        let negotiate = |offered: &[&'static str]| {
            let kinds: Vec<PositionEncodingKind> =
                offered.iter().map(|&kind| kind.into()).collect();
            PositionEncoding::negotiate(Some(&kinds))
        };
        assert_eq!(PositionEncoding::negotiate(None), Utf16);
        assert_eq!(negotiate(&[]), Utf16);
        assert_eq!(negotiate(&["utf-16"]), Utf16);
        assert_eq!(negotiate(&["utf-32"]), Utf16);
        assert_eq!(negotiate(&["utf-16", "utf-8"]), Utf8);
        assert_eq!(negotiate(&["utf-32", "utf-8"]), Utf8);
        assert_eq!(Utf8.kind().as_str(), "utf-8");
        assert_eq!(Utf16.kind().as_str(), "utf-16");
    }

    // "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units (a surrogate pair).
    const TEXT: &str = "aé😀b\nx😀\n";

    #[test]
    fn utf16_columns_count_code_units() {
        assert_eq!(off(TEXT, 0, 0, Utf16), 0);
        assert_eq!(off(TEXT, 0, 1, Utf16), 1); // before é
        assert_eq!(off(TEXT, 0, 2, Utf16), 3); // before 😀
        assert_eq!(off(TEXT, 0, 4, Utf16), 7); // before b
        assert_eq!(off(TEXT, 0, 5, Utf16), 8); // end of line 0
        assert_eq!(off(TEXT, 1, 1, Utf16), 10); // before 😀 on line 1
        assert_eq!(off(TEXT, 1, 3, Utf16), 14); // end of line 1
        assert_eq!(off(TEXT, 2, 0, Utf16), 15); // the empty last line
    }

    #[test]
    fn utf8_columns_count_bytes() {
        assert_eq!(off(TEXT, 0, 1, Utf8), 1);
        assert_eq!(off(TEXT, 0, 3, Utf8), 3);
        assert_eq!(off(TEXT, 0, 7, Utf8), 7);
        assert_eq!(off(TEXT, 1, 5, Utf8), 14);
    }

    #[test]
    fn positions_inside_a_character_snap_to_its_start() {
        // Between the two halves of the surrogate pair of 😀.
        assert_eq!(off(TEXT, 0, 3, Utf16), 3);
        assert_eq!(off(TEXT, 1, 2, Utf16), 10);
        // Inside the bytes of é and of 😀.
        assert_eq!(off(TEXT, 0, 2, Utf8), 1);
        assert_eq!(off(TEXT, 0, 5, Utf8), 3);
        assert_eq!(off(TEXT, 0, 6, Utf8), 3);
        assert_eq!(pos(TEXT, 2, Utf16), at(0, 1));
        assert_eq!(pos(TEXT, 5, Utf8), at(0, 3));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        for encoding in [Utf8, Utf16] {
            assert_eq!(off(TEXT, 0, 99, encoding), 8, "{encoding:?}");
            assert_eq!(off(TEXT, 0, u32::MAX, encoding), 8, "{encoding:?}");
            assert_eq!(off(TEXT, 3, 0, encoding), TEXT.len(), "{encoding:?}");
            assert_eq!(off(TEXT, u32::MAX, u32::MAX, encoding), TEXT.len());
            assert_eq!(off("", 0, 5, encoding), 0);
            assert_eq!(off("", 7, 5, encoding), 0);
            assert_eq!(pos(TEXT, 10_000, encoding), at(2, 0));
            assert_eq!(pos("", 3, encoding), at(0, 0));
        }
    }

    #[test]
    fn a_column_past_the_end_never_splits_crlf() {
        let text = "ab\r\ncd";
        for encoding in [Utf8, Utf16] {
            assert_eq!(off(text, 0, 2, encoding), 2);
            assert_eq!(off(text, 0, 3, encoding), 2);
            assert_eq!(off(text, 0, 50, encoding), 2);
            assert_eq!(off(text, 1, 1, encoding), 5);
            assert_eq!(off(text, 1, 50, encoding), 6);
        }
    }

    #[test]
    fn inverted_ranges_are_reordered() {
        let range = Range::new(at(1, 1), at(0, 1));
        assert_eq!(offsets(TEXT, &LineIndex::new(TEXT), range, Utf16), 1..10);
    }

    #[test]
    fn offsets_and_positions_round_trip_on_character_boundaries() {
        let text = "é😀\n\nz日本😀é\r\n😀";
        let index = LineIndex::new(text);
        for encoding in [Utf8, Utf16] {
            for (byte, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let p = position(text, &index, byte, encoding);
                // The `\n` of `\r\n` is not a position an offset can be clamped back to: the
                // column of `\r`'s end is past the line content.
                if text[..byte].ends_with('\r') {
                    continue;
                }
                assert_eq!(
                    offset(text, &index, p, encoding),
                    byte,
                    "{encoding:?} {p:?}"
                );
            }
        }
        assert_eq!(pos(text, text.len(), Utf16), at(3, 2));
        assert_eq!(pos(text, text.len(), Utf8), at(3, 4));
        assert_eq!(pos(text, 3, Utf16), at(0, 1));
        assert_eq!(pos(text, 3, Utf8), at(0, 2));
    }
}
