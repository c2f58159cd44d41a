//! The element type: one sealed trait for `f32` and `f64`.
//!
//! Every bound that ndarray, num-traits and rand ask of an element is bundled
//! here once, so that no other signature in gradschool repeats them: a
//! function generic over the element type writes `T: Float` and nothing else.

use std::fmt::{Debug, Display, LowerExp};
use std::iter::Sum;
use std::ops::{AddAssign, DivAssign, MulAssign, SubAssign};

use ndarray::{ArrayView2, ArrayViewMut2, LinalgScalar, ScalarOperand};
use rand::Rng;
use rand::distr::uniform::SampleUniform;
use rand_distr::{Distribution, StandardNormal};

mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
}

/// A floating-point element type: `f32` (training, the everyday type) or
/// `f64` (gradient checks). Sealed: no other type can implement it.
///
/// ```
/// use tensor::Float;
/// fn half<T: Float>(x: T) -> T { x * T::from_f64(0.5) }
/// assert_eq!(half(3.0f32), 1.5);
/// assert_eq!(half(3.0f64), 1.5);
/// ```
pub trait Float:
    sealed::Sealed
    + num_traits::Float
    + LinalgScalar
    + ScalarOperand
    + SampleUniform
    + AddAssign
    + SubAssign
    + MulAssign
    + DivAssign
    + Sum
    + Debug
    + Display
    + LowerExp
    + Default
    + Send
    + Sync
    + approx::RelativeEq<Epsilon = Self>
    + approx::UlpsEq<Epsilon = Self>
    + 'static
{
    /// The type's name as Rust spells it: `"f32"` or `"f64"`.
    const NAME: &'static str;

    /// Converts from `f64`, rounding to the nearest value of `Self`.
    fn from_f64(x: f64) -> Self;

    /// Converts to `f64` (exact for both types).
    fn to_f64(self) -> f64;

    /// Converts a count or index, as used by `mean` (divide by `n`).
    fn from_usize(n: usize) -> Self {
        Self::from_f64(n as f64)
    }

    /// One draw from the standard normal distribution N(0, 1).
    fn sample_standard_normal<R: Rng + ?Sized>(rng: &mut R) -> Self;

    /// `c = a · b` by the crate's own packed product (`gemm.rs`) when it is
    /// switched on (`GRADSCHOOL_MATMUL=packed`) and takes this type and these
    /// operands; `false` leaves `c` untouched for matrixmultiply. Only `f32` on a CPU with fused multiply-add has one:
    /// `f64` is for gradient checks, where speed does not matter.
    #[doc(hidden)]
    fn packed_matmul(
        _a: &ArrayView2<'_, Self>,
        _b: &ArrayView2<'_, Self>,
        _c: &mut ArrayViewMut2<'_, Self>,
    ) -> bool {
        false
    }
}

impl Float for f32 {
    const NAME: &'static str = "f32";
    fn packed_matmul(
        a: &ArrayView2<'_, f32>,
        b: &ArrayView2<'_, f32>,
        c: &mut ArrayViewMut2<'_, f32>,
    ) -> bool {
        cfg!(target_feature = "fma") && crate::gemm::matmul(a, b, c)
    }
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    fn sample_standard_normal<R: Rng + ?Sized>(rng: &mut R) -> Self {
        StandardNormal.sample(rng)
    }
}

impl Float for f64 {
    const NAME: &'static str = "f64";
    fn from_f64(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn sample_standard_normal<R: Rng + ?Sized>(rng: &mut R) -> Self {
        StandardNormal.sample(rng)
    }
}
