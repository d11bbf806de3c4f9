//! Routing collisions: every skill's own queries (from its body) routed by BM25 over the
//! descriptions of every skill in the registry. A skill whose queries go first to another
//! skill loses its requests to it; the worst pairs are what a maintainer fixes first.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::observe::Compact;
use crate::routing::{Router, Scratch};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Collisions {
    /// Skills whose body yields at least one query.
    pub skills_with_queries: u64,
    pub queries: u64,
    /// Queries whose first-ranked skill is another skill (of another name).
    pub queries_lost: u64,
    /// Queries whose first-ranked skill is another copy with the same name: one skill
    /// found twice, counted apart.
    pub queries_to_same_name: u64,
    /// Queries no description matches at all.
    pub queries_unrouted: u64,
    /// Skills losing at least one query to another skill.
    pub skills_losing_any: u64,
    /// Skills losing more than half of their queries to other skills.
    pub skills_losing_most: u64,
    /// The pairs where `skill` loses the most queries to `winner`, worst first.
    pub worst_pairs: Vec<Pair>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pair {
    pub skill: String,
    pub skill_path: String,
    pub winner: String,
    pub winner_path: String,
    /// Queries of `skill` that `winner` takes first.
    pub lost: u64,
    /// All queries of `skill`.
    pub of: u64,
}

/// Where one skill's queries go.
struct Fate {
    queries: u64,
    lost: u64,
    same_name: u64,
    unrouted: u64,
    /// Winner index and how many queries it took.
    winners: BTreeMap<usize, u64>,
}

/// Routes every skill's queries over the descriptions of all `skills` (in their order,
/// which must not depend on thread timing) and keeps the `top` worst pairs.
pub fn find(skills: &[Compact], top: usize) -> Collisions {
    let mut router = Router::new();
    for s in skills {
        router.add(&format!("{} {}", s.name, s.description));
    }
    let fates: Vec<Fate> = skills
        .par_iter()
        .enumerate()
        .map_init(Scratch::default, |scratch, (i, s)| {
            let mut fate = Fate {
                queries: s.queries.len() as u64,
                lost: 0,
                same_name: 0,
                unrouted: 0,
                winners: BTreeMap::new(),
            };
            for q in &s.queries {
                match router.route_with(q, 1, scratch).first() {
                    None => fate.unrouted += 1,
                    Some(&(w, _)) if w == i => {}
                    Some(&(w, _)) if skills[w].name == s.name => fate.same_name += 1,
                    Some(&(w, _)) => {
                        fate.lost += 1;
                        *fate.winners.entry(w).or_insert(0) += 1;
                    }
                }
            }
            fate
        })
        .collect();
    let mut out = Collisions {
        skills_with_queries: 0,
        queries: 0,
        queries_lost: 0,
        queries_to_same_name: 0,
        queries_unrouted: 0,
        skills_losing_any: 0,
        skills_losing_most: 0,
        worst_pairs: Vec::new(),
    };
    let mut pairs = super::stats::Top::new(top);
    for (i, f) in fates.iter().enumerate() {
        if f.queries == 0 {
            continue;
        }
        out.skills_with_queries += 1;
        out.queries += f.queries;
        out.queries_lost += f.lost;
        out.queries_to_same_name += f.same_name;
        out.queries_unrouted += f.unrouted;
        out.skills_losing_any += u64::from(f.lost > 0);
        out.skills_losing_most += u64::from(2 * f.lost > f.queries);
        for (&w, &lost) in &f.winners {
            // Worst first: most queries lost, then the larger share of the skill's own.
            let key = lost * 1000 + 1000 * lost / f.queries;
            pairs.push(
                key,
                Pair {
                    skill: skills[i].name.clone(),
                    skill_path: skills[i].path.clone(),
                    winner: skills[w].name.clone(),
                    winner_path: skills[w].path.clone(),
                    lost,
                    of: f.queries,
                },
            );
        }
    }
    out.worst_pairs = pairs.into_sorted().into_iter().map(|(_, p)| p).collect();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill(name: &str, description: &str, queries: &[&str]) -> Compact {
        Compact {
            path: format!("reg/{name}"),
            name: name.to_string(),
            description: description.to_string(),
            listing: None,
            queries: queries.iter().map(|q| q.to_string()).collect(),
        }
    }

    #[test]
    fn a_skill_whose_queries_match_another_description_loses_them() {
        let skills = vec![
            skill(
                "pdf",
                "fill PDF forms, merge PDF files",
                &["merge two PDF files"],
            ),
            // Its description says nothing of what its body is for.
            skill(
                "helper",
                "general helper",
                &["fill a PDF form", "merge PDF pages", "general helper tasks"],
            ),
        ];
        let c = find(&skills, 5);
        assert_eq!(c.skills_with_queries, 2);
        assert_eq!(c.queries, 4);
        assert_eq!(c.queries_lost, 2);
        assert_eq!(c.skills_losing_any, 1);
        assert_eq!(c.skills_losing_most, 1);
        assert_eq!(c.worst_pairs.len(), 1);
        let p = &c.worst_pairs[0];
        assert_eq!((p.skill.as_str(), p.winner.as_str()), ("helper", "pdf"));
        assert_eq!((p.lost, p.of), (2, 3));
    }

    #[test]
    fn a_copy_with_the_same_name_is_not_a_collision() {
        let skills = vec![
            skill("pdf", "fill PDF forms", &["fill PDF forms"]),
            skill("pdf", "fill PDF forms", &["fill PDF forms"]),
        ];
        let c = find(&skills, 5);
        assert_eq!(c.queries_lost, 0);
        assert_eq!(c.queries_to_same_name, 1);
        assert!(c.worst_pairs.is_empty());
    }
}
