//! Checkpoints: a model's parameters and buffers, saved to a file and
//! loaded back.
//!
//! A checkpoint holds every tensor the model is made of, under the stable
//! name that [`Module::visit_params`] and [`Module::visit_buffers`] give it
//! (`"0.weight"`, `"1.running_mean"`, ...), in the **safetensors** format of
//! Hugging Face: the format in which most published models are shared, and
//! one that PyTorch, NumPy, JAX and candle all read.
//!
//! ```
//! use layers::{Mlp, Module, Sequential};
//! use rand::{SeedableRng, rngs::StdRng};
//! # let dir = std::env::temp_dir().join(format!("gradschool-doc-ckpt-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("mlp.safetensors");
//! let net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
//! train::checkpoint::save(&net, &path)?;
//!
//! // A fresh network, with other initial weights, takes them over.
//! let mut copy: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(1));
//! train::checkpoint::load(&mut copy, &path)?;
//! assert_eq!(copy.params()[0].value(), net.params()[0].value());
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), train::checkpoint::CheckpointError>(())
//! ```
//!
//! ## The format
//!
//! A safetensors file is three parts, one after the other:
//!
//! ```text
//! ┌─────────────────┬──────────────────────────────┬─────────────────────────┐
//! │ N: u64, 8 bytes │ header: N bytes of UTF-8     │ data: the tensors'      │
//! │ little-endian   │ JSON, padded with spaces     │ raw bytes               │
//! └─────────────────┴──────────────────────────────┴─────────────────────────┘
//!
//! {"__metadata__":{"epoch":"12"},
//!  "0.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]},
//!  "0.bias":{"dtype":"F32","shape":[4],"data_offsets":[48,64]}, ...}
//! ```
//!
//! Each tensor's `data_offsets` are `[begin, end)` in bytes from the start
//! of the data; its elements are stored row-major (C order), little-endian,
//! so `end − begin` = (product of the shape) × (bytes per element); and the
//! tensors tile the data exactly, with no gap and no overlap. The optional
//! `__metadata__` maps strings to strings ([`save_with_metadata`]). A
//! `Tensor<f32>` model is stored as `F32`, a `Tensor<f64>` one as `F64`, and
//! the values come back bit for bit.
//!
//! The format was designed to be safe to open from a stranger: unlike a
//! pickle, loading one runs no code, and all a reader needs to check is in
//! the header. This module checks all of it before it trusts any of it: the
//! header length is bounded by the file's real size before anything is
//! allocated for it, and every tensor's offsets must lie within the data and
//! agree with its shape and dtype, in checked arithmetic. A truncated,
//! corrupt or hostile file gives a [`CheckpointError`]: never a panic, and
//! never an allocation of what the header merely claims.
//!
//! The format is small enough to implement here, in this file, with
//! `serde_json` (the ecosystem's JSON crate, this crate's one dependency for
//! checkpoints) reading and escaping the header. Hugging Face's own
//! `safetensors` crate was the first choice, but its version 0.8.0 panics
//! with an arithmetic overflow, in any build with overflow checks (as
//! `cargo test` builds are), on a crafted header whose tensors claim close
//! to 2⁶⁴ bytes in all; the tests here include that file. The tests also
//! build a file byte by byte from the specification and load it, and
//! Python's `safetensors` package reads what [`save`] writes.
//!
//! ## Loading a gradschool checkpoint in Python
//!
//! ```text
//! pip install safetensors numpy          # (and torch, for the second form)
//!
//! from safetensors.numpy import load_file
//! w = load_file("model.safetensors")     # dict: name -> numpy array
//! w["0.weight"].shape                    # (784, 256): [in, out]
//!
//! from safetensors.torch import load_file
//! sd = load_file("model.safetensors")    # dict: name -> torch.Tensor
//! with torch.no_grad():
//!     linear.weight.copy_(sd["0.weight"].T)        # torch's Linear is [out, in]
//!     linear.bias.copy_(sd["0.bias"])
//!     bn.running_mean.copy_(sd["1.running_mean"])  # BatchNorm1d: same meaning
//! ```
//!
//! One convention differs from PyTorch's: gradschool's `Linear` computes
//! `y = x W + b` and stores W as `[in, out]`, while `torch.nn.Linear`
//! computes `y = x Wᵀ + b` and stores W as `[out, in]`. The checkpoint keeps
//! the tensors as they are, `[in, out]`: transpose (`.T`) a weight when
//! moving it into a PyTorch `Linear`, and back when moving the other way.
//! Batch normalisation's `weight`, `bias`, `running_mean` and `running_var`
//! (the unbiased variance) mean the same in both.
//!
//! ## Why the writes are atomic
//!
//! A training run saves a checkpoint every few epochs precisely so that a
//! crash, a full disk or a killed job does not lose the work. Writing
//! straight over the old file would defeat that: a crash in the middle
//! leaves half a new file and no old one. So [`save`] writes the new
//! checkpoint to a temporary file in the same directory, flushes it to the
//! disk (`sync_all`), and only then renames it over the target. A rename
//! within one file system replaces the file in one step, so at every moment
//! the path holds either the whole old checkpoint or the whole new one. If
//! anything fails, the temporary file is removed and the old checkpoint is
//! untouched. [`write_atomically`] gives the same guarantee to any file.

