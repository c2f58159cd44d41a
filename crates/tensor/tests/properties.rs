//! Algebraic laws of broadcasting, matmul, reductions, reshaping, selection
//! and the sigmoid, on random shapes and data.
//!
//! `PROPTEST_CASES` raises the number of cases for a long run.

use approx::{abs_diff_eq, relative_eq};
use proptest::prelude::*;
use tensor::{Tensor, broadcast_shape};

// ----- strategies -----------------------------------------------------------

/// A shape of up to 4 axes, each of length 1 to 4.
fn shape() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(1usize..=4, 0..=4)
}

/// A tensor of the given shape with elements in [-10, 10).
fn tensor_of(shape: Vec<usize>) -> impl Strategy<Value = Tensor<f64>> {
    let n: usize = shape.iter().product();
    prop::collection::vec(-10.0f64..10.0, n).prop_map(move |v| Tensor::from_vec(v, &shape))
}

/// A shape broadcastable to `full`: some leading axes dropped, some axes set to 1.
fn derived(full: &[usize], dropped: usize, ones: &[bool]) -> Vec<usize> {
    full.iter()
        .zip(ones)
        .skip(dropped)
        .map(|(&d, &one)| if one { 1 } else { d })
        .collect()
}

/// `count` shapes that broadcast together (to a shape of up to 4 axes).
fn broadcastable_shapes(count: usize) -> impl Strategy<Value = Vec<Vec<usize>>> {
    shape().prop_flat_map(move |full| {
        let n = full.len();
        let one = (0..=n, prop::collection::vec(any::<bool>(), n));
        (Just(full), prop::collection::vec(one, count)).prop_map(|(full, parts)| {
            parts
                .iter()
                .map(|(dropped, ones)| derived(&full, *dropped, ones))
                .collect()
        })
    })
}

/// Two tensors whose shapes broadcast together.
fn broadcastable_pair() -> impl Strategy<Value = (Tensor<f64>, Tensor<f64>)> {
    broadcastable_shapes(2).prop_flat_map(|s| (tensor_of(s[0].clone()), tensor_of(s[1].clone())))
}

/// Three tensors whose shapes broadcast together.
fn broadcastable_triple() -> impl Strategy<Value = (Tensor<f64>, Tensor<f64>, Tensor<f64>)> {
    broadcastable_shapes(3).prop_flat_map(|s| {
        (
            tensor_of(s[0].clone()),
            tensor_of(s[1].clone()),
            tensor_of(s[2].clone()),
        )
    })
}

/// A tensor of at least one axis and an axis of it.
fn tensor_and_axis() -> impl Strategy<Value = (Tensor<f64>, usize)> {
    prop::collection::vec(1usize..=4, 1..=4).prop_flat_map(|s| {
        let n = s.len();
        (tensor_of(s), 0..n)
    })
}

/// A matrix `[rows, cols]`, lengths 0 to 5.
fn matrix(rows: usize, cols: usize) -> impl Strategy<Value = Tensor<f64>> {
    tensor_of(vec![rows, cols])
}

// ----- reference implementations ---------------------------------------------------

/// Every multi-index of `shape`, in row-major order.
fn indices(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut all = vec![vec![]];
    for &d in shape {
        all = all
            .into_iter()
            .flat_map(|prefix| {
                (0..d).map(move |i| {
                    let mut next = prefix.clone();
                    next.push(i);
                    next
                })
            })
            .collect();
    }
    all
}

/// NumPy's rule written out: align the shapes on the right; an axis of
/// length 1 (or a missing one) repeats its single entry.
fn broadcast_by_hand(a: &Tensor<f64>, b: &Tensor<f64>, f: impl Fn(f64, f64) -> f64) -> Tensor<f64> {
    let n = a.ndim().max(b.ndim());
    let padded = |s: &[usize]| -> Vec<usize> {
        std::iter::repeat_n(1, n - s.len())
            .chain(s.iter().copied())
            .collect()
    };
    let (pa, pb) = (padded(a.shape()), padded(b.shape()));
    let out: Vec<usize> = pa.iter().zip(&pb).map(|(&x, &y)| x.max(y)).collect();
    let pick = |t: &Tensor<f64>, p: &[usize], index: &[usize]| -> f64 {
        let local: Vec<usize> = p
            .iter()
            .zip(index)
            .map(|(&d, &i)| if d == 1 { 0 } else { i })
            .skip(n - t.ndim())
            .collect();
        t.at(local)
    };
    let values = indices(&out)
        .iter()
        .map(|index| f(pick(a, &pa, index), pick(b, &pb, index)))
        .collect();
    Tensor::from_vec(values, out)
}

