//! The learned part: a multinomial logistic regression over hashed features, its weights
//! written by `scripts/train-classifier` into `data/classify/model.bin` and embedded.
//! Unsure means core rule: core rule wins whenever its probability reaches `threshold`,
//! which the script picks on folds split by skill to keep core-rule recall high.

use std::sync::LazyLock;

use super::features::{bucket_of_hash, DIM};
use super::Label;

const MAGIC: &[u8; 4] = b"SPCM";
const CLASSES: usize = 5;

/// Weights of one trained model.
pub struct Model {
    /// Quantised weights, feature-major: `weights[f * 5 + class]`.
    weights: Vec<i16>,
    scale: f32,
    bias: [f32; CLASSES],
    /// Core rule wins when its probability reaches this.
    pub threshold: f32,
}

static EMBEDDED: &[u8] = include_bytes!("../../data/classify/model.bin");

/// The model shipped in the binary.
pub fn embedded() -> &'static Model {
    static MODEL: LazyLock<Model> = LazyLock::new(|| {
        // The file is committed and checked by `scripts/train-classifier --check`.
        Model::from_bytes(EMBEDDED).expect("data/classify/model.bin is a model")
    });
    &MODEL
}

/// Calls its argument with the name of every feature of one block.
pub type Features<'a> = &'a mut dyn FnMut(&mut dyn FnMut(&[&str], u32));

/// A block's verdict: its label, the probabilities, and the feature that argued most
/// for the label.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub label: Label,
    pub probabilities: [f32; CLASSES],
    /// Name of the strongest feature for the label (see `features.rs`).
    pub evidence: String,
    /// Core rule won only because no other label was sure enough.
    pub unsure: bool,
}

impl Model {
    /// Reads the format `scripts/train-classifier` writes: `SPCM`, version, dimension,
    /// classes (u32 each), threshold, scale, five biases (f32 each), then the i16 weights (little-endian).
    pub fn from_bytes(b: &[u8]) -> Result<Model, String> {
        let u32_at = |i: usize| -> Result<u32, String> {
            b.get(i..i + 4)
                .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
                .ok_or_else(|| "model file is truncated".to_string())
        };
        let f32_at = |i: usize| u32_at(i).map(f32::from_bits);
        if b.get(..4) != Some(MAGIC.as_slice()) {
            return Err("not a skillpress classifier model (no SPCM header)".into());
        }
        if u32_at(4)? != 1 {
            return Err("unknown model version".into());
        }
        if u32_at(8)? as usize != DIM || u32_at(12)? as usize != CLASSES {
            return Err(format!(
                "model dimensions {}x{} do not match the features ({DIM}x{CLASSES})",
                u32_at(8)?,
                u32_at(12)?
            ));
        }
        let threshold = f32_at(16)?;
        let scale = f32_at(20)?;
        let mut bias = [0.0; CLASSES];
        for (c, b) in bias.iter_mut().enumerate() {
            *b = f32_at(24 + 4 * c)?;
        }
        let start = 24 + 4 * CLASSES;
        let weights: Vec<i16> = b
            .get(start..start + 2 * DIM * CLASSES)
            .ok_or("model file is truncated")?
            .chunks_exact(2)
            .map(|x| i16::from_le_bytes([x[0], x[1]]))
            .collect();
        Ok(Model {
            weights,
            scale,
            bias,
            threshold,
        })
    }