use std::any::{Any, TypeId};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use layers::Module;
use serde_json::{Map, Value};
use tensor::{Float, Tensor};

// ----- errors -------------------------------------------------------------

/// What went wrong with a checkpoint, and where.
///
/// Every variant names the checkpoint's path; the messages are meant to be
/// shown as they are (`{err}`), and the problems of a
/// [`Mismatch`](CheckpointError::Mismatch) can also be examined one by one.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::checkpoint::{CheckpointError, Problem, load, save};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-error-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("small.safetensors");
/// save(&Mlp::new(&[3, 2]).build::<f32, _>(&mut StdRng::seed_from_u64(0)), &path).unwrap();
///
/// let mut deeper: Sequential = Mlp::new(&[3, 2, 2]).build(&mut StdRng::seed_from_u64(0));
/// let Err(CheckpointError::Mismatch { problems, .. }) = load(&mut deeper, &path) else {
///     panic!("a two-layer model cannot take a one-layer checkpoint");
/// };
/// assert_eq!(problems, [
///     Problem::Missing { name: "2.weight".into(), shape: vec![2, 2] },
///     Problem::Missing { name: "2.bias".into(), shape: vec![2] },
/// ]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug)]
pub enum CheckpointError {
    /// The file system refused: the file does not exist, the directory is
    /// not writable, the disk is full, ...
    Io {
        /// The checkpoint's path.
        path: PathBuf,
        /// What was being done, as a phrase: `"read it"`,
        /// `"create the temporary file runs/.model.safetensors.4242.0.tmp"`.
        action: String,
        /// The operating system's error.
        source: io::Error,
    },
    /// The file is not a valid safetensors file: truncated, corrupt, or
    /// not a checkpoint at all.
    Corrupt {
        /// The checkpoint's path.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The file is a valid checkpoint, but its tensors do not match what
    /// they are loaded into. Every problem is listed, one per line.
    Mismatch {
        /// The checkpoint's path.
        path: PathBuf,
        /// What the tensors were loaded into: `"the model"`, `"Tensor<f32>"`.
        target: String,
        /// Every problem found: the model's tensors in its order, then the
        /// file's unexpected ones in the file's order.
        problems: Vec<Problem>,
    },
}

/// One disagreement between a checkpoint and what it is loaded into.
/// "Expected" is the model's side, "found" the file's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The model has this tensor, the file does not.
    Missing {
        /// The tensor's name.
        name: String,
        /// Its shape in the model.
        shape: Vec<usize>,
    },
    /// The file has this tensor, the model does not.
    Unexpected {
        /// The tensor's name.
        name: String,
        /// Its shape in the file.
        shape: Vec<usize>,
    },
    /// Both have the tensor, with different shapes.
    WrongShape {
        /// The tensor's name.
        name: String,
        /// Its shape in the model.
        expected: Vec<usize>,
        /// Its shape in the file.
        found: Vec<usize>,
    },
    /// Both have the tensor, with different element types.
    WrongDtype {
        /// The tensor's name.
        name: String,
        /// The model's element type, as safetensors names it (`"F32"`).
        expected: String,
        /// The file's (`"F64"`, `"BF16"`, ...).
        found: String,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Missing { name, shape } => {
                write!(f, "missing:     {name}, expected shape {shape:?}")
            }
            Problem::Unexpected { name, shape } => {
                write!(f, "unexpected:  {name}, shape {shape:?}")
            }
            Problem::WrongShape {
                name,
                expected,
                found,
            } => write!(
                f,
                "wrong shape: {name}, expected {expected:?}, found {found:?}"
            ),
            Problem::WrongDtype {
                name,
                expected,
                found,
            } => write!(f, "wrong dtype: {name}, expected {expected}, found {found}"),
        }
    }
}