/// The textbook triple loop.
fn matmul_by_hand(a: &Tensor<f64>, b: &Tensor<f64>) -> Tensor<f64> {
    let (m, k, n) = (a.dim(0), a.dim(1), b.dim(1));
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for j in 0..n {
            for p in 0..k {
                c[i * n + j] += a.at([i, p]) * b.at([p, j]);
            }
        }
    }
    Tensor::from_vec(c, [m, n])
}

fn close(a: &Tensor<f64>, b: &Tensor<f64>) -> bool {
    relative_eq!(a, b, epsilon = 1e-10, max_relative = 1e-10)
}

// ----- broadcasting -------------------------------------------------------------------

proptest! {
    #[test]
    fn broadcast_shape_is_commutative(
        a in prop::collection::vec(0usize..=3, 0..=4),
        b in prop::collection::vec(0usize..=3, 0..=4),
    ) {
        prop_assert_eq!(broadcast_shape(&a, &b), broadcast_shape(&b, &a));
        // A shape broadcasts with itself to itself.
        prop_assert_eq!(broadcast_shape(&a, &a), Some(a.clone()));
    }

    #[test]
    fn broadcast_shape_is_the_shape_of_every_operator((a, b) in broadcastable_pair()) {
        let s = broadcast_shape(a.shape(), b.shape());
        prop_assert!(s.is_some());
        let s = s.unwrap();
        prop_assert_eq!(broadcast_shape(b.shape(), a.shape()), Some(s.clone()));
        for out in [&a + &b, &a - &b, &a * &b, &a / &b, a.zip_map(&b, f64::max), a.gt(&b)] {
            prop_assert_eq!(out.shape(), &s[..]);
        }
        let flipped = &b + &a;
        prop_assert_eq!(flipped.shape(), &s[..]);
    }

    #[test]
    fn operators_follow_numpy_broadcasting((a, b) in broadcastable_pair()) {
        prop_assert_eq!(&a + &b, broadcast_by_hand(&a, &b, |x, y| x + y));
        prop_assert_eq!(&a - &b, broadcast_by_hand(&a, &b, |x, y| x - y));
        prop_assert_eq!(&a * &b, broadcast_by_hand(&a, &b, |x, y| x * y));
        prop_assert_eq!(&a / &b, broadcast_by_hand(&a, &b, |x, y| x / y));
        prop_assert_eq!(a.lt(&b), broadcast_by_hand(&a, &b, |x, y| if x < y { 1.0 } else { 0.0 }));
    }

    #[test]
    fn addition_and_multiplication_commute((a, b) in broadcastable_pair()) {
        prop_assert_eq!(&a + &b, &b + &a);
        prop_assert_eq!(&a * &b, &b * &a);
    }

    #[test]
    fn multiplication_and_addition_associate((a, b, c) in broadcastable_triple()) {
        prop_assert!(close(&(&(&a * &b) * &c), &(&a * &(&b * &c))));
        prop_assert!(abs_diff_eq!(&(&a + &b) + &c, &a + &(&b + &c), epsilon = 1e-12));
    }

    #[test]
    fn in_place_add_equals_the_operator((a, b) in broadcastable_pair()) {
        // `a += b` is defined when b broadcasts to a's own shape.
        if broadcast_shape(a.shape(), b.shape()).as_deref() == Some(a.shape()) {
            let mut c = a.clone();
            c += &b;
            prop_assert_eq!(&c, &(&a + &b));
            let mut d = a.clone();
            d.scaled_add(-2.0, &b);
            prop_assert_eq!(&d, &(&a + &(&b * -2.0)));
        }
    }
}

// ----- matmul ----------------------------------------------------------------------------

