//! How each linter is run over a corpus, and how its output is read to check that the run did
//! the work being timed: the output must parse, and where the tool says how many files it
//! checked, that number must be the corpus's. A linter exits 1 when it has findings; that run
//! counts, since the corpus has a few findings on purpose.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::process;

/// The exit codes of a run that completed: 0 (clean) and 1 (findings). Anything else (2 for a
/// usage or configuration error, a signal) means the linter did not do its work.
pub const COMPLETED: &[i32] = &[0, 1];

/// Which output format a linter is asked for, and so how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// `llmspell lint --format json`: `{ files: [{ diagnostics: [{ code }] }], summary: { files } }`.
    Llmspell,
    /// `selene --display-style json2`: one JSON object per line, diagnostics then a summary.
    SeleneJson2,
    /// `emmylua_check --output-format json`: `[{ file, diagnostics: [{ code }] }]`, every
    /// checked file.
    EmmyluaJson,
    /// `eslint --format json`: `[{ filePath, messages: [{ ruleId }] }]`, every linted file.
    EslintJson,
    /// `oxlint --format json`: `{ diagnostics: [{ code }], number_of_files, threads_count }`.
    OxlintJson,
}

/// One linter, ready to run over one corpus.
#[derive(Debug, Clone)]
pub struct Linter {
    /// "selene 0.31.0", as the table shows it.
    pub label: String,
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// The corpus folder: every linter finds its configuration there.
    pub cwd: PathBuf,
    pub format: OutputFormat,
}

/// What one checked run reported.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// How many files the linter says it checked, when it says.
    pub files: Option<usize>,
    pub findings: usize,
    /// Findings per rule code, most frequent first.
    pub by_code: Vec<(String, usize)>,
    /// The worker threads the linter says it used, when it says (oxlint).
    pub threads: Option<usize>,
    /// Wall time of this (untimed, first) run.
    pub elapsed: Duration,
}

impl Linter {
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command.args(&self.args).current_dir(&self.cwd);
        command
    }

    /// Runs the linter once with its output captured and reads the output; the run also warms
    /// the page cache for the timed runs. `expected_files` is the corpus's file count: a
    /// linter that reports another number checked something else, and its times would mean
    /// nothing.
    pub fn checked_run(&self, expected_files: usize) -> Result<Outcome, String> {
        let mut command = self.command();
        let shown = process::display(&command);
        let start = Instant::now();
        let output = command
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot start `{shown}`: {e}"))?;
        let elapsed = start.elapsed();
        let code = output.status.code();
        if !code.is_some_and(|c| COMPLETED.contains(&c)) {
            return Err(format!(
                "`{shown}` failed ({}):\n{}{}",
                output.status,
                tail(&String::from_utf8_lossy(&output.stdout)),
                tail(&String::from_utf8_lossy(&output.stderr))
            ));
        }
        let mut outcome = read_output(self.format, &output)
            .map_err(|why| format!("`{shown}`: unreadable output ({why})"))?;
        outcome.elapsed = elapsed;
        if let Some(files) = outcome.files.filter(|&n| n != expected_files) {
            return Err(format!(
                "`{shown}` checked {files} files; the corpus has {expected_files}"
            ));
        }
        Ok(outcome)
    }
}

/// The last few lines of a long output, for an error message.
fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(15);
    lines[start..].join("\n") + if lines.is_empty() { "" } else { "\n" }
}