    /// Scores one block from its own features: its probabilities, before its list is
    /// considered, and the feature that argued most for each label.
    pub fn score(&self, features: Features) -> Scores {
        let mut sums = [0i64; CLASSES];
        // Per label: the feature that argued most for it against the others.
        let mut best: [(i32, String); CLASSES] = Default::default();
        features(&mut |name: &[&str], hash: u32| {
            let f = bucket_of_hash(hash) as usize * CLASSES;
            let w: [i16; CLASSES] = self.weights[f..f + CLASSES]
                .try_into()
                .expect("a bucket holds one weight per class");
            // Core rule against the strongest other label; every other label against
            // core rule.
            let rest = w[1..].iter().copied().max().unwrap_or(0);
            for c in 0..CLASSES {
                sums[c] += i64::from(w[c]);
                let margin = if c == 0 {
                    i32::from(w[0]) - i32::from(rest)
                } else {
                    i32::from(w[c]) - i32::from(w[0])
                };
                if margin > best[c].0 {
                    best[c].0 = margin;
                    best[c].1.clear();
                    for part in name {
                        best[c].1.push_str(part);
                    }
                }
            }
        });
        let mut scores = [0f32; CLASSES];
        for c in 0..CLASSES {
            scores[c] = self.bias[c] + self.scale * sums[c] as f32;
        }
        let top = scores.iter().copied().fold(f32::MIN, f32::max);
        let exp: Vec<f32> = scores.iter().map(|s| (s - top).exp()).collect();
        let total: f32 = exp.iter().sum();
        let mut p = [0f32; CLASSES];
        for c in 0..CLASSES {
            p[c] = exp[c] / total;
        }
        Scores {
            probabilities: p,
            evidence: best.map(|b| b.1),
        }
    }

    /// The label for probabilities `p` (a block's own, or smoothed over its list).
    /// `may_repeat` is false when the block has nothing it could repeat, so redundant
    /// cannot win. Returns the label and whether core rule won only by default.
    fn label(&self, p: &[f32; CLASSES], may_repeat: bool) -> (Label, bool) {
        let rival = (1..CLASSES)
            .filter(|&c| may_repeat || Label::ALL[c] != Label::Redundant)
            .max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        if p[0] < self.threshold && rival != 0 {
            (Label::ALL[rival], false)
        } else {
            (Label::CoreRule, p[rival] > p[0])
        }
    }

    /// The verdict on a block from its scores and the probabilities smoothed over its list
    /// (see [`smooth_lists`]).
    pub fn decide(&self, scores: Scores, smoothed: [f32; CLASSES], may_repeat: bool) -> Verdict {
        let (label, unsure) = self.label(&smoothed, may_repeat);
        let Scores {
            probabilities,
            mut evidence,
        } = scores;
        let alone = self.label(&probabilities, may_repeat).0;
        let evidence = if alone == label {
            std::mem::take(&mut evidence[label as usize])
        } else {
            // Its list decided: alone it would have been another label.
            format!("list:{}", alone.as_str())
        };
        Verdict {
            label,
            probabilities: smoothed,
            evidence,
            unsure,
        }
    }
}

/// A block's probabilities from its own features, and per label the name of the feature
/// that argued most for it.
#[derive(Debug, Clone)]
pub struct Scores {
    pub probabilities: [f32; CLASSES],
    evidence: [String; CLASSES],
}

/// How much of a list item's probabilities are its own; the rest is the mean of its list.
/// Chosen on the folds (`scripts/train-classifier` applies the same).
pub const OWN_SHARE: f32 = 0.7;

/// The items of a list usually share a function (steps, features, fields): each item's
/// probabilities move towards its list's mean, all but redundant, which is the item's own
/// business. `lists[n]` is the (first item, length) of block `n`'s list, as in
/// `features::Analysis::lists`.
pub fn smooth_lists(p: &mut [[f32; CLASSES]], lists: &[Option<(usize, usize)>]) {
    for (n, list) in lists.iter().enumerate() {
        let Some((start, len)) = *list else { continue };
        if n != start || len < 2 {
            continue;
        }
        let items = start..start + len;
        let mut mean = [0f32; CLASSES];
        for q in &p[items.clone()] {
            for c in 0..CLASSES {
                mean[c] += q[c];
            }
        }
        for m in &mut mean {
            *m /= len as f32;
        }
        for q in &mut p[items] {
            for c in 0..CLASSES - 1 {
                q[c] = OWN_SHARE * q[c] + (1.0 - OWN_SHARE) * mean[c];
            }
            let total: f32 = q.iter().sum();
            for x in q.iter_mut() {
                *x /= total;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_model_reads() {
        let m = embedded();
        assert_eq!(m.weights.len(), DIM * CLASSES);
        assert!(m.scale.is_finite() && m.threshold.is_finite());
    }

    #[test]
    fn a_bad_file_is_an_error_not_a_panic() {
        assert!(Model::from_bytes(b"SPCM").is_err());
        assert!(Model::from_bytes(b"nope").is_err());
        assert!(Model::from_bytes(&EMBEDDED[..100]).is_err());
    }
}