impl fmt::Display for CheckpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CheckpointError::Io {
                path,
                action,
                source,
            } => write!(
                f,
                "checkpoint {}: could not {action}: {source}",
                path.display()
            ),
            CheckpointError::Corrupt { path, reason } => write!(
                f,
                "checkpoint {} is not a valid safetensors file: {reason}",
                path.display()
            ),
            CheckpointError::Mismatch {
                path,
                target,
                problems,
            } => {
                let n = problems.len();
                let s = if n == 1 { "" } else { "s" };
                write!(
                    f,
                    "checkpoint {} does not match {target} ({n} problem{s}):",
                    path.display()
                )?;
                for problem in problems {
                    write!(f, "\n  {problem}")?;
                }
                if problems
                    .iter()
                    .any(|p| matches!(p, Problem::WrongDtype { .. }))
                {
                    write!(
                        f,
                        "\n(a checkpoint keeps the element type it was saved with: load it into \
                         a model of that type, or read it with read_tensors and cast)"
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CheckpointError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CheckpointError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

// ----- saving -------------------------------------------------------------

/// Saves every parameter and buffer of `module` to `path`, in the
/// safetensors format, atomically (see the [module docs](self)): the file
/// at `path`, if any, is replaced only once the new one is complete on disk.
///
/// The tensors are written in the module's order, parameters first, then
/// buffers.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-save-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
/// let path = dir.join("mlp.safetensors");
/// train::checkpoint::save(&net, &path)?;
/// let names: Vec<String> = train::checkpoint::read_tensors::<f32>(&path)?
///     .into_iter()
///     .map(|(name, _)| name)
///     .collect();
/// assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// [`CheckpointError::Io`] if the file cannot be written; the old one, if
/// any, is then left as it was.
///
/// # Panics
/// If two of the module's tensors have the same name, or one is named
/// `__metadata__` (a bug in the module's `visit_params`/`visit_buffers`).
pub fn save<T: Float>(
    module: &dyn Module<T>,
    path: impl AsRef<Path>,
) -> Result<(), CheckpointError> {
    save_with_metadata(module, path, &[])
}

/// [`save`], with string metadata stored in the file's `__metadata__`: the
/// epoch, the learning rate, the data set, anything worth remembering.
/// [`read_metadata`] reads it back, as does Python's
/// `safe_open(path, "np").metadata()`.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::checkpoint::{read_metadata, save_with_metadata};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-meta-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
/// let path = dir.join("mlp.safetensors");
/// save_with_metadata(&net, &path, &[("epoch", "12"), ("lr", "0.001")])?;
/// let meta = read_metadata(&path)?;
/// assert_eq!(meta, [("epoch".to_string(), "12".to_string()), ("lr".into(), "0.001".into())]);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// As [`save`].
///
/// # Panics
/// As [`save`].
pub fn save_with_metadata<T: Float>(
    module: &dyn Module<T>,
    path: impl AsRef<Path>,
    metadata: &[(&str, &str)],
) -> Result<(), CheckpointError> {
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    module.visit_params("", &mut |name, p| {
        tensors.push((name.to_string(), p.shape().to_vec(), to_le_bytes(p.value())))
    });
    module.visit_buffers("", &mut |name, b| {
        tensors.push((name.to_string(), b.shape().to_vec(), to_le_bytes(b)))
    });
    check_names(tensors.iter().map(|(name, _, _)| name.as_str()));
    let bytes = encode(dtype_name::<T>(), &tensors, metadata);
    write_atomically(path, |file| file.write_all(&bytes))
}

/// The whole file: header length, header, data.
fn encode(
    dtype: &str,
    tensors: &[(String, Vec<usize>, Vec<u8>)],
    metadata: &[(&str, &str)],
) -> Vec<u8> {
    // The header is written by hand, in the order of the data, with
    // serde_json escaping the strings (a name may hold a quote).
    let json = |s: &str| Value::from(s).to_string();
    let mut entries = Vec::new();
    if !metadata.is_empty() {
        let pairs: Vec<String> = metadata
            .iter()
            .map(|(k, v)| format!("{}:{}", json(k), json(v)))
            .collect();
        entries.push(format!("\"__metadata__\":{{{}}}", pairs.join(",")));
    }
    let mut offset = 0;
    for (name, shape, bytes) in tensors {
        let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
        let end = offset + bytes.len();
        entries.push(format!(
            "{}:{{\"dtype\":\"{dtype}\",\"shape\":[{}],\"data_offsets\":[{offset},{end}]}}",
            json(name),
            dims.join(","),
        ));
        offset = end;
    }
    let mut header = format!("{{{}}}", entries.join(",")).into_bytes();
    // Padding to a multiple of 8 aligns the data for readers that map the
    // file into memory, as the reference implementation does.
    header.resize(header.len().next_multiple_of(8), b' ');

    let mut file = Vec::with_capacity(8 + header.len() + offset);
    file.extend_from_slice(&(header.len() as u64).to_le_bytes());
    file.extend_from_slice(&header);
    for (_, _, bytes) in tensors {
        file.extend_from_slice(bytes);
    }
    file
}

/// Panics if a name is repeated or reserved: the file could not tell the
/// tensors apart.
fn check_names<'a>(names: impl Iterator<Item = &'a str>) {
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if name == "__metadata__" || !seen.insert(name) {
            panic!(
                "checkpoint: the module has two tensors named `{name}`, or uses the reserved \
                 name `__metadata__`; every parameter and buffer needs a name of its own"
            );
        }
    }
}

// `Float` is sealed to f32 and f64. These helpers pick the type at run time
// through `Any`, so that the bits are copied as they are (a detour through
// f64 could change the payload of a NaN).

/// The safetensors name of `T`'s dtype.
fn dtype_name<T: Float>() -> &'static str {
    if TypeId::of::<T>() == TypeId::of::<f32>() {
        "F32"
    } else {
        "F64"
    }
}

