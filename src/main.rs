//! Server entry point:
//! - `autoshares-portal [--config FILE]` serves the portal;
//! - `autoshares-portal check-config [--config FILE]` prints the effective
//!   configuration (secrets redacted) and every problem with it, and exits
//!   non-zero if there is any;
//! - `autoshares-portal sandbox [--port N]` runs only the simulated
//!   AutoShares API, for pointing another portal (or curl) at it.

/// mimalloc instead of glibc malloc: a page render is many small
/// allocations, and glibc's (malloc, free, consolidate) were ~20 % of the
/// `GET /` profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "usage: autoshares-portal [check-config] [--config FILE] | autoshares-portal sandbox [--port N]";

#[tokio::main]
async fn main() {
    use autoshares_portal::config::sources::Sources;
    use autoshares_portal::serve;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, config_path) = match args.as_slice() {
        [] => (None, None),
        [c] if c == "check-config" => (Some("check-config"), None),
        [flag, path] if flag == "--config" => (None, Some(path.into())),
        [c, flag, path] if c == "check-config" && flag == "--config" => {
            (Some("check-config"), Some(path.into()))
        }
        [c, ..] if c == "sandbox" => (Some("sandbox"), None),
        _ => (Some("usage"), None),
    };
    let outcome = match command {
        None => serve::run(Sources::from_process(config_path)).await,
        Some("check-config") => {
            let sources = Sources::from_process(config_path);
            std::process::exit(serve::check_config(&sources));
        }
        Some("sandbox") => serve::run_standalone_sandbox(&args[1..]).await,
        Some(_) => Err(USAGE.to_string()),
    };
    if let Err(reason) = outcome {
        eprintln!("autoshares-portal: {reason}");
        std::process::exit(2);
    }
}
