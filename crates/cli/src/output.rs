//! The one place that prints: tables, JSON/YAML, stderr notes, progress bars and confirmation prompts.
//!
//! Data goes to stdout, everything else to stderr. Colour and progress bars appear only on a terminal
//! (colour also needs `NO_COLOR` unset). Commands build rows or objects; this module renders them.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex};

use comfy_table::{presets::NOTHING, ContentArrangement, Table};
use serde::Serialize;

use crate::error::{self, redact};
use crate::yaml;

/// `-o` values of listing commands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns
    #[default]
    Table,
    /// Aligned columns, with extra columns
    Wide,
    /// The records as a JSON array
    Json,
    /// The records as a YAML sequence
    Yaml,
}

/// `-o` values of commands that print Kubernetes objects (`federate`, `init -o yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ObjectFormat {
    Json,
    Yaml,
}

/// A table column: its header (printed upper-case) and whether only `-o wide` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub header: &'static str,
    pub wide_only: bool,
}

impl Column {
    pub const fn new(header: &'static str) -> Self {
        Column {
            header,
            wide_only: false,
        }
    }

    pub const fn wide(header: &'static str) -> Self {
        Column {
            header,
            wide_only: true,
        }
    }
}

/// A record a listing command prints: serialised as is for `-o json|yaml`, as cells for tables.
pub trait Row: Serialize {
    /// One cell per column given to [`Printer::print_rows`], wide-only columns included.
    fn cells(&self) -> Vec<String>;
}

/// Renders rows the way kubectl does: no borders, upper-case headers, columns three spaces apart,
/// no trailing blanks. `wide` keeps the wide-only columns.
pub fn render_table(columns: &[Column], rows: &[Vec<String>], wide: bool) -> String {
    let shown: Vec<usize> = (0..columns.len())
        .filter(|&i| wide || !columns[i].wide_only)
        .collect();
    let mut table = Table::new();
    table
        .load_preset(NOTHING)
        .force_no_tty()
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(shown.iter().map(|&i| columns[i].header.to_uppercase()));
    for row in rows {
        table.add_row(
            shown
                .iter()
                .map(|&i| row.get(i).map(String::as_str).unwrap_or("")),
        );
    }
    let last = shown.len().saturating_sub(1);
    for (i, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, if i == last { 0 } else { 3 }));
    }
    let mut out = table.trim_fmt();
    out.push('\n');
    out
}

/// JSON as kubectl prints it: four-space indentation, trailing newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    value.serialize(&mut ser)?;
    buf.push(b'\n');
    Ok(String::from_utf8(buf).expect("serde_json writes UTF-8"))
}

/// What a [`Printer::capture`] printer has written.
#[derive(Debug, Default)]
pub struct Captured {
    pub stdout: String,
    pub stderr: String,
}

#[derive(Debug, Clone)]
enum Sink {
    Std,
    Capture(Arc<Mutex<Captured>>),
}

/// Prints for one invocation; built from the global flags.
#[derive(Debug, Clone)]
pub struct Printer {
    quiet: bool,
    verbosity: u8,
    color_stdout: bool,
    color_stderr: bool,
    stderr_terminal: bool,
    stdin_terminal: bool,
    sink: Sink,
}

fn no_color_env() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

impl Printer {
    /// A printer on the process's stdout/stderr.
    pub fn new(quiet: bool, verbosity: u8) -> Self {
        let no_color = no_color_env();
        Printer {
            quiet,
            verbosity,
            color_stdout: !no_color && io::stdout().is_terminal(),
            color_stderr: !no_color && io::stderr().is_terminal(),
            stderr_terminal: io::stderr().is_terminal(),
            stdin_terminal: io::stdin().is_terminal(),
            sink: Sink::Std,
        }
    }

    /// A printer that records what it writes, as if no stream were a terminal (for tests).
    pub fn capture(quiet: bool, verbosity: u8) -> (Self, Arc<Mutex<Captured>>) {
        let captured = Arc::new(Mutex::new(Captured::default()));
        let printer = Printer {
            quiet,
            verbosity,
            color_stdout: false,
            color_stderr: false,
            stderr_terminal: false,
            stdin_terminal: false,
            sink: Sink::Capture(captured.clone()),
        };
        (printer, captured)
    }

