//! The warm-up: automatic differentiation of single numbers.
//!
//! A [`Value`] is a number that remembers how it was computed: which values
//! it came from and the local gradient with respect to each. `backward`
//! orders the graph topologically (every value after the values it was made
//! from), then walks that order in reverse, applying the chain rule:
//!
//! ```text
//! parent.grad += local_gradient * child.grad
//! ```
//!
//! The `+=` matters: a value used twice (as in `x * x`) receives one
//! contribution per use. [`Value::backward_assigning`] makes the classic
//! mistake, `=` instead of `+=`, so that the book can show it failing.
//!
//! This engine allocates a reference-counted node per operation, which is
//! fine for a page of teaching code and too slow for tensors; the tape of
//! [`Graph`](crate::Graph) avoids both the allocation and the sort.

use std::cell::RefCell;
use std::fmt;
use std::ops::{Add, Mul, Neg, Sub};
use std::rc::Rc;

struct Node {
    data: f64,
    grad: f64,
    /// The values this one was computed from, each with ∂self/∂parent.
    parents: Vec<(Value, f64)>,
}

/// A scalar in a computational graph (cheap to clone: a shared handle).
///
/// ```
/// use autograd::scalar::Value;
/// // f = (x * y) + z at x = 100, y = 2, z = 50
/// let (x, y, z) = (Value::new(100.0), Value::new(2.0), Value::new(50.0));
/// let f = &(&x * &y) + &z;
/// f.backward();
/// assert_eq!(f.data(), 250.0);
/// assert_eq!((x.grad(), y.grad(), z.grad()), (2.0, 100.0, 1.0));
/// ```
#[derive(Clone)]
pub struct Value(Rc<RefCell<Node>>);

impl Value {
    /// A leaf value.
    pub fn new(data: f64) -> Self {
        Value::with_parents(data, Vec::new())
    }

    fn with_parents(data: f64, parents: Vec<(Value, f64)>) -> Self {
        Value(Rc::new(RefCell::new(Node {
            data,
            grad: 0.0,
            parents,
        })))
    }

    /// Its number.
    pub fn data(&self) -> f64 {
        self.0.borrow().data
    }

    /// d(output)/d(self) after `backward` on the output (0 before).
    pub fn grad(&self) -> f64 {
        self.0.borrow().grad
    }

    /// selfⁿ; local gradient n·selfⁿ⁻¹.
    pub fn powi(&self, n: i32) -> Value {
        let x = self.data();
        Value::with_parents(
            x.powi(n),
            vec![(self.clone(), f64::from(n) * x.powi(n - 1))],
        )
    }

    /// e^self; local gradient e^self.
    pub fn exp(&self) -> Value {
        let e = self.data().exp();
        Value::with_parents(e, vec![(self.clone(), e)])
    }

    /// tanh(self); local gradient 1 − tanh².
    pub fn tanh(&self) -> Value {
        let t = self.data().tanh();
        Value::with_parents(t, vec![(self.clone(), 1.0 - t * t)])
    }

    /// max(0, self); local gradient 1 if self > 0, else 0.
    pub fn relu(&self) -> Value {
        let x = self.data();
        Value::with_parents(
            x.max(0.0),
            vec![(self.clone(), if x > 0.0 { 1.0 } else { 0.0 })],
        )
    }

    /// Every value this one depends on, each after all the values it was
    /// computed from (a depth-first topological sort), ending with `self`.
    pub fn topological_order(&self) -> Vec<Value> {
        fn visit(v: &Value, seen: &mut Vec<*const RefCell<Node>>, order: &mut Vec<Value>) {
            if seen.contains(&Rc::as_ptr(&v.0)) {
                return;
            }
            seen.push(Rc::as_ptr(&v.0));
            for (parent, _) in &v.0.borrow().parents {
                visit(parent, seen, order);
            }
            order.push(v.clone());
        }
        let (mut seen, mut order) = (Vec::new(), Vec::new());
        visit(self, &mut seen, &mut order);
        order
    }

    /// Back-propagation from this value: sets `grad` of every value it
    /// depends on to d(self)/d(value). Gradients are reset first, so calling
    /// it twice gives the same answer.
    pub fn backward(&self) {
        self.backward_impl(true);
    }

    /// The classic mistake, kept for the book: `parent.grad = ...` instead of
    /// `+=`. Correct when every value is used once, wrong as soon as one is
    /// reused: for `y = x * x` it reports dy/dx = x instead of 2x.
    pub fn backward_assigning(&self) {
        self.backward_impl(false);
    }

    fn backward_impl(&self, accumulate: bool) {
        let order = self.topological_order();
        for v in &order {
            v.0.borrow_mut().grad = 0.0;
        }
        self.0.borrow_mut().grad = 1.0;
        for v in order.iter().rev() {
            let node = v.0.borrow();
            for (parent, local) in &node.parents {
                let contribution = local * node.grad;
                let mut p = parent.0.borrow_mut();
                if accumulate {
                    p.grad += contribution;
                } else {
                    p.grad = contribution;
                }
            }
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Value(data={}, grad={})", self.data(), self.grad())
    }
}

impl Add for &Value {
    type Output = Value;
    /// a + b; local gradients 1 and 1 (addition distributes).
    fn add(self, rhs: &Value) -> Value {
        Value::with_parents(
            self.data() + rhs.data(),
            vec![(self.clone(), 1.0), (rhs.clone(), 1.0)],
        )
    }
}

impl Mul for &Value {
    type Output = Value;
    /// a · b; local gradients b and a (multiplication swaps).
    fn mul(self, rhs: &Value) -> Value {
        let (a, b) = (self.data(), rhs.data());
        Value::with_parents(a * b, vec![(self.clone(), b), (rhs.clone(), a)])
    }
}

impl Sub for &Value {
    type Output = Value;
    /// a − b; local gradients 1 and −1.
    fn sub(self, rhs: &Value) -> Value {
        Value::with_parents(
            self.data() - rhs.data(),
            vec![(self.clone(), 1.0), (rhs.clone(), -1.0)],
        )
    }
}

impl Neg for &Value {
    type Output = Value;
    /// −a; local gradient −1.
    fn neg(self) -> Value {
        Value::with_parents(-self.data(), vec![(self.clone(), -1.0)])
    }
}

impl Mul<f64> for &Value {
    type Output = Value;
    /// a · c for a constant c; local gradient c.
    fn mul(self, c: f64) -> Value {
        Value::with_parents(self.data() * c, vec![(self.clone(), c)])
    }
}

impl Add<f64> for &Value {
    type Output = Value;
    /// a + c for a constant c; local gradient 1.
    fn add(self, c: f64) -> Value {
        Value::with_parents(self.data() + c, vec![(self.clone(), 1.0)])
    }
}
