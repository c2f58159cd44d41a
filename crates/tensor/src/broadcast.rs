//! Element-wise arithmetic with NumPy broadcasting.
//!
//! Two shapes are compared from their last axis backwards; a pair of
//! lengths is compatible when they are equal or one of them is 1, and a
//! missing leading axis counts as length 1. The result takes the larger
//! length of every pair: `[4, 3] + [3]` gives `[4, 3]` (the vector is added
//! to every row), `[4, 1] * [1, 3]` gives `[4, 3]` (an outer product).

use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub, SubAssign};

use ndarray::{IxDyn, Zip};

use crate::tensor::fail;
use crate::{Float, Tensor};

/// The shape two shapes broadcast to, or `None` if they are incompatible.
///
/// ```
/// use tensor::broadcast_shape;
/// assert_eq!(broadcast_shape(&[4, 3], &[3]), Some(vec![4, 3]));
/// assert_eq!(broadcast_shape(&[4, 1], &[1, 3]), Some(vec![4, 3]));
/// assert_eq!(broadcast_shape(&[4, 3], &[4]), None);
/// ```
pub fn broadcast_shape(a: &[usize], b: &[usize]) -> Option<Vec<usize>> {
    let n = a.len().max(b.len());
    let mut out = vec![0; n];
    for i in 0..n {
        // Walk from the last axis; a missing axis has length 1.
        let da = if i < a.len() { a[a.len() - 1 - i] } else { 1 };
        let db = if i < b.len() { b[b.len() - 1 - i] } else { 1 };
        out[n - 1 - i] = match (da, db) {
            _ if da == db => da,
            (1, d) | (d, 1) => d,
            _ => return None,
        };
    }
    Some(out)
}

impl<T: Float> Tensor<T> {
    /// Applies `f` to pairs of elements, broadcasting the two shapes;
    /// `op` names the operation in the panic message.
    #[track_caller]
    pub(crate) fn binary(&self, other: &Self, op: &str, f: impl Fn(T, T) -> T) -> Self {
        if self.shape() == other.shape() {
            return Self::from_array(
                Zip::from(self.array())
                    .and(other.array())
                    .map_collect(|&a, &b| f(a, b)),
            );
        }
        let shape = match broadcast_shape(self.shape(), other.shape()) {
            Some(s) => s,
            None => fail(
                op,
                format_args!(
                    "shapes {:?} and {:?} cannot be broadcast together",
                    self.shape(),
                    other.shape()
                ),
            ),
        };
        let a = self
            .array()
            .broadcast(IxDyn(&shape))
            .expect("shape checked");
        let b = other
            .array()
            .broadcast(IxDyn(&shape))
            .expect("shape checked");
        Self::from_array(Zip::from(&a).and(&b).map_collect(|&a, &b| f(a, b)))
    }

    /// Applies `f` to pairs of elements of two tensors, with broadcasting.
    ///
    /// # Panics
    /// If the shapes cannot be broadcast together.
    ///
    /// ```
    /// # use tensor::Tensor;
    /// let a = Tensor::from([1.0, 5.0]);
    /// let b = Tensor::from([3.0, 2.0]);
    /// assert_eq!(a.zip_map(&b, f64::max).to_vec(), vec![3.0, 5.0]);
    /// ```
    #[track_caller]
    pub fn zip_map(&self, other: &Self, f: impl Fn(T, T) -> T) -> Self {
        self.binary(other, "zip_map", f)
    }

    /// Applies `f` to every element.
    pub fn map(&self, f: impl Fn(T) -> T) -> Self {
        Self::from_array(self.array().map(|&v| f(v)))
    }

    /// Applies `f` to every element in place (copies first if shared).
    pub fn map_inplace(&mut self, f: impl Fn(T) -> T) {
        self.view_mut().mapv_inplace(f);
    }

    /// `self += alpha * other` in place, `other` broadcast to `self`'s shape.
    /// The optimizer's update `w -= lr * dw` is `w.scaled_add(-lr, &dw)`.
    ///
    /// # Panics
    /// If `other` cannot be broadcast to `self`'s shape.
    #[track_caller]
    pub fn scaled_add(&mut self, alpha: T, other: &Self) {
        self.assign_op("scaled_add", other, |a, b| *a += alpha * b);
    }

    /// Copies `other`'s elements into `self` (shapes must be equal).
    ///
    /// # Panics
    /// If the shapes differ.
    #[track_caller]
    pub fn assign(&mut self, other: &Self) {
        if self.shape() != other.shape() {
            fail(
                "assign",
                format_args!("shapes differ: {:?} and {:?}", self.shape(), other.shape()),
            );
        }
        self.view_mut().assign(&other.view());
    }

    /// Sets every element to `value` in place.
    pub fn fill(&mut self, value: T) {
        self.view_mut().fill(value);
    }

