//! Hyperparameter search: log-uniform sampling, the grid's Cartesian
//! product, ranking and failed trials, the narrowing rule of coarse to
//! fine, reproducibility and the results table — on synthetic objectives
//! that train nothing — and one real search of Adam's learning rate on the
//! digits.

use std::collections::HashSet;

use layers::Sequential;
use rand::SeedableRng;
use rand::rngs::StdRng;
use regularize::Recipe;
use train::search::{
    CoarseToFine, Domain, Outcome, Params, SearchResults, Space, Stage, Trial, coarse_to_fine,
    grid_search, random_search,
};
use train::{Progress, TrainError, Trainer};

/// The synthetic objective: a validation accuracy that depends on the
/// learning rate only, peaking at 0.98 for lr = 10^-2.3 and falling with
/// the square of the distance in decades; the loss rises as it falls.
fn peaked(p: &Params) -> Result<Outcome, TrainError> {
    let x = p.get("lr").log10() + 2.3;
    Ok(Outcome::new(0.98 - 0.05 * x * x, 0.05 + 0.1 * x * x, 1))
}

/// The (low, high) of a log-uniform domain.
fn log_range(space: &Space, name: &str) -> (f64, f64) {
    match space.domain(name) {
        Some(Domain::LogUniform { low, high }) => (*low, *high),
        other => panic!("{name} is not log-uniform: {other:?}"),
    }
}

fn trial(number: usize, lr: f64, val_accuracy: f64, val_loss: f64) -> Trial {
    Trial {
        number,
        params: Params::new().with("lr", lr),
        val_accuracy,
        val_loss,
        epochs: 3,
        seconds: 0.0,
        error: None,
    }
}

fn failed(number: usize, lr: f64) -> Trial {
    Trial {
        number,
        params: Params::new().with("lr", lr),
        val_accuracy: f64::NAN,
        val_loss: f64::NAN,
        epochs: 1,
        seconds: 0.0,
        error: Some(TrainError::NonFinite {
            epoch: 1,
            step: 2,
            loss: f64::NAN,
        }),
    }
}

fn numbers(results: &SearchResults) -> Vec<usize> {
    results.trials.iter().map(|t| t.number).collect()
}

// ---------------------------------------------------------------------------
// Sampling

/// 10^U(−4, −1): each of the three decades should get a third of the
/// samples. With n = 3000 the count of a decade is Binomial(3000, 1/3):
/// mean 1000, standard deviation √(3000 · 1/3 · 2/3) ≈ 25.8. The bound of
/// ±130 is five standard deviations (a false alarm about once in 1.7
/// million seeds; the seed is fixed anyway).
#[test]
fn random_search_samples_the_learning_rate_evenly_per_decade() {
    let space = Space::new().log_uniform("lr", 1e-4, 1e-1);
    let n = 3000;
    let results = random_search(&space, n, &mut StdRng::seed_from_u64(0), peaked);
    let mut per_decade = [0usize; 3];
    for t in &results.trials {
        let lr = t.params.get("lr");
        assert!((1e-4..=1e-1).contains(&lr), "{lr} is outside the range");
        per_decade[(lr.log10() + 4.0).floor().min(2.0) as usize] += 1;
    }
    let sigma = (n as f64 * (1.0 / 3.0) * (2.0 / 3.0)).sqrt();
    for (k, &count) in per_decade.iter().enumerate() {
        assert!(
            (count as f64 - n as f64 / 3.0).abs() < 5.0 * sigma,
            "decade 10^{} .. 10^{}: {count} of {n} samples ({per_decade:?})",
            k as i32 - 4,
            k as i32 - 3
        );
    }
}

