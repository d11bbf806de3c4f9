//! Markdown to blocks, then classification: no panic, blocks inside the text, in order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skillpress::skill::markdown;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 64 * 1024 {
        return;
    }
    let md = markdown::scan(text, 0);
    let mut last = 0;
    for b in &md.blocks {
        assert!(
            b.range.start <= b.range.end && b.range.end <= text.len(),
            "{:?}",
            b.range
        );
        assert!(text.is_char_boundary(b.range.start) && text.is_char_boundary(b.range.end));
        assert!(b.range.start >= last, "blocks out of order");
        last = b.range.start;
    }
    for l in &md.links {
        assert!(l.range.end <= text.len());
    }
    // Headings are not labelled; every labelled block is one of the scanned blocks.
    for c in skillpress::classify::classify_markdown(text, &md, None) {
        assert!(c.block < md.blocks.len());
        assert_eq!(c.range, md.blocks[c.block].range);
    }
});
