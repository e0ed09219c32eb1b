//! The inputs of the language-server benchmark, generated so every run (and every server) sees
//! exactly the same text: a large Lua and a large JavaScript script written the way llmspell
//! scripts are (agents, tools, loops, workflows), the cursor positions completion is asked at,
//! the line an edit changes, and a workspace of many small scripts for the indexing figure.

use std::fmt::Write as _;
use std::path::Path;

pub use crate::script_language::Language;

/// A position to ask for completion at, and an item a correct answer contains.
#[derive(Debug, Clone)]
pub struct Probe {
    /// What precedes the cursor, for the report: `agent_125:`.
    pub context: String,
    /// Zero-based, as LSP counts. The text is ASCII, so UTF-8 and UTF-16 columns agree.
    pub line: u32,
    pub character: u32,
    pub expected: &'static str,
}

/// A line the diagnostics benchmark rewrites, alternating between two texts of the same meaning.
#[derive(Debug, Clone)]
pub struct EditSite {
    pub line: u32,
    pub original: String,
}

impl EditSite {
    /// The line's text for edit number `n`: a different string literal each time, so every
    /// edit is a real change, and never a new diagnostic.
    pub fn text_for(&self, n: usize) -> String {
        self.original
            .replacen("of the report", &format!("of the report, revision {n}"), 1)
    }
}

/// A generated script and where the benchmark pokes it.
#[derive(Debug, Clone)]
pub struct Script {
    pub language: Language,
    pub text: String,
    pub lines: usize,
    pub probes: Vec<Probe>,
    pub edit: EditSite,
}

/// Builds text line by line, remembering the positions the benchmark needs.
#[derive(Default)]
struct Writer {
    text: String,
    line: u32,
    probes: Vec<Probe>,
    edit: Option<EditSite>,
}

impl Writer {
    fn line(&mut self, text: &str) {
        self.text.push_str(text);
        self.text.push('\n');
        self.line += 1;
    }

    /// A line with the cursor between `before` and `after`; recorded as a probe when `probe`.
    fn probe_line(&mut self, before: &str, after: &str, expected: &'static str, probe: bool) {
        if probe {
            let context = before.trim_start().rsplit(' ').next().unwrap_or(before);
            self.probes.push(Probe {
                context: context.to_owned(),
                line: self.line,
                character: u32::try_from(before.len()).unwrap_or(u32::MAX),
                expected,
            });
        }
        self.line(&format!("{before}{after}"));
    }

    /// A line the diagnostics benchmark may edit; the first one marked wins.
    fn edit_line(&mut self, text: &str, mark: bool) {
        if mark && self.edit.is_none() {
            self.edit = Some(EditSite {
                line: self.line,
                original: text.to_owned(),
            });
        }
        self.line(text);
    }
}

/// A script of at least `min_lines` lines. Completion probes sit in the middle section and the
/// last one; the edit is in the middle section.
pub fn large_script(language: Language, min_lines: usize) -> Script {
    // Every section has the same length; measure one to know how many fill the file.
    let mut sample = Writer::default();
    section(&mut sample, language, 1, None, false);
    let per_section = sample.line as usize;
    let sections = min_lines.div_ceil(per_section).max(2);
    let middle = sections / 2;

    let mut writer = Writer::default();
    header(&mut writer, language);
    for n in 1..=sections {
        let marked = n == middle || n == sections;
        section(&mut writer, language, n, None, marked);
    }
    trailer(&mut writer, language);
    let Writer {
        text,
        line,
        probes,
        edit,
    } = writer;
    Script {
        language,
        text,
        lines: line as usize,
        probes,
        edit: edit.expect("the middle section marks its edit line"),
    }
}

/// One file of the indexing workspace: registers `tool_{index}`, uses the next file's tool, and
/// does the usual agent and workflow work in a few sections.
pub fn workspace_script(language: Language, index: usize, files: usize, sections: usize) -> String {
    let mut writer = Writer::default();
    let next_tool = format!("tool_{}", (index + 1) % files);
    match language {
        Language::Lua => {
            writer.line(&format!(
                "-- Script {index} of the benchmark workspace: registers tool_{index}."
            ));
            writer.line("local sections = {}");
            writer.line("");
            writer.line("Tool.register{");
            writer.line(&format!("  name = \"tool_{index}\","));
            writer.line(&format!(
                "  description = \"Scales a number by {index} (benchmark workspace).\","
            ));
            writer.line("  params = {");
            writer.line("    value = { type = \"number\", required = true, description = \"The number to scale.\" },");
            writer.line("  },");
            writer.line(&format!(
                "  run = function(p) return {{ result = p.value * {index} }} end,"
            ));
            writer.line("}");
        }
        Language::JavaScript => {
            writer.line(&format!(
                "// Script {index} of the benchmark workspace: registers tool_{index}."
            ));
            writer.line("const sections = {};");
            writer.line("");
            writer.line("Tool.register({");
            writer.line(&format!("  name: \"tool_{index}\","));
            writer.line(&format!(
                "  description: \"Scales a number by {index} (benchmark workspace).\","
            ));
            writer.line("  params: {");
            writer.line("    value: { type: \"number\", required: true, description: \"The number to scale.\" },");
            writer.line("  },");
            writer.line(&format!("  run: (p) => ({{ result: p.value * {index} }}),"));
            writer.line("});");
        }
    }
    writer.line("");
    for n in 1..=sections {
        section(
            &mut writer,
            language,
            index * 100 + n,
            Some(&next_tool),
            false,
        );
    }
    trailer(&mut writer, language);
    writer.text
}

