//! `haproxy` of the test's own in front of several portals: round robin,
//! no sticky sessions, an active health check on each instance's
//! `/readyz` on its operators' port: `end2end/haproxy/portal.cfg`, the
//! README's configuration, with loopback addresses.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::portal::Door;
use crate::process::{free_port, kill, Log, TempDir};

/// The configuration the README recommends, with `@FRONT_PORT@` and
/// `@SERVERS@` to fill in.
const CONFIG: &str = include_str!("../../haproxy/portal.cfg");

pub struct Haproxy {
    child: Child,
    log: Log,
    /// Where traders come in.
    pub door: Door,
    _dir: TempDir,
}

/// One instance behind the balancer: its public and operators' ports.
#[derive(Clone, Copy, Debug)]
pub struct Backend {
    pub port: u16,
    pub ops_port: u16,
}

impl Haproxy {
    /// Start it in front of `backends` and wait until it answers.
    pub async fn start(backends: &[Backend]) -> Haproxy {
        let dir = TempDir::new("portal-haproxy");
        let port = free_port();
        let servers: String = backends
            .iter()
            .enumerate()
            .map(|(n, b)| {
                format!(
                    "    server portal-{n} 127.0.0.1:{} check port {}\n",
                    b.port, b.ops_port
                )
            })
            .collect();
        let conf = CONFIG
            .replace("@FRONT_PORT@", &port.to_string())
            .replace("@SERVERS@", &servers);
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, conf).expect("the haproxy config");
        let bin = if std::path::Path::new("/usr/sbin/haproxy").exists() {
            "/usr/sbin/haproxy"
        } else {
            "haproxy"
        };
        let mut child = Command::new(bin)
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("haproxy is installed (.ci/portal setup installs it)");
        let log = Log::of(&mut child);
        let door = Door::new(&format!("http://127.0.0.1:{port}"));
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let answered = reqwest::get(door.url("/healthz"))
                .await
                .is_ok_and(|r| r.status().is_success());
            if answered {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("haproxy exited ({status}): {}", log.text());
            }
            assert!(
                Instant::now() < deadline,
                "haproxy never answered: {}",
                log.text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Haproxy {
            child,
            log,
            door,
            _dir: dir,
        }
    }

    /// Everything it printed (its warnings, servers going down and up).
    pub fn log_text(&self) -> String {
        self.log.text()
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        kill(&mut self.child);
    }
}
