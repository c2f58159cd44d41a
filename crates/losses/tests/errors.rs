//! Every misuse panics at once with a message that names the loss and the
//! offending shapes or indices; these tests pin the full messages. The last
//! tests check that each panic is reported at the learner's line
//! (`#[track_caller]`), not somewhere inside the crate.

#[macro_use]
#[path = "../../../tests/support/mod.rs"]
mod support;

use autograd::Graph;
use losses::Reduction;
use tensor::Tensor;

fn zeros(shape: &[usize]) -> Tensor<f64> {
    Tensor::zeros(shape)
}

// ----- element-wise losses: no silent broadcasting ---------------------------

#[test]
#[should_panic(expected = "mse: prediction [4, 1] and target [4] differ in shape")]
fn mse_column_against_vector() {
    let g = Graph::new();
    losses::mse(g.leaf(zeros(&[4, 1])), &zeros(&[4]));
}

#[test]
#[should_panic(expected = "mse: prediction [2, 3] and target [3, 2] differ in shape")]
fn mse_with_transposed_target() {
    let g = Graph::new();
    losses::mse_with(g.leaf(zeros(&[2, 3])), &zeros(&[3, 2]), Reduction::Sum);
}

#[test]
#[should_panic(expected = "mae: prediction [4, 1] and target [4] differ in shape")]
fn mae_column_against_vector() {
    let g = Graph::new();
    losses::mae(g.leaf(zeros(&[4, 1])), &zeros(&[4]));
}

#[test]
#[should_panic(expected = "mae: prediction [4] and target [] differ in shape")]
fn mae_with_scalar_target() {
    let g = Graph::new();
    losses::mae_with(g.leaf(zeros(&[4])), &zeros(&[]), Reduction::None);
}

#[test]
#[should_panic(
    expected = "binary_cross_entropy_with_logits: logits [4, 1] and targets [4] differ in shape"
)]
fn bce_with_logits_column_against_vector() {
    let g = Graph::new();
    losses::binary_cross_entropy_with_logits(g.leaf(zeros(&[4, 1])), &zeros(&[4]));
}

#[test]
#[should_panic(
    expected = "binary_cross_entropy_with_logits: logits [4] and targets [4, 1] differ in shape"
)]
fn bce_with_logits_with_vector_against_column() {
    let g = Graph::new();
    losses::binary_cross_entropy_with_logits_with(
        g.leaf(zeros(&[4])),
        &zeros(&[4, 1]),
        Reduction::Sum,
    );
}

#[test]
#[should_panic(
    expected = "binary_cross_entropy: probabilities [4, 1] and targets [4] differ in shape"
)]
fn bce_column_against_vector() {
    let g = Graph::new();
    losses::binary_cross_entropy(g.leaf(zeros(&[4, 1])), &zeros(&[4]));
}

#[test]
#[should_panic(
    expected = "binary_cross_entropy: probabilities [2, 2] and targets [4] differ in shape"
)]
fn bce_with_reshaped_target() {
    let g = Graph::new();
    losses::binary_cross_entropy_with(g.leaf(zeros(&[2, 2])), &zeros(&[4]), Reduction::None);
}

#[test]
#[should_panic(expected = "gaussian_nll: mean [4, 1] and target [4] differ in shape")]
fn gaussian_nll_column_against_vector() {
    let g = Graph::new();
    losses::gaussian_nll(g.leaf(zeros(&[4, 1])), &zeros(&[4]));
}

#[test]
#[should_panic(expected = "gaussian_nll: mean [3] and target [4] differ in shape")]
fn gaussian_nll_with_wrong_length() {
    let g = Graph::new();
    losses::gaussian_nll_with(g.leaf(zeros(&[3])), &zeros(&[4]), Reduction::Sum);
}

#[test]
#[should_panic(expected = "gaussian_nll_learned: mean [4, 1] and target [4] differ in shape")]
fn gaussian_nll_learned_column_against_vector() {
    let g = Graph::new();
    losses::gaussian_nll_learned(
        g.leaf(zeros(&[4, 1])),
        g.leaf(Tensor::ones([4, 1])),
        &zeros(&[4]),
    );
}

