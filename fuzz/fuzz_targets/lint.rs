//! Lint of one in-memory skill: no panic, every finding points inside its file, and
//! every fix's edits lie inside the manifest on character boundaries.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((manifest, reference)) = common::split(data) else {
        return;
    };
    let skill = common::skill(manifest, reference);
    for d in skillpress::lint::check_skill(&skill, common::settings()) {
        let text = if d.file == skill.manifest {
            skill.text.as_str()
        } else {
            match skill.file(&d.file).and_then(|f| f.text.as_deref()) {
                Some(t) => t,
                None => continue,
            }
        };
        assert!(
            d.range.start <= d.range.end && d.range.end <= text.len(),
            "{} {:?}",
            d.code,
            d.range
        );
        if let Some(fix) = &d.fix {
            for e in &fix.edits {
                assert!(
                    e.range.end <= text.len()
                        && text.is_char_boundary(e.range.start)
                        && text.is_char_boundary(e.range.end),
                    "{} fix {:?}",
                    d.code,
                    e.range
                );
            }
        }
    }
});