/// The contrast the module docs draw: drawn uniformly (not in the
/// exponent) from [10⁻⁴, 10⁻¹], about 90 % of the learning rates land in
/// the top decade and under 1 % in the bottom one.
#[test]
fn a_uniform_range_would_crowd_the_top_decade() {
    let space = Space::new().uniform("lr", 1e-4, 1e-1);
    let n = 3000;
    let results = random_search(&space, n, &mut StdRng::seed_from_u64(0), peaked);
    let fraction = |lo: f64, hi: f64| {
        let count = results
            .trials
            .iter()
            .filter(|t| (lo..hi).contains(&t.params.get("lr")))
            .count();
        count as f64 / n as f64
    };
    let top = fraction(1e-2, 1e-1); // expected 0.0900 / 0.0999 ≈ 0.901
    let bottom = fraction(1e-4, 1e-3); // expected 0.0009 / 0.0999 ≈ 0.009
    assert!((top - 0.901).abs() < 0.03, "top decade: {top}");
    assert!(bottom < 0.02, "bottom decade: {bottom}");
}

#[test]
fn choices_are_drawn_with_equal_probabilities() {
    let space = Space::new().choice("hidden", &[64.0, 128.0, 256.0]);
    let n = 3000;
    let mut rng = StdRng::seed_from_u64(1);
    let mut counts = [0usize; 3];
    for _ in 0..n {
        match space.sample(&mut rng).get("hidden") as usize {
            64 => counts[0] += 1,
            128 => counts[1] += 1,
            256 => counts[2] += 1,
            other => panic!("{other} is not a choice"),
        }
    }
    let sigma = (n as f64 * (1.0 / 3.0) * (2.0 / 3.0)).sqrt();
    assert!(
        counts
            .iter()
            .all(|&c| (c as f64 - 1000.0).abs() < 5.0 * sigma),
        "{counts:?}"
    );
}

#[test]
fn random_search_is_reproducible_with_a_seed_and_the_seed_matters() {
    let space = Space::new()
        .log_uniform("lr", 1e-4, 1e-1)
        .uniform("dropout", 0.0, 0.5)
        .choice("hidden", &[64.0, 128.0]);
    let run = |seed| random_search(&space, 8, &mut StdRng::seed_from_u64(seed), peaked);
    let params =
        |r: &SearchResults| -> Vec<Params> { r.trials.iter().map(|t| t.params.clone()).collect() };
    let (a, b, c) = (run(3), run(3), run(4));
    assert_eq!(params(&a), params(&b));
    assert_ne!(params(&a), params(&c));
    assert!(a.trials.iter().all(|t| space.contains(&t.params)));
    assert_eq!(numbers(&a), (1..=8).collect::<Vec<_>>());
}

// ---------------------------------------------------------------------------
// Grid

#[test]
fn grid_search_runs_every_combination_exactly_once() {
    let (lrs, dropouts, widths) = ([1e-3, 1e-2, 1e-1], [0.0, 0.5], [64.0, 128.0]);
    let space = Space::new()
        .grid("lr", &lrs)
        .grid("dropout", &dropouts)
        .choice("hidden", &widths);
    let mut calls = 0;
    let results = grid_search(&space, |p| {
        calls += 1;
        peaked(p)
    });
    assert_eq!(calls, 12);
    assert_eq!(results.trials.len(), 3 * 2 * 2);
    let key = |p: &Params| -> Vec<u64> { p.iter().map(|(_, v)| v.to_bits()).collect() };
    let seen: HashSet<Vec<u64>> = results.trials.iter().map(|t| key(&t.params)).collect();
    let mut expected = HashSet::new();
    for lr in lrs {
        for dropout in dropouts {
            for hidden in widths {
                expected.insert(vec![lr.to_bits(), dropout.to_bits(), hidden.to_bits()]);
            }
        }
    }
    assert_eq!(seen, expected); // 12 distinct points, all of the product
    // Nested loops, the first hyperparameter outermost.
    let first: Vec<String> = results.trials[..4]
        .iter()
        .map(|t| t.params.to_string())
        .collect();
    assert_eq!(
        first,
        [
            "lr = 1e-3, dropout = 0, hidden = 64",
            "lr = 1e-3, dropout = 0, hidden = 128",
            "lr = 1e-3, dropout = 0.5, hidden = 64",
            "lr = 1e-3, dropout = 0.5, hidden = 128",
        ]
    );
}

