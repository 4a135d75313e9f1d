//! A `redis-server` of the test's own: loopback, a free port, a temp
//! directory, no persistence.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::process::{free_port, kill, signal, Log, TempDir};

pub struct Redis {
    child: Child,
    /// `redis://127.0.0.1:<port>`
    pub url: String,
    _dir: TempDir,
}

impl Redis {
    /// Start one; a port lost to a race between picking and binding is
    /// picked again.
    pub async fn start() -> Redis {
        Self::start_with(&[], "Ready to accept connections").await
    }

    /// A replica of `master`, started once its first sync is done.
    pub async fn replica_of(master: &Redis) -> Redis {
        let port = master.port().to_string();
        Self::start_with(
            &["--replicaof", "127.0.0.1", &port],
            "MASTER <-> REPLICA sync: Finished with success",
        )
        .await
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|port| port.parse().ok())
            .expect("a redis:// URL with a port")
    }

    async fn start_with(extra: &[&str], ready: &str) -> Redis {
        let dir = TempDir::new("portal-redis");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--protected-mode", "no"])
                .args(extra)
                .arg("--dir")
                .arg(dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("redis-server is installed (.ci/portal setup installs it)");
            let log = Log::of(&mut child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if log.text().contains(ready) {
                    return Redis {
                        child,
                        url: format!("redis://127.0.0.1:{port}"),
                        _dir: dir,
                    };
                }
                if child.try_wait().ok().flatten().is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            kill(&mut child);
        }
        panic!("redis-server did not start");
    }

    /// Freeze it: connections stay open, nothing answers.
    pub fn pause(&self) {
        signal(self.child.id(), "-STOP");
    }

    pub fn resume(&self) {
        signal(self.child.id(), "-CONT");
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}
