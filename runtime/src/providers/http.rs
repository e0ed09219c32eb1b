//! HTTP plumbing shared by the real providers: one client per provider, API keys that cannot
//! leak into messages, retries with backoff that honour `Retry-After`, connect and read
//! timeouts, error messages that name the provider and the cause, and SSE decoding.

use std::fmt;
use std::sync::OnceLock;
use std::time::Duration;

use eventsource_stream::Eventsource;
use futures::stream::{BoxStream, StreamExt};
use reqwest::{RequestBuilder, Response, StatusCode};

use super::ProviderError;
use crate::config::ProviderConfig;

/// Longest wait a `Retry-After` header can impose; a server asking for more is answered with an
/// error instead of a silent long stall.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// First backoff step when the server gives no `Retry-After`; it doubles on each retry.
const BASE_BACKOFF: Duration = Duration::from_millis(500);
/// Error bodies are read up to this size: enough for any message, bounded against abuse.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// An API key. It has no `Display`, and its `Debug` shows nothing of it, so it cannot reach a
/// message, a log line or an event by accident.
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Replaces the key with `[redacted]`. (Providers that mask a wrong key show only its last
    /// few characters, as the key's owner sees in their dashboard; those are not secret.)
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() {
            text.to_owned()
        } else {
            text.replace(self.0.as_str(), "[redacted]")
        }
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(redacted)")
    }
}

/// Connection settings of one provider, from its `[providers.NAME]` entry.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The provider's name, which every message starts with.
    pub provider: String,
    pub base_url: String,
    /// The environment variable the key is read from, if any.
    pub key_env: Option<String>,
    pub max_retries: u32,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

impl HttpSettings {
    /// Settings for provider `name`. The default key variable applies only to the official
    /// endpoint: a config that points a provider elsewhere must name the variable itself, so
    /// a user's key never travels to a server they did not choose for it.
    pub fn from_config(
        name: &str,
        config: &ProviderConfig,
        official_base_url: &str,
        default_key_env: &str,
    ) -> Self {
        let base_url = config
            .base_url
            .clone()
            .unwrap_or_else(|| official_base_url.to_owned());
        let key_env = config.api_key_env.clone().or_else(|| {
            (base_url.trim_end_matches('/') == official_base_url.trim_end_matches('/'))
                .then(|| default_key_env.to_owned())
        });
        HttpSettings {
            provider: name.to_owned(),
            base_url,
            key_env,
            max_retries: config.max_retries,
            connect_timeout: Duration::from_millis(config.connect_timeout_ms),
            read_timeout: Duration::from_millis(config.read_timeout_ms),
        }
    }

    /// The key for a request to `base_override` (an agent's own `base_url`) or the configured
    /// endpoint. A script can name any URL as an agent's `base_url`; the key goes only to the
    /// endpoint the configuration chose, so a script cannot send it elsewhere.
    pub fn api_key_for(
        &self,
        base_override: Option<&str>,
    ) -> Result<Option<ApiKey>, ProviderError> {
        match base_override {
            Some(url) if url.trim_end_matches('/') != self.base_url.trim_end_matches('/') => {
                Ok(None)
            }
            _ => self.api_key(),
        }
    }

    /// Reads the key from its environment variable now, so a key set after start-up is seen.
    pub fn api_key(&self) -> Result<Option<ApiKey>, ProviderError> {
        let Some(var) = &self.key_env else {
            return Ok(None);
        };
        match std::env::var(var) {
            Ok(key) if !key.trim().is_empty() => Ok(Some(ApiKey(key.trim().to_owned()))),
            _ => Err(format!(
                "{}: the API key variable {var} is not set (set it, or name another with api_key_env in [providers.{}])",
                self.provider, self.provider
            )),
        }
    }

    /// Redacts this provider's key from a message that may quote provider-supplied text. Every
    /// error leaves the provider through this, as the last line of defence.
    pub fn redact_error(&self, message: ProviderError) -> ProviderError {
        match self.api_key() {
            Ok(Some(key)) => key.redact(&message),
            _ => message,
        }
    }

    /// `events` with this provider's key redacted from every error it yields.
    pub fn redacting(
        &self,
        events: BoxStream<'static, Result<super::StreamEvent, ProviderError>>,
    ) -> BoxStream<'static, Result<super::StreamEvent, ProviderError>> {
        let settings = self.clone();
        events
            .map(move |item| item.map_err(|e| settings.redact_error(e)))
            .boxed()
    }

    /// The URL of `path` under the base URL (or an agent's own `base_url`).
    pub fn url(&self, base_override: Option<&str>, path: &str) -> String {
        let base = base_override.unwrap_or(&self.base_url);
        format!(
            "{}/{}",
            base.trim_end_matches('/'),
            path.trim_start_matches('/')
        )
    }
}

