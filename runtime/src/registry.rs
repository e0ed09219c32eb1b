//! `ComponentRegistry`: the agents, tools and workflows a run has created or registered, found
//! by name.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use crate::agent::Agent;
use crate::tools::{ToolHandle, builtin_tools};
use crate::workflow::Workflow;

pub struct ComponentRegistry {
    agents: RwLock<BTreeMap<String, Arc<Agent>>>,
    tools: RwLock<BTreeMap<String, (ToolHandle, ToolSource)>>,
    workflows: RwLock<BTreeMap<String, Arc<Workflow>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolSource {
    Builtin,
    Script,
}

impl ToolSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ToolSource::Builtin => "builtin",
            ToolSource::Script => "script",
        }
    }
}

impl Default for ComponentRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl ComponentRegistry {
    /// A registry holding the built-in tools.
    pub fn new() -> Self {
        let tools = builtin_tools()
            .into_iter()
            .map(|t| (t.name().to_owned(), (t, ToolSource::Builtin)))
            .collect();
        ComponentRegistry {
            agents: RwLock::default(),
            tools: RwLock::new(tools),
            workflows: RwLock::default(),
        }
    }

    pub fn add_agent(&self, agent: Arc<Agent>) {
        self.agents
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(agent.name.clone(), agent);
    }

    pub fn agent(&self, name: &str) -> Option<Arc<Agent>> {
        self.agents
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    pub fn agent_names(&self) -> Vec<String> {
        self.agents
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .keys()
            .cloned()
            .collect()
    }

    /// Registers a script tool; refuses to shadow an existing tool.
    pub fn add_tool(&self, tool: ToolHandle) -> Result<(), String> {
        let mut tools = self.tools.write().unwrap_or_else(|e| e.into_inner());
        let name = tool.name().to_owned();
        if let Some((_, source)) = tools.get(&name) {
            return Err(format!(
                "a {} tool named '{name}' already exists",
                source.as_str()
            ));
        }
        tools.insert(name, (tool, ToolSource::Script));
        Ok(())
    }

    pub fn tool(&self, name: &str) -> Option<ToolHandle> {
        self.tools
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .map(|(t, _)| Arc::clone(t))
    }

    /// Every tool with where it came from, sorted by name.
    pub fn tools(&self) -> Vec<(ToolHandle, ToolSource)> {
        self.tools
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect()
    }

    pub fn add_workflow(&self, workflow: Arc<Workflow>) {
        self.workflows
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(workflow.name.clone(), workflow);
    }

    pub fn workflow(&self, name: &str) -> Option<Arc<Workflow>> {
        self.workflows
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }
}
