-- An error raised with a table value is described by its contents.
error({ code = 7, reason = "bad input" })
