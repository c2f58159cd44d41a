//! Shared by the property tests of this crate.

use proptest::test_runner::Config;

/// 32 cases per property unless `PROPTEST_CASES` asks for more (a long
/// run); no regression files are written.
pub fn config() -> Config {
    let default = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            default.cases
        } else {
            32
        },
        failure_persistence: None,
        ..default
    }
}
