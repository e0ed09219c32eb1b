// The memory limit stops a script that keeps allocating.
console.log("start");
const kept = [];
for (let i = 1; ; i++) kept.push("x".repeat(1000) + i);