/// The elements in row-major order, each little-endian.
fn to_le_bytes<T: Float>(t: &Tensor<T>) -> Vec<u8> {
    let values = t.to_vec();
    let values: &dyn Any = &values;
    if let Some(v) = values.downcast_ref::<Vec<f32>>() {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    } else if let Some(v) = values.downcast_ref::<Vec<f64>>() {
        v.iter().flat_map(|x| x.to_le_bytes()).collect()
    } else {
        unreachable!("Float is implemented for f32 and f64 only")
    }
}

/// The values of little-endian `bytes`, whose length the caller has
/// checked to be a multiple of the size of `T`.
fn from_le_bytes<T: Float>(bytes: &[u8]) -> Vec<T> {
    let values: Box<dyn Any> = if TypeId::of::<T>() == TypeId::of::<f32>() {
        Box::new(
            bytes
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect::<Vec<f32>>(),
        )
    } else {
        Box::new(
            bytes
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect::<Vec<f64>>(),
        )
    };
    *values
        .downcast::<Vec<T>>()
        .expect("Float is implemented for f32 and f64 only")
}

// ----- atomic writes ------------------------------------------------------

/// Writes a file so that `path` always holds either its old content or the
/// complete new one, never a mixture (see the [module docs](self)):
/// `write` fills a new temporary file in the same directory, which is then
/// flushed to the disk and renamed over `path`. If `write` fails (or
/// panics), or the flush or the rename does, the temporary file is removed
/// and `path` is left as it was.
///
/// `write` gets the bare [`File`]: wrap it in a [`std::io::BufWriter`] for
/// many small writes. [`save`] uses this function; anything else worth
/// writing safely (a log of metrics, a figure) can too.
///
/// ```
/// use std::io::Write;
/// use train::checkpoint::write_atomically;
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-atomic-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("notes.txt");
/// write_atomically(&path, |f| f.write_all(b"epoch 1: loss 0.52\n"))?;
/// // A failed write leaves the old content in place.
/// let failed = write_atomically(&path, |f| {
///     f.write_all(b"epoch 2: lo")?;
///     Err(std::io::Error::other("the disk is full"))
/// });
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "epoch 1: loss 0.52\n");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// [`CheckpointError::Io`], naming the step that failed. A crash of the
/// whole process (or of the machine) may leave the temporary file behind,
/// named `.<file name>.<process id>.<n>.tmp`; `path` itself is intact.
pub fn write_atomically(
    path: impl AsRef<Path>,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), CheckpointError> {
    let path = path.as_ref();
    let fail = |action: String| {
        move |source| CheckpointError::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    };
    let Some(file_name) = path.file_name() else {
        return Err(fail("write it".to_string())(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the path does not end in a file name",
        )));
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };

    let (temp_path, file) = create_temp(dir, file_name)
        .map_err(|(temp, e)| fail(format!("create the temporary file {}", temp.display()))(e))?;
    // Declared before `file`, so dropped after it: the file is closed before
    // it is removed (as Windows requires).
    let guard = RemoveOnDrop(Some(temp_path.clone()));
    let mut file = file;
    let temp = temp_path.display();
    write(&mut file).map_err(fail(format!("write the temporary file {temp}")))?;
    file.flush()
        .and_then(|()| file.sync_all())
        .map_err(fail(format!("flush the temporary file {temp} to disk")))?;
    drop(file);
    fs::rename(&temp_path, path)
        .map_err(fail(format!("replace it with the temporary file {temp}")))?;
    guard.disarm();
    // Make the rename itself durable. Best effort: the new file is already
    // in place, and not every system can open a directory to sync it.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Creates a new, empty temporary file next to the target, under a name no