#[test]
#[should_panic(
    expected = "grid search: 'lr' is 10^U(-4, -1), a continuous range; give it a list of values with Space::grid"
)]
fn grid_search_rejects_a_continuous_range() {
    let space = Space::new()
        .grid("dropout", &[0.0, 0.5])
        .log_uniform("lr", 1e-4, 1e-1);
    grid_search(&space, peaked);
}

// ---------------------------------------------------------------------------
// Ranking and failures

#[test]
fn sorted_orders_by_validation_accuracy_then_loss_and_best_is_first() {
    let results = SearchResults {
        trials: vec![
            trial(1, 1e-4, 0.80, 0.6),
            failed(2, 0.5),
            trial(3, 1e-3, 0.95, 0.2),
            trial(4, 1e-2, 0.97, 0.1),
            trial(5, 3e-3, 0.95, 0.15), // ties with 3 on accuracy, lower loss
            trial(6, 5e-3, 0.97, 0.1),  // ties with 4 on both: the earlier first
        ],
    };
    assert_eq!(numbers(&results.sorted()), [4, 6, 5, 3, 1, 2]);
    assert_eq!(results.best().unwrap().number, 4);
    let top: Vec<usize> = results.top(2).iter().map(|t| t.number).collect();
    assert_eq!(top, [4, 6]);
    assert_eq!(results.top(10).len(), 5); // the failed trial is never among the best
    // `sorted` copies; the results keep the order they were run in.
    assert_eq!(numbers(&results), [1, 2, 3, 4, 5, 6]);
}

#[test]
fn failed_trials_are_kept_and_sorted_last() {
    // Learning rates of 0.1 and above "diverge".
    let space = Space::new().grid("lr", &[1.0, 1e-3, 0.1, 1e-2]);
    let results = grid_search(&space, |p| {
        if p.get("lr") >= 0.1 {
            Err(TrainError::NonFinite {
                epoch: 2,
                step: 5,
                loss: f64::INFINITY,
            })
        } else {
            peaked(p)
        }
    });
    assert_eq!(results.trials.len(), 4);
    assert_eq!(results.failures(), 2);
    let sorted = results.sorted();
    assert_eq!(numbers(&sorted), [4, 2, 1, 3]); // 1e-2, 1e-3, then the failures in run order
    assert!(sorted.trials[2].failed() && sorted.trials[3].failed());
    assert_eq!(sorted.trials[2].epochs, 2); // the epoch where the loss blew up
    assert!(sorted.trials[2].val_accuracy.is_nan());
    assert_eq!(results.best().unwrap().params.get("lr"), 1e-2);
    let table = sorted.to_string();
    let last_rows: Vec<&str> = table.lines().skip(3).collect();
    assert_eq!(last_rows.len(), 2, "{table}");
    assert!(
        last_rows
            .iter()
            .all(|row| row.contains("failed") && row.ends_with("loss inf at epoch 2, step 5")),
        "{table}"
    );
}

#[test]
fn when_every_trial_fails_there_is_no_best() {
    let space = Space::new().grid("lr", &[1.0, 10.0]);
    let results = grid_search(&space, |_| {
        Err(TrainError::Data("no validation data".into()))
    });
    assert_eq!(results.failures(), 2);
    assert!(results.best().is_none());
    assert!(results.top(3).is_empty());
}

#[test]
fn an_outcome_that_is_not_a_finite_number_is_a_failure() {
    let space = Space::new().grid("lr", &[1e-2, 1e-1]);
    let results = grid_search(&space, |p| {
        let accuracy = if p.get("lr") > 0.05 { f64::NAN } else { 0.9 };
        Ok(Outcome::new(accuracy, 0.3, 4))
    });
    assert_eq!(results.failures(), 1);
    assert_eq!(results.best().unwrap().number, 1);
    let error = results.trials[1].error.as_ref().unwrap();
    assert_eq!(
        error.to_string(),
        "the objective reported validation accuracy NaN and loss 0.3"
    );
}

