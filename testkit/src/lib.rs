//! Test kit for llmspell's LLM providers: a scriptable fake HTTP/1.1 server that listens only on
//! 127.0.0.1, plus builders for the OpenAI Chat Completions and Anthropic Messages wire formats.
//!
//! Provider tests must exercise real HTTP (real sockets, real chunked SSE streams, real delays and
//! cut connections) without ever reaching the internet. [`FakeServer`] gives every test its own
//! server on an ephemeral loopback port; [`Reply`] scripts what it answers; [`openai`] and
//! [`anthropic`] build the bodies the real APIs send, so a provider that passes here parses the
//! real thing.
//!
//! ```
//! use llmspell_testkit::{FakeServer, Reply, openai};
//!
//! let server = FakeServer::start();
//! server.reply(
//!     "POST",
//!     "/v1/chat/completions",
//!     Reply::sse(openai::stream(&["Hel", "lo"], "stop", Some((5, 2)))),
//! );
//! // Point the provider under test at this base URL ("http://127.0.0.1:PORT/v1").
//! let base = server.url("/v1");
//! assert!(base.starts_with("http://127.0.0.1:"));
//! // ... run the provider, then inspect what it sent with `server.requests()`.
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod anthropic;
mod http;
pub mod openai;
mod reply;
mod request;
mod server;

pub use reply::{Reply, SseEvent};
pub use request::RecordedRequest;
pub use server::FakeServer;
