//! Frontmatter parse and the forgiving reader: no panic, every span inside the text and
//! on character boundaries, the body starting where the block ends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skillpress::skill::{frontmatter, FrontmatterState};

fn inside(text: &str, r: &std::ops::Range<usize>) -> bool {
    r.start <= r.end
        && r.end <= text.len()
        && text.is_char_boundary(r.start)
        && text.is_char_boundary(r.end)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (state, body_start) = frontmatter::parse(text);
    assert!(body_start <= text.len() && text.is_char_boundary(body_start));
    match state {
        FrontmatterState::Missing => {}
        FrontmatterState::Unclosed { open } => assert!(inside(text, &open)),
        FrontmatterState::Present(fm) => {
            assert!(inside(text, &fm.span) && inside(text, &fm.content));
            assert_eq!(fm.span.end, body_start);
            for e in &fm.entries {
                for r in [&e.key_span, &e.value_span, &e.line_span] {
                    assert!(inside(text, r), "{r:?}");
                    assert!(r.start >= fm.content.start && r.end <= fm.content.end);
                }
                let _ = fm.string(&e.key);
            }
            if let Err(e) = &fm.strict {
                assert!(e.offset.is_none_or(|o| o <= text.len()));
            }
        }
    }
});
