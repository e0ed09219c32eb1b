-- A script's return value becomes the run's result event.
local r = Agent.create{}:execute("returned")
return { text = r.text, n = 3, list = { 1, 2, 3 } }