proptest! {
    #[test]
    fn matmul_is_the_triple_loop(
        (a, b) in (0usize..=5, 0usize..=5, 0usize..=5)
            .prop_flat_map(|(m, k, n)| (matrix(m, k), matrix(k, n)))
    ) {
        let c = a.matmul(&b);
        prop_assert!(close(&c, &matmul_by_hand(&a, &b)), "{c:?}");
        // The 1-d forms agree with the 2-d product of a row or a column.
        let (m, k, n) = (a.dim(0), a.dim(1), b.dim(1));
        if m > 0 {
            let row = a.select_rows(&[0]);
            let vm = row.reshape([k]).matmul(&b);
            prop_assert!(close(&vm, &row.matmul(&b).reshape([n])));
        }
        if n > 0 {
            let col = b.t().select_rows(&[0]); // first column of b, as [1, k]
            let mv = a.matmul(&col.reshape([k]));
            prop_assert!(close(&mv, &a.matmul(&col.t()).reshape([m])));
            if m > 0 {
                let dot = a.select_rows(&[0]).reshape([k]).matmul(&col.reshape([k]));
                prop_assert!(close(&dot.reshape([1, 1]), &matmul_by_hand(&a.select_rows(&[0]), &col.t())));
            }
        }
    }

    #[test]
    fn transpose_of_a_product(
        (a, b) in (1usize..=5, 1usize..=5, 1usize..=5)
            .prop_flat_map(|(m, k, n)| (matrix(m, k), matrix(k, n)))
    ) {
        prop_assert!(close(&a.matmul(&b).t(), &b.t().matmul(&a.t())));
    }

    #[test]
    fn matmul_into_is_alpha_ab_plus_beta_c(
        (a, b, c) in (1usize..=4, 1usize..=4, 1usize..=4)
            .prop_flat_map(|(m, k, n)| (matrix(m, k), matrix(k, n), matrix(m, n))),
        alpha in -2.0f64..2.0,
        beta in -2.0f64..2.0,
    ) {
        let mut out = c.clone();
        a.matmul_into(&b, alpha, beta, &mut out);
        let expected = &matmul_by_hand(&a, &b) * alpha + &c * beta;
        prop_assert!(abs_diff_eq!(out, expected, epsilon = 1e-10));
    }
}

// ----- reductions ----------------------------------------------------------------------

proptest! {
    #[test]
    fn sum_is_the_sum_of_sum_axis((x, axis) in tensor_and_axis()) {
        let partial = x.sum_axis(axis);
        let mut shape = x.shape().to_vec();
        shape.remove(axis);
        prop_assert_eq!(partial.shape(), &shape[..]);
        prop_assert!(relative_eq!(partial.sum(), x.sum(), epsilon = 1e-10));
        prop_assert_eq!(x.sum_keepdims(axis), partial.keep_axis(axis));
    }

    #[test]
    fn mean_keepdims_broadcasts_back((x, axis) in tensor_and_axis()) {
        let mu = x.mean_keepdims(axis);
        prop_assert_eq!(mu.dim(axis), 1);
        let residual = (&x - &mu).sum_axis(axis);
        prop_assert!(abs_diff_eq!(residual, Tensor::zeros(residual.shape()), epsilon = 1e-12));
        prop_assert!(relative_eq!(x.mean_axis(axis).mean(), x.mean(), epsilon = 1e-12));
    }

    #[test]
    fn max_and_argmax_along_an_axis_agree((x, axis) in tensor_and_axis()) {
        let max = x.max_axis(axis);
        let arg = x.argmax_axis(axis);
        prop_assert_eq!(arg.len(), max.len());
        // The maximum is attained at the argmax, and is at least every entry.
        let moved = x.permute(
            std::iter::once(axis).chain((0..x.ndim()).filter(|&a| a != axis)).collect::<Vec<_>>(),
        );
        let lanes = moved.reshape([x.dim(axis), max.len()]);
        for (j, (&i, m)) in arg.iter().zip(max.to_vec()).enumerate() {
            prop_assert_eq!(lanes.at([i, j]), m);
            for r in 0..x.dim(axis) {
                prop_assert!(lanes.at([r, j]) <= m);
            }
        }
        prop_assert!((&x - &x.max_keepdims(axis)).max() <= 0.0);
    }
}