/// Writes the indexing workspace into `folder` (emptied first): `files` scripts, alternately
/// Lua and JavaScript, a hundred to a subfolder as a real project groups them, and an
/// llmspell.toml at the top.
pub fn write_workspace(folder: &Path, files: usize, sections: usize) -> Result<(), String> {
    if folder.exists() {
        std::fs::remove_dir_all(folder)
            .map_err(|e| format!("cannot empty {}: {e}", folder.display()))?;
    }
    let create = |path: &Path| {
        std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
    };
    create(folder)?;
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(
        &folder.join("llmspell.toml"),
        "# The benchmark workspace: every agent uses the offline mock model.\ndefault_model = \"mock/echo\"\n",
    )?;
    for index in 0..files {
        let language = if index % 2 == 0 {
            Language::Lua
        } else {
            Language::JavaScript
        };
        let subfolder = folder.join(format!("group_{:02}", index / 100));
        create(&subfolder)?;
        let file = subfolder.join(format!("script_{index:04}.{}", language.extension()));
        write(&file, &workspace_script(language, index, files, sections))?;
    }
    Ok(())
}

fn header(writer: &mut Writer, language: Language) {
    match language {
        Language::Lua => {
            writer.line("-- A large llmspell script: report sections, each with its own agent,");
            writer.line("-- calculator and workflow. Generated by `cargo xtask bench`.");
            writer.line("local sections = {}");
        }
        Language::JavaScript => {
            writer.line("// A large llmspell script: report sections, each with its own agent,");
            writer.line("// calculator and workflow. Generated by `cargo xtask bench`.");
            writer.line("const sections = {};");
        }
    }
    writer.line("");
}

/// One section: a function creating an agent and a tool, a loop of agent calls, a branch and a
/// workflow. Sections are functions (a Lua function may have at most 200 locals, so a large
/// script cannot keep them all at the top level).
fn section(
    writer: &mut Writer,
    language: Language,
    n: usize,
    extra_tool: Option<&str>,
    probes: bool,
) {
    // A workspace file calls the next file's tool, so the index has names to resolve.
    let (tool, lua_params, js_params) = match extra_tool {
        Some(tool) => (tool, format!("value = {n}"), format!("value: {n}")),
        None => (
            "calculator",
            format!("expression = \"2 + {n}\""),
            format!("expression: \"2 + {n}\""),
        ),
    };
    match language {
        Language::Lua => {
            writer.line(&format!(
                "-- Section {n}: an agent, a calculator and a workflow that uses both."
            ));
            writer.line(&format!("function sections.section_{n}(input)"));
            writer.probe_line(
                &format!("  local agent_{n} = Agent."),
                "create{",
                "create",
                probes,
            );
            writer.line("    model = \"mock/echo\",");
            writer.line(&format!("    name = \"agent_{n}\","));
            writer.edit_line(
                &format!("    system = \"You summarise part {n} of the report.\","),
                probes,
            );
            writer.line("    temperature = 0.2,");
            writer.line("    max_tokens = 200,");
            writer.line("  }");
            writer.probe_line(
                &format!("  local calc_{n} = Tool."),
                "get(\"calculator\")",
                "get",
                probes,
            );
            writer.probe_line(
                &format!("  local total = calc_{n}:"),
                &format!("execute{{ expression = \"{n} * 3 + 1\" }}"),
                "execute",
                probes,
            );
            writer.line("  local lines = {}");
            writer.line("  for i = 1, 5 do");
            writer.probe_line(
                &format!("    local answer = agent_{n}:"),
                "execute(\"Summarise item \" .. i .. \" of \" .. input)",
                "execute",
                probes,
            );
            writer.line("    lines[#lines + 1] = answer.text");
            writer.line("  end");
            writer.line("  if #lines > 3 and total.result then");
            writer.line(&format!("    print(\"section {n}\", #lines, total.result)"));
            writer.line("  end");
            writer.line(&format!(
                "  local flow_{n} = Workflow.sequential{{ name = \"flow_{n}\", steps = {{"
            ));
            writer.line(&format!(
                "    {{ name = \"draft\", agent = agent_{n}, input = \"{{{{input}}}}\" }},"
            ));
            writer.line(&format!(
                "    {{ name = \"count\", tool = \"{tool}\", params = {{ {lua_params} }} }},"
            ));
            writer.line(
                "    { name = \"finish\", run = function(ctx) return table.concat(lines, \"\\n\") .. tostring(ctx.prev.result) end },",
            );
            writer.line("  }}");
            writer.line(&format!("  return flow_{n}:execute(input)"));
            writer.line("end");
        }
        Language::JavaScript => {
            writer.line(&format!(
                "// Section {n}: an agent, a calculator and a workflow that uses both."
            ));
            writer.line(&format!("sections.section_{n} = async function (input) {{"));
            writer.probe_line(
                &format!("  const agent_{n} = Agent."),
                "create({",
                "create",
                probes,
            );
            writer.line("    model: \"mock/echo\",");
            writer.line(&format!("    name: \"agent_{n}\","));
            writer.edit_line(
                &format!("    system: \"You summarise part {n} of the report.\","),
                probes,
            );
            writer.line("    temperature: 0.2,");
            writer.line("    max_tokens: 200,");
            writer.line("  });");
            writer.probe_line(
                &format!("  const calc_{n} = Tool."),
                "get(\"calculator\");",
                "get",
                probes,
            );
            writer.probe_line(
                &format!("  const total = await calc_{n}."),
                &format!("execute({{ expression: \"{n} * 3 + 1\" }});"),
                "execute",
                probes,
            );
            writer.line("  const lines = [];");
            writer.line("  for (let i = 1; i <= 5; i++) {");
            writer.probe_line(
                &format!("    const answer = await agent_{n}."),
                "execute(\"Summarise item \" + i + \" of \" + input);",
                "execute",
                probes,
            );
            writer.line("    lines.push(answer.text);");
            writer.line("  }");
            writer.line("  if (lines.length > 3 && total.result) {");
            writer.line(&format!(
                "    console.log(\"section {n}\", lines.length, total.result);"
            ));
            writer.line("  }");
            writer.line(&format!(
                "  const flow_{n} = Workflow.sequential({{ name: \"flow_{n}\", steps: ["
            ));
            writer.line(&format!(
                "    {{ name: \"draft\", agent: agent_{n}, input: \"{{{{input}}}}\" }},"
            ));
            writer.line(&format!(
                "    {{ name: \"count\", tool: \"{tool}\", params: {{ {js_params} }} }},"
            ));
            writer.line(
                "    { name: \"finish\", run: (ctx) => lines.join(\"\\n\") + String(ctx.prev.result) },",
            );
            writer.line("  ]});");
            writer.line(&format!("  return flow_{n}.execute(input);"));
            writer.line("};");
        }
    }
    writer.line("");
}