#[test]
#[should_panic(
    expected = "gaussian_nll_learned: variance [3] does not broadcast to the shape of the mean [4, 2]"
)]
fn gaussian_nll_learned_variance_shape() {
    let g = Graph::new();
    losses::gaussian_nll_learned(
        g.leaf(zeros(&[4, 2])),
        g.leaf(Tensor::ones([3])),
        &zeros(&[4, 2]),
    );
}

/// A variance that broadcasts *with* the mean but would enlarge it.
#[test]
#[should_panic(
    expected = "gaussian_nll_learned: variance [4, 2, 1] does not broadcast to the shape of the mean [4, 2]"
)]
fn gaussian_nll_learned_with_variance_of_more_axes() {
    let g = Graph::new();
    losses::gaussian_nll_learned_with(
        g.leaf(zeros(&[4, 2])),
        g.leaf(Tensor::ones([4, 2, 1])),
        &zeros(&[4, 2]),
        Reduction::None,
    );
}

// ----- classification losses: [batch, classes] and one class per sample ------

#[test]
#[should_panic(expected = "cross_entropy: expects logits of shape [batch, classes], got [5]")]
fn cross_entropy_of_a_vector() {
    let g = Graph::new();
    losses::cross_entropy(g.leaf(zeros(&[5])), &[0]);
}

#[test]
#[should_panic(expected = "cross_entropy: 3 class indices for a batch of 2 (logits [2, 5])")]
fn cross_entropy_wrong_number_of_classes() {
    let g = Graph::new();
    losses::cross_entropy(g.leaf(zeros(&[2, 5])), &[0, 1, 2]);
}

#[test]
#[should_panic(expected = "cross_entropy: class 7 out of range for 5 classes (sample 2)")]
fn cross_entropy_class_out_of_range() {
    let g = Graph::new();
    losses::cross_entropy_with(g.leaf(zeros(&[3, 5])), &[0, 4, 7], Reduction::Sum);
}

#[test]
#[should_panic(expected = "cross_entropy_soft: expects logits of shape [batch, classes], got [3]")]
fn cross_entropy_soft_of_a_vector() {
    let g = Graph::new();
    losses::cross_entropy_soft(g.leaf(zeros(&[3])), &zeros(&[3]));
}

#[test]
#[should_panic(expected = "cross_entropy_soft: logits [2, 3] and targets [2, 4] differ in shape")]
fn cross_entropy_soft_shapes() {
    let g = Graph::new();
    losses::cross_entropy_soft(g.leaf(zeros(&[2, 3])), &zeros(&[2, 4]));
}

#[test]
#[should_panic(expected = "cross_entropy_soft: logits [2, 3] and targets [3] differ in shape")]
fn cross_entropy_soft_with_one_target_row() {
    let g = Graph::new();
    losses::cross_entropy_soft_with(g.leaf(zeros(&[2, 3])), &zeros(&[3]), Reduction::None);
}

#[test]
#[should_panic(expected = "nll: expects log_probs of shape [batch, classes], got [2, 3, 4]")]
fn nll_of_a_3d_variable() {
    let g = Graph::new();
    losses::nll(g.leaf(zeros(&[2, 3, 4])), &[0, 1]);
}

#[test]
#[should_panic(expected = "nll: 3 class indices for a batch of 2 (log_probs [2, 5])")]
fn nll_wrong_number_of_classes() {
    let g = Graph::new();
    losses::nll(g.leaf(zeros(&[2, 5])), &[0, 1, 2]);
}

#[test]
#[should_panic(expected = "nll: class 7 out of range for 5 classes (sample 2)")]
fn nll_class_out_of_range() {
    let g = Graph::new();
    losses::nll_with(g.leaf(zeros(&[3, 5])), &[0, 4, 7], Reduction::None);
}

#[test]
#[should_panic(expected = "multiclass_hinge: expects scores of shape [batch, classes], got []")]
fn multiclass_hinge_of_a_scalar() {
    let g = Graph::new();
    losses::multiclass_hinge(g.leaf(zeros(&[])), &[0]);
}

