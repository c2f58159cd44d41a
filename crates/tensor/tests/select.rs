//! Selecting rows (minibatches), concatenating and stacking.

use tensor::Tensor;

fn data() -> Tensor<f64> {
    // 4 examples with 2 features each; row i is [i, 10 i].
    Tensor::from([[0.0, 0.0], [1.0, 10.0], [2.0, 20.0], [3.0, 30.0]])
}

#[test]
fn select_rows_in_the_given_order() {
    let x = data();
    assert_eq!(
        x.select_rows(&[2, 0]),
        Tensor::from([[2.0, 20.0], [0.0, 0.0]])
    );
    assert_eq!(x.select_rows(&[3]), Tensor::from([[3.0, 30.0]]));
    assert_eq!(x.select_rows(&[0, 1, 2, 3]), x);
    assert_eq!(
        x.select_rows(&[3, 2, 1, 0]),
        Tensor::from([[3.0, 30.0], [2.0, 20.0], [1.0, 10.0], [0.0, 0.0]])
    );
}

#[test]
fn select_rows_may_repeat_an_index() {
    let x = data();
    let b = x.select_rows(&[1, 1, 3, 1]);
    assert_eq!(b.shape(), &[4, 2]);
    assert_eq!(b.to_vec(), vec![1.0, 10.0, 1.0, 10.0, 3.0, 30.0, 1.0, 10.0]);
    // More rows than the source: sampling with replacement.
    assert_eq!(x.select_rows(&[0; 6]).shape(), &[6, 2]);
}

#[test]
fn select_rows_of_vectors_and_3d_tensors() {
    let labels = Tensor::from([7.0f32, 8.0, 9.0]);
    assert_eq!(
        labels.select_rows(&[2, 2, 0]).to_vec(),
        vec![9.0f32, 9.0, 7.0]
    );
    let images: Tensor = Tensor::arange(12).reshape([3, 2, 2]);
    let b = images.select_rows(&[2, 0]);
    assert_eq!(b.shape(), &[2, 2, 2]);
    assert_eq!(
        b.to_vec(),
        vec![8.0f32, 9.0, 10.0, 11.0, 0.0, 1.0, 2.0, 3.0]
    );
}

#[test]
fn select_no_rows() {
    let b = data().select_rows(&[]);
    assert_eq!(b.shape(), &[0, 2]);
    assert!(b.is_empty());
}

#[test]
fn select_rows_of_a_transposed_view() {
    let t = Tensor::from([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).t(); // [[1, 4], [2, 5], [3, 6]]
    assert_eq!(
        t.select_rows(&[2, 0]),
        Tensor::from([[3.0, 6.0], [1.0, 4.0]])
    );
}

#[test]
fn concat_along_each_axis() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let b = Tensor::from([[5.0, 6.0]]);
    let c = Tensor::concat(&[a.clone(), b], 0);
    assert_eq!(c, Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]));
    let d = Tensor::from([[7.0], [8.0]]);
    let e = Tensor::concat(&[a.clone(), d, a.clone()], 1);
    assert_eq!(
        e,
        Tensor::from([[1.0, 2.0, 7.0, 1.0, 2.0], [3.0, 4.0, 8.0, 3.0, 4.0]])
    );
    // One tensor: a copy of it.
    assert_eq!(Tensor::concat(std::slice::from_ref(&a), 0), a);
    // Vectors.
    let v = Tensor::concat(&[Tensor::from([1.0f32]), Tensor::from([2.0f32, 3.0])], 0);
    assert_eq!(v.to_vec(), vec![1.0f32, 2.0, 3.0]);
    // With an empty piece.
    let z: Tensor<f64> = Tensor::zeros([0, 2]);
    assert_eq!(Tensor::concat(&[z, a.clone()], 0), a);
}

#[test]
fn concat_of_views() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    assert_eq!(
        Tensor::concat(&[a.t(), a.clone()], 0),
        Tensor::from([[1.0, 3.0], [2.0, 4.0], [1.0, 2.0], [3.0, 4.0]])
    );
}

#[test]
fn stack_along_a_new_axis() {
    let rows = [
        Tensor::from([1.0, 2.0]),
        Tensor::from([3.0, 4.0]),
        Tensor::from([5.0, 6.0]),
    ];
    let s0 = Tensor::stack(&rows, 0);
    assert_eq!(s0, Tensor::from([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]));
    let s1 = Tensor::stack(&rows, 1);
    assert_eq!(s1, Tensor::from([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]));
    assert_eq!(s1, s0.t());
    // Scalars stack into a vector.
    let v = Tensor::stack(&[Tensor::scalar(1.0f32), Tensor::scalar(2.0)], 0);
    assert_eq!(v.shape(), &[2]);
    assert_eq!(v.to_vec(), vec![1.0f32, 2.0]);
    // Matrices stack into a 3-d tensor, in the middle too.
    let m = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let s = Tensor::stack(&[m.clone(), &m * 10.0], 1);
    assert_eq!(s.shape(), &[2, 2, 2]);
    assert_eq!(
        s,
        Tensor::from([[[1.0, 2.0], [10.0, 20.0]], [[3.0, 4.0], [30.0, 40.0]]])
    );
    let s = Tensor::stack(&[m.clone(), &m * 10.0], 2);
    assert_eq!(
        s,
        Tensor::from([[[1.0, 10.0], [2.0, 20.0]], [[3.0, 30.0], [4.0, 40.0]]])
    );
}

#[test]
fn concat_then_select_rows_gives_back_the_pieces() {
    let a = Tensor::from([[1.0, 2.0], [3.0, 4.0]]);
    let b = Tensor::from([[5.0, 6.0]]);
    let c = Tensor::concat(&[a.clone(), b.clone()], 0);
    assert_eq!(c.select_rows(&[0, 1]), a);
    assert_eq!(c.select_rows(&[2]), b);
}
