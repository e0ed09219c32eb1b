// Integers beyond 32 bits (Unix times in milliseconds, byte counts) stay integers on their way
// into the API and back.
const big = { bytes: 3000000000, max_safe: 9007199254740991, ms: 1714566600000, neg: -2147483649 };
console.log((await Tool.execute("json", { operation: "stringify", input: big })).result);
const same = (await Workflow.sequential({ steps: [{ run: (ctx) => ctx.input }] }).execute(big)).output;
console.log((same.ms === big.ms) + "\t" + (same.bytes === big.bytes));
export default big;