// ---------------------------------------------------------------------------
// Coarse to fine

/// The narrowing rule on hand-picked values: the span of the best values,
/// widened on each side by `widen` times the original range (in decades
/// for a log-uniform range), clipped to the original range; choices keep
/// the values the best trials used.
#[test]
fn narrowed_follows_the_rule_exactly() {
    let space = Space::new()
        .log_uniform("lr", 1e-4, 1e-1)
        .uniform("dropout", 0.0, 0.5)
        .choice("hidden", &[64.0, 128.0, 256.0]);
    let best = [
        Params::new()
            .with("lr", 1e-3)
            .with("dropout", 0.1)
            .with("hidden", 256.0),
        Params::new()
            .with("lr", 4e-3)
            .with("dropout", 0.3)
            .with("hidden", 64.0),
    ];
    let narrow = space.narrowed(&[&best[0], &best[1]], 0.1);
    // lr: log10 span [-3, log10 4e-3 ≈ -2.398], margin 0.1 × 3 decades.
    let (low, high) = log_range(&narrow, "lr");
    approx::assert_relative_eq!(low.log10(), -3.3, epsilon = 1e-12);
    approx::assert_relative_eq!(high.log10(), 4e-3f64.log10() + 0.3, epsilon = 1e-12);
    // dropout: span [0.1, 0.3], margin 0.1 × 0.5.
    match narrow.domain("dropout") {
        Some(&Domain::Uniform { low, high }) => {
            approx::assert_relative_eq!(low, 0.05, epsilon = 1e-12);
            approx::assert_relative_eq!(high, 0.35, epsilon = 1e-12);
        }
        other => panic!("{other:?}"),
    }
    // hidden: the values used, in their original order.
    assert_eq!(
        narrow.domain("hidden"),
        Some(&Domain::Choice(vec![64.0, 256.0]))
    );
    assert!(best.iter().all(|p| narrow.contains(p)));

    // At the edges the range is clipped to the original: never wider.
    let edge = Params::new()
        .with("lr", 1.5e-4)
        .with("dropout", 0.48)
        .with("hidden", 64.0);
    let clipped = space.narrowed(&[&edge], 0.1);
    let (low, high) = log_range(&clipped, "lr");
    assert_eq!(low, 1e-4); // exactly the original end
    approx::assert_relative_eq!(high.log10(), 1.5e-4f64.log10() + 0.3, epsilon = 1e-12);
    assert_eq!(
        clipped.domain("dropout"),
        Some(&Domain::Uniform {
            low: 0.48 - 0.05,
            high: 0.5
        })
    );

    // widen = 0 and one best value: the range shrinks to that value.
    let point = space.narrowed(&[&best[1]], 0.0);
    let (low, high) = log_range(&point, "lr");
    assert!(low <= 4e-3 && 4e-3 <= high && high / low < 1.0 + 1e-12);

    // No best trials: the space is unchanged.
    assert_eq!(space.narrowed(&[], 0.1), space);
}

#[test]
#[should_panic(expected = "Space::narrowed: widen must be a finite fraction ≥ 0, got -0.1")]
fn narrowing_with_a_negative_margin_panics() {
    Space::new()
        .uniform("dropout", 0.0, 0.5)
        .narrowed(&[], -0.1);
}

