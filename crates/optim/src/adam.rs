//! Adam: momentum and RMSProp together, with bias correction.

use autograd::Param;
use tensor::ndarray::Zip;
use tensor::{Float, Tensor};

use crate::{Optimizer, ParamState, check};

/// Adam: the velocity of [`Momentum`](crate::Momentum) (a running average
/// m of gradients) divided by the RMS of [`RmsProp`](crate::RmsProp) (a
/// running average v of squared gradients), with both averages corrected
/// for starting at zero. This is `torch.optim.Adam`:
///
/// ```text
/// m ← β₁ · m + (1 − β₁) · g             (first moment;  β₁ = 0.9)
/// v ← β₂ · v + (1 − β₂) · g²            (second moment; β₂ = 0.999)
/// t ← t + 1                             (counted per parameter)
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)   (bias correction)
/// w ← w − lr · m̂ / (√v̂ + ε)             (ε = 1e-8)
/// ```
///
/// **Why the correction.** m and v start at 0, so early on they are far
/// too small: at t = 1, m = 0.1·g and v = 0.001·g². Dividing by
/// 1 − β₁ᵗ and 1 − β₂ᵗ (0.1 and 0.001 at t = 1, tending to 1) turns them
/// into unbiased averages: m̂ = g and v̂ = g², and the first step is
/// lr·g/|g| = lr per weight. The slides' simple version leaves them out:
///
/// ```text
/// w ← w − lr · m / (√v + 1e-7)          (Adam::without_bias_correction)
/// ```
///
/// whose first step is lr·0.1·|g|/(√0.001·|g|) = √10·lr ≈ 3.16·lr: the two
/// biases do not cancel. For a constant gradient the uncorrected step is
/// lr·(1 − β₁ᵗ)/√(1 − β₂ᵗ): 3.2·lr at t = 1, 6.5·lr at t = 10, still 3.2·lr
/// at t = 100 and 1.26·lr at t = 1000 — too large for hundreds of steps,
/// just when the network is fresh.
///
/// [`weight_decay`](Adam::weight_decay) adds wd·w to the gradient (an L2
/// penalty, PyTorch's `Adam(weight_decay=wd)`) *before* the averages, so
/// it is divided by √v̂ like the rest of the gradient — large-gradient
/// weights are barely decayed. [`AdamW`](crate::AdamW) decouples it.
///
/// ```
/// use autograd::Param;
/// use optim::{Adam, Optimizer};
/// use tensor::Tensor;
/// let mut w = Param::new(Tensor::from([1.0, -2.0]));
/// let mut opt = Adam::new(0.1);
/// opt.update(&mut w, &Tensor::from([0.5, 0.25])); // m̂ = g, v̂ = g²: steps of lr·g/|g| = 0.1
/// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([0.9, -2.1]), epsilon = 1e-8);
/// assert_eq!(opt.steps(&w), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Adam<T: Float = f32> {
    lr: f64,
    beta1: f64,
    beta2: f64,
    /// `None`: the default of the mode, 1e-8 with bias correction and 1e-7
    /// without (as the slides write it).
    eps: Option<f64>,
    weight_decay: f64,
    bias_correction: bool,
    moments: ParamState<Moments<T>>,
}

/// Adam's memory of one parameter: the two running averages and the
/// number of steps taken.
#[derive(Clone, Debug)]
pub(crate) struct Moments<T: Float> {
    m: Tensor<T>,
    v: Tensor<T>,
    t: u64,
}

impl<T: Float> Moments<T> {
    pub(crate) fn zeros(shape: &[usize]) -> Self {
        Moments {
            m: Tensor::zeros(shape),
            v: Tensor::zeros(shape),
            t: 0,
        }
    }

    pub(crate) fn m(&self) -> &Tensor<T> {
        &self.m
    }

    pub(crate) fn v(&self) -> &Tensor<T> {
        &self.v
    }

    pub(crate) fn t(&self) -> u64 {
        self.t
    }
}

