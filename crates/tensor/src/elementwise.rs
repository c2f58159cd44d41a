//! Element-wise functions and comparisons.

use crate::{Float, Tensor};

/// The logistic sigmoid 1 / (1 + e^−x), computed so that it never overflows:
/// for negative x it uses the equal form e^x / (1 + e^x).
pub fn sigmoid<T: Float>(x: T) -> T {
    if x >= T::zero() {
        T::one() / (T::one() + (-x).exp())
    } else {
        let e = x.exp();
        e / (T::one() + e)
    }
}

fn mask<T: Float>(condition: bool) -> T {
    if condition { T::one() } else { T::zero() }
}

impl<T: Float> Tensor<T> {
    /// e^x, element-wise.
    pub fn exp(&self) -> Self {
        self.map(T::exp)
    }

    /// The natural logarithm ln x, element-wise (as `log` in NumPy and
    /// PyTorch). ln 0 = −∞, ln of a negative number is NaN.
    pub fn log(&self) -> Self {
        self.map(T::ln)
    }

    /// √x, element-wise (NaN for negative x).
    pub fn sqrt(&self) -> Self {
        self.map(T::sqrt)
    }

    /// x^n for an integer n, element-wise.
    pub fn powi(&self, n: i32) -> Self {
        self.map(|v| v.powi(n))
    }

    /// x^p for a real p, element-wise (NaN for negative x and fractional p).
    pub fn powf(&self, p: T) -> Self {
        self.map(|v| v.powf(p))
    }

    /// |x|, element-wise.
    pub fn abs(&self) -> Self {
        self.map(T::abs)
    }

    /// tanh x, element-wise.
    pub fn tanh(&self) -> Self {
        self.map(T::tanh)
    }

    /// The logistic sigmoid 1 / (1 + e^−x), element-wise, without overflow
    /// for large |x|.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let s = Tensor::from([-1000.0, 0.0, 1000.0]).sigmoid();
    /// assert_eq!(s.to_vec(), vec![0.0, 0.5, 1.0]);
    /// ```
    pub fn sigmoid(&self) -> Self {
        self.map(sigmoid)
    }

    /// max(0, x), element-wise. NaN stays NaN (a diverging run must show).
    pub fn relu(&self) -> Self {
        self.map(relu)
    }
}

/// The rectified linear unit of one number, max(0, x); NaN stays NaN.
///
/// ```
/// assert_eq!(tensor::relu(-2.0), 0.0);
/// assert_eq!(tensor::relu(3.0), 3.0);
/// ```
pub fn relu<T: Float>(v: T) -> T {
    if v > T::zero() || v.is_nan() {
        v
    } else {
        T::zero()
    }
}

impl<T: Float> Tensor<T> {
    /// Limits every element to `[min, max]`. NaN stays NaN.
    ///
    /// # Panics
    /// If `min > max`.
    #[track_caller]
    pub fn clamp(&self, min: T, max: T) -> Self {
        if min > max {
            crate::tensor::fail("clamp", format_args!("min {min} is larger than max {max}"));
        }
        // Not `v.max(min).min(max)`: `f64::max` returns the number when one
        // argument is NaN, which would turn a NaN into `min`.
        self.map(|v| {
            if v < min {
                min
            } else if v > max {
                max
            } else {
                v
            }
        })
    }

    /// 1 where `self > other`, else 0 (broadcasting): a mask to multiply by.
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let x = Tensor::from([-2.0, 0.0, 3.0]);
    /// assert_eq!(x.gt(&Tensor::scalar(0.0)).to_vec(), vec![0.0, 0.0, 1.0]);
    /// assert_eq!(x.gt_scalar(0.0).to_vec(), vec![0.0, 0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn gt(&self, other: &Self) -> Self {
        self.binary(other, "gt", |a, b| mask(a > b))
    }

    /// 1 where `self >= other`, else 0 (broadcasting).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn ge(&self, other: &Self) -> Self {
        self.binary(other, "ge", |a, b| mask(a >= b))
    }

    /// 1 where `self < other`, else 0 (broadcasting).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn lt(&self, other: &Self) -> Self {
        self.binary(other, "lt", |a, b| mask(a < b))
    }

    /// 1 where `self <= other`, else 0 (broadcasting).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn le(&self, other: &Self) -> Self {
        self.binary(other, "le", |a, b| mask(a <= b))
    }

    /// 1 where `self == other`, else 0 (broadcasting).
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    #[track_caller]
    pub fn eq_mask(&self, other: &Self) -> Self {
        self.binary(other, "eq_mask", |a, b| mask(a == b))
    }

    /// 1 where `self > value`, else 0.
    pub fn gt_scalar(&self, value: T) -> Self {
        self.map(|a| mask(a > value))
    }

    /// 1 where `self >= value`, else 0.
    pub fn ge_scalar(&self, value: T) -> Self {
        self.map(|a| mask(a >= value))
    }

    /// 1 where `self < value`, else 0.
    pub fn lt_scalar(&self, value: T) -> Self {
        self.map(|a| mask(a < value))
    }

    /// 1 where `self <= value`, else 0.
    pub fn le_scalar(&self, value: T) -> Self {
        self.map(|a| mask(a <= value))
    }

    /// Whether every element is finite (no NaN, no ±∞).
    pub fn all_finite(&self) -> bool {
        self.array().iter().all(|v| v.is_finite())
    }
}