/// The whole search on the synthetic objective: the fine range holds the
/// best coarse values, follows the rule, is narrower than the coarse one
/// and still holds the true optimum 10^-2.3; the objective is told each
/// stage's epochs; the fine stage finds at least as good a trial.
#[test]
fn coarse_to_fine_narrows_around_the_best_coarse_trials() {
    let space = Space::new()
        .log_uniform("lr", 1e-5, 1.0)
        .uniform("dropout", 0.0, 0.5);
    let plan = CoarseToFine::new()
        .coarse(30, 2)
        .fine(15, 8)
        .keep(3)
        .widen(0.1);
    let mut stages_seen: Vec<Stage> = Vec::new();
    let run = coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(5), |p, stage| {
        stages_seen.push(stage);
        // Dropout matters a little: the best is at 0.
        let x = p.get("lr").log10() + 2.3;
        let accuracy = 0.98 - 0.05 * x * x - 0.02 * p.get("dropout");
        Ok(Outcome::new(accuracy, 1.0 - accuracy, stage.epochs))
    });

    // The objective saw 30 coarse trials of 2 epochs, then 15 fine ones of 8.
    assert_eq!(stages_seen.len(), 45);
    assert!(
        stages_seen[..30]
            .iter()
            .all(|s| (s.number, s.epochs) == (1, 2))
    );
    assert!(
        stages_seen[30..]
            .iter()
            .all(|s| (s.number, s.epochs) == (2, 8))
    );
    assert!(run.fine.trials.iter().all(|t| t.epochs == 8));
    assert_eq!(numbers(&run.fine), (31..=45).collect::<Vec<_>>());

    // The rule, recomputed from the three best coarse trials.
    let top = run.coarse.top(3);
    let top_numbers: Vec<usize> = top.iter().map(|t| t.number).collect();
    assert_eq!(run.around, top_numbers);
    let logs: Vec<f64> = top.iter().map(|t| t.params.get("lr").log10()).collect();
    let lo = logs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = logs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let margin = 0.1 * 5.0; // a tenth of the five decades
    let (low, high) = log_range(&run.narrowed, "lr");
    approx::assert_relative_eq!(low.log10(), (lo - margin).max(-5.0), epsilon = 1e-9);
    approx::assert_relative_eq!(high.log10(), (hi + margin).min(0.0), epsilon = 1e-9);
    assert!(top.iter().all(|t| run.narrowed.contains(&t.params)));
    assert!(
        high.log10() - low.log10() < 2.5,
        "not narrowed: {}",
        run.narrowed
    );
    assert!((low..=high).contains(&10f64.powf(-2.3)), "{}", run.narrowed);

    // Every fine trial comes from the narrowed space, and the best of them
    // is at least as good as the best coarse one.
    assert!(
        run.fine
            .trials
            .iter()
            .all(|t| run.narrowed.contains(&t.params))
    );
    let (coarse_best, fine_best) = (run.coarse.best().unwrap(), run.fine.best().unwrap());
    assert!(
        fine_best.val_accuracy >= coarse_best.val_accuracy,
        "coarse {coarse_best:?}, fine {fine_best:?}"
    );
    assert_eq!(run.best().unwrap().number, fine_best.number);
}

#[test]
fn coarse_to_fine_is_reproducible_with_a_seed() {
    let space = Space::new().log_uniform("lr", 1e-5, 1.0);
    let plan = CoarseToFine::new().coarse(10, 1).fine(5, 2);
    let run = || {
        coarse_to_fine(&space, &plan, &mut StdRng::seed_from_u64(9), |p, _| {
            peaked(p)
        })
    };
    let (mut a, mut b) = (run(), run());
    // Everything but the wall-clock times.
    for t in a
        .coarse
        .trials
        .iter_mut()
        .chain(&mut a.fine.trials)
        .chain(b.coarse.trials.iter_mut().chain(&mut b.fine.trials))
    {
        t.seconds = 0.0;
    }
    assert_eq!(a, b);
}

// ---------------------------------------------------------------------------
// Params and the table

#[test]
#[should_panic(
    expected = "Params::get: no hyperparameter named 'momentum'; this trial has lr, dropout"
)]
fn get_names_the_missing_hyperparameter() {
    let p = Params::new().with("lr", 0.01).with("dropout", 0.2);
    p.get("momentum");
}

#[test]
#[should_panic(expected = "Space: 'lr' is already in the space (lr ~ 10^U(-4, -1))")]
fn a_name_can_be_in_a_space_only_once() {
    let _ = Space::new()
        .log_uniform("lr", 1e-4, 1e-1)
        .uniform("lr", 0.0, 1.0);
}