/// other file has (`create_new` fails rather than reuse one).
fn create_temp(
    dir: &Path,
    file_name: &std::ffi::OsStr,
) -> Result<(PathBuf, File), (PathBuf, io::Error)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut attempts = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let mut name = std::ffi::OsString::from(".");
        name.push(file_name);
        name.push(format!(".{}.{n}.tmp", std::process::id()));
        let temp = dir.join(name);
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            // A leftover of a crashed run that had the same process id.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => attempts += 1,
            Err(e) => return Err((temp, e)),
        }
    }
}

/// Removes the temporary file when dropped, unless disarmed: on every
/// early return, and on a panic.
struct RemoveOnDrop(Option<PathBuf>);

impl RemoveOnDrop {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = fs::remove_file(path);
        }
    }
}

// ----- loading ------------------------------------------------------------

/// Loads a checkpoint written by [`save`] into `module`: every parameter
/// (through [`Param::set`](autograd::Param::set), so it keeps its id, by
/// which optimizers know it) and every buffer.
///
/// All or nothing: the whole file is checked against the whole module
/// before anything changes, and on any problem the module is left as it was.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// use train::checkpoint::{load, save};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-load-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("mlp.safetensors");
/// let net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
/// save(&net, &path)?;
///
/// let mut wider: Sequential = Mlp::new(&[3, 5, 2]).build(&mut StdRng::seed_from_u64(0));
/// let err = load(&mut wider, &path).unwrap_err();
/// assert!(err.to_string().ends_with(
///     "does not match the model (3 problems):\n  \
///      wrong shape: 0.weight, expected [3, 5], found [3, 4]\n  \
///      wrong shape: 0.bias, expected [5], found [4]\n  \
///      wrong shape: 2.weight, expected [5, 2], found [4, 2]"
/// ));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// - [`CheckpointError::Io`] if the file cannot be read;
/// - [`CheckpointError::Corrupt`] if it is not a valid safetensors file;
/// - [`CheckpointError::Mismatch`] listing every tensor that the model has
///   and the file lacks, every one that the file has and the model lacks,
///   and every one with a different shape or element type.
///
/// # Panics
/// If two of the module's tensors have the same name (as [`save`]).
pub fn load<T: Float>(
    module: &mut dyn Module<T>,
    path: impl AsRef<Path>,
) -> Result<(), CheckpointError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    let file = parse(path, &bytes)?;

    // What the model expects, in its order.
    let mut expected: Vec<(String, Vec<usize>)> = Vec::new();
    module.visit_params("", &mut |name, p| {
        expected.push((name.to_string(), p.shape().to_vec()))
    });
    module.visit_buffers("", &mut |name, b| {
        expected.push((name.to_string(), b.shape().to_vec()))
    });
    check_names(expected.iter().map(|(name, _)| name.as_str()));

    let mut problems = Vec::new();
    for (name, shape) in &expected {
        match file.tensors.iter().find(|t| &t.name == name) {
            None => problems.push(Problem::Missing {
                name: name.clone(),
                shape: shape.clone(),
            }),
            Some(t) => problems.extend(t.problems::<T>(shape)),
        }
    }
    for t in &file.tensors {
        if !expected.iter().any(|(name, _)| name == &t.name) {
            problems.push(Problem::Unexpected {
                name: t.name.clone(),
                shape: t.shape.clone(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(CheckpointError::Mismatch {
            path: path.to_path_buf(),
            target: "the model".to_string(),
            problems,
        });
    }

    // Everything fits: decode every tensor, then hand them over.
    let mut values: Vec<(String, Option<Tensor<T>>)> = file
        .tensors
        .iter()
        .map(|t| (t.name.clone(), Some(t.decode::<T>())))
        .collect();
    let mut take = |name: &str| {
        values
            .iter_mut()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.take())
            .expect("checked above: the file has each tensor of the model, once")
    };
    module.visit_params_mut("", &mut |name, p| p.set(take(name)));
    module.visit_buffers_mut("", &mut |name, b| *b = take(name));
    Ok(())
}

/// Reads every tensor of a checkpoint, in the file's order (for a
/// gradschool checkpoint, the model's: parameters, then buffers), to look
/// at them without a model, or to use them in something that is not a
/// [`Module`]. The file's element type must be `T`: read an `F64` file as
/// `f64`, and [`cast`](Tensor::cast) if need be.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-read-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("mlp.safetensors");
/// let net: Sequential<f64> = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
/// train::checkpoint::save(&net, &path)?;
/// for (name, t) in train::checkpoint::read_tensors::<f64>(&path)? {
///     println!("{name:>8} {:?}", t.shape()); // 0.weight [3, 4], 0.bias [4], ...
/// }
/// assert!(train::checkpoint::read_tensors::<f32>(&path).is_err()); // it holds f64
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// As [`load`]; a [`CheckpointError::Mismatch`] lists the tensors whose
/// element type is not `T`.
pub fn read_tensors<T: Float>(
    path: impl AsRef<Path>,
) -> Result<Vec<(String, Tensor<T>)>, CheckpointError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    let file = parse(path, &bytes)?;
    let problems: Vec<Problem> = file
        .tensors
        .iter()
        .flat_map(|t| t.problems::<T>(&t.shape))
        .collect();
    if !problems.is_empty() {
        return Err(CheckpointError::Mismatch {
            path: path.to_path_buf(),
            target: format!("Tensor<{}>", T::NAME),
            problems,
        });
    }
    Ok(file
        .tensors
        .iter()
        .map(|t| (t.name.clone(), t.decode::<T>()))
        .collect())
}

/// The string metadata of a checkpoint ([`save_with_metadata`]), sorted by
/// key; empty if it has none.
///
/// ```
/// use layers::{Mlp, Sequential};
/// use rand::{SeedableRng, rngs::StdRng};
/// # let dir = std::env::temp_dir().join(format!("gradschool-doc-readmeta-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("mlp.safetensors");
/// let net: Sequential = Mlp::new(&[3, 4, 2]).build(&mut StdRng::seed_from_u64(0));
/// train::checkpoint::save(&net, &path)?; // no metadata
/// assert!(train::checkpoint::read_metadata(&path)?.is_empty());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), train::checkpoint::CheckpointError>(())
/// ```
///
/// # Errors
/// As [`load`], for the file itself.
pub fn read_metadata(path: impl AsRef<Path>) -> Result<Vec<(String, String)>, CheckpointError> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    Ok(parse(path, &bytes)?.metadata)
}

