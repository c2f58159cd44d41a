//! Rosenblatt's perceptron (1958): a weighted sum and a step, trained by
//! the perceptron rule — no gradients, no graph.

/// A single perceptron: ŷ = step(w · x + b) ∈ {0, 1}.
///
/// The perceptron rule updates only on mistakes:
///
/// ```text
/// w ← w + lr · (y − ŷ) · x        b ← b + lr · (y − ŷ)
/// ```
///
/// If a line (a hyperplane) separates the two classes, the rule finds one
/// in a finite number of updates; if none exists — XOR — it never stops
/// making mistakes.
///
/// ```
/// use layers::Perceptron;
/// let x = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
/// let and = [0.0, 0.0, 0.0, 1.0];
/// let mut p = Perceptron::new(2);
/// let fit = p.fit(&x, &and, 1.0, 100);
/// assert!(fit.converged);
/// assert_eq!(x.map(|xi| p.predict(&xi)), and);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Perceptron {
    /// One weight per input.
    pub weights: Vec<f64>,
    /// The bias (minus the threshold).
    pub bias: f64,
}

/// How a call to [`Perceptron::fit`] went.
#[derive(Clone, Debug, PartialEq)]
pub struct PerceptronFit {
    /// Whether an epoch passed with no mistake (a separating line was found).
    pub converged: bool,
    /// The number of epochs run.
    pub epochs: usize,
    /// The number of mistakes made in each epoch.
    pub mistakes_per_epoch: Vec<usize>,
}

impl Perceptron {
    /// A perceptron with `inputs` weights, all zero, and a zero bias.
    pub fn new(inputs: usize) -> Self {
        Perceptron {
            weights: vec![0.0; inputs],
            bias: 0.0,
        }
    }

    /// The weighted sum w · x + b.
    ///
    /// # Panics
    /// If `x` does not have one value per weight.
    #[track_caller]
    pub fn weighted_sum(&self, x: &[f64]) -> f64 {
        if x.len() != self.weights.len() {
            panic!(
                "Perceptron: input has {} values, the perceptron has {} weights",
                x.len(),
                self.weights.len()
            );
        }
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.bias
    }

    /// The prediction step(w · x + b): 1.0 or 0.0.
    ///
    /// # Panics
    /// If `x` does not have one value per weight.
    #[track_caller]
    pub fn predict(&self, x: &[f64]) -> f64 {
        if self.weighted_sum(x) > 0.0 { 1.0 } else { 0.0 }
    }

    /// Runs the perceptron rule over the examples, in order, for at most
    /// `max_epochs` epochs, stopping after the first epoch without a mistake.
    ///
    /// # Panics
    /// If the numbers of examples and targets differ, a target is not 0 or
    /// 1, the learning rate is not positive and finite, or an example has
    /// the wrong length.
    #[track_caller]
    pub fn fit<X: AsRef<[f64]>>(
        &mut self,
        xs: &[X],
        ys: &[f64],
        lr: f64,
        max_epochs: usize,
    ) -> PerceptronFit {
        if xs.len() != ys.len() {
            panic!(
                "Perceptron::fit: {} examples but {} targets",
                xs.len(),
                ys.len()
            );
        }
        if let Some(y) = ys.iter().find(|&&y| y != 0.0 && y != 1.0) {
            panic!("Perceptron::fit: targets must be 0 or 1, got {y}");
        }
        if !(lr > 0.0 && lr.is_finite()) {
            panic!("Perceptron::fit: the learning rate must be positive and finite, got {lr}");
        }
        // Check every example before the first update, so that a bad one
        // never leaves the perceptron half-trained.
        if let Some((i, x)) = xs
            .iter()
            .enumerate()
            .find(|(_, x)| x.as_ref().len() != self.weights.len())
        {
            panic!(
                "Perceptron::fit: example {i} has {} values, the perceptron has {} weights",
                x.as_ref().len(),
                self.weights.len()
            );
        }
        let mut mistakes_per_epoch = Vec::new();
        for _ in 0..max_epochs {
            let mut mistakes = 0;
            for (x, &y) in xs.iter().zip(ys) {
                let x = x.as_ref();
                let error = y - self.predict(x);
                if error != 0.0 {
                    mistakes += 1;
                    for (w, xi) in self.weights.iter_mut().zip(x) {
                        *w += lr * error * xi;
                    }
                    self.bias += lr * error;
                }
            }
            mistakes_per_epoch.push(mistakes);
            if mistakes == 0 {
                break;
            }
        }
        PerceptronFit {
            converged: mistakes_per_epoch.last() == Some(&0),
            epochs: mistakes_per_epoch.len(),
            mistakes_per_epoch,
        }
    }
}
