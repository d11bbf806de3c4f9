//! The README's rule table is the registry's: `skillpress rules` output sits between the
//! markers. Run with UPDATE_README=1 to rewrite it.

use std::path::Path;

const START: &str = "<!-- rules:start -->\n";
const END: &str = "<!-- rules:end -->";

#[test]
fn readme_rule_table_matches_registry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let mut table = Vec::new();
    skillpress::cli::write_rule_table(&mut table).unwrap();
    let table = String::from_utf8(table).unwrap();
    let start = readme
        .find(START)
        .expect("README lacks the rules:start marker")
        + START.len();
    let end = readme.find(END).expect("README lacks the rules:end marker");
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{}{}", &readme[..start], table, &readme[end..]);
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert_eq!(
        &readme[start..end],
        table,
        "README rule table is stale: run `UPDATE_README=1 cargo test --test readme`"
    );
}
