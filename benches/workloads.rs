//! The shared benchmark workloads (see the kit's README, `bench/README.md`),
//! run with gradschool's public API the way the book teaches it.
//!
//! ```text
//! cargo bench --bench workloads -- mlp    --threads 1 --repeats 5   # W1 mlp-mnist
//! cargo bench --bench workloads -- spiral --threads 1 --repeats 5   # W2 spiral-tiny
//! ```
//!
//! The data comes from the folder named by `$PEERS_DATA` (written by the
//! kit's `setup.sh`). Each timed run prints one JSON line on stdout, with
//! `"peer": "gradschool"`; everything else goes to stderr.
//!
//! Besides the peers' metrics, W1 reports
//! - `allocs_per_step` and `alloc_bytes_per_step`: heap allocations of one
//!   training step at steady state, counted by `dhat` (which installs a
//!   counting global allocator with no unsafe code of ours) over a separate,
//!   untimed epoch, since counting slows every allocation down;
//! - `peak_rss_mb`: the process's peak resident memory (`VmHWM`).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use common::{W2_LR, accuracy, mlp_from_init, spiral_loss, spiral_step};
use gradschool::losses::cross_entropy;
use gradschool::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

mod common;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

const PEER: &str = "gradschool";

// W1 mlp-mnist.
const W1_N: usize = 60_000;
const W1_D: usize = 784;
const W1_H: usize = 256;
const W1_K: usize = 10;
const W1_BATCH: usize = 128;
const W1_WARMUP: usize = 20;
const W1_INFER_BATCH: usize = 1000;

// W2 spiral-tiny.
const W2_N: usize = 300;
const W2_D: usize = 2;
const W2_H: usize = 100;
const W2_K: usize = 3;
const W2_STEPS: usize = 10_000;

struct Args {
    workload: String,
    threads: usize,
    repeats: usize,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("workloads: {message}");
            eprintln!(
                "usage: cargo bench --bench workloads -- mlp|spiral [--threads T] [--repeats R]"
            );
            return ExitCode::from(2);
        }
    };
    // matrixmultiply reads MATMUL_NUM_THREADS once, at its first product.
    // Setting a variable of our own process takes `unsafe` in Rust 2024, so
    // when it is not already right the bench runs itself again with it set.
    let wanted = args.threads.to_string();
    if std::env::var("MATMUL_NUM_THREADS").ok().as_deref() != Some(wanted.as_str()) {
        let status = std::env::current_exe().and_then(|exe| {
            Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env("MATMUL_NUM_THREADS", &wanted)
                .status()
        });
        return match status {
            Ok(s) if s.success() => ExitCode::SUCCESS,
            Ok(s) => ExitCode::from(s.code().unwrap_or(1).clamp(1, 255) as u8),
            Err(e) => {
                eprintln!("workloads: cannot run itself again with MATMUL_NUM_THREADS set: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let data = match std::env::var_os("PEERS_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => {
            eprintln!(
                "workloads: PEERS_DATA is not set; run ../shared/bench/setup.sh and export PEERS_DATA=<its data folder>"
            );
            return ExitCode::from(2);
        }
    };
    let result = match args.workload.as_str() {
        "mlp" => mlp(&data, &args),
        "spiral" => spiral(&data, &args),
        _ => unreachable!("checked by parse_args"),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("workloads: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse_args() -> Result<Args, String> {
    let mut workload = None;
    let mut threads = 1;
    let mut repeats = 5;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--bench" => {} // added by `cargo bench`
            "--threads" | "--repeats" => {
                let v = it.next().ok_or(format!("{a} needs a number"))?;
                let n: usize = v
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or(format!("{a} needs a positive whole number, got {v:?}"))?;
                if a == "--threads" {
                    threads = n;
                } else {
                    repeats = n;
                }
            }
            "mlp" | "spiral" => workload = Some(a),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let workload = workload.ok_or("name a workload: mlp or spiral")?;
    Ok(Args {
        workload,
        threads,
        repeats,
    })
}

/// One JSON line on stdout, the kit's schema.
fn emit(workload: &str, threads: usize, metric: &str, value: f64, extra: &str) {
    println!(
        "{{\"workload\": \"{workload}\", \"peer\": \"{PEER}\", \"threads\": {threads}, \"metric\": \"{metric}\", \"value\": {value}{extra}}}"
    );
}

/// A little-endian f32 file with exactly `n` numbers, read in pieces so that
/// the bytes and the numbers are never both in memory whole.
fn read_f32(path: &Path, n: usize) -> io::Result<Vec<f32>> {
    let mut file = open(path)?;
    let len = file.metadata()?.len();
    if len != 4 * n as u64 {
        return Err(io::Error::other(format!(
            "{}: {len} bytes, expected {} ({n} f32 numbers); run setup.sh again",
            path.display(),
            4 * n
        )));
    }
    let mut out = Vec::with_capacity(n);
    let mut chunk = vec![0u8; 1 << 16];
    while out.len() < n {
        let want = ((n - out.len()) * 4).min(chunk.len());
        file.read_exact(&mut chunk[..want])?;
        out.extend(
            chunk[..want]
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        );
    }
    Ok(out)
}

fn read_labels(path: &Path, n: usize) -> io::Result<Vec<usize>> {
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes)?;
    if bytes.len() != n {
        return Err(io::Error::other(format!(
            "{}: {} labels, expected {n}",
            path.display(),
            bytes.len()
        )));
    }
    Ok(bytes.into_iter().map(usize::from).collect())
}

fn open(path: &Path) -> io::Result<File> {
    File::open(path).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!(
                "cannot open {}: {e}; run ../shared/bench/setup.sh to write the data",
                path.display()
            ),
        )
    })
}