fn read_file(path: &Path) -> Result<Vec<u8>, CheckpointError> {
    // The buffer is as large as the file really is, whatever it claims.
    fs::read(path).map_err(|source| CheckpointError::Io {
        path: path.to_path_buf(),
        action: "read it".to_string(),
        source,
    })
}

/// A checked safetensors file: its tensors in the order of their data, each
/// with its bytes, and its metadata sorted by key.
struct Parsed<'a> {
    tensors: Vec<Entry<'a>>,
    metadata: Vec<(String, String)>,
}

/// One tensor of a checked file.
struct Entry<'a> {
    name: String,
    dtype: String,
    shape: Vec<usize>,
    /// Exactly (product of the shape) × (bytes per element) bytes.
    bytes: &'a [u8],
}

impl Entry<'_> {
    /// How this tensor differs from a `T` tensor of shape `shape`.
    fn problems<T: Float>(&self, shape: &[usize]) -> Vec<Problem> {
        let mut problems = Vec::new();
        if self.shape != shape {
            problems.push(Problem::WrongShape {
                name: self.name.clone(),
                expected: shape.to_vec(),
                found: self.shape.clone(),
            });
        }
        if self.dtype != dtype_name::<T>() {
            problems.push(Problem::WrongDtype {
                name: self.name.clone(),
                expected: dtype_name::<T>().to_string(),
                found: self.dtype.clone(),
            });
        }
        problems
    }

    /// The tensor, once `problems::<T>` found none.
    fn decode<T: Float>(&self) -> Tensor<T> {
        Tensor::from_vec(from_le_bytes::<T>(self.bytes), &self.shape)
    }
}