/// The hyperparameters of one Adam step, shared by [`Adam`] and
/// [`AdamW`](crate::AdamW).
pub(crate) struct AdamStep {
    pub(crate) lr: f64,
    pub(crate) beta1: f64,
    pub(crate) beta2: f64,
    pub(crate) eps: f64,
    /// Coupled weight decay (L2): g ← g + l2·w.
    pub(crate) l2: f64,
    /// Decoupled weight decay (AdamW): w ← w − lr·decoupled·w.
    pub(crate) decoupled: f64,
    pub(crate) bias_correction: bool,
}

impl AdamStep {
    /// One Adam step of `w` with gradient `g`, in one pass over the
    /// elements of w, m, v and g.
    pub(crate) fn apply<T: Float>(&self, w: &mut Tensor<T>, g: &Tensor<T>, state: &mut Moments<T>) {
        state.t += 1;
        // The corrections are scalars: fold 1/(1 − β₁ᵗ) into the step size
        // and divide √v by √(1 − β₂ᵗ), as PyTorch does:
        // lr·m̂/(√v̂ + ε) = (lr/(1 − β₁ᵗ)) · m / (√v/√(1 − β₂ᵗ) + ε).
        let (c1, c2) = if self.bias_correction {
            let t = state.t as f64;
            (1.0 - self.beta1.powf(t), 1.0 - self.beta2.powf(t))
        } else {
            (1.0, 1.0)
        };
        let step_size = T::from_f64(self.lr / c1);
        let sqrt_c2 = T::from_f64(c2.sqrt());
        let (b1, b2) = (T::from_f64(self.beta1), T::from_f64(self.beta2));
        let (one_minus_b1, one_minus_b2) =
            (T::from_f64(1.0 - self.beta1), T::from_f64(1.0 - self.beta2));
        let eps = T::from_f64(self.eps);
        let l2 = T::from_f64(self.l2);
        let shrink = T::from_f64(1.0 - self.lr * self.decoupled);
        Zip::from(w.view_mut())
            .and(state.m.view_mut())
            .and(state.v.view_mut())
            .and(g.view())
            .for_each(|w, m, v, &g| {
                let g = g + l2 * *w; // coupled weight decay (Adam): into the gradient
                *w *= shrink; // decoupled weight decay (AdamW): on the weight itself
                *m = b1 * *m + one_minus_b1 * g;
                *v = b2 * *v + one_minus_b2 * g * g;
                *w -= step_size * *m / (v.sqrt() / sqrt_c2 + eps);
            });
    }
}

impl<T: Float> Adam<T> {
    /// Adam with learning rate `lr` (1e-3 is the usual start), β₁ = 0.9,
    /// β₂ = 0.999, ε = 1e-8, bias correction and no weight decay: PyTorch's
    /// defaults.
    ///
    /// # Panics
    /// If `lr` is not positive and finite:
    /// `Adam: learning rate must be positive and finite, got 0`.
    #[track_caller]
    pub fn new(lr: f64) -> Self {
        check::learning_rate("Adam", lr);
        Adam {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: None,
            weight_decay: 0.0,
            bias_correction: true,
            moments: ParamState::new(),
        }
    }