/// Peak resident memory of this process in MB, from /proc (Linux).
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// W1: MLP 784-256-256-10, Adam, batches of 128 over 60 000 rows.
fn mlp(dir: &Path, args: &Args) -> io::Result<()> {
    let t = args.threads;
    let x = Tensor::from_vec(read_f32(&dir.join("w1_x.f32"), W1_N * W1_D)?, [W1_N, W1_D]);
    let y = read_labels(&dir.join("w1_y.u8"), W1_N)?;
    let init = read_f32(
        &dir.join("w1_init.f32"),
        W1_D * W1_H + W1_H + W1_H * W1_H + W1_H + W1_H * W1_K + W1_K,
    )?;
    let mut model = mlp_from_init(&init, &[W1_D, W1_H, W1_H, W1_K]);
    let mut optimizer = Adam::new(1e-3);
    let mut rng = StdRng::seed_from_u64(7);
    let g = Graph::new();
    let mut order: Vec<usize> = (0..W1_N).collect();
    let mut classes = Vec::with_capacity(W1_BATCH);

    // One training step on the rows `rows`.
    let mut step = |model: &mut Sequential, optimizer: &mut Adam, rows: &[usize]| {
        classes.clear();
        classes.extend(rows.iter().map(|&r| y[r]));
        let batch = g.input_rows(&x, rows);
        let loss = cross_entropy(model.forward(batch), &classes);
        let grads = loss.backward();
        optimizer.step(model, &grads);
    };

    order.shuffle(&mut rng);
    for rows in order.chunks(W1_BATCH).take(W1_WARMUP) {
        step(&mut model, &mut optimizer, rows);
    }
    for run in 0..args.repeats {
        let start = Instant::now();
        order.shuffle(&mut rng);
        for rows in order.chunks(W1_BATCH) {
            step(&mut model, &mut optimizer, rows);
        }
        let s = start.elapsed().as_secs_f64();
        emit(
            "mlp-mnist",
            t,
            "train_samples_per_s",
            W1_N as f64 / s,
            &format!(", \"run\": {run}, \"seconds\": {s}"),
        );
    }

    // Allocations per step, counted over one more (untimed) epoch. The
    // largest number of bytes any one step allocated bounds its largest
    // allocation: below 64 KiB, no step made an allocation of 64 KiB or more.
    {
        let profiler = dhat::Profiler::builder().testing().build();
        let before = dhat::HeapStats::get();
        order.shuffle(&mut rng);
        let steps = order.chunks(W1_BATCH).len();
        let mut most = 0;
        for rows in order.chunks(W1_BATCH) {
            let start = dhat::HeapStats::get().total_bytes;
            step(&mut model, &mut optimizer, rows);
            most = most.max(dhat::HeapStats::get().total_bytes - start);
        }
        let after = dhat::HeapStats::get();
        drop(profiler);
        emit("mlp-mnist", t, "max_alloc_bytes_in_a_step", most as f64, "");
        let per_step = |a: u64, b: u64| (a - b) as f64 / steps as f64;
        emit(
            "mlp-mnist",
            t,
            "allocs_per_step",
            per_step(after.total_blocks, before.total_blocks),
            "",
        );
        emit(
            "mlp-mnist",
            t,
            "alloc_bytes_per_step",
            per_step(after.total_bytes, before.total_bytes),
            "",
        );
    }

    let infer = Graph::inference();
    for run in 0..args.repeats {
        let start = Instant::now();
        for first in (0..W1_N).step_by(W1_INFER_BATCH) {
            infer.clear();
            let rows = x.slice_rows(first..(first + W1_INFER_BATCH).min(W1_N));
            let logits = model.forward(infer.input(rows));
            std::hint::black_box(logits);
        }
        let s = start.elapsed().as_secs_f64();
        emit(
            "mlp-mnist",
            t,
            "infer_samples_per_s",
            W1_N as f64 / s,
            &format!(", \"run\": {run}, \"seconds\": {s}"),
        );
    }
    infer.clear();
    let logits = model.forward(infer.input(x.slice_rows(0..10_000))).value();
    emit(
        "mlp-mnist",
        t,
        "train_acc_after",
        accuracy(&logits, &y[..10_000]),
        ", \"note\": \"accuracy on first 10000 training rows after warm-up + timed epochs\"",
    );
    if let Some(mb) = peak_rss_mb() {
        emit("mlp-mnist", t, "peak_rss_mb", mb, "");
    }
    Ok(())
}