/// Bytes per element of the dtypes of the safetensors specification (the
/// 4- and 6-bit ones excepted): enough to check any file's layout, though
/// only `F32` and `F64` can be loaded.
fn dtype_size(dtype: &str) -> Option<usize> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" | "F8_E4M3FNUZ"
        | "F8_E5M2FNUZ" => 1,
        "I16" | "U16" | "F16" | "BF16" => 2,
        "I32" | "U32" | "F32" => 4,
        "I64" | "U64" | "F64" | "C64" => 8,
        _ => return None,
    })
}

/// Checks the whole file and finds each tensor's bytes.
fn parse<'a>(path: &Path, bytes: &'a [u8]) -> Result<Parsed<'a>, CheckpointError> {
    parse_bytes(bytes).map_err(|reason| CheckpointError::Corrupt {
        path: path.to_path_buf(),
        reason,
    })
}

fn parse_bytes(bytes: &[u8]) -> Result<Parsed<'_>, String> {
    // 1. The header length, bounded by what the file really holds: nothing
    //    is allocated for what it merely claims.
    let Some((&len, rest)) = bytes.split_first_chunk::<8>() else {
        return Err(format!(
            "it has {} bytes, fewer than the 8 of the header length",
            bytes.len()
        ));
    };
    let header_len = u64::from_le_bytes(len);
    if header_len > rest.len() as u64 {
        return Err(format!(
            "the header length says {header_len} bytes, but only {} bytes follow",
            rest.len()
        ));
    }
    let (header, data) = rest.split_at(header_len as usize);

    // 2. The header: a JSON object.
    let header =
        std::str::from_utf8(header).map_err(|e| format!("the header is not UTF-8: {e}"))?;
    let header: Map<String, Value> = serde_json::from_str(header)
        .map_err(|e| format!("the header is not a JSON object: {e}"))?;

    // 3. Each tensor's entry, its size checked against its shape and dtype.
    let mut metadata = Vec::new();
    let mut tensors = Vec::new();
    let mut extents = Vec::new();
    for (name, entry) in header {
        if name == "__metadata__" {
            metadata = parse_metadata(entry)?;
            continue;
        }
        let (dtype, shape, begin, end) =
            parse_entry(&entry).map_err(|what| format!("tensor `{name}` {what}"))?;
        tensors.push((name, dtype, shape));
        extents.push((begin, end));
    }

    // 4. Together, the tensors tile the data: each starts where the one
    //    before it ends, and the last ends at the end of the file. So every
    //    tensor lies within the data, and no two overlap.
    let mut order: Vec<usize> = (0..tensors.len()).collect();
    order.sort_by(|&i, &j| {
        extents[i]
            .cmp(&extents[j])
            .then(tensors[i].0.cmp(&tensors[j].0))
    });
    let mut at = 0;
    for &i in &order {
        let (begin, end) = extents[i];
        if begin != at {
            return Err(format!(
                "tensor `{}` starts at byte {begin} of the data, where byte {at} was expected \
                 (the tensors must follow one another with no gap and no overlap)",
                tensors[i].0
            ));
        }
        at = end;
    }
    if at != data.len() {
        return Err(format!(
            "the tensors end at byte {at} of the data, but the data has {} bytes",
            data.len()
        ));
    }

    let mut tensors: Vec<Option<(String, String, Vec<usize>)>> =
        tensors.into_iter().map(Some).collect();
    let tensors = order
        .into_iter()
        .map(|i| {
            let (name, dtype, shape) = tensors[i].take().expect("each index once");
            let (begin, end) = extents[i];
            Entry {
                name,
                dtype,
                shape,
                bytes: &data[begin..end],
            }
        })
        .collect();
    metadata.sort();
    Ok(Parsed { tensors, metadata })
}

