//! Ctrl-C for the verbs that follow jobs (`watch`, `wait`), heard for the
//! whole run: while a request is in flight and while a retry waits, not
//! only between polls. Listening replaces the default action (death on the
//! spot, the history unflushed) from the moment [`Interrupt::listen`] runs,
//! so a Ctrl-C is never lost and never kills the process half-way.

use std::future::Future;

pub struct Interrupt {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
    #[cfg(not(unix))]
    signal: std::pin::Pin<Box<dyn Future<Output = std::io::Result<()>> + Send>>,
}

impl Interrupt {
    /// Starts listening now (inside the runtime).
    pub fn listen() -> Interrupt {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Interrupt {
                signal: signal(SignalKind::interrupt()).ok(),
            }
        }
        #[cfg(not(unix))]
        Interrupt {
            signal: Box::pin(tokio::signal::ctrl_c()),
        }
    }

    /// Ends when Ctrl-C is pressed (never, when it cannot be listened for).
    async fn heard(&mut self) {
        #[cfg(unix)]
        match &mut self.signal {
            Some(s) => {
                s.recv().await;
            }
            None => std::future::pending().await,
        }
        #[cfg(not(unix))]
        {
            let _ = (&mut self.signal).await;
        }
    }

    /// Runs `work` unless Ctrl-C comes first: `None` then, and `work` is
    /// dropped where it stood (a request in flight is abandoned).
    pub async fn or<T>(&mut self, work: impl Future<Output = T>) -> Option<T> {
        tokio::select! {
            biased;
            () = self.heard() => None,
            v = work => Some(v),
        }
    }
}
