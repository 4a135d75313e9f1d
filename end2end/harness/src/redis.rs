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
        let dir = TempDir::new("portal-redis");
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new("redis-server")
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
                .args(["--save", "", "--appendonly", "no", "--protected-mode", "no"])
                .arg("--dir")
                .arg(dir.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("redis-server is installed (.ci/portal setup installs it)");
            let log = Log::of(&mut child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline {
                if log.text().contains("Ready to accept connections") {
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