/// The HTTP client of one provider, built on first use.
#[derive(Debug, Default)]
pub struct Client {
    client: OnceLock<reqwest::Client>,
}

impl Client {
    pub fn get(&self, settings: &HttpSettings) -> Result<&reqwest::Client, ProviderError> {
        if let Some(client) = self.client.get() {
            return Ok(client);
        }
        // reqwest is built without a default TLS crypto provider; installing ring is idempotent
        // (a second install reports an error that means "already installed").
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .build()
            .map_err(|e| format!("{}: cannot create an HTTP client: {e}", settings.provider))?;
        Ok(self.client.get_or_init(|| client))
    }
}

/// Sends a request, retrying on 429, 5xx and failed connections with backoff. Returns the
/// successful response, or an error naming the provider and what went wrong.
pub async fn send(
    settings: &HttpSettings,
    key: Option<&ApiKey>,
    build: impl Fn() -> RequestBuilder,
) -> Result<Response, ProviderError> {
    let provider = &settings.provider;
    let mut attempt = 0;
    loop {
        let outcome = tokio::time::timeout(settings.read_timeout, build().send()).await;
        let retry_wait = match outcome {
            Err(_) => {
                return Err(format!(
                    "{provider}: no response within {} ms (read_timeout_ms)",
                    settings.read_timeout.as_millis()
                ));
            }
            Ok(Err(e)) if e.is_connect() => {
                if attempt >= settings.max_retries {
                    return Err(redact(
                        key,
                        format!("{provider}: cannot connect: {}", describe(&e)),
                    ));
                }
                backoff(attempt)
            }
            Ok(Err(e)) => {
                return Err(redact(
                    key,
                    format!("{provider}: request failed: {}", describe(&e)),
                ));
            }
            Ok(Ok(response)) if response.status().is_success() => return Ok(response),
            Ok(Ok(response)) => {
                let status = response.status();
                let retryable = status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error();
                if !retryable || attempt >= settings.max_retries {
                    let retried = if retryable && attempt > 0 {
                        let plural = if attempt == 1 { "retry" } else { "retries" };
                        format!(" (gave up after {attempt} {plural})")
                    } else {
                        String::new()
                    };
                    let error = error_from_response(settings, response).await;
                    return Err(redact(key, format!("{error}{retried}")));
                }
                match retry_after(&response) {
                    Some(wait) if wait > MAX_RETRY_AFTER => {
                        return Err(format!(
                            "{provider}: HTTP {status}: the server asked to retry after {} s, longer than llmspell waits",
                            wait.as_secs()
                        ));
                    }
                    Some(wait) => wait,
                    None => backoff(attempt),
                }
            }
        };
        attempt += 1;
        tokio::time::sleep(retry_wait).await;
    }
}

/// Redacts the key (if any) from a message.
pub fn redact(key: Option<&ApiKey>, message: String) -> String {
    match key {
        Some(key) => key.redact(&message),
        None => message,
    }
}

/// The wait before retry number `attempt + 1`: 0.5 s, 1 s, 2 s, ... up to 8 s.
fn backoff(attempt: u32) -> Duration {
    BASE_BACKOFF * 2u32.saturating_pow(attempt.min(4))
}

/// `Retry-After` in seconds (the form rate limiters send); dates are rare and fall back to the
/// backoff.
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

/// A reqwest error in words, with its causes, since "error sending request" alone says nothing.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The message of a failed response: status, the provider's own message, and a hint.
async fn error_from_response(settings: &HttpSettings, response: Response) -> String {
    let provider = &settings.provider;
    let status = response.status();
    let body = read_limited(response, settings.read_timeout).await;
    let message = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|json| {
            let error = json.get("error")?;
            error
                .get("message")
                .and_then(|m| m.as_str())
                .or_else(|| error.as_str())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| body.chars().take(300).collect::<String>().trim().to_owned());
    let hint = match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => match &settings.key_env {
            Some(var) => format!(" (check the API key in {var})"),
            None => " (this provider has no api_key_env configured)".to_owned(),
        },
        StatusCode::NOT_FOUND => " (check the model id and base_url)".to_owned(),
        _ => String::new(),
    };
    let message = if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    };
    // reqwest has no name for some statuses providers use (Anthropic's 529 "overloaded"), and
    // shows "<unknown status code>"; the number alone reads better then.
    let status = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    format!("{provider}: HTTP {status}{message}{hint}")
}

