//! A frontmatter key one edit away from a known one (`descripton`, `allowed_tools`,
//! `Description`). Loaders ignore it silently, so the field the author meant to set is
//! simply missing. Checked under every target, against the keys of all of them.

use crate::config::{CLAUDE_CODE_KEYS, STANDARD_KEYS};
use crate::diagnostic::{Diagnostic, Edit, Fix, Safety, Severity};
use crate::rules::{Context, FixKind, RuleMeta};

pub const META: RuleMeta = RuleMeta {
    code: "K002",
    name: "key-typo",
    severity: Severity::Warning,
    fix: FixKind::Unsafe,
    summary: "a frontmatter key looks like a misspelling of a known key",
    options: &[],
};

/// Known keys shorter than this only match by case or separator, not by an edit: one
/// edit turns a short word into too many others.
const MIN_EDIT_LEN: usize = 4;

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(fm) = ctx.skill.frontmatter() else {
        return;
    };
    for (i, entry) in fm.entries.iter().enumerate() {
        if fm.entries[..i].iter().any(|e| e.key == entry.key) {
            continue;
        }
        let Some(known) = typo_of(&entry.key) else {
            continue;
        };
        let mut d = Diagnostic::new(
            &META,
            ctx.skill.manifest.clone(),
            entry.key_span.clone(),
            format!("`{}` looks like a misspelling of `{known}`", entry.key),
        )
        .help(format!("rename the key to `{known}`"));
        // Renaming onto a key that is already there would make a duplicate.
        if fm.entry(known).is_none() {
            d = d.fix(Fix {
                message: format!("rename `{}` to `{known}`", entry.key),
                safety: Safety::Unsafe,
                edits: vec![Edit {
                    range: entry.key_span.clone(),
                    replacement: known.to_string(),
                }],
            });
        }
        out.push(d);
    }
}

/// Every key some target knows.
pub fn is_known(key: &str) -> bool {
    STANDARD_KEYS.contains(&key) || CLAUDE_CODE_KEYS.contains(&key)
}

/// The known key that `key` misspells, if it is not itself known.
pub fn typo_of(key: &str) -> Option<&'static str> {
    if is_known(key) {
        return None;
    }
    let known = STANDARD_KEYS.iter().chain(CLAUDE_CODE_KEYS);
    let normal = |k: &str| k.to_ascii_lowercase().replace('_', "-");
    // The known keys' normal forms, worked out once rather than per key linted.
    static NORMAL: std::sync::LazyLock<Vec<(String, &'static str)>> =
        std::sync::LazyLock::new(|| {
            STANDARD_KEYS
                .iter()
                .chain(CLAUDE_CODE_KEYS)
                .map(|k| (k.to_ascii_lowercase().replace('_', "-"), *k))
                .collect()
        });
    let key_normal = normal(key);
    if let Some((_, k)) = NORMAL.iter().find(|(n, _)| *n == key_normal) {
        return Some(k);
    }
    known
        .filter(|k| k.len() >= MIN_EDIT_LEN)
        .find(|k| crate::skill::resolve::within_one_edit(key, k))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catches_typos_and_variants() {
        assert_eq!(typo_of("descripton"), Some("description"));
        assert_eq!(typo_of("descritpion"), Some("description"));
        assert_eq!(typo_of("Description"), Some("description"));
        assert_eq!(typo_of("allowed_tools"), Some("allowed-tools"));
        assert_eq!(typo_of("when-to-use"), Some("when_to_use"));
        assert_eq!(typo_of("licence"), Some("license"));
    }

    #[test]
    fn leaves_known_and_distant_keys() {
        assert_eq!(typo_of("description"), None);
        assert_eq!(typo_of("model"), None);
        assert_eq!(typo_of("author"), None);
        assert_eq!(typo_of("tags"), None);
    }
}