#[test]
#[should_panic(expected = "Space::log_uniform: 'lr' needs 0 < low < high, got low 0, high 0.1")]
fn a_log_uniform_range_must_be_positive() {
    let _ = Space::new().log_uniform("lr", 0.0, 0.1);
}

/// The results table of a small grid search, best first, with one failed
/// trial (times set to fixed values: they are measured).
#[test]
fn the_results_table_is_aligned_one_row_per_trial() {
    let space = Space::new()
        .grid("lr", &[1e-3, 5e-3, 2.0])
        .grid("dropout", &[0.0, 0.25])
        .grid("hidden", &[64.0, 128.0]);
    let mut results = grid_search(&space, |p| {
        if p.get("lr") > 1.0 {
            return Err(TrainError::NonFinite {
                epoch: 1,
                step: 3,
                loss: f64::NAN,
            });
        }
        let x = p.get("lr").log10() + 2.3;
        let accuracy = 0.98 - 0.05 * x * x - 0.04 * p.get("dropout") + p.get("hidden") / 1e4;
        Ok(Outcome::new(accuracy, 1.0 - accuracy, 5))
    });
    results.trials.retain(|t| t.params.get("hidden") == 128.0);
    for (t, seconds) in results
        .trials
        .iter_mut()
        .zip([0.5, 0.25, 1.0, 2.0, 0.1, 0.0])
    {
        t.seconds = seconds;
    }
    let expected = [
        " #       lr  dropout  hidden  val acc  val loss  epochs    time",
        " 6  5.00e-3    0.000     128  99.28 %    0.0072       5  1.00 s",
        " 8  5.00e-3    0.250     128  98.28 %    0.0172       5  2.00 s",
        " 2  1.00e-3    0.000     128  96.83 %    0.0317       5  0.50 s",
        " 4  1.00e-3    0.250     128  95.83 %    0.0417       5  0.25 s",
        "10   2.00e0    0.000     128   failed         -       1  0.10 s  loss NaN at epoch 1, step 3",
        "12   2.00e0    0.250     128   failed         -       1  0.00 s  loss NaN at epoch 1, step 3",
    ];
    assert_eq!(results.sorted().to_string(), expected.join("\n") + "\n");
    assert_eq!(SearchResults::default().to_string(), "no trials\n");
}

// ---------------------------------------------------------------------------
// A real search

/// Random search of Adam's learning rate, 10^U(−5, −1), for a tiny
/// 64-16-10 network of the recipe trained 2 epochs per trial on the digits:
/// four trials, each from the same initial weights on the same batches, so
/// the learning rate alone makes the difference — and it does.
#[test]
fn random_search_of_the_learning_rate_on_the_digits() {
    let parts = train::digits().split(&[0.7, 0.3], &mut StdRng::seed_from_u64(0));
    let (train_set, val_set) = (&parts[0], &parts[1]);
    let space = Space::new().log_uniform("lr", 1e-4, 1e-1);
    let results = random_search(&space, 4, &mut StdRng::seed_from_u64(2), |p| {
        let recipe = Recipe::new(&[64, 16, 10]);
        let mut model: Sequential = recipe.build(&mut StdRng::seed_from_u64(1));
        let history = Trainer::new(2)
            .batch_size(32)
            .seed(1)
            .progress(Progress::Quiet)
            .fit(
                &mut model,
                &mut recipe.optimizer(p.get("lr")),
                train_set,
                Some(val_set),
            )?;
        Outcome::from_history(&history)
    });
    assert_eq!(results.trials.len(), 4);
    assert_eq!(results.failures(), 0, "{results}");
    let sorted = results.sorted();
    let (best, worst) = (&sorted.trials[0], &sorted.trials[3]);
    assert!(
        best.val_accuracy > worst.val_accuracy + 0.1,
        "{}",
        results.sorted()
    );
    assert!(results.trials.iter().all(|t| t.epochs == 2));
}