    /// Sets the decay rates β₁ (of m) and β₂ (of v).
    ///
    /// # Panics
    /// If either is outside [0, 1): `Adam: beta1 must be in [0, 1), got 1`.
    #[track_caller]
    pub fn betas(mut self, beta1: f64, beta2: f64) -> Self {
        check::rate("Adam", "beta1", beta1);
        check::rate("Adam", "beta2", beta2);
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// Sets ε, added to √v̂ before dividing. An explicit ε is used in both
    /// modes; without it, ε is 1e-8 (with bias correction) or 1e-7
    /// (without, as the slides write it).
    ///
    /// # Panics
    /// If `eps` is not positive and finite: `Adam: eps must be positive and finite, got 0`.
    #[track_caller]
    pub fn eps(mut self, eps: f64) -> Self {
        check::eps("Adam", eps);
        self.eps = Some(eps);
        self
    }

    /// Adds the L2 term `wd · w` to every gradient before the averages
    /// (PyTorch's `Adam(weight_decay=wd)`); see [`AdamW`](crate::AdamW) for
    /// the decoupled form.
    ///
    /// # Panics
    /// If `wd` is negative or not finite:
    /// `Adam: weight decay must be non-negative and finite, got -0.1`.
    #[track_caller]
    pub fn weight_decay(mut self, wd: f64) -> Self {
        check::weight_decay("Adam", wd);
        self.weight_decay = wd;
        self
    }

    /// The slides' version: no bias correction, w ← w − lr·m/(√v + ε),
    /// with ε = 1e-7 unless set by [`eps`](Adam::eps).
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Adam, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([1.0, -2.0]));
    /// let mut opt = Adam::new(0.1).without_bias_correction();
    /// // m = 0.1·g, v = 0.001·g²: steps of 0.1·0.1·|g|/(√0.001·|g| + 1e-7) ≈ 0.316
    /// opt.update(&mut w, &Tensor::from([0.5, 0.25]));
    /// let step = 0.1 * 0.1 / 0.001f64.sqrt();
    /// approx::assert_abs_diff_eq!(w.value(), &Tensor::from([1.0 - step, -2.0 - step]), epsilon = 1e-5);
    /// ```
    pub fn without_bias_correction(mut self) -> Self {
        self.bias_correction = false;
        self
    }

    /// The running averages (m, v) of a parameter, if it was ever updated.
    ///
    /// ```
    /// use autograd::Param;
    /// use optim::{Adam, Optimizer};
    /// use tensor::Tensor;
    /// let mut w = Param::new(Tensor::from([0.0]));
    /// let mut opt = Adam::new(1e-3).betas(0.5, 0.75);
    /// opt.update(&mut w, &Tensor::from([2.0]));
    /// let (m, v) = opt.moments(&w).unwrap();
    /// assert_eq!((m.item(), v.item()), (1.0, 1.0)); // (1 − 0.5)·2, (1 − 0.75)·2²
    /// assert_eq!(opt.steps(&w), 1);
    /// ```
    pub fn moments(&self, param: &Param<T>) -> Option<(&Tensor<T>, &Tensor<T>)> {
        self.moments.get(param.id()).map(|s| (s.m(), s.v()))
    }

    /// The number of steps t a parameter has taken (0 if none).
    pub fn steps(&self, param: &Param<T>) -> u64 {
        self.moments.get(param.id()).map_or(0, Moments::t)
    }

    fn rule(&self) -> AdamStep {
        let default_eps = if self.bias_correction { 1e-8 } else { 1e-7 };
        AdamStep {
            lr: self.lr,
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps.unwrap_or(default_eps),
            l2: self.weight_decay,
            decoupled: 0.0,
            bias_correction: self.bias_correction,
        }
    }
}

impl<T: Float> Optimizer<T> for Adam<T> {
    #[track_caller]
    fn update(&mut self, param: &mut Param<T>, grad: &Tensor<T>) {
        check::same_shape("Adam", param.shape(), grad.shape());
        let rule = self.rule();
        let state = self
            .moments
            .get_or_insert_with(param.id(), || Moments::zeros(param.shape()));
        rule.apply(param.value_mut(), grad, state);
    }

    fn learning_rate(&self) -> f64 {
        self.lr
    }

    #[track_caller]
    fn set_learning_rate(&mut self, lr: f64) {
        check::learning_rate("Adam", lr);
        self.lr = lr;
    }

    fn name(&self) -> String {
        let mut name = "Adam".to_string();
        if !self.bias_correction {
            name.push_str(" (no bias correction)");
        }
        if self.weight_decay != 0.0 {
            name.push_str(&format!(" (weight decay {})", self.weight_decay));
        }
        name
    }
}
