//! Which declaration a name refers to at an offset, for both languages: the visible declaration
//! of that name that starts last.
//!
//! A generated or long script declares the same few names (`a`, `r`, `t`) thousands of times,
//! and every name read is resolved, so scanning all namesakes per lookup is quadratic: 400 KB of
//! such a script spent most of its diagnostics time there. Here each lookup is a binary search
//! plus a walk up the chain of enclosing namesakes, whose length is the nesting depth of the
//! redeclarations rather than their number.

use rustc_hash::FxHashMap;

use crate::analysis::TextRange;

/// Declarations by name, each with the range where it is visible and the caller's index.
/// Hashed with Fx: the keys are a script's own short names, hashed for every name read, and
/// SipHash's resistance to chosen collisions buys nothing against a file one lints.
#[derive(Debug, Clone, Default)]
pub struct NameIndex {
    by_name: FxHashMap<String, Namesakes>,
}

#[derive(Debug, Clone, Default)]
struct Namesakes {
    /// In insertion order, which is also the order of `visible.start` while `sorted` holds.
    entries: Vec<Entry>,
    /// The entries whose range may still contain a later start: each entry's `enclosing` is
    /// the top of this stack once the entries ending before its start are popped.
    open: Vec<usize>,
    /// Whether the entries came in by non-decreasing start. Declarations are collected in
    /// source order, so this holds in practice; if it ever does not, lookups scan every
    /// namesake, which is slower but gives the same answer.
    sorted: bool,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    visible: TextRange,
    item: usize,
    /// The latest-starting earlier namesake whose range contains this one's start: the only
    /// candidates, besides this one, for an offset past this one's start.
    enclosing: Option<usize>,
}

impl Entry {
    fn contains(&self, offset: usize) -> bool {
        self.visible.start <= offset && offset <= self.visible.end
    }
}

impl NameIndex {
    /// Records that `name`, declared as the caller's item `item`, is visible over `visible`.
    pub fn insert(&mut self, name: &str, visible: TextRange, item: usize) {
        let namesakes = match self.by_name.get_mut(name) {
            Some(n) => n,
            None => self.by_name.entry(name.to_owned()).or_insert(Namesakes {
                sorted: true,
                ..Namesakes::default()
            }),
        };
        if namesakes
            .entries
            .last()
            .is_some_and(|last| last.visible.start > visible.start)
        {
            namesakes.sorted = false;
        }
        // An entry ending before this start cannot contain it, nor any later start.
        while let Some(&top) = namesakes.open.last() {
            if namesakes.entries[top].visible.end < visible.start {
                namesakes.open.pop();
            } else {
                break;
            }
        }
        namesakes.entries.push(Entry {
            visible,
            item,
            enclosing: namesakes.open.last().copied(),
        });
        namesakes.open.push(namesakes.entries.len() - 1);
    }

    /// The item of the declaration `name` refers to at `offset`: among those visible there,
    /// the one starting last (the last inserted of equal starts).
    pub fn lookup(&self, name: &str, offset: usize) -> Option<usize> {
        let namesakes = self.by_name.get(name)?;
        let entries = &namesakes.entries;
        if !namesakes.sorted {
            return entries
                .iter()
                .filter(|e| e.contains(offset))
                .max_by_key(|e| e.visible.start)
                .map(|e| e.item);
        }
        // The last entry starting at or before `offset`. If it does not reach `offset`, an
        // earlier entry that does must contain its start (it starts before it and reaches past
        // it), so the answer lies up its chain of enclosing entries.
        let mut at = entries
            .partition_point(|e| e.visible.start <= offset)
            .checked_sub(1);
        while let Some(i) = at {
            if entries[i].contains(offset) {
                return Some(entries[i].item);
            }
            at = entries[i].enclosing;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition the index must agree with: scan every namesake.
    fn scan(decls: &[(&str, usize, usize)], name: &str, offset: usize) -> Option<usize> {
        decls
            .iter()
            .enumerate()
            .filter(|(_, (n, s, e))| *n == name && *s <= offset && offset <= *e)
            .max_by_key(|(_, (_, s, _))| *s)
            .map(|(i, _)| i)
    }

    fn check(decls: &[(&str, usize, usize)]) {
        let mut index = NameIndex::default();
        for (i, (name, start, end)) in decls.iter().enumerate() {
            index.insert(name, TextRange::new(*start, *end), i);
        }
        let last = decls.iter().map(|d| d.2).max().unwrap_or(0) + 2;
        for name in ["a", "b", "zz"] {
            for offset in 0..=last {
                assert_eq!(
                    index.lookup(name, offset),
                    scan(decls, name, offset),
                    "{name} at {offset} in {decls:?}"
                );
            }
        }
    }

    #[test]
    fn agrees_with_a_scan_of_every_namesake() {
        // Nested blocks, shadowing, siblings, equal starts, a parameter visible in one body.
        check(&[
            ("a", 0, 100),
            ("b", 2, 100),
            ("a", 10, 40),
            ("a", 12, 20),
            ("a", 25, 40),
            ("a", 25, 30),
            ("b", 41, 50),
            ("a", 60, 70),
            ("a", 60, 100),
            ("a", 100, 100),
        ]);
        // Out of order: the fallback gives the same answers.
        check(&[("a", 50, 90), ("a", 10, 95), ("a", 60, 70), ("b", 5, 6)]);
        check(&[]);
    }

    #[test]
    fn pseudo_random_layouts_agree_with_a_scan() {
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..300 {
            let mut decls = Vec::new();
            let mut start = 0;
            for _ in 0..next(12) {
                start += next(4);
                let end = start + next(30);
                decls.push((["a", "b"][next(2)], start, end));
            }
            if next(5) == 0 {
                decls.reverse();
            }
            check(&decls);
        }
    }
}
