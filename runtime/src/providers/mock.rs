//! The offline provider: `mock/echo` answers with the prompt itself; a `[providers.NAME]` entry
//! with `kind = "mock"` and `replies = [...]` plays the replies back in order. Streaming splits
//! the answer into word-sized chunks, so streaming code paths are exercised without a network.

use std::sync::atomic::{AtomicUsize, Ordering};

use futures::stream::{self, BoxStream, StreamExt};

use super::{
    ChatMessage, Completion, CompletionRequest, Provider, ProviderError, StreamEvent, Usage,
};
use crate::config::ProviderConfig;

pub struct MockProvider {
    name: String,
    replies: Vec<String>,
    next_reply: AtomicUsize,
}

impl MockProvider {
    pub fn echo(name: &str) -> Self {
        MockProvider {
            name: name.to_owned(),
            replies: Vec::new(),
            next_reply: AtomicUsize::new(0),
        }
    }

    pub fn from_config(name: &str, config: &ProviderConfig) -> Self {
        MockProvider {
            name: name.to_owned(),
            replies: config.replies.clone(),
            next_reply: AtomicUsize::new(0),
        }
    }

    fn answer(&self, request: &CompletionRequest) -> Result<Completion, ProviderError> {
        let text = if self.replies.is_empty() {
            if request.model != "echo" {
                return Err(format!(
                    "mock provider '{}' has no model '{}': use {0}/echo, or give [providers.{0}] `replies` to play back",
                    self.name, request.model
                ));
            }
            request
                .messages
                .iter()
                .rev()
                .find_map(|m| match m {
                    ChatMessage::User(text) => Some(text.clone()),
                    _ => None,
                })
                .unwrap_or_default()
        } else {
            let index = self.next_reply.fetch_add(1, Ordering::Relaxed) % self.replies.len();
            self.replies[index].clone()
        };
        let mut text = text;
        let mut finish_reason = "stop";
        if let Some(max) = request.max_tokens {
            let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
            if words.len() > max as usize {
                text = words[..max as usize].concat();
                finish_reason = "length";
            }
        }
        let input_tokens = request.system.iter().map(|s| count_words(s)).sum::<u64>()
            + request
                .messages
                .iter()
                .map(|m| count_words(message_text(m)))
                .sum::<u64>();
        Ok(Completion {
            usage: Usage {
                input_tokens,
                output_tokens: count_words(&text),
            },
            text,
            tool_calls: Vec::new(),
            finish_reason: finish_reason.to_owned(),
        })
    }
}

fn message_text(message: &ChatMessage) -> &str {
    match message {
        ChatMessage::User(text) | ChatMessage::Assistant { text, .. } => text,
        ChatMessage::ToolResult { content, .. } => content,
    }
}

/// The mock's token count: whitespace-separated words, which is deterministic and close enough
/// for tests that check usage accounting.
fn count_words(text: &str) -> u64 {
    text.split_whitespace().count() as u64
}

#[async_trait::async_trait]
impl Provider for MockProvider {
    fn name(&self) -> &str {
        &self.name
    }

    async fn complete(&self, request: CompletionRequest) -> Result<Completion, ProviderError> {
        self.answer(&request)
    }

    async fn stream(
        &self,
        request: CompletionRequest,
    ) -> Result<BoxStream<'static, Result<StreamEvent, ProviderError>>, ProviderError> {
        let completion = self.answer(&request)?;
        let mut chunks: Vec<Result<StreamEvent, ProviderError>> = completion
            .text
            .split_inclusive(char::is_whitespace)
            .map(|w| Ok(StreamEvent::Text(w.to_owned())))
            .collect();
        chunks.push(Ok(StreamEvent::Finished {
            usage: completion.usage,
            finish_reason: completion.finish_reason,
        }));
        // Yield between chunks so consumers see them one at a time, as from a real stream.
        Ok(stream::iter(chunks)
            .then(|chunk| async move {
                tokio::task::yield_now().await;
                chunk
            })
            .boxed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(model: &str, prompt: &str) -> CompletionRequest {
        CompletionRequest {
            model: model.into(),
            messages: vec![ChatMessage::User(prompt.into())],
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn echo_answers_with_the_prompt_and_counts_words() {
        let mock = MockProvider::echo("mock");
        let answer = mock
            .complete(request("echo", "Tell a story"))
            .await
            .unwrap();
        assert_eq!(answer.text, "Tell a story");
        assert_eq!(
            answer.usage,
            Usage {
                input_tokens: 3,
                output_tokens: 3
            }
        );
        assert_eq!(answer.finish_reason, "stop");
    }

    #[tokio::test]
    async fn streams_in_several_chunks() {
        let mock = MockProvider::echo("mock");
        let events: Vec<StreamEvent> = mock
            .stream(request("echo", "Tell a story"))
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        let text = |t: &str| StreamEvent::Text(t.into());
        assert_eq!(&events[..3], [text("Tell "), text("a "), text("story")]);
        assert!(
            matches!(&events[3], StreamEvent::Finished { finish_reason, .. } if finish_reason == "stop")
        );
    }

    #[tokio::test]
    async fn scripted_replies_play_in_order_and_wrap() {
        let mut config = ProviderConfig::new(crate::config::ProviderKind::Mock);
        config.replies = vec!["one".into(), "two".into()];
        let mock = MockProvider::from_config("scripted", &config);
        let mut texts = Vec::new();
        for _ in 0..3 {
            texts.push(mock.complete(request("any", "hi")).await.unwrap().text);
        }
        assert_eq!(texts, ["one", "two", "one"]);
    }

    #[tokio::test]
    async fn unknown_mock_models_are_errors_and_max_tokens_truncates() {
        let mock = MockProvider::echo("mock");
        assert!(
            mock.complete(request("gpt", "hi"))
                .await
                .unwrap_err()
                .contains("has no model 'gpt'")
        );
        let mut req = request("echo", "one two three four");
        req.max_tokens = Some(2);
        let answer = mock.complete(req).await.unwrap();
        assert_eq!(
            (answer.text.as_str(), answer.finish_reason.as_str()),
            ("one two ", "length")
        );
    }
}