// ----- moving elements -------------------------------------------------------------------

proptest! {
    #[test]
    fn reshape_round_trips(x in shape().prop_flat_map(tensor_of)) {
        let flat = x.reshape([x.len()]);
        prop_assert_eq!(flat.to_vec(), x.to_vec());
        prop_assert_eq!(&flat.reshape(x.shape()), &x);
        // Through a transposed view: the view's own row-major order.
        let t = x.t();
        let back = t.reshape([t.len()]).reshape(t.shape());
        prop_assert_eq!(&back, &t);
        prop_assert_eq!(back.t(), x.clone());
        prop_assert_eq!(t.reshape([t.len()]).to_vec(), t.to_vec());
    }

    #[test]
    fn select_rows_then_the_inverse_permutation_is_the_identity(
        (x, perm) in (1usize..=6, prop::collection::vec(1usize..=3, 0..=2))
            .prop_flat_map(|(rows, tail)| {
                let shape: Vec<usize> = std::iter::once(rows).chain(tail).collect();
                (tensor_of(shape), Just((0..rows).collect::<Vec<_>>()).prop_shuffle())
            })
    ) {
        let mut inverse = vec![0; perm.len()];
        for (i, &p) in perm.iter().enumerate() {
            inverse[p] = i;
        }
        let shuffled = x.select_rows(&perm);
        prop_assert_eq!(shuffled.shape(), x.shape());
        prop_assert_eq!(shuffled.select_rows(&inverse), x);
    }

    #[test]
    fn concat_then_select_rows_gives_back_the_pieces(
        pieces in (prop::collection::vec(0usize..=3, 1..=4), prop::collection::vec(1usize..=3, 0..=2))
            .prop_flat_map(|(rows, tail)| {
                rows.into_iter()
                    .map(|r| tensor_of(std::iter::once(r).chain(tail.iter().copied()).collect()))
                    .collect::<Vec<_>>()
            })
    ) {
        let joined = Tensor::concat(&pieces, 0);
        let total: usize = pieces.iter().map(|p| p.dim(0)).sum();
        prop_assert_eq!(joined.dim(0), total);
        let mut start = 0;
        for piece in &pieces {
            let rows: Vec<usize> = (start..start + piece.dim(0)).collect();
            prop_assert_eq!(&joined.select_rows(&rows), piece);
            start += piece.dim(0);
        }
        // Stacking equal shapes is concatenating them with a new axis.
        let same: Vec<Tensor<f64>> = std::iter::repeat_n(pieces[0].clone(), 3).collect();
        let kept: Vec<Tensor<f64>> = same.iter().map(|p| p.keep_axis(0)).collect();
        prop_assert_eq!(Tensor::stack(&same, 0), Tensor::concat(&kept, 0));
    }
}

// ----- the sigmoid ---------------------------------------------------------------------

proptest! {
    #[test]
    fn sigmoid_lies_in_the_open_unit_interval(x in -30.0f64..30.0, y in -15.0f32..15.0) {
        let s = tensor::sigmoid(x);
        prop_assert!(0.0 < s && s < 1.0, "σ({x}) = {s}");
        let s = tensor::sigmoid(y);
        prop_assert!(0.0 < s && s < 1.0, "σ({y}) = {s}");
    }

    #[test]
    fn sigmoid_never_leaves_the_closed_unit_interval(x in prop::num::f64::NORMAL | prop::num::f64::ZERO) {
        let s = Tensor::from([x]).sigmoid().item();
        prop_assert!((0.0..=1.0).contains(&s), "σ({x}) = {s}");
    }

    #[test]
    fn sigmoid_is_symmetric(x in -50.0f64..50.0, y in -20.0f32..20.0) {
        let t = Tensor::from([x]);
        prop_assert!(abs_diff_eq!((-&t).sigmoid(), 1.0 - t.sigmoid(), epsilon = 1e-15));
        let f = Tensor::from([y]);
        prop_assert!(abs_diff_eq!((-&f).sigmoid(), 1.0 - f.sigmoid(), epsilon = 1e-7));
    }
}
