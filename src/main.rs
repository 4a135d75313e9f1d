//! Server entry point: `autoshares-portal` serves the portal;
//! `autoshares-portal sandbox [--port N]` runs only the simulated
//! AutoShares API, for pointing another portal (or curl) at it.

/// mimalloc instead of glibc malloc: a page render is many small
/// allocations, and glibc's (malloc, free, consolidate) were ~20 % of the
/// `GET /` profile.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        None => autoshares_portal::server::run().await,
        Some("sandbox") => {
            autoshares_portal::server::dev_pages::run_standalone_sandbox(&args[1..]).await
        }
        Some(_) => Err("usage: autoshares-portal [sandbox [--port N]]".to_string()),
    };
    if let Err(reason) = outcome {
        eprintln!("autoshares-portal: {reason}");
        std::process::exit(2);
    }
}
