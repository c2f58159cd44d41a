//! Per-parameter optimizer state, kept by [`ParamId`].

use autograd::ParamId;

/// What an optimizer remembers about each parameter between steps — a
/// velocity, a running average of squared gradients, Adam's two moments
/// and step count — kept by the parameter's stable [`ParamId`].
///
/// The store is created once with the optimizer. A parameter's entry is
/// made on its first update (with tensors of its shape) and reused at
/// every later step, so at steady state an optimizer allocates nothing.
///
/// Lookup is a linear scan over a `Vec`, like
/// [`Gradients`](autograd::Gradients), with one shortcut: parameters are
/// visited in the same order at every step, so the entry after the last
/// one found is tried first, and a step over `n` parameters costs `n`
/// comparisons, not `n²/2`.
///
/// Write your own optimizer with it:
///
/// ```
/// use autograd::Param;
/// use optim::ParamState;
/// use tensor::Tensor;
/// // Counts how often each parameter was updated.
/// let mut counts: ParamState<u32> = ParamState::new();
/// let (a, b) = (Param::new(Tensor::from([1.0])), Param::new(Tensor::from([2.0])));
/// for p in [&a, &b, &a] {
///     *counts.get_or_insert_with(p.id(), || 0) += 1;
/// }
/// assert_eq!(counts.get(a.id()), Some(&2));
/// assert_eq!(counts.get(b.id()), Some(&1));
/// assert_eq!(counts.len(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct ParamState<S> {
    entries: Vec<(ParamId, S)>,
    /// Where the next lookup starts: one past the last entry found.
    next: usize,
}

impl<S> Default for ParamState<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> ParamState<S> {
    /// An empty store.
    pub fn new() -> Self {
        ParamState {
            entries: Vec::new(),
            next: 0,
        }
    }

    /// The state of parameter `id`, if it was ever updated.
    pub fn get(&self, id: ParamId) -> Option<&S> {
        self.entries.iter().find(|(p, _)| *p == id).map(|(_, s)| s)
    }

    /// The state of parameter `id`, made by `init` on its first update.
    pub fn get_or_insert_with(&mut self, id: ParamId, init: impl FnOnce() -> S) -> &mut S {
        let index = match self.entries.get(self.next) {
            Some((p, _)) if *p == id => self.next,
            _ => match self.entries.iter().position(|(p, _)| *p == id) {
                Some(i) => i,
                None => {
                    self.entries.push((id, init()));
                    self.entries.len() - 1
                }
            },
        };
        self.next = index + 1;
        &mut self.entries[index].1
    }

    /// The number of parameters with state.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no parameter has state yet.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets every parameter's state (a fresh start, as a new optimizer).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use autograd::Param;
    use tensor::Tensor;

    use super::ParamState;

    fn params(n: usize) -> Vec<Param<f64>> {
        (0..n).map(|_| Param::new(Tensor::zeros([1]))).collect()
    }

    #[test]
    fn finds_each_entry_whatever_the_visiting_order() {
        let ps = params(4);
        let mut state: ParamState<usize> = ParamState::new();
        for (i, p) in ps.iter().enumerate() {
            *state.get_or_insert_with(p.id(), || i) += 10;
        }
        // Reversed, repeated, skipping: every lookup finds its own entry.
        for &i in &[3, 2, 1, 0, 0, 2, 3, 1, 1] {
            *state.get_or_insert_with(ps[i].id(), || unreachable!()) += 100;
        }
        let counts: Vec<usize> = ps.iter().map(|p| *state.get(p.id()).unwrap()).collect();
        assert_eq!(counts, [210, 311, 212, 213]); // i + 10, plus 100 per visit
        assert_eq!(state.len(), 4);
    }

    #[test]
    fn init_runs_once_per_parameter() {
        let ps = params(2);
        let mut state: ParamState<u32> = ParamState::default();
        assert!(state.is_empty());
        let mut calls = 0;
        for _ in 0..5 {
            for p in &ps {
                state.get_or_insert_with(p.id(), || {
                    calls += 1;
                    0
                });
            }
        }
        assert_eq!((calls, state.len()), (2, 2));
        state.clear();
        assert!(state.is_empty() && state.get(ps[0].id()).is_none());
    }
}