/// W2: MLP 2-100-3 on the 300 spiral points, full batch, SGD with L2.
fn spiral(dir: &Path, args: &Args) -> io::Result<()> {
    let t = args.threads;
    let x = Tensor::from_vec(read_f32(&dir.join("w2_x.f32"), W2_N * W2_D)?, [W2_N, W2_D]);
    let y = read_labels(&dir.join("w2_y.u8"), W2_N)?;
    let init = read_f32(
        &dir.join("w2_init.f32"),
        W2_D * W2_H + W2_H + W2_H * W2_K + W2_K,
    )?;
    for run in 0..args.repeats {
        let mut model = mlp_from_init(&init, &[W2_D, W2_H, W2_K]);
        let mut optimizer = Sgd::new(W2_LR);
        let g = Graph::new();
        let start = Instant::now();
        for _ in 0..W2_STEPS {
            spiral_step(&g, &mut model, &mut optimizer, &x, &y);
        }
        let s = start.elapsed().as_secs_f64();
        emit(
            "spiral-tiny",
            t,
            "steps_per_s",
            W2_STEPS as f64 / s,
            &format!(", \"run\": {run}, \"seconds\": {s}"),
        );
        let (loss, logits) = spiral_loss(&g, &model, &x, &y);
        emit(
            "spiral-tiny",
            t,
            "final_train_acc",
            accuracy(&logits.value(), &y),
            &format!(", \"run\": {run}, \"final_loss\": {}", loss.item()),
        );
    }
    Ok(())
}
