//! The shape checks shared by the losses. Each is `#[track_caller]`, so its
//! panic points at the learner's call of the loss, and names the loss.

/// Element-wise losses compare a prediction with a target of the same
/// shape. No broadcasting: a `[N, 1]` prediction against a `[N]` target
/// would broadcast to `[N, N]` and silently compare every prediction with
/// every target.
#[track_caller]
pub(crate) fn same_shape(
    loss: &str,
    (pred_name, pred): (&str, &[usize]),
    (target_name, target): (&str, &[usize]),
) {
    if pred != target {
        panic!("{loss}: {pred_name} {pred:?} and {target_name} {target:?} differ in shape");
    }
}

/// Classification losses take a `[batch, classes]` input and one class
/// index per sample, each below `classes`.
#[track_caller]
pub(crate) fn class_indices(loss: &str, input: &str, shape: &[usize], classes: &[usize]) {
    if shape.len() != 2 {
        panic!("{loss}: expects {input} of shape [batch, classes], got {shape:?}");
    }
    let (batch, n) = (shape[0], shape[1]);
    if classes.len() != batch {
        panic!(
            "{loss}: {} class indices for a batch of {batch} ({input} {shape:?})",
            classes.len()
        );
    }
    if let Some((sample, &c)) = classes.iter().enumerate().find(|&(_, &c)| c >= n) {
        panic!("{loss}: class {c} out of range for {n} classes (sample {sample})");
    }
}