#[test]
#[should_panic(expected = "multiclass_hinge: 3 class indices for a batch of 2 (scores [2, 5])")]
fn multiclass_hinge_wrong_number_of_classes() {
    let g = Graph::new();
    losses::multiclass_hinge(g.leaf(zeros(&[2, 5])), &[0, 1, 2]);
}

#[test]
#[should_panic(expected = "multiclass_hinge: class 7 out of range for 5 classes (sample 2)")]
fn multiclass_hinge_class_out_of_range() {
    let g = Graph::new();
    losses::multiclass_hinge_with(g.leaf(zeros(&[3, 5])), &[0, 4, 7], Reduction::Sum);
}

// ----- reductions ------------------------------------------------------------

/// The mean of no samples is undefined (PyTorch returns NaN); here it panics.
#[test]
#[should_panic(expected = "mean: of an empty tensor [0]")]
fn mean_of_an_empty_batch() {
    let g = Graph::new();
    losses::cross_entropy(g.leaf(zeros(&[0, 3])), &[]);
}

/// The sum of no samples is 0, as it should be.
#[test]
fn sum_of_an_empty_batch_is_zero() {
    let g = Graph::new();
    let loss = losses::cross_entropy_with(g.leaf(zeros(&[0, 3])), &[], Reduction::Sum);
    assert_eq!(loss.item(), 0.0);
}

// ----- the panic points at the caller's line ------------------------------

#[test]
fn element_wise_losses_panic_at_the_callers_line() {
    let g = Graph::new();
    let (column, vector) = (g.leaf(zeros(&[4, 1])), zeros(&[4]));
    let ones = g.leaf(Tensor::ones([4, 1]));
    let sum = Reduction::Sum;
    assert_panics_here!(losses::mse(column, &vector));
    assert_panics_here!(losses::mse_with(column, &vector, sum));
    assert_panics_here!(losses::mae(column, &vector));
    assert_panics_here!(losses::mae_with(column, &vector, sum));
    assert_panics_here!(losses::binary_cross_entropy(column, &vector));
    assert_panics_here!(losses::binary_cross_entropy_with(column, &vector, sum));
    assert_panics_here!(losses::binary_cross_entropy_with_logits(column, &vector));
    assert_panics_here!(losses::binary_cross_entropy_with_logits_with(
        column, &vector, sum
    ));
    assert_panics_here!(losses::gaussian_nll(column, &vector));
    assert_panics_here!(losses::gaussian_nll_with(column, &vector, sum));
    assert_panics_here!(losses::gaussian_nll_learned(column, ones, &vector));
    assert_panics_here!(losses::gaussian_nll_learned_with(
        column, ones, &vector, sum
    ));
    let variance = g.leaf(Tensor::ones([3]));
    assert_panics_here!(losses::gaussian_nll_learned(
        column,
        variance,
        &zeros(&[4, 1])
    ));
}

#[test]
fn classification_losses_panic_at_the_callers_line() {
    let g = Graph::new();
    let logits = g.leaf(zeros(&[2, 5]));
    let vector = g.leaf(zeros(&[5]));
    let sum = Reduction::Sum;
    assert_panics_here!(losses::cross_entropy(logits, &[0, 1, 2]));
    assert_panics_here!(losses::cross_entropy(logits, &[0, 7]));
    assert_panics_here!(losses::cross_entropy(vector, &[0]));
    assert_panics_here!(losses::cross_entropy_with(logits, &[0], sum));
    assert_panics_here!(losses::cross_entropy_soft(logits, &zeros(&[2, 4])));
    assert_panics_here!(losses::cross_entropy_soft(vector, &zeros(&[5])));
    assert_panics_here!(losses::cross_entropy_soft_with(logits, &zeros(&[5]), sum));
    assert_panics_here!(losses::nll(logits, &[0, 1, 2]));
    assert_panics_here!(losses::nll_with(logits, &[0, 7], sum));
    assert_panics_here!(losses::multiclass_hinge(logits, &[0, 1, 2]));
    assert_panics_here!(losses::multiclass_hinge_with(logits, &[0, 7], sum));
    let empty = g.leaf(zeros(&[0, 3]));
    assert_panics_here!(losses::cross_entropy(empty, &[]));
}
