// Helpers of the llmspell JavaScript sandbox, evaluated once per engine before any script.
// API functions written in Rust return [ok, value]; these wrappers turn [false, message] into
// an ordinary Error thrown to the caller, catchable with try/catch.
(() => {
  "use strict";
  const freeze = Object.freeze;
  const defineProperty = Object.defineProperty;
  const asyncIterator = Symbol.asyncIterator;
  const fail = (message) => {
    throw new Error(message);
  };
  const named = (name, f) => defineProperty(f, "name", { value: name });
  // The key under which API objects keep their handle; private to this closure, so scripts
  // cannot forge or read one.
  const HANDLE = Symbol("llmspell.handle");
  // The prototypes of Agent, Tool and Workflow objects, built by the engine from the API
  // definition. They live here rather than in Rust so the engine holds no JS objects itself.
  const prototypes = {};
  return freeze({
    freeze,
    setPrototype(typeName, prototype) {
      prototypes[typeName] = prototype;
    },
    makeObject(typeName, handle) {
      return freeze(Object.create(prototypes[typeName], { [HANDLE]: { value: handle } }));
    },
    handleOf(value) {
      return value !== null && typeof value === "object" ? value[HANDLE] : undefined;
    },
    wrapSync(name, f) {
      return named(name, function (...args) {
        const result = f(this, ...args);
        if (result[0]) return result[1];
        fail(result[1]);
      });
    },
    wrapAsync(name, f) {
      return named(name, async function (...args) {
        // Made before the await: afterwards only this function's frame is on the stack, and
        // the error would not point at the script's line.
        const error = new Error();
        const result = await f(this, ...args);
        if (result[0]) return result[1];
        error.message = result[1];
        throw error;
      });
    },
    // A read-only field: a getter on the prototype that asks Rust for the value.
    defineGetter(prototype, name, f) {
      defineProperty(prototype, name, { get() { return f.call(this); }, enumerable: true });
    },
    // The async iterator of `agent.stream(...)`: each `next` awaits the next chunk from Rust.
    makeStream(next) {
      return freeze({
        [asyncIterator]() {
          return this;
        },
        async next() {
          const result = await next();
          if (!result[0]) fail(result[1]);
          return result[1] === null ? { value: undefined, done: true } : { value: result[1], done: false };
        },
      });
    },
  });
})()
