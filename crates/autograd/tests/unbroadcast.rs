//! `unbroadcast`, the adjoint of broadcasting, on its own: hand examples,
//! the count of copies, the adjoint identity and the panic on a shape that
//! cannot have been broadcast.
//!
//! When the forward pass broadcast an input of shape S to a larger shape B,
//! each input element was used once per copy, so its gradient is the sum of
//! the gradients of its copies. Two properties pin this down:
//!
//! - `unbroadcast(ones(B), S)` is the number of copies, |B| / |S|, everywhere;
//! - ⟨unbroadcast(G, S), v⟩ = ⟨G, broadcast(v, B)⟩ for every G and v: summing
//!   is the adjoint (transpose) of copying.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::unbroadcast;
use proptest::collection::vec;
use proptest::prelude::*;

use tensor::Tensor;

/// `[[1, 2, 3], [10, 20, 30]]`, the upstream gradient of the hand examples.
fn dy() -> Tensor<f64> {
    Tensor::from([[1.0, 2.0, 3.0], [10.0, 20.0, 30.0]])
}

#[test]
fn a_bias_sums_over_the_batch() {
    // b [3] was added to every row of a [2, 3]: db_j = Σ_i dy_ij.
    let db = unbroadcast(&dy(), &[3]);
    assert_eq!(db.shape(), &[3]);
    assert_eq!(db.to_vec(), vec![11.0, 22.0, 33.0]);
}

#[test]
fn a_column_sums_along_the_row() {
    // c [2, 1] was copied along axis 1: dc_i0 = Σ_j dy_ij.
    let dc = unbroadcast(&dy(), &[2, 1]);
    assert_eq!(dc.shape(), &[2, 1]);
    assert_eq!(dc.to_vec(), vec![6.0, 60.0]);
}

#[test]
fn a_row_sums_down_the_columns() {
    // r [1, 3] was copied along axis 0: dr_0j = Σ_i dy_ij.
    let dr = unbroadcast(&dy(), &[1, 3]);
    assert_eq!(dr.shape(), &[1, 3]);
    assert_eq!(dr.to_vec(), vec![11.0, 22.0, 33.0]);
}

#[test]
fn a_scalar_sums_everything() {
    // s [] was copied to all 6 places: ds = Σ dy = 66.
    let ds = unbroadcast(&dy(), &[]);
    assert_eq!(ds.shape(), &[] as &[usize]);
    assert_eq!(ds.item(), 66.0);
    // [1, 1] is a scalar that kept its axes.
    let ds = unbroadcast(&dy(), &[1, 1]);
    assert_eq!(ds.shape(), &[1, 1]);
    assert_eq!(ds.item(), 66.0);
}

#[test]
fn leading_axes_are_summed_away() {
    // dy [2, 2, 3] with dy[i, j, k] = 100 i + 10 j + k.
    let g = Tensor::from_vec(
        (0..2)
            .flat_map(|i| {
                (0..2).flat_map(move |j| (0..3).map(move |k| f64::from(100 * i + 10 * j + k)))
            })
            .collect(),
        [2, 2, 3],
    );
    // x [2, 3] was copied along a new leading axis: dx[j, k] = Σ_i dy[i, j, k]
    // = 100·(0 + 1) + 2·(10 j + k).
    assert_eq!(
        unbroadcast(&g, &[2, 3]).to_vec(),
        vec![100.0, 102.0, 104.0, 120.0, 122.0, 124.0]
    );
    // x [3]: dx[k] = Σ_ij dy[i, j, k] = 2·100 + 2·10 + 4 k.
    assert_eq!(unbroadcast(&g, &[3]).to_vec(), vec![220.0, 224.0, 228.0]);
    // x [2, 1] (a leading axis added, the last set to 1):
    // dx[j, 0] = Σ_ik dy[i, j, k] = 3·100 + 2·3·10 j + 2·(0 + 1 + 2).
    let dx = unbroadcast(&g, &[2, 1]);
    assert_eq!(dx.shape(), &[2, 1]);
    assert_eq!(dx.to_vec(), vec![306.0, 366.0]);
    // x [1, 2, 1]: the same sums, keeping every axis.
    let dx = unbroadcast(&g, &[1, 2, 1]);
    assert_eq!(dx.shape(), &[1, 2, 1]);
    assert_eq!(dx.to_vec(), vec![306.0, 366.0]);
}

