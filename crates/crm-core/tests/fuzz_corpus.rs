//! Replays the fuzz corpus as ordinary tests: every file of
//! `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` (when present)
//! goes through the same function as the fuzz target `<target>`
//! (`fuzz/src/lib.rs`, included below), so CI checks that no input the
//! fuzzer kept — nor any crash it once found — panics. A directory named
//! after no target fails the test, so a renamed target is noticed.

use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "../../../fuzz/src/lib.rs"]
mod targets;

/// The `fuzz/` directory of the repository.
fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz")
}

/// The files directly under `dir/<target>/` for each subdirectory, sorted.
fn inputs(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(targets) = std::fs::read_dir(dir) else {
        return out;
    };
    for t in targets.flatten() {
        if !t.path().is_dir() {
            continue;
        }
        let name = t.file_name().to_string_lossy().into_owned();
        let Ok(files) = std::fs::read_dir(t.path()) else {
            continue;
        };
        for f in files.flatten() {
            if f.path().is_file() {
                out.push((name.clone(), f.path()));
            }
        }
    }
    out.sort();
    out
}

/// Runs every input of `dir` through its target; returns how many ran.
fn replay(dir: &Path) -> usize {
    let all = inputs(dir);
    for (target, path) in &all {
        let Some((_, run)) = targets::TARGETS.iter().find(|(n, _)| n == target) else {
            panic!("{}: no fuzz target named '{target}'", path.display());
        };
        // A file may vanish while a fuzzing session prunes the corpus.
        let Ok(data) = std::fs::read(path) else {
            continue;
        };
        // A panic fails this test and names the input through the message below.
        let result = std::panic::catch_unwind(|| run(&data));
        assert!(result.is_ok(), "{target}: {} panicked", path.display());
    }
    all.len()
}

#[test]
fn corpus_replays_without_panic() {
    let n = replay(&fuzz_dir().join("corpus"));
    // The committed seeds alone are several dozen inputs.
    assert!(n >= 50, "only {n} corpus inputs found under fuzz/corpus");
}

#[test]
fn crash_artifacts_replay_without_panic() {
    // Present only after a fuzzing session found something; each file is
    // the input of a crash that has since been fixed.
    replay(&fuzz_dir().join("artifacts"));
}

#[test]
fn every_target_has_a_corpus() {
    let dir = fuzz_dir().join("corpus");
    for (name, _) in targets::TARGETS {
        let has = std::fs::read_dir(dir.join(name)).is_ok_and(|mut d| d.next().is_some());
        assert!(has, "fuzz/corpus/{name} is empty or missing");
    }
}