fn read_output(format: OutputFormat, output: &Output) -> Result<Outcome, String> {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut codes: BTreeMap<String, usize> = BTreeMap::new();
    let mut count = |code: &str| *codes.entry(code.to_owned()).or_default() += 1;
    let (files, threads) = match format {
        OutputFormat::Llmspell => {
            let report = parse(&stdout)?;
            for file in array(&report["files"], "files")? {
                for diagnostic in array(&file["diagnostics"], "diagnostics")? {
                    count(diagnostic["code"].as_str().unwrap_or("?"));
                }
            }
            let files = report["summary"]["files"]
                .as_u64()
                .ok_or("no summary.files")?;
            (Some(files as usize), None)
        }
        OutputFormat::SeleneJson2 => {
            let mut summary = false;
            for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
                let item = parse(line)?;
                match item["type"].as_str() {
                    Some("Diagnostic") => count(item["code"].as_str().unwrap_or("?")),
                    Some("Summary") => summary = true,
                    _ => return Err(format!("unexpected line {line}")),
                }
            }
            if !summary {
                return Err("no summary line".to_owned());
            }
            // selene does not say how many files it read.
            (None, None)
        }
        OutputFormat::EmmyluaJson => {
            let report = parse(&stdout)?;
            let files = array(&report, "the report")?;
            for file in files {
                for diagnostic in array(&file["diagnostics"], "diagnostics")? {
                    count(diagnostic["code"].as_str().unwrap_or("?"));
                }
            }
            (Some(files.len()), None)
        }
        OutputFormat::EslintJson => {
            let report = parse(&stdout)?;
            let files = array(&report, "the report")?;
            for file in files {
                for message in array(&file["messages"], "messages")? {
                    // A parse error has no rule.
                    count(message["ruleId"].as_str().unwrap_or("parse error"));
                }
            }
            (Some(files.len()), None)
        }
        OutputFormat::OxlintJson => {
            let report = parse(&stdout)?;
            for diagnostic in array(&report["diagnostics"], "diagnostics")? {
                // Only a parse error comes without a rule code.
                count(diagnostic["code"].as_str().unwrap_or("parse error"));
            }
            let files = report["number_of_files"]
                .as_u64()
                .ok_or("no number_of_files")?;
            let threads = report["threads_count"].as_u64().map(|n| n as usize);
            (Some(files as usize), threads)
        }
    };
    let mut by_code: Vec<(String, usize)> = codes.into_iter().collect();
    by_code.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(Outcome {
        files,
        findings: by_code.iter().map(|(_, n)| n).sum(),
        by_code,
        threads,
        elapsed: Duration::ZERO,
    })
}

fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))
}

fn array<'a>(value: &'a Value, what: &str) -> Result<&'a Vec<Value>, String> {
    value
        .as_array()
        .ok_or_else(|| format!("{what} is not a list"))
}

/// CPU time (user + system) of the waited-for children of this process so far, from
/// /proc/self/stat (`cutime` + `cstime`, in clock ticks of 1/100 s, the value every Linux
/// build uses for `USER_HZ`). The difference over a set of runs, divided by their wall time,
/// is how many cores a linter kept busy.
pub fn children_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces; `cutime` is
    // field 16 of the whole line, so the 14th after the name.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;

    fn output(stdout: &str) -> Output {
        Output {
            status: std::process::ExitStatus::from_raw(0),
            stdout: stdout.as_bytes().to_vec(),
            stderr: Vec::new(),
        }
    }

    #[test]
    fn each_format_is_read() {
        let llmspell = r#"{"version":1,"files":[{"path":"a.lua","diagnostics":[{"code":"unused-local"}]},{"path":"b.lua","diagnostics":[]}],"summary":{"files":2}}"#;
        let o = read_output(OutputFormat::Llmspell, &output(llmspell)).unwrap();
        assert_eq!((o.files, o.findings), (Some(2), 1));
        assert_eq!(o.by_code, vec![("unused-local".to_owned(), 1)]);

        let selene = "{\"type\":\"Diagnostic\",\"code\":\"unused_variable\"}\n{\"type\":\"Summary\",\"errors\":0}\n";
        let o = read_output(OutputFormat::SeleneJson2, &output(selene)).unwrap();
        assert_eq!((o.files, o.findings), (None, 1));
        assert!(read_output(OutputFormat::SeleneJson2, &output("")).is_err());

        let emmylua =
            r#"[{"file":"a","diagnostics":[]},{"file":"b","diagnostics":[{"code":"unused"}]}]"#;
        let o = read_output(OutputFormat::EmmyluaJson, &output(emmylua)).unwrap();
        assert_eq!((o.files, o.findings), (Some(2), 1));

        let eslint =
            r#"[{"filePath":"a","messages":[{"ruleId":null},{"ruleId":"no-unused-vars"}]}]"#;
        let o = read_output(OutputFormat::EslintJson, &output(eslint)).unwrap();
        assert_eq!((o.files, o.findings), (Some(1), 2));

        let oxlint = r#"{"diagnostics":[{"code":"eslint(no-unused-vars)"}],"number_of_files":3,"threads_count":2}"#;
        let o = read_output(OutputFormat::OxlintJson, &output(oxlint)).unwrap();
        assert_eq!((o.files, o.findings, o.threads), (Some(3), 1, Some(2)));
    }

    #[test]
    fn child_cpu_time_is_readable_here() {
        assert!(children_cpu_time().is_some());
    }
}
