-- custom_tool.lua: writing your own tool in Lua with Tool.register, calling it, and using it as a
-- workflow step.
--
-- Run it:  llmspell run examples/custom_tool.lua
--
-- A registered tool is a first-class tool: its parameters are checked against `params` before
-- `run` is called (exactly like a built-in tool's), Tool.get/Tool.execute find it, workflows can
-- use it as a step, and agents can be given it in `tools`.

local slugify = Tool.register{
  name = "slugify",
  description = "Turns a title into a URL slug: lower-case words joined by a separator.",
  params = {
    title = { type = "string", required = true, description = "The title to convert." },
    separator = { type = "string", default = "-", description = "What joins the words." },
  },
  -- `p` holds the checked parameters, with defaults filled in. Return a table of results.
  run = function(p)
    local words = {}
    for word in p.title:lower():gmatch("%w+") do
      words[#words + 1] = word
    end
    return { slug = table.concat(words, p.separator), words = #words }
  end,
}

print(slugify.name, Tool.exists("slugify"))
print(slugify:execute{ title = "Hello, World: A First Post" }.slug)
print(Tool.execute("slugify", { title = "Snake case please", separator = "_" }).slug)

-- Parameters are checked before `run` sees them, so a typo fails loudly instead of being ignored.
local ok, err = pcall(Tool.execute, "slugify", { titel = "oops" })
print(ok, err)

-- The same tool as a workflow step: `{{input}}` becomes the workflow's input, and the next step
-- reads the tool's result table from ctx.prev.
local publish = Workflow.sequential{ name = "publish", steps = {
  { name = "slug", tool = "slugify", params = { title = "{{input}}" } },
  { name = "url", run = function(ctx) return "https://example.com/posts/" .. ctx.prev.slug end },
}}
print(publish:execute("Ten Tips for Tidy Tables").output)
