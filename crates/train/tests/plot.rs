//! The library's figures are written as SVG files that hold what they show.

use layers::{Mlp, Sequential};
use optim::Adam;
use rand::SeedableRng;
use rand::rngs::StdRng;
use train::{ConfusionMatrix, Progress, Trainer, plot, synthetic};

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("gradschool-plot-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn confusion_heat_map_writes_every_nonzero_count() {
    let dir = temp_dir("confusion");
    let path = dir.join("confusion.svg");
    let m = ConfusionMatrix::new(&[0, 0, 1, 1, 2, 2, 2], &[0, 1, 1, 1, 2, 2, 0], 3);
    plot::save_confusion(&m, "test", &path, (400, 400)).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.starts_with("<svg"));
    // plotters writes each text on its own line between the tags.
    let texts: Vec<&str> = svg.lines().filter(|l| !l.starts_with('<')).collect();
    assert!(texts.contains(&"predicted class") && texts.contains(&"true class"));
    // (truth, predicted) counts: (0,0) 1, (0,2) 1, (1,0) 1, (1,1) 2, (2,2) 2.
    // Each is written in its cell, the zeros are not; each class is also
    // written once on each axis.
    let count = |t: &str| texts.iter().filter(|&&x| x == t).count();
    assert_eq!(count("2"), 2 + 2, "two cells of 2 and class 2 on both axes");
    assert_eq!(
        count("1"),
        3 + 2,
        "three cells of 1 and class 1 on both axes"
    );
    assert_eq!(count("0"), 2, "no cell of 0, class 0 on both axes");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn history_curves_have_one_point_per_epoch() {
    let dir = temp_dir("history");
    let mut rng = StdRng::seed_from_u64(0);
    let parts = synthetic::blobs(30, 3, 0.5, &mut rng).split(&[0.7, 0.3], &mut rng);
    let mut model: Sequential = Mlp::new(&[2, 8, 3]).build(&mut rng);
    let history = Trainer::new(4)
        .progress(Progress::Quiet)
        .fit(&mut model, &mut Adam::new(0.01), &parts[0], Some(&parts[1]))
        .unwrap();
    let charts = plot::history_charts(&history);
    assert_eq!(charts.len(), 2);
    for chart in &charts {
        assert_eq!(chart.series.len(), 2);
        assert!(chart.series.iter().all(|s| s.points.len() == 4));
    }
    let path = dir.join("history.svg");
    plot::save_history(&history, &path, (800, 300)).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.lines().any(|l| l == "validation"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_unwritable_path_is_an_error_not_a_panic() {
    let m = ConfusionMatrix::new(&[0], &[0], 1);
    let path = std::path::Path::new("/nonexistent-dir-for-gradschool/x.svg");
    assert!(plot::save_confusion(&m, "t", path, (100, 100)).is_err());
}