    pub fn verbosity(&self) -> u8 {
        self.verbosity
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }

    /// Whether stdout takes colour (a terminal, `NO_COLOR` unset).
    pub fn stdout_colored(&self) -> bool {
        self.color_stdout
    }

    /// Writes data to stdout as is. A closed pipe comes back as `BrokenPipe`, which `main` treats as success.
    pub fn write_stdout(&self, text: &str) -> io::Result<()> {
        match &self.sink {
            Sink::Std => {
                let mut out = io::stdout().lock();
                out.write_all(text.as_bytes())?;
                out.flush()
            }
            Sink::Capture(c) => {
                c.lock().unwrap().stdout.push_str(text);
                Ok(())
            }
        }
    }

    fn write_stderr(&self, line: &str) {
        let line = redact(line);
        match &self.sink {
            // Nothing sensible is left to do when stderr itself is gone.
            Sink::Std => {
                let _ = writeln!(io::stderr().lock(), "{line}");
            }
            Sink::Capture(c) => {
                let mut c = c.lock().unwrap();
                c.stderr.push_str(&line);
                c.stderr.push('\n');
            }
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color_stderr {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Prints records: a table (`table`, `wide`), a JSON array or a YAML sequence. An empty table
    /// prints `No resources found.` on stderr instead, as kubectl does.
    pub fn print_rows<R: Row>(
        &self,
        columns: &[Column],
        rows: &[R],
        format: OutputFormat,
    ) -> anyhow::Result<()> {
        let text = match format {
            OutputFormat::Table | OutputFormat::Wide if rows.is_empty() => {
                self.info("No resources found.");
                return Ok(());
            }
            OutputFormat::Table | OutputFormat::Wide => {
                let cells: Vec<Vec<String>> = rows.iter().map(Row::cells).collect();
                render_table(columns, &cells, format == OutputFormat::Wide)
            }
            OutputFormat::Json => to_json(rows)?,
            OutputFormat::Yaml => yaml::to_yaml(rows)?,
        };
        self.write_stdout(&text)?;
        Ok(())
    }

    /// Prints one object as JSON or YAML.
    pub fn print_object<T: Serialize + ?Sized>(
        &self,
        value: &T,
        format: ObjectFormat,
    ) -> anyhow::Result<()> {
        let text = match format {
            ObjectFormat::Json => to_json(value)?,
            ObjectFormat::Yaml => yaml::to_yaml(value)?,
        };
        self.write_stdout(&text)?;
        Ok(())
    }

    /// Prints several objects: a `---`-separated YAML stream, or a JSON `v1/List` as kubectl does.
    pub fn print_objects<T: Serialize>(
        &self,
        values: &[T],
        format: ObjectFormat,
    ) -> anyhow::Result<()> {
        let text = match format {
            ObjectFormat::Json => to_json(&serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": values,
                "metadata": {"resourceVersion": ""},
            }))?,
            ObjectFormat::Yaml => yaml::to_multi_doc_yaml(values)?,
        };
        self.write_stdout(&text)?;
        Ok(())
    }

    /// A note on stderr; silenced by `-q`.
    pub fn info(&self, message: &str) {
        if !self.quiet {
            self.write_stderr(message);
        }
    }

    /// A step of a multi-step command on stderr (`demo`, `init`); silenced by `-q`.
    pub fn status(&self, message: &str) {
        if !self.quiet {
            let marker = self.paint("1;32", "==>");
            self.write_stderr(&format!("{marker} {message}"));
        }
    }

    /// `Warning: <message>` on stderr, as kubectl prints server warnings; silenced by `-q`.
    pub fn warn(&self, message: &str) {
        if !self.quiet {
            let label = self.paint("33", "Warning:");
            self.write_stderr(&format!("{label} {message}"));
        }
    }

    /// Something that makes the command fail in part (an object or a cluster that failed): a warning,
    /// or under `-q`, which keeps only data and errors, an `Error:` line, so a non-zero exit always
    /// says why.
    pub fn problem(&self, message: &str) {
        if self.quiet {
            self.error(&format!("Error: {message}"));
        } else {
            self.warn(message);
        }
    }

    /// Detail shown from the given `-v` count on.
    pub fn debug(&self, level: u8, message: &str) {
        if self.verbosity >= level && !self.quiet {
            self.write_stderr(message);
        }
    }

    /// An error report (already rendered by [`error::render`]); never silenced.
    pub fn error(&self, report: &str) {
        let report = report.trim_end_matches('\n');
        match report.strip_prefix("Error:") {
            Some(rest) if self.color_stderr => {
                self.write_stderr(&format!("{}{rest}", self.paint("1;31", "Error:")))
            }
            _ => self.write_stderr(report),
        }
    }

    /// A progress bar on stderr, drawn only on a terminal and without `-q`.
    pub fn progress(&self, len: u64, message: &str) -> indicatif::ProgressBar {
        if !self.stderr_terminal || self.quiet || !matches!(self.sink, Sink::Std) {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(len);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        bar.set_message(message.to_string());
        bar
    }

    /// Asks before a destructive step. With `yes` the answer is yes; on a terminal the user is
    /// asked (default no); otherwise it is a usage error telling to pass `--yes`.
    pub fn confirm(&self, prompt: &str, yes: bool) -> anyhow::Result<bool> {
        if yes {
            return Ok(true);
        }
        if !(self.stdin_terminal && self.stderr_terminal && matches!(self.sink, Sink::Std)) {
            return Err(error::usage(format!(
                "refusing to {} without confirmation: stdin is not a terminal",
                prompt.trim_end_matches('?')
            ))
            .with_hint("pass --yes to confirm")
            .into());
        }
        Ok(dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(false)
            .interact()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Serialize)]
    struct Cluster {
        name: String,
        ready: bool,
        endpoint: String,
    }

    impl Row for Cluster {
        fn cells(&self) -> Vec<String> {
            vec![
                self.name.clone(),
                self.ready.to_string().to_uppercase(),
                self.endpoint.clone(),
            ]
        }
    }

    const COLUMNS: [Column; 3] = [
        Column::new("name"),
        Column::new("ready"),
        Column::wide("endpoint"),
    ];

    fn clusters() -> Vec<Cluster> {
        vec![
            Cluster {
                name: "member-one".into(),
                ready: true,
                endpoint: "https://127.0.0.1:6443".into(),
            },
            Cluster {
                name: "m2".into(),
                ready: false,
                endpoint: "https://10.0.0.2".into(),
            },
        ]
    }

    fn printed(format: OutputFormat) -> Captured {
        let (p, out) = Printer::capture(false, 0);
        p.print_rows(&COLUMNS, &clusters(), format).unwrap();
        let c = out.lock().unwrap();
        Captured {
            stdout: c.stdout.clone(),
            stderr: c.stderr.clone(),
        }
    }

    #[test]
    fn table_is_borderless_with_uppercase_headers_three_spaces_apart() {
        assert_eq!(
            printed(OutputFormat::Table).stdout,
            "NAME         READY\nmember-one   TRUE\nm2           FALSE\n"
        );
    }

    #[test]
    fn wide_table_adds_wide_only_columns() {
        assert_eq!(
            printed(OutputFormat::Wide).stdout,
            "NAME         READY   ENDPOINT\n\
             member-one   TRUE    https://127.0.0.1:6443\n\
             m2           FALSE   https://10.0.0.2\n"
        );
    }

    #[test]
    fn json_prints_the_records_as_an_array() {
        let out = printed(OutputFormat::Json).stdout;
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            v[1],
            json!({"name": "m2", "ready": false, "endpoint": "https://10.0.0.2"})
        );
        assert!(out.contains("\n    {\n        \"name\""), "{out}");
    }

    #[test]
    fn yaml_prints_the_records_as_a_sequence() {
        let out = printed(OutputFormat::Yaml).stdout;
        assert!(
            out.starts_with("- name: member-one\n  ready: true\n"),
            "{out}"
        );
    }

    #[test]
    fn empty_table_says_no_resources_found_on_stderr() {
        let (p, out) = Printer::capture(false, 0);
        p.print_rows::<Cluster>(&COLUMNS, &[], OutputFormat::Table)
            .unwrap();
        let c = out.lock().unwrap();
        assert_eq!(c.stdout, "");
        assert_eq!(c.stderr, "No resources found.\n");
    }

    #[test]
    fn empty_json_is_an_empty_array() {
        let (p, out) = Printer::capture(false, 0);
        p.print_rows::<Cluster>(&COLUMNS, &[], OutputFormat::Json)
            .unwrap();
        assert_eq!(out.lock().unwrap().stdout, "[]\n");
    }

    #[test]
    fn problems_are_warnings_but_errors_under_quiet() {
        let (loud, out) = Printer::capture(false, 0);
        loud.problem("m1: UpdateFailed");
        assert_eq!(out.lock().unwrap().stderr, "Warning: m1: UpdateFailed\n");
        let (quiet, out) = Printer::capture(true, 0);
        quiet.warn("not shown");
        quiet.problem("m1: UpdateFailed");
        assert_eq!(out.lock().unwrap().stderr, "Error: m1: UpdateFailed\n");
    }

    #[test]
    fn quiet_silences_notes_but_not_errors_or_data() {
        let (p, out) = Printer::capture(true, 3);
        p.info("info");
        p.status("step");
        p.warn("careful");
        p.debug(1, "detail");
        p.error("Error: boom\n");
        p.write_stdout("data\n").unwrap();
        let c = out.lock().unwrap();
        assert_eq!(c.stderr, "Error: boom\n");
        assert_eq!(c.stdout, "data\n");
    }

    #[test]
    fn debug_lines_need_enough_verbosity() {
        let (p, out) = Printer::capture(false, 1);
        p.debug(1, "shown");
        p.debug(2, "hidden");
        assert_eq!(out.lock().unwrap().stderr, "shown\n");
    }

    #[test]
    fn notes_are_uncoloured_off_a_terminal() {
        let (p, out) = Printer::capture(false, 0);
        p.warn("x");
        p.status("y");
        assert_eq!(out.lock().unwrap().stderr, "Warning: x\n==> y\n");
    }

    #[test]
    fn stderr_lines_never_carry_tokens() {
        let (p, out) = Printer::capture(false, 2);
        p.debug(2, "GET /api with Authorization: Bearer abc.def");
        assert!(!out.lock().unwrap().stderr.contains("abc.def"));
    }

    #[test]
    fn confirm_without_terminal_requires_yes() {
        let (p, _) = Printer::capture(false, 0);
        assert!(p.confirm("delete everything?", true).unwrap());
        let err = p.confirm("delete everything?", false).unwrap_err();
        assert_eq!(error::exit_code(&err), 2);
        let text = error::render(&err);
        assert!(
            text.contains("refusing to delete everything without confirmation"),
            "{text}"
        );
        assert!(text.ends_with("hint: pass --yes to confirm\n"), "{text}");
    }

    #[test]
    fn objects_print_as_yaml_stream_or_json_list() {
        let (p, out) = Printer::capture(false, 0);
        let objs = [json!({"kind": "A"}), json!({"kind": "B"})];
        p.print_objects(&objs, ObjectFormat::Yaml).unwrap();
        assert_eq!(out.lock().unwrap().stdout, "---\nkind: A\n---\nkind: B\n");
        let (p, out) = Printer::capture(false, 0);
        p.print_objects(&objs, ObjectFormat::Json).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out.lock().unwrap().stdout).unwrap();
        assert_eq!(v["kind"], "List");
        assert_eq!(v["items"][1]["kind"], "B");
    }

    #[test]
    fn single_object_prints_as_json_or_yaml() {
        let (p, out) = Printer::capture(false, 0);
        p.print_object(&json!({"a": 1}), ObjectFormat::Json)
            .unwrap();
        p.print_object(&json!({"a": 1}), ObjectFormat::Yaml)
            .unwrap();
        assert_eq!(out.lock().unwrap().stdout, "{\n    \"a\": 1\n}\na: 1\n");
    }

    #[test]
    fn progress_is_hidden_off_a_terminal() {
        let (p, _) = Printer::capture(false, 0);
        assert!(p.progress(3, "x").is_hidden());
    }
}
