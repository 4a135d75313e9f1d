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

/// A master, one replica and three `redis-sentinel`s watching them
/// (quorum 2, the master called down after 1 s), each on a free loopback
/// port, all in one temp directory.
pub struct SentinelGroup {
    master: Option<Redis>,
    pub replica: Redis,
    sentinels: Vec<(Child, Log)>,
    /// `redis-sentinel://…?sentinelServiceName=portal&node=…`, for the portal.
    pub url: String,
    _dir: TempDir,
}

/// The name the sentinels know the master by.
pub const SENTINEL_SERVICE: &str = "portal";

impl SentinelGroup {
    pub async fn start() -> SentinelGroup {
        let master = Redis::start().await;
        let replica = Redis::replica_of(&master).await;
        let dir = TempDir::new("portal-sentinels");
        let mut sentinels = Vec::new();
        let mut ports = Vec::new();
        for n in 0..3 {
            let port = free_port();
            let conf = dir.join(&format!("sentinel-{n}.conf"));
            // Sentinel rewrites its own file: it must be writable.
            std::fs::write(
                &conf,
                format!(
                    "port {port}\nbind 127.0.0.1\nprotected-mode no\ndir {dir}\n\
                     sentinel monitor {SENTINEL_SERVICE} 127.0.0.1 {master} 2\n\
                     sentinel down-after-milliseconds {SENTINEL_SERVICE} 1000\n\
                     sentinel failover-timeout {SENTINEL_SERVICE} 10000\n\
                     sentinel parallel-syncs {SENTINEL_SERVICE} 1\n",
                    dir = dir.path().display(),
                    master = master.port(),
                ),
            )
            .expect("a sentinel config");
            let mut child = Command::new("redis-sentinel")
                .arg(&conf)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("redis-sentinel is installed (.ci/portal setup installs it)");
            let log = Log::of(&mut child);
            sentinels.push((child, log));
            ports.push(port);
        }
        // Ready when every sentinel knows the master and has found the
        // others (they find each other through the master).
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = sentinels.iter().all(|(_, log)| {
                let text = log.text();
                text.contains("+monitor master") && text.matches("+sentinel sentinel").count() >= 2
            });
            if ready {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the sentinels did not find each other"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let nodes: Vec<String> = ports[1..]
            .iter()
            .map(|port| format!("&node=127.0.0.1:{port}"))
            .collect();
        let url = format!(
            "redis-sentinel://127.0.0.1:{}/0?sentinelServiceName={SENTINEL_SERVICE}{}",
            ports[0],
            nodes.concat()
        );
        SentinelGroup {
            master: Some(master),
            replica,
            sentinels,
            url,
            _dir: dir,
        }
    }

    /// `kill -9` the master.
    pub fn kill_master(&mut self) {
        drop(self.master.take());
    }

    /// Whether a sentinel has announced the replica as the new master.
    pub fn promoted(&self) -> bool {
        let replica = format!("127.0.0.1 {}", self.replica.port());
        self.sentinels.iter().any(|(_, log)| {
            log.text()
                .lines()
                .any(|line| line.contains("+switch-master") && line.ends_with(&replica))
        })
    }
}

impl Drop for SentinelGroup {
    fn drop(&mut self) {
        for (child, _) in &mut self.sentinels {
            kill(child);
        }
    }
}
