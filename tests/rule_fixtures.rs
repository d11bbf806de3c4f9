//! Every folder `testdata/rules/<rule>/<case>/` is a small skill. The rule named by the
//! parent folder runs alone on it; cases named `triggers*` must produce at least one
//! finding of that rule, cases named `clean*` none. The findings are snapshotted as JSON.

mod common;

use std::path::{Path, PathBuf};

use skillpress::rules;

fn cases() -> Vec<(String, String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut out = Vec::new();
    for rule in std::fs::read_dir(&root).unwrap() {
        let rule = rule.unwrap().path();
        let rule_name = rule.file_name().unwrap().to_string_lossy().into_owned();
        for case in std::fs::read_dir(&rule).unwrap() {
            let case = case.unwrap().path();
            if case.is_dir() {
                let case_name = case.file_name().unwrap().to_string_lossy().into_owned();
                out.push((rule_name.clone(), case_name, case));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_rule_has_a_triggering_and_a_clean_fixture() {
    let cases = cases();
    for rule in rules::RULES {
        // The loader reports unreadable manifests; the CLI tests cover them.
        if rule.meta.name == "manifest-unreadable" {
            continue;
        }
        let of_rule: Vec<&String> = cases
            .iter()
            .filter(|(r, _, _)| r == rule.meta.name)
            .map(|(_, c, _)| c)
            .collect();
        assert!(
            of_rule.iter().any(|c| c.starts_with("triggers")),
            "rule {} has no testdata/rules/{}/triggers* fixture",
            rule.meta.code,
            rule.meta.name
        );
        assert!(
            of_rule.iter().any(|c| c.starts_with("clean")),
            "rule {} has no testdata/rules/{}/clean* fixture",
            rule.meta.code,
            rule.meta.name
        );
    }
}

#[test]
fn fixtures_behave_and_match_snapshots() {
    for (rule_name, case, dir) in cases() {
        let rule = rules::find(&rule_name)
            .unwrap_or_else(|| panic!("testdata/rules/{rule_name} names no rule"));
        let settings = common::only(&[rule.meta.code]);
        // Discovered from the case folder, so a case may hold several skills (cross-skill
        // rules).
        let (linted, _) =
            skillpress::lint::lint_paths(std::slice::from_ref(&dir), &settings).unwrap();
        let findings =
            skillpress::render::Report::of(&linted.checked, linted.skills, false).findings;
        let hits = findings.iter().filter(|f| f.code == rule.meta.code).count();
        if case.starts_with("triggers") {
            assert!(
                hits > 0,
                "{rule_name}/{case} should trigger {}",
                rule.meta.code
            );
        } else if case.starts_with("clean") {
            assert_eq!(hits, 0, "{rule_name}/{case} should be clean: {findings:#?}");
        }
        insta::assert_json_snapshot!(
            format!("{rule_name}__{case}"),
            common::findings_json(&findings)
        );
    }
}

/// Whether the frontmatter of `text` is present and a strict YAML parser accepts it.
fn strict_yaml(text: &str) -> bool {
    matches!(
        skillpress::skill::frontmatter::parse(text).0,
        skillpress::skill::FrontmatterState::Present(f) if f.strict.is_ok()
    )
}

#[test]
fn fixes_converge_leave_strict_yaml_and_match_snapshots() {
    let mut fixed_cases = 0;
    for (rule_name, case, dir) in cases() {
        let rule = rules::find(&rule_name).unwrap();
        if rule.meta.fix != rules::FixKind::Safe {
            continue;
        }
        let settings = common::only(&[rule.meta.code]);
        let Ok(skill) = skillpress::skill::Skill::load(&dir) else {
            continue;
        };
        let fixed = skillpress::fix::fix_rounds(&skill, &settings);
        if case.starts_with("clean") {
            assert!(
                !fixed.outcome.changed(),
                "{rule_name}/{case}: a clean case changed"
            );
            continue;
        }
        if !fixed.outcome.changed() {
            continue;
        }
        fixed_cases += 1;
        assert!(
            fixed.outcome.converged,
            "{rule_name}/{case}: fixes did not converge"
        );
        assert!(
            fixed
                .last
                .iter()
                .all(|d| d.code != rule.meta.code || d.fix.is_none()),
            "{rule_name}/{case}: a fix is still on offer: {:#?}",
            fixed.last
        );
        assert!(
            strict_yaml(&fixed.outcome.fixed),
            "{rule_name}/{case}: the fixed frontmatter is not strict YAML:\n{}",
            fixed.outcome.fixed
        );
        // Fixing the fixed text changes nothing.
        let again = skillpress::fix::fix_skill(
            skillpress::skill::Skill::from_parts(
                skill.dir.clone(),
                skill.manifest.clone(),
                fixed.outcome.fixed.clone(),
                skill.files.clone(),
            ),
            &settings,
        );
        assert!(
            !again.changed(),
            "{rule_name}/{case}: a second fix changed the text"
        );
        insta::assert_snapshot!(format!("fixed__{rule_name}__{case}"), fixed.outcome.fixed);
    }
    assert!(
        fixed_cases >= 3,
        "only {fixed_cases} fixture cases were fixed"
    );
}