/// `__metadata__`: an object whose values are strings.
fn parse_metadata(entry: Value) -> Result<Vec<(String, String)>, String> {
    let Value::Object(map) = entry else {
        return Err("`__metadata__` is not a JSON object".to_string());
    };
    map.into_iter()
        .map(|(key, value)| match value {
            Value::String(value) => Ok((key, value)),
            other => Err(format!(
                "`__metadata__` maps `{key}` to {other}, not to a string"
            )),
        })
        .collect()
}

/// One tensor's entry: its dtype, shape and data offsets, checked to agree.
/// The error completes the sentence "tensor `name` ...".
fn parse_entry(entry: &Value) -> Result<(String, Vec<usize>, usize, usize), String> {
    let Some(dtype) = entry.get("dtype").and_then(Value::as_str) else {
        return Err("has no `dtype` string".to_string());
    };
    let Some(size) = dtype_size(dtype) else {
        return Err(format!("has the unknown dtype `{dtype}`"));
    };
    let numbers = |key: &str| -> Option<Vec<usize>> {
        entry
            .get(key)?
            .as_array()?
            .iter()
            .map(|v| v.as_u64().and_then(|n| usize::try_from(n).ok()))
            .collect()
    };
    let Some(shape) = numbers("shape") else {
        return Err("has no `shape` list of non-negative integers".to_string());
    };
    let Some(&[begin, end]) = numbers("data_offsets").as_deref() else {
        return Err("has no `data_offsets` pair of non-negative integers".to_string());
    };
    // ndarray cannot describe a shape whose non-zero lengths multiply past
    // isize::MAX, even one with no element ([0, 2⁶⁴ − 1]).
    let elements = shape.iter().try_fold(1usize, |n, &d| n.checked_mul(d));
    let describable = shape
        .iter()
        .filter(|&&d| d != 0)
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .is_some_and(|n| n <= isize::MAX as usize);
    let needed = elements.and_then(|n| n.checked_mul(size));
    let (Some(needed), true) = (needed, describable) else {
        return Err(format!("has shape {shape:?}, too large to exist"));
    };
    if end < begin || end - begin != needed {
        return Err(format!(
            "has data offsets [{begin}, {end}), but shape {shape:?} of {dtype} needs {needed} bytes"
        ));
    }
    Ok((dtype.to_string(), shape, begin, end))
}