    #[track_caller]
    fn assign_op(&mut self, op: &str, other: &Self, f: impl Fn(&mut T, T)) {
        let shape = self.shape().to_vec();
        let Some(b) = other.array().broadcast(IxDyn(&shape)) else {
            fail(
                op,
                format_args!(
                    "shape {:?} cannot be broadcast to {:?}",
                    other.shape(),
                    shape
                ),
            )
        };
        Zip::from(&mut self.view_mut())
            .and(&b)
            .for_each(|a, &b| f(a, b));
    }
}

/// Implements `a op b` for every combination of owned and borrowed tensors.
macro_rules! binary_operator {
    ($Trait:ident, $method:ident, $name:literal, $op:tt) => {
        impl<T: Float> $Trait<&Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            /// Element-wise, with broadcasting.
            ///
            /// # Panics
            /// If the shapes cannot be broadcast together.
            #[track_caller]
            fn $method(self, rhs: &Tensor<T>) -> Tensor<T> {
                self.binary(rhs, $name, |a, b| a $op b)
            }
        }
        impl<T: Float> $Trait<Tensor<T>> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: Tensor<T>) -> Tensor<T> {
                self.binary(&rhs, $name, |a, b| a $op b)
            }
        }
        impl<T: Float> $Trait<&Tensor<T>> for Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: &Tensor<T>) -> Tensor<T> {
                self.binary(rhs, $name, |a, b| a $op b)
            }
        }
        impl<T: Float> $Trait<Tensor<T>> for &Tensor<T> {
            type Output = Tensor<T>;
            #[track_caller]
            fn $method(self, rhs: Tensor<T>) -> Tensor<T> {
                self.binary(&rhs, $name, |a, b| a $op b)
            }
        }
        impl<T: Float> $Trait<T> for &Tensor<T> {
            type Output = Tensor<T>;
            /// With a scalar, applied to every element.
            fn $method(self, rhs: T) -> Tensor<T> {
                self.map(|a| a $op rhs)
            }
        }
        impl<T: Float> $Trait<T> for Tensor<T> {
            type Output = Tensor<T>;
            fn $method(self, rhs: T) -> Tensor<T> {
                self.map(|a| a $op rhs)
            }
        }
        impl $Trait<Tensor<f32>> for f32 {
            type Output = Tensor<f32>;
            fn $method(self, rhs: Tensor<f32>) -> Tensor<f32> {
                rhs.map(|b| self $op b)
            }
        }
        impl $Trait<&Tensor<f32>> for f32 {
            type Output = Tensor<f32>;
            fn $method(self, rhs: &Tensor<f32>) -> Tensor<f32> {
                rhs.map(|b| self $op b)
            }
        }
        impl $Trait<Tensor<f64>> for f64 {
            type Output = Tensor<f64>;
            fn $method(self, rhs: Tensor<f64>) -> Tensor<f64> {
                rhs.map(|b| self $op b)
            }
        }
        impl $Trait<&Tensor<f64>> for f64 {
            type Output = Tensor<f64>;
            fn $method(self, rhs: &Tensor<f64>) -> Tensor<f64> {
                rhs.map(|b| self $op b)
            }
        }
    };
}

binary_operator!(Add, add, "add", +);
binary_operator!(Sub, sub, "sub", -);
binary_operator!(Mul, mul, "mul", *);
binary_operator!(Div, div, "div", /);

impl<T: Float> Neg for &Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        self.map(|a| -a)
    }
}

impl<T: Float> Neg for Tensor<T> {
    type Output = Tensor<T>;
    fn neg(self) -> Tensor<T> {
        self.map(|a| -a)
    }
}

impl<T: Float> AddAssign<&Tensor<T>> for Tensor<T> {
    /// `a += b` in place; `b` must broadcast to `a`'s shape (the shape of
    /// `a` never changes). This is how gradients accumulate.
    ///
    /// # Panics
    /// If `b` cannot be broadcast to `a`'s shape.
    #[track_caller]
    fn add_assign(&mut self, rhs: &Tensor<T>) {
        self.assign_op("add_assign", rhs, |a, b| *a += b);
    }
}

impl<T: Float> SubAssign<&Tensor<T>> for Tensor<T> {
    /// `a -= b` in place; `b` must broadcast to `a`'s shape.
    ///
    /// # Panics
    /// If `b` cannot be broadcast to `a`'s shape.
    #[track_caller]
    fn sub_assign(&mut self, rhs: &Tensor<T>) {
        self.assign_op("sub_assign", rhs, |a, b| *a -= b);
    }
}

impl<T: Float> MulAssign<T> for Tensor<T> {
    /// Scales every element in place.
    fn mul_assign(&mut self, rhs: T) {
        self.map_inplace(|a| a * rhs);
    }
}
