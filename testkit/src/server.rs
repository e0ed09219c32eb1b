//! [`FakeServer`]: a scriptable HTTP/1.1 server on 127.0.0.1 that runs on its own thread.
//!
//! Owning a thread and a tokio runtime (instead of spawning onto the caller's runtime) is what
//! makes one server usable from plain `#[test]`s, from `#[tokio::test]` of either flavour, and
//! while the code under test blocks its own thread waiting for the response.

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::http;
use crate::reply::Reply;
use crate::request::RecordedRequest;

/// Replies scripted for one `(method, path)` route.
#[derive(Default)]
struct Route {
    queue: VecDeque<Reply>,
    /// The last reply served if it was marked `.repeat()`; answers once the queue is empty.
    sticky: Option<Reply>,
}

#[derive(Default)]
struct State {
    routes: HashMap<(String, String), Route>,
    requests: Vec<RecordedRequest>,
}

impl State {
    fn next_reply(&mut self, method: &str, target: &str, path: &str) -> Option<Reply> {
        // A route scripted with a query string matches only that exact target; otherwise the
        // query is ignored, so `?api-version=...` style parameters need no extra scripting.
        let method = method.to_ascii_uppercase();
        let exact = (method.clone(), target.to_owned());
        let key = if self.routes.contains_key(&exact) {
            exact
        } else {
            (method, path.to_owned())
        };
        let route = self.routes.get_mut(&key)?;
        match route.queue.pop_front() {
            Some(reply) => {
                route.sticky = reply.repeat.then(|| reply.clone());
                Some(reply)
            }
            None => route.sticky.clone(),
        }
    }
}

/// Locks the shared state, ignoring poisoning: a panicking test thread must not turn every other
/// assertion into a confusing `PoisonError`.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A fake HTTP/1.1 server on `127.0.0.1:<ephemeral port>`, answering with scripted [`Reply`]s and
/// recording every request.
///
/// Requests are answered FIFO per `(method, path)` route (see [`FakeServer::reply`]). Each
/// connection is served concurrently and carries exactly one request (`Connection: close`).
/// Dropping the server stops it: the port is closed and in-flight connections are cut, and the
/// drop returns promptly even while a reply is sleeping in a delay.
///
/// `FakeServer` is `Send + Sync`; share it with `Arc` if several tasks need it.
pub struct FakeServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for FakeServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl FakeServer {
    /// Binds `127.0.0.1:0` and starts serving on a dedicated thread.
    ///
    /// The socket is bound before this returns, so the server can be used immediately.
    ///
    /// # Panics
    /// If the socket cannot be bound or the thread/runtime cannot be created (a test-environment
    /// failure, not something a test should handle).
    pub fn start() -> Self {
        // Bind synchronously so that `addr()` is known and connections queue in the backlog
        // even before the server thread reaches its accept loop.
        let listener = StdTcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .expect("testkit: cannot bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("testkit: cannot make listener non-blocking");
        let addr = listener
            .local_addr()
            .expect("testkit: listener has no local address");

        let state = Arc::new(Mutex::new(State::default()));
        let (shutdown_tx, shutdown_rx) = oneshot::channel();
        // A current-thread runtime is enough: all work is async I/O and timers, and it keeps
        // each server to a single OS thread.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("testkit: cannot build the server runtime");
        let thread_state = Arc::clone(&state);
        let thread = std::thread::Builder::new()
            .name(format!("testkit-server-{}", addr.port()))
            .spawn(move || {
                runtime.block_on(serve(listener, thread_state, shutdown_rx));
                // Dropping the runtime here cancels every connection task (including ones
                // sleeping in a delay) and closes their sockets.
                drop(runtime);
            })
            .expect("testkit: cannot spawn the server thread");

        Self {
            addr,
            state,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }
    }

    /// The bound address (always `127.0.0.1:<port>`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>` without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL joined with `path`; a missing leading `/` is added.
    /// `server.url("/v1")` is `http://127.0.0.1:<port>/v1`.
    pub fn url(&self, path: &str) -> String {
        if path.starts_with('/') {
            format!("{}{path}", self.base_url())
        } else {
            format!("{}/{path}", self.base_url())
        }
    }

    /// Enqueues `reply` for the route `(method, path)`; returns `&self` so calls can chain.
    ///
    /// Requests to a route are answered with its replies in the order they were enqueued. When
    /// the queue is empty, the last reply served is sent again if it was marked
    /// [`Reply::repeat`]; otherwise the answer is a 500 with the JSON body
    /// `{"error":{"message":"testkit: no scripted reply for POST /v1/chat/completions"}}`.
    ///
    /// `method` is matched case-insensitively. `path` is matched against the request path
    /// without its query string, unless `path` itself contains a `?`, in which case it must
    /// equal the full request target.
    pub fn reply(&self, method: &str, path: &str, reply: Reply) -> &Self {
        let key = (method.to_ascii_uppercase(), path.to_owned());
        lock(&self.state)
            .routes
            .entry(key)
            .or_default()
            .queue
            .push_back(reply);
        self
    }

    /// How many scripted replies for `(method, path)` have not been used yet (a `.repeat()`
    /// reply that was already served no longer counts). Useful to assert that a test consumed
    /// everything it scripted.
    pub fn remaining_replies(&self, method: &str, path: &str) -> usize {
        let key = (method.to_ascii_uppercase(), path.to_owned());
        lock(&self.state)
            .routes
            .get(&key)
            .map_or(0, |route| route.queue.len())
    }

    /// Every request received so far, in arrival order (scripted or not).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).requests.clone()
    }

    /// The requests received for `(method, path)` (path compared without query string).
    pub fn requests_for(&self, method: &str, path: &str) -> Vec<RecordedRequest> {
        lock(&self.state)
            .requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .cloned()
            .collect()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        lock(&self.state).requests.last().cloned()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            // An error only means the server thread already ended.
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            // Joining makes "dropped" mean "port closed". A panic on the server thread is not
            // re-raised: panicking inside drop would abort a test that is already unwinding.
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: StdTcpListener,
    state: Arc<Mutex<State>>,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(_) => return,
    };
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            accepted = listener.accept() => {
                // Accept errors (e.g. out of file descriptors) are transient; keep serving.
                if let Ok((stream, _)) = accepted {
                    tokio::spawn(handle_connection(stream, Arc::clone(&state)));
                }
            }
        }
    }
}

async fn handle_connection(mut stream: TcpStream, state: Arc<Mutex<State>>) {
    // Without NODELAY, Nagle's algorithm could hold back a small SSE chunk until the previous
    // one is acknowledged, blurring the incremental timing tests rely on.
    let _ = stream.set_nodelay(true);
    let request = match http::read_request(&mut stream).await {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(err) => {
            let reply = Reply::text(400, &format!("testkit: bad request: {err}"));
            let _ = http::write_reply(&mut stream, &reply).await;
            return;
        }
    };
    let (path, query) = match request.target.split_once('?') {
        Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
        None => (request.target.clone(), None),
    };
    let reply = {
        let mut state = lock(&state);
        state.requests.push(RecordedRequest {
            method: request.method.clone(),
            path: path.clone(),
            query,
            headers: request.headers,
            body: String::from_utf8_lossy(&request.body).into_owned(),
        });
        state.next_reply(&request.method, &request.target, &path)
    };
    let reply = reply.unwrap_or_else(|| Reply::unscripted(&request.method, &request.target));
    // A write error means the client hung up (e.g. its timeout fired); nothing to do.
    let _ = http::write_reply(&mut stream, &reply).await;
}
