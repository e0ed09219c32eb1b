// Validates the SARIF log in the file named by the first argument against the SARIF 2.1.0
// schema that Microsoft's SARIF SDK ships (in @microsoft/jest-sarif), printing every error.
// Exit 0 valid, 1 invalid, 2 unusable input.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
// The schema is written in JSON Schema draft-04, which this build of Ajv reads.
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";

const require = createRequire(import.meta.url);
const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));

let log;
try {
  log = JSON.parse(readFileSync(process.argv[2], "utf8"));
} catch (e) {
  console.error(`cannot read the SARIF log: ${e.message}`);
  process.exit(2);
}
// Without the `u` flag: the schema has a pattern (for `language`) that only non-Unicode
// regular expressions accept.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);
if (validate(log)) {
  console.log(`valid SARIF ${log.version}: ${log.runs[0].results.length} results`);
} else {
  for (const e of validate.errors) console.error(`${e.instancePath || "/"}: ${e.message}`);
  process.exit(1);
}
