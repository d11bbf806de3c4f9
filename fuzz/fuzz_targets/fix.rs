//! The fix engine: fixes converge; a manifest whose YAML parsed still parses, to the same
//! values (a block-scalar description may be folded: same words); the body is untouched.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use serde_yaml_ng::Value;
use skillpress::skill::{frontmatter, FrontmatterState};

fn strict(text: &str) -> Option<Result<Value, String>> {
    match frontmatter::parse(text).0 {
        FrontmatterState::Present(f) => Some(f.strict.map_err(|e| e.message)),
        _ => None,
    }
}

fn words(v: &Value) -> Option<String> {
    v.as_str()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fuzz_target!(|data: &[u8]| {
    let Some((manifest, _)) = common::split(data) else {
        return;
    };
    let skill = common::skill(manifest.clone(), None);
    let body_before = skill.body_text().to_string();
    let outcome = skillpress::fix::fix_skill(skill, common::settings());
    assert!(outcome.converged, "fixes did not converge");
    let after = common::skill(outcome.fixed.clone(), None);
    assert_eq!(after.body_text(), body_before, "a fix changed the body");
    if let Some(Ok(Value::Mapping(before))) = strict(&manifest) {
        let Some(Ok(Value::Mapping(fixed))) = strict(&outcome.fixed) else {
            panic!("the YAML parsed before fixing and not after");
        };
        assert_eq!(before.len(), fixed.len(), "keys changed");
        for (k, v) in &before {
            let w = fixed.get(k).expect("a key disappeared");
            assert!(
                v == w || (words(v).is_some() && words(v) == words(w)),
                "value of {k:?} changed: {v:?} -> {w:?}"
            );
        }
    }
    // Fixing the fixed text changes nothing more.
    let again = skillpress::fix::fix_skill(after, common::settings());
    assert_eq!(again.fixed, outcome.fixed, "fixing twice changed more");
});