#[test]
fn the_same_shape_is_passed_through_without_a_copy() {
    // Nothing was broadcast: dx = dy, and no new storage is needed.
    let g = dy();
    let dx = unbroadcast(&g, &[2, 3]);
    assert_eq!(dx, g);
    assert!(dx.shares_storage_with(&g));
}

#[test]
#[should_panic(
    expected = "unbroadcast: a gradient of shape [2, 3] cannot come from an input of shape [4]"
)]
fn an_incompatible_shape_panics() {
    unbroadcast(&dy(), &[4]);
}

#[test]
#[should_panic(
    expected = "unbroadcast: a gradient of shape [3] cannot come from an input of shape [2, 3]"
)]
fn an_input_larger_than_the_gradient_panics() {
    // Broadcasting never shrinks: a [2, 3] input gives at least a [2, 3] output.
    unbroadcast(&Tensor::<f64>::ones([3]), &[2, 3]);
}

// ----- properties ------------------------------------------------------------

/// A broadcast shape B (1–3 axes of length 1–5) and an input shape S that
/// broadcasts to it: B with 0 or more leading axes dropped and some of the
/// remaining axes set to 1.
fn shapes() -> impl Strategy<Value = (Vec<usize>, Vec<usize>)> {
    vec(1usize..=5, 1..=3)
        .prop_flat_map(|b| {
            let ndim = b.len();
            (Just(b), 0..=ndim, vec(any::<bool>(), ndim))
        })
        .prop_map(|(b, drop, ones)| {
            let mut s = b[drop..].to_vec();
            for (len, one) in s.iter_mut().zip(ones) {
                if one {
                    *len = 1;
                }
            }
            (b, s)
        })
}

/// A tensor of small integers (exact in f64, so sums in any order agree).
fn integers(shape: &[usize]) -> impl Strategy<Value = Tensor<f64>> + use<> {
    let shape = shape.to_vec();
    let n: usize = shape.iter().product();
    vec(-5i32..=5, n)
        .prop_map(move |v| Tensor::from_vec(v.into_iter().map(f64::from).collect(), &shape))
}

/// ⟨a, b⟩ = Σ aᵢ bᵢ for two tensors of one shape.
fn dot(a: &Tensor<f64>, b: &Tensor<f64>) -> f64 {
    assert_eq!(a.shape(), b.shape());
    (a * b).sum()
}

proptest! {
    #![proptest_config(support::proptest_config())]

    #[test]
    fn ones_unbroadcast_to_the_count_of_copies((b, s) in shapes()) {
        // Every element of an input of shape S was copied |B| / |S| times.
        let copies = (b.iter().product::<usize>() / s.iter().product::<usize>()) as f64;
        let counted = unbroadcast(&Tensor::<f64>::ones(&b), &s);
        prop_assert_eq!(counted, Tensor::full(&s, copies));
    }

    #[test]
    fn unbroadcast_is_the_adjoint_of_broadcasting(
        (b, s, g, v) in shapes().prop_flat_map(|(b, s)| {
            let (gs, vs) = (integers(&b), integers(&s));
            (Just(b), Just(s), gs, vs)
        })
    ) {
        // ⟨unbroadcast(G, S), v⟩ = ⟨G, broadcast(v, B)⟩.
        let broadcast_v = &Tensor::zeros(&b) + &v;
        let summed = unbroadcast(&g, &s);
        prop_assert_eq!(summed.shape(), &s[..]);
        prop_assert_eq!(dot(&summed, &v), dot(&g, &broadcast_v));
    }
}
