//! The lecture's facts about linear maps and minibatches, checked on numbers.

use approx::{assert_relative_eq, relative_eq};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tensor::Tensor;

fn rng() -> StdRng {
    StdRng::seed_from_u64(2024)
}

#[test]
fn an_m_by_n_matrix_maps_r_n_to_r_m() {
    let (m, n) = (3, 5);
    let w: Tensor<f64> = Tensor::randn([m, n], &mut rng());
    let x: Tensor<f64> = Tensor::randn([n], &mut rng());
    assert_eq!(w.matmul(&x).shape(), &[m]);
    // The image of the j-th basis vector is the j-th column of W.
    for j in 0..n {
        let e = Tensor::<f64>::eye(n).select_rows(&[j]).reshape([n]);
        let column: Vec<f64> = (0..m).map(|i| w.at([i, j])).collect();
        assert_eq!(w.matmul(&e).to_vec(), column);
    }
}

#[test]
fn a_matrix_is_a_linear_map() {
    let mut r = rng();
    let w: Tensor<f64> = Tensor::randn([4, 6], &mut r);
    let x: Tensor<f64> = Tensor::randn([6], &mut r);
    let y: Tensor<f64> = Tensor::randn([6], &mut r);
    let (a, b) = (2.5, -0.75);
    let lhs = w.matmul(&(a * &x + b * &y));
    let rhs = a * w.matmul(&x) + b * w.matmul(&y);
    assert_relative_eq!(lhs, rhs, epsilon = 1e-12);
}

#[test]
fn two_linear_layers_collapse_into_one() {
    // Without a nonlinearity, x W1 W2 is the single linear map x (W1 W2).
    let mut r = rng();
    let x: Tensor<f64> = Tensor::randn([8, 4], &mut r);
    let w1: Tensor<f64> = Tensor::randn([4, 16], &mut r);
    let w2: Tensor<f64> = Tensor::randn([16, 3], &mut r);
    let deep = x.matmul(&w1).matmul(&w2);
    let shallow = x.matmul(&w1.matmul(&w2));
    assert_eq!(deep.shape(), &[8, 3]);
    assert_relative_eq!(deep, shallow, epsilon = 1e-12, max_relative = 1e-12);

    // Also in f32, to f32 precision.
    let xf: Tensor = x.cast();
    let (w1f, w2f): (Tensor, Tensor) = (w1.cast(), w2.cast());
    assert_relative_eq!(
        xf.matmul(&w1f).matmul(&w2f),
        xf.matmul(&w1f.matmul(&w2f)),
        epsilon = 1e-4,
        max_relative = 1e-4
    );

    // A ReLU between the layers breaks the collapse: depth needs nonlinearity.
    let nonlinear = x.matmul(&w1).relu().matmul(&w2);
    assert!(!relative_eq!(nonlinear, shallow, epsilon = 1e-3));
}

#[test]
fn a_minibatch_product_is_the_row_by_row_product() {
    let mut r = rng();
    let (batch, n_in, n_out) = (5, 7, 3);
    let x: Tensor<f64> = Tensor::randn([batch, n_in], &mut r);
    let w: Tensor<f64> = Tensor::randn([n_in, n_out], &mut r);
    let y = x.matmul(&w);
    assert_eq!(y.shape(), &[batch, n_out]);
    let rows: Vec<Tensor<f64>> = (0..batch)
        .map(|i| x.select_rows(&[i]).reshape([n_in]).matmul(&w))
        .collect();
    assert_relative_eq!(y, Tensor::stack(&rows, 0), epsilon = 1e-12);
}

#[test]
fn the_bias_is_broadcast_over_the_rows() {
    let mut r = rng();
    let x: Tensor<f64> = Tensor::randn([4, 3], &mut r);
    let w: Tensor<f64> = Tensor::randn([3, 2], &mut r);
    let b = Tensor::from([0.5, -1.0]);
    let y = x.matmul(&w) + &b;
    assert_eq!(y.shape(), &[4, 2]);
    for i in 0..4 {
        let xi = x.select_rows(&[i]).reshape([3]);
        let yi = xi.matmul(&w) + &b;
        assert_relative_eq!(y.select_rows(&[i]).reshape([2]), yi, epsilon = 1e-12);
    }
    // By hand: x = [[1, 0, 2]], W = [[1, .5], [0, 1], [2, -1]], b = [.1, .2].
    let x = Tensor::from([[1.0, 0.0, 2.0], [0.0, 1.0, 1.0]]);
    let w = Tensor::from([[1.0, 0.5], [0.0, 1.0], [2.0, -1.0]]);
    let b = Tensor::from([0.1, 0.2]);
    assert_relative_eq!(
        x.matmul(&w) + &b,
        Tensor::from([[5.1, -1.3], [2.1, 0.2]]),
        epsilon = 1e-12
    );
}

#[test]
fn an_affine_map_is_a_linear_map_on_augmented_inputs() {
    // x W + b = [x, 1] [W; b]: the bias is one more row of weights.
    let mut r = rng();
    let x: Tensor<f64> = Tensor::randn([4, 3], &mut r);
    let w: Tensor<f64> = Tensor::randn([3, 2], &mut r);
    let b: Tensor<f64> = Tensor::randn([2], &mut r);
    let x1 = Tensor::concat(&[x.clone(), Tensor::ones([4, 1])], 1);
    let wb = Tensor::concat(&[w.clone(), b.reshape([1, 2])], 0);
    assert_relative_eq!(x.matmul(&w) + &b, x1.matmul(&wb), epsilon = 1e-12);
}
