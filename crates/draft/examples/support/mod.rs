//! What the embedding examples share: CPU time, the installed model, and
//! leaving with a message and an exit status instead of a panic.

use std::fmt::Display;
use std::path::PathBuf;

use rapporteur_draft::embed::locate;

/// User + system CPU seconds of this process (all threads), Linux only.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return f64::NAN };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else { return f64::NAN };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; USER_HZ is 100 on Linux.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(f64::NAN);
    (ticks(11) + ticks(12)) / 100.0
}

/// The value, or the error printed and the process ended with `status`.
pub fn or_exit<T, E: Display>(result: Result<T, E>, status: i32) -> T {
    result.unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(status)
    })
}

/// The installed all-MiniLM-L6-v2, or exit 2 saying how to install it.
pub fn model_dir() -> PathBuf {
    match locate(Some(std::path::Path::new("models/all-MiniLM-L6-v2"))) {
        Ok(location) => location.dir,
        Err(_) => {
            eprintln!("model not installed: run scripts/install-embeddings.sh");
            std::process::exit(2)
        }
    }
}