async fn read_limited(mut response: Response, timeout: Duration) -> String {
    let mut body = Vec::new();
    while body.len() < MAX_ERROR_BODY {
        match tokio::time::timeout(timeout, response.chunk()).await {
            Ok(Ok(Some(chunk))) => body.extend_from_slice(&chunk),
            _ => break,
        }
    }
    body.truncate(MAX_ERROR_BODY);
    String::from_utf8_lossy(&body).into_owned()
}

/// The whole body of a non-streamed answer, within the read timeout.
pub async fn read_answer(
    settings: &HttpSettings,
    response: Response,
) -> Result<String, ProviderError> {
    let provider = &settings.provider;
    tokio::time::timeout(settings.read_timeout, response.text())
        .await
        .map_err(|_| {
            format!(
                "{provider}: the answer stalled: not complete within {} ms (read_timeout_ms)",
                settings.read_timeout.as_millis()
            )
        })?
        .map_err(|e| format!("{provider}: the connection was cut mid-answer: {e}"))
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub data: String,
}

/// The events of a streamed response. Waiting longer than the read timeout for the next one is
/// an error, as is a connection cut mid-stream.
pub fn sse_events(
    settings: &HttpSettings,
    key: Option<&ApiKey>,
    response: Response,
) -> BoxStream<'static, Result<SseEvent, ProviderError>> {
    let provider = settings.provider.clone();
    let read_timeout = settings.read_timeout;
    let key = key.cloned();
    let events = response.bytes_stream().eventsource();
    futures::stream::unfold(Some(events), move |state| {
        let provider = provider.clone();
        let key = key.clone();
        async move {
            let mut events = state?;
            match tokio::time::timeout(read_timeout, events.next()).await {
                Err(_) => Some((
                    Err(format!(
                        "{provider}: the stream stalled: no data for {} ms (read_timeout_ms)",
                        read_timeout.as_millis()
                    )),
                    None,
                )),
                Ok(None) => None,
                Ok(Some(Ok(event))) => Some((
                    Ok(SseEvent {
                        event: event.event,
                        data: event.data,
                    }),
                    Some(events),
                )),
                Ok(Some(Err(e))) => {
                    let message = format!("{provider}: the stream was cut mid-answer: {e}");
                    Some((Err(redact(key.as_ref(), message)), None))
                }
            }
        }
    })
    .boxed()
}

/// Parses one JSON payload of a provider, naming the provider when it is malformed.
pub fn parse_json(
    provider: &str,
    what: &str,
    text: &str,
) -> Result<serde_json::Value, ProviderError> {
    serde_json::from_str(text).map_err(|e| {
        let excerpt: String = text.chars().take(120).collect();
        format!("{provider}: malformed JSON in {what} ({e}): {excerpt}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_redacted_and_never_debug_printed() {
        let key = ApiKey("sk-secret-1234567890".into());
        assert_eq!(format!("{key:?}"), "ApiKey(redacted)");
        assert_eq!(
            key.redact("bad key sk-secret-1234567890 here"),
            "bad key [redacted] here"
        );
        assert_eq!(key.redact("rate limited"), "rate limited");
    }

    #[test]
    fn the_default_key_variable_is_only_for_the_official_endpoint() {
        let official = "https://api.openai.com/v1";
        let mut config = ProviderConfig::new(crate::config::ProviderKind::Openai);
        let settings = HttpSettings::from_config("openai", &config, official, "OPENAI_API_KEY");
        assert_eq!(settings.key_env.as_deref(), Some("OPENAI_API_KEY"));
        config.base_url = Some("http://127.0.0.1:8080/v1".into());
        let settings = HttpSettings::from_config("local", &config, official, "OPENAI_API_KEY");
        assert_eq!(settings.key_env, None);
        config.api_key_env = Some("LOCAL_KEY".into());
        let settings = HttpSettings::from_config("local", &config, official, "OPENAI_API_KEY");
        assert_eq!(settings.key_env.as_deref(), Some("LOCAL_KEY"));
        assert_eq!(
            settings.url(None, "/chat/completions"),
            "http://127.0.0.1:8080/v1/chat/completions"
        );
        assert_eq!(
            settings.url(Some("http://x/v2/"), "chat/completions"),
            "http://x/v2/chat/completions"
        );
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(9), Duration::from_secs(8));
    }
}
