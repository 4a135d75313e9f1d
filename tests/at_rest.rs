//! What a copy of the SQLite file reveals (security:
//! `encrypted-store-at-rest`): neither the secret answer nor the reset
//! token, nor the key that would open them; and the file is the portal's
//! alone.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use portal_harness::{Portal, TempDir};

const BIN: &str = env!("CARGO_BIN_EXE_autoshares-portal");
const TOKEN_CANARY: &str = "CanaryToken";

/// The database, its WAL and its shared-memory file, as bytes.
fn store_bytes(db: &Path) -> Vec<u8> {
    ["", "-wal", "-shm"]
        .iter()
        .flat_map(|suffix| {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            std::fs::read(name).unwrap_or_default()
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn the_sqlite_file_holds_no_answer_token_or_key_and_is_private() {
    let dir = TempDir::new("at-rest");
    let data = dir.join("data");
    let db = data.join("portal.db");
    let portal = Portal::builder(BIN)
        .env("PORTAL_STORE", format!("sqlite:{}", db.display()))
        .env("SANDBOX_TOKEN_PREFIX", TOKEN_CANARY)
        .start()
        .await;

    let login = portal.post("/api/login", "", &[("login", "alice")]).await;
    assert_eq!(login.location, "/question", "{login:?}");
    let answered = portal
        .post("/api/answer", &login.cookie, &[("answer", "Peterson")])
        .await;
    assert_eq!(answered.location, "/code", "{answered:?}");

    // At the code step the flow keeps the answer (to send a new code).
    let bytes = store_bytes(&db);
    assert!(!bytes.is_empty());
    assert!(!contains(&bytes, b"Peterson"), "the answer is in the file");

    let code = portal.sandbox().latest_code("alice").await;
    let coded = portal
        .post("/api/code", &answered.cookie, &[("code", &code)])
        .await;
    assert_eq!(coded.location, "/password", "{coded:?}");
    let bytes = store_bytes(&db);
    assert!(
        !contains(&bytes, TOKEN_CANARY.as_bytes()),
        "the token is in the file"
    );

    // The key is beside the file, not in it.
    let mut key_file = db.as_os_str().to_owned();
    key_file.push(".key");
    let key_file = std::path::PathBuf::from(key_file);
    let key = std::fs::read_to_string(&key_file).expect("the secret's own file");
    assert!(!contains(&bytes, key.trim().as_bytes()));
    assert!(!contains(
        &bytes,
        &hex_decode(key.trim()).expect("a hex secret")
    ));

    assert_eq!(mode(&db), 0o600, "the database");
    assert_eq!(mode(&key_file), 0o600, "the key file");
    assert_eq!(mode(&data), 0o700, "the directory the portal made");
}

fn hex_decode(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}
