//! The machine a benchmark ran on. Figures without the machine are not comparable, so
//! docs/benchmarks.md records it next to the table. Read from Linux's /proc where possible; a
//! fact that cannot be read is reported as "unknown" rather than failing the benchmark.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::process::stdout_of;

const UNKNOWN: &str = "unknown";

#[derive(Debug, Clone)]
pub struct Machine {
    /// Logical CPUs this process may use, as `nproc` reports it (affinity and cgroup limits
    /// included, which is what matters for timings).
    pub nproc: String,
    pub cpu: String,
    pub memory: String,
    pub os: String,
    pub rustc: String,
    /// UTC, `YYYY-MM-DD HH:MM`.
    pub date: String,
    /// The commit the figures were measured on, with `-dirty` for uncommitted changes.
    pub commit: String,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
        Machine {
            nproc: std::thread::available_parallelism()
                .map(|n| n.to_string())
                .unwrap_or_else(|_| UNKNOWN.to_owned()),
            cpu: field(&cpuinfo, "model name").unwrap_or(UNKNOWN).to_owned(),
            memory: field(&meminfo, "MemTotal")
                .and_then(format_kib)
                .unwrap_or_else(|| UNKNOWN.to_owned()),
            os: format!(
                "{}, Linux {}",
                field_eq(&os_release, "PRETTY_NAME").unwrap_or(UNKNOWN),
                kernel.trim()
            ),
            rustc: stdout_of("rustc", &["--version"]).unwrap_or_else(|| UNKNOWN.to_owned()),
            date: utc_now(),
            commit: commit().unwrap_or_else(|| UNKNOWN.to_owned()),
        }
    }
}

/// The value of the first `key : value` line (the /proc/cpuinfo and /proc/meminfo format).
fn field<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        (k.trim() == key).then(|| v.trim())
    })
}

/// The value of a `KEY="value"` line (the /etc/os-release format).
fn field_eq<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once('=')?;
        (k.trim() == key).then(|| v.trim().trim_matches('"'))
    })
}

/// "24684092 kB" as "23.5 GiB" (/proc/meminfo's "kB" are KiB).
fn format_kib(value: &str) -> Option<String> {
    let kib: f64 = value.split_whitespace().next()?.parse().ok()?;
    Some(format!("{:.1} GiB", kib / (1024.0 * 1024.0)))
}

fn commit() -> Option<String> {
    let id = stdout_of("git", &["rev-parse", "--short=12", "HEAD"])?;
    let dirty = stdout_of("git", &["status", "--porcelain", "--untracked-files=no"])
        .is_some_and(|changes| !changes.is_empty());
    Some(if dirty { format!("{id}-dirty") } else { id })
}

/// The current UTC date and minute, computed here so xtask needs neither a date crate nor the
/// `date` program.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's
/// `civil_from_days` (<https://howardhinnant.github.io/date_algorithms.html>).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1, [0, 365]
    let mp = (5 * doy + 2) / 153; // month from March, [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(59), (1970, 3, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
    }

    #[test]
    fn proc_fields() {
        let cpuinfo = "processor\t: 0\nmodel name\t: AMD EPYC\n";
        assert_eq!(field(cpuinfo, "model name"), Some("AMD EPYC"));
        assert_eq!(
            field("MemTotal:       24684092 kB\n", "MemTotal")
                .and_then(format_kib)
                .as_deref(),
            Some("23.5 GiB")
        );
        assert_eq!(
            field_eq(
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
                "PRETTY_NAME"
            ),
            Some("Debian GNU/Linux 12 (bookworm)")
        );
    }
}