/// Runs every section in name order, as the script's entry point.
fn trailer(writer: &mut Writer, language: Language) {
    let mut text = String::new();
    match language {
        Language::Lua => {
            let _ = writeln!(text, "local order = {{}}");
            let _ = writeln!(
                text,
                "for name in pairs(sections) do order[#order + 1] = name end"
            );
            let _ = writeln!(text, "table.sort(order)");
            let _ = writeln!(text, "for _, name in ipairs(order) do");
            let _ = writeln!(
                text,
                "  print(name, sections[name](ARGS[1] or \"the quarterly report\").output)"
            );
            let _ = write!(text, "end");
        }
        Language::JavaScript => {
            let _ = writeln!(text, "for (const name of Object.keys(sections).sort()) {{");
            let _ = writeln!(
                text,
                "  const out = await sections[name](ARGS[0] ?? \"the quarterly report\");"
            );
            let _ = writeln!(text, "  console.log(name, out.output);");
            let _ = write!(text, "}}");
        }
    }
    for line in text.lines() {
        writer.line(line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_point_just_after_the_member_operator() {
        for language in [Language::Lua, Language::JavaScript] {
            let script = large_script(language, 10_000);
            assert!(script.lines >= 10_000, "{}", script.lines);
            assert_eq!(script.text.lines().count(), script.lines);
            // Four probes in the middle section and four in the last.
            assert_eq!(script.probes.len(), 8);
            for probe in &script.probes {
                let line = script.text.lines().nth(probe.line as usize).unwrap();
                let before = &line[..probe.character as usize];
                assert!(before.ends_with(&probe.context), "{before:?}");
                assert!(before.ends_with('.') || before.ends_with(':'), "{before:?}");
                assert!(line[probe.character as usize..].starts_with(probe.expected));
            }
            let edit = &script.edit;
            let line = script.text.lines().nth(edit.line as usize).unwrap();
            assert_eq!(line, edit.original);
            assert_ne!(edit.text_for(1), edit.original);
        }
    }

    #[test]
    fn workspace_scripts_register_their_tool() {
        let lua = workspace_script(Language::Lua, 7, 1000, 2);
        assert!(lua.contains("name = \"tool_7\""));
        assert!(lua.contains("tool = \"tool_8\""));
        let js = workspace_script(Language::JavaScript, 999, 1000, 2);
        assert!(js.contains("name: \"tool_999\""));
        assert!(js.contains("tool: \"tool_0\""));
    }
}
