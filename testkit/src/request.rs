//! Requests as the fake server received them, so tests can assert on what a provider sent
//! (URL path, auth headers, JSON body).

use serde_json::Value;

/// One request received by a [`crate::FakeServer`], recorded before it was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The request method, as sent (e.g. `"POST"`).
    pub method: String,
    /// The path without the query string (e.g. `"/v1/chat/completions"`).
    pub path: String,
    /// The query string without the `?`, if the request target had one.
    pub query: Option<String>,
    /// All headers in the order received; names are lowercased, values are trimmed.
    pub headers: Vec<(String, String)>,
    /// The body (de-chunked if the client used chunked encoding), decoded as UTF-8 lossily.
    pub body: String,
}

impl RecordedRequest {
    /// The value of the first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON.
    ///
    /// # Panics
    /// If the body is not valid JSON; the message names the request and quotes the body, since
    /// that is what a failing test needs to see.
    pub fn json(&self) -> Value {
        match serde_json::from_str(&self.body) {
            Ok(value) => value,
            Err(err) => panic!(
                "testkit: body of {} {} is not JSON ({err}); body was: {:?}",
                self.method, self.path, self.body
            ),
        }
    }
}
