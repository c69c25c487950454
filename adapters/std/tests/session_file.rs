//! Stored sessions: the file store's round trip, permissions and atomic writes; corrupt and
//! insecure files refused with typed errors and left untouched; `load_valid_session` refreshing
//! an expired session and saving it back under the store's lock; and two processes (this test
//! binary run twice as children) sharing one expired session file with a single refresh; waiting
//! for a held lock giving up after the store's timeout with an error naming the lock file; and
//! a refreshed session that cannot be saved handed back with the save's error (the rotated
//! refresh token included).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cognito_std::core::time::UnixTime;
use cognito_std::{
    Client, Config, Device, Error, FileStore, MemoryStore, Options, RefreshOperation, Session,
    SessionOrigin, SessionStore, blocking,
};
use cognito_tests::fixtures::{pool_with_client, refused_url, unix_now, with_pool};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{ClientSettings, DeviceTracking};

const POOL_ID: &str = "us-east-1_FilePool";
const CLIENT_ID: &str = "fileclient0000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";

/// Environment of the child processes of `two_processes_share_one_refresh`.
const CHILD_URL: &str = "COGNITO_STD_TEST_CHILD_URL";
const CHILD_FILE: &str = "COGNITO_STD_TEST_CHILD_FILE";
const CHILD_READY: &str = "COGNITO_STD_TEST_CHILD_READY";

fn now() -> UnixTime {
    UnixTime::from_secs(unix_now())
}

fn config(url: &str) -> Config {
    Config::new(POOL_ID, CLIENT_ID).with_endpoint(url)
}

fn emulator(seed: u64) -> EmulatorServer {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, DeviceTracking::Off);
    pool.add_user("alice", PASSWORD);
    EmulatorServer::start(pool, "127.0.0.1:0").unwrap()
}

/// A session of made-up tokens (no server needed).
fn fake_session() -> Session {
    let now = unix_now();
    Session {
        username: "alice".into(),
        aliases: vec!["alice@example.com".into()],
        access_token: "access.token.value".into(),
        id_token: Some("id.token.value".into()),
        refresh_token: Some("refresh-token-value".into()),
        token_type: "Bearer".into(),
        received_at: now,
        expires_at: now + 3_600,
        clock_drift_secs: -3,
        device: Some(Device {
            key: "us-east-1_device".into(),
            group_key: "group".into(),
            password: "device-password".into(),
        }),
        other_users: Vec::new(),
        origin: SessionOrigin::UserPool,
        identities: Vec::new(),
    }
}

/// A client for a server nobody runs (for tests that must fail before any request).
fn unreachable_client() -> Client {
    Client::new(config(&refused_url().unwrap())).unwrap()
}

/// A runtime for the async client in a blocking test.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Writes `bytes` to `path` with mode 0600 (so only their content is wrong).
fn write_private(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

/// Refresh requests the emulator received.
fn refreshes(server: &EmulatorServer) -> usize {
    server
        .pool()
        .lock()
        .unwrap()
        .requests()
        .iter()
        .filter(|r| {
            r.operation == "GetTokensFromRefreshToken"
                || (r.operation == "InitiateAuth"
                    && matches!(
                        r.body["AuthFlow"].as_str(),
                        Some("REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN")
                    ))
        })
        .count()
}

/// Signs alice in and stores her session with an access token that has just expired.
async fn store_expired_session(server: &EmulatorServer, store: &FileStore) -> Session {
    let client = Client::new(config(&server.url())).unwrap();
    let mut session = client
        .sign_in_password("alice", PASSWORD)
        .await
        .unwrap()
        .into_session()
        .unwrap();
    session.expires_at = unix_now().saturating_sub(1);
    store.save(&session).unwrap();
    session
}

#[test]
fn round_trip_owner_only_and_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let store = FileStore::new(&path);
    assert_eq!(store.path(), path);
    assert!(store.load().unwrap().is_none());
    let session = fake_session();
    store.save(&session).unwrap();
    let mut other = fake_session();
    other.username = "bob".into();
    store.save(&other).unwrap();
    store.save(&session).unwrap();
    assert_eq!(store.load().unwrap().unwrap(), session);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Only the session file: the temporary files were renamed over it.
    assert_eq!(names(dir.path()), ["session.json"]);

    // The lock's sidecar file is private too and survives the lock.
    drop(store.lock().unwrap());
    assert_eq!(store.lock_path(), dir.path().join("session.json.lock"));
    assert_eq!(names(dir.path()), ["session.json", "session.json.lock"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.lock_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    store.clear().unwrap();
    assert!(store.load().unwrap().is_none());
    store.clear().unwrap();
}

#[test]
fn corrupt_files_are_typed_errors_naming_the_path_and_stay_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let store = FileStore::new(&path);
    let full = serde_json::to_vec(&fake_session()).unwrap();
    let wrong_type = br#"{"username":"alice","access_token":"a","id_token":null,
        "refresh_token":"r","token_type":"Bearer","received_at":"SECRET-LOOKING-VALUE",
        "expires_at":1,"clock_drift_secs":0,"device":null}"#
        .to_vec();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not JSON", b"this is not json".to_vec(), "not JSON"),
        ("empty", Vec::new(), "truncated"),
        ("truncated", full[..full.len() / 2].to_vec(), "truncated"),
        (
            "not a session",
            br#"{"hello":"world"}"#.to_vec(),
            "missing field",
        ),
        ("wrong type", wrong_type, "wrong type"),
    ];
    for (what, bytes, reason_part) in cases {
        write_private(&path, &bytes);
        let err = store.load().unwrap_err();
        match &err {
            Error::CorruptSession { path: p, reason } => {
                assert_eq!(p, &path, "{what}");
                assert!(reason.contains(reason_part), "{what}: {reason}");
            }
            other => panic!("{what}: {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        assert!(!message.contains("SECRET-LOOKING-VALUE"), "{message}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "{what}");
    }

    // Neither client overwrites or removes it, and nothing is sent.
    let bytes = b"{\"username\": \"alice\", \"acc".to_vec();
    write_private(&path, &bytes);
    let client = unreachable_client();
    let runtime = runtime();
    let err = runtime
        .block_on(client.load_valid_session(&store))
        .unwrap_err();
    assert!(matches!(err, Error::CorruptSession { .. }), "{err:?}");
    drop(runtime);
    let blocking = blocking::Client::new(client.config().clone()).unwrap();
    let err = blocking.load_valid_session(&store).unwrap_err();
    assert!(matches!(err, Error::CorruptSession { .. }), "{err:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(names(dir.path()), ["session.json", "session.json.lock"]);
}

#[cfg(unix)]
#[test]
fn files_other_users_may_read_are_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let store = FileStore::new(&path);
    store.save(&fake_session()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    for mode in [0o644, 0o640, 0o604, 0o660] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        let err = store.load().unwrap_err();
        match &err {
            Error::InsecureSession { path: p, mode: m } => {
                assert_eq!(p, &path);
                assert_eq!(*m, mode);
            }
            other => panic!("{mode:o}: {other:?}"),
        }
        assert!(err.to_string().contains("chmod 600"), "{err}");
        let blocking = blocking::Client::new(unreachable_client().config().clone()).unwrap();
        let err = blocking.load_valid_session(&store).unwrap_err();
        assert!(matches!(err, Error::InsecureSession { .. }), "{err:?}");
        assert_eq!(std::fs::read(&path).unwrap(), bytes);
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            mode
        );
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(store.load().unwrap().unwrap(), fake_session());
}

#[test]
fn nothing_stored_is_no_session() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("none.json"));
    let client = unreachable_client();
    let runtime = runtime();
    let err = runtime
        .block_on(client.load_valid_session(&store))
        .unwrap_err();
    assert!(matches!(err, Error::NoSession), "{err:?}");
    let err = runtime
        .block_on(client.load_valid_session(&MemoryStore::default()))
        .unwrap_err();
    assert!(matches!(err, Error::NoSession), "{err:?}");
    drop(runtime);
    let blocking = blocking::Client::new(client.config().clone()).unwrap();
    let err = blocking.load_valid_session(&store).unwrap_err();
    assert!(matches!(err, Error::NoSession), "{err:?}");
    assert!(!store.path().exists());
    // Nor when the directory does not exist (nothing is created there).
    let nowhere = FileStore::new(dir.path().join("missing").join("session.json"));
    let err = blocking.load_valid_session(&nowhere).unwrap_err();
    assert!(matches!(err, Error::NoSession), "{err:?}");
    assert!(!dir.path().join("missing").exists());
}

/// The async `load_valid_session` can run in spawned tasks.
#[test]
fn load_valid_session_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = unreachable_client();
    let file = FileStore::new("unused.json");
    let memory = MemoryStore::default();
    assert_send(&client.load_valid_session(&file));
    assert_send(&client.load_valid_session(&memory));
}

#[test]
fn file_locks_exclude_other_stores_on_the_same_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let a = FileStore::new(&path);
    let b = FileStore::new(&path);
    let held = a.lock().unwrap();
    assert!(b.try_lock().unwrap().is_none());
    assert!(a.try_lock().unwrap().is_none());

    // A thread blocked in `lock` gets it once the holder lets go.
    let released = Arc::new(AtomicBool::new(false));
    let flag = released.clone();
    let waiter = std::thread::spawn(move || {
        let lock = b.lock().unwrap();
        assert!(flag.load(Ordering::SeqCst), "locked while held elsewhere");
        drop(lock);
    });
    std::thread::sleep(Duration::from_millis(200));
    released.store(true, Ordering::SeqCst);
    drop(held);
    waiter.join().unwrap();
    let again = a.try_lock().unwrap();
    assert!(again.is_some());
}

#[test]
fn memory_store_lock_excludes_other_threads() {
    let store = Arc::new(MemoryStore::default());
    let held = store.lock().unwrap();
    assert!(store.try_lock().unwrap().is_none());
    let released = Arc::new(AtomicBool::new(false));
    let (s, flag) = (store.clone(), released.clone());
    let waiter = std::thread::spawn(move || {
        let lock = s.lock().unwrap();
        assert!(flag.load(Ordering::SeqCst), "locked while held elsewhere");
        drop(lock);
    });
    std::thread::sleep(Duration::from_millis(200));
    released.store(true, Ordering::SeqCst);
    drop(held);
    waiter.join().unwrap();
    assert!(store.try_lock().unwrap().is_some());
    // The default lock of a store that needs none guards nothing but is still a lock.
    struct Plain;
    impl SessionStore for Plain {
        fn load(&self) -> cognito_std::Result<Option<Session>> {
            Ok(None)
        }
        fn save(&self, _: &Session) -> cognito_std::Result<()> {
            Ok(())
        }
        fn clear(&self) -> cognito_std::Result<()> {
            Ok(())
        }
    }
    let plain: &dyn SessionStore = &Plain;
    let _first = plain.lock().unwrap();
    assert!(plain.try_lock().unwrap().is_some());
}

#[tokio::test]
async fn load_valid_session_refreshes_an_expired_session_and_saves_it() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let server = emulator(11);
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("session.json"));
        let old = store_expired_session(&server, &store).await;
        let client = Client::new(config(&server.url())).unwrap();

        let session = client.load_valid_session(&store).await.unwrap();
        assert_eq!(refreshes(&server), 1);
        assert!(!session.is_expired(now(), 120), "{session:?}");
        assert_ne!(session.access_token, old.access_token);
        assert_eq!(session.refresh_token, old.refresh_token);
        assert_eq!(store.load().unwrap().unwrap(), session);
        assert!(
            with_pool(&server, |pool| pool
                .verify_access_token(&session.access_token))
            .is_some()
        );

        // Still valid: loaded without a request.
        let again = client.load_valid_session(&store).await.unwrap();
        assert_eq!(again, session);
        assert_eq!(refreshes(&server), 1);

        // Tasks sharing the store on this thread: one refresh, no deadlock on the lock.
        let mut expired = session.clone();
        expired.expires_at = unix_now().saturating_sub(1);
        store.save(&expired).unwrap();
        let same_path = FileStore::new(store.path());
        let (a, b, c) = tokio::join!(
            client.load_valid_session(&store),
            client.load_valid_session(&store),
            client.load_valid_session(&same_path),
        );
        let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
        assert_eq!(refreshes(&server), 2);
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(store.load().unwrap().unwrap(), a);
        assert!(!a.is_expired(now(), 120));

        // A refresh the server refuses leaves the stored session as it was.
        client.global_sign_out(&a.access_token).await.unwrap();
        let mut expired = a.clone();
        expired.expires_at = unix_now().saturating_sub(1);
        store.save(&expired).unwrap();
        let bytes = std::fs::read(store.path()).unwrap();
        let err = client.load_valid_session(&store).await.unwrap_err();
        assert_eq!(
            err.service().map(|e| e.name().to_owned()).as_deref(),
            Some("NotAuthorizedException"),
            "{err:?}"
        );
        assert_eq!(std::fs::read(store.path()).unwrap(), bytes);
    })
    .await
    .expect("test timed out");
}

#[test]
fn blocking_load_valid_session_refreshes_and_saves() {
    let server = emulator(12);
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("session.json"));
    let old = runtime().block_on(store_expired_session(&server, &store));
    let client = blocking::Client::new(config(&server.url())).unwrap();
    let session = client.load_valid_session(&store).unwrap();
    assert_eq!(refreshes(&server), 1);
    assert!(!session.is_expired(now(), 120));
    assert_ne!(session.access_token, old.access_token);
    assert_eq!(store.load().unwrap().unwrap(), session);
    assert_eq!(client.load_valid_session(&store).unwrap(), session);
    assert_eq!(refreshes(&server), 1);

    // Through a trait object and a memory store too.
    let memory = MemoryStore::default();
    let mut expired = session.clone();
    expired.expires_at = 0;
    memory.save(&expired).unwrap();
    let dyn_store: &dyn SessionStore = &memory;
    let refreshed = client.load_valid_session(dyn_store).unwrap();
    assert_eq!(refreshes(&server), 2);
    assert_eq!(memory.load().unwrap().unwrap(), refreshed);
    assert!(!refreshed.is_expired(now(), 120));
}

/// The child process of `two_processes_share_one_refresh`; returns at once unless that test
/// started it.
#[test]
fn child_load_valid_session() {
    let (Some(url), Some(file), Some(ready)) = (
        std::env::var_os(CHILD_URL),
        std::env::var_os(CHILD_FILE),
        std::env::var_os(CHILD_READY),
    ) else {
        return;
    };
    let client = blocking::Client::new(config(url.to_str().unwrap())).unwrap();
    let store = FileStore::new(PathBuf::from(file));
    std::fs::write(ready, b"ready").unwrap();
    let session = client.load_valid_session(&store).unwrap();
    assert!(!session.is_expired(now(), 120));
    println!("child {}: valid session loaded", std::process::id());
}

/// Starts this test binary as a `child_load_valid_session` child.
fn spawn_child(server: &EmulatorServer, store: &FileStore, dir: &Path, n: usize) -> Child {
    let log = std::fs::File::create(dir.join(format!("child-{n}.log"))).unwrap();
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_load_valid_session",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, server.url())
        .env(CHILD_FILE, store.path())
        .env(CHILD_READY, dir.join(format!("ready-{n}")))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap()
}

#[test]
fn two_processes_share_one_refresh() {
    let server = emulator(13);
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("session.json"));
    let logs = tempfile::tempdir().unwrap();
    let old = runtime().block_on(store_expired_session(&server, &store));
    assert_eq!(refreshes(&server), 0);

    // Hold the lock until both children are about to take it, so they contend for it.
    let held = store.lock().unwrap();
    let mut children: Vec<Child> = (0..2)
        .map(|n| spawn_child(&server, &store, logs.path(), n))
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !(0..2).all(|n| logs.path().join(format!("ready-{n}")).exists()) {
        assert!(Instant::now() < deadline, "children did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(refreshes(&server), 0, "a child refreshed without the lock");
    drop(held);

    let mut statuses = Vec::new();
    for child in &mut children {
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        statuses.push(status);
    }
    for (n, (child, status)) in children.iter_mut().zip(&statuses).enumerate() {
        if status.is_none() {
            let _ = child.kill();
            let _ = child.wait();
        }
        let log = std::fs::read_to_string(logs.path().join(format!("child-{n}.log"))).unwrap();
        assert!(
            status.is_some_and(|s| s.success()),
            "child {n}: {status:?}\n{log}"
        );
        assert!(log.contains("1 passed"), "child {n} ran no test:\n{log}");
    }

    assert_eq!(refreshes(&server), 1, "exactly one process refreshed");
    let session = store.load().unwrap().unwrap();
    assert!(!session.is_expired(now(), 120));
    assert_ne!(session.access_token, old.access_token);
    assert!(
        with_pool(&server, |pool| pool
            .verify_access_token(&session.access_token))
        .is_some()
    );
}

// ---- Waiting for the lock has a limit. ----

/// Runs `wait`, expecting it to give up on the lock of `store` (timeout 200 ms) with an error
/// naming the lock file, about when the timeout passes.
fn assert_times_out<T: std::fmt::Debug>(
    store: &FileStore,
    wait: impl FnOnce() -> cognito_std::Result<T>,
) {
    let started = Instant::now();
    let err = wait().unwrap_err();
    let waited = started.elapsed();
    match &err {
        Error::LockTimeout { lock_file, timeout } => {
            assert_eq!(lock_file.as_deref(), Some(store.lock_path().as_path()));
            assert_eq!(*timeout, Duration::from_millis(200));
        }
        other => panic!("expected a lock timeout, got {other:?}"),
    }
    assert!(
        err.to_string()
            .contains(&store.lock_path().display().to_string()),
        "{err}"
    );
    assert!(
        waited >= Duration::from_millis(200),
        "gave up early: {waited:?}"
    );
    assert!(waited < Duration::from_secs(10), "waited {waited:?}");
}

#[test]
fn waiting_for_a_held_lock_gives_up_naming_the_lock_file() {
    let server = emulator(14);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let store = FileStore::new(&path).with_lock_timeout(Duration::from_millis(200));
    assert_eq!(store.lock_timeout(), Some(Duration::from_millis(200)));
    assert_eq!(
        FileStore::new(&path).lock_timeout(),
        Some(cognito_std::DEFAULT_LOCK_TIMEOUT)
    );
    runtime().block_on(store_expired_session(&server, &store));
    let stored = std::fs::read(&path).unwrap();

    // Another store on the same path (another process, as far as the OS lock goes) holds it.
    let holder = FileStore::new(&path);
    let held = holder.lock().unwrap();

    assert_times_out(&store, || store.lock());
    let client = Client::new(config(&server.url())).unwrap();
    assert_times_out(&store, || {
        runtime().block_on(client.load_valid_session(&store))
    });
    let blocking = blocking::Client::new(config(&server.url())).unwrap();
    assert_times_out(&store, || blocking.load_valid_session(&store));
    // Nothing was refreshed or written while the lock was held elsewhere.
    assert_eq!(refreshes(&server), 0);
    assert_eq!(std::fs::read(&path).unwrap(), stored);

    // Released: taken at once, and the expired session is refreshed.
    drop(held);
    let started = Instant::now();
    drop(store.lock().unwrap());
    assert!(started.elapsed() < Duration::from_millis(200));
    let session = blocking.load_valid_session(&store).unwrap();
    assert!(!session.is_expired(now(), 120));
    assert_eq!(refreshes(&server), 1);
}

#[test]
fn a_lock_released_while_waiting_is_taken() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.json");
    let store = FileStore::new(&path).with_lock_timeout(Duration::from_secs(30));
    let holder = FileStore::new(&path);
    let (taken, released) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicBool::new(false)),
    );
    let (taken_flag, released_flag) = (taken.clone(), released.clone());
    let releaser = std::thread::spawn(move || {
        let held = holder.lock().unwrap();
        taken_flag.store(true, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(300));
        released_flag.store(true, Ordering::SeqCst);
        drop(held);
    });
    while !taken.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(5));
    }
    let started = Instant::now();
    let lock = store.lock().unwrap();
    assert!(
        released.load(Ordering::SeqCst),
        "taken while held elsewhere"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(lock);
    releaser.join().unwrap();
}

// ---- A refreshed session that cannot be saved is not lost. ----

/// A memory store whose saves fail while `failing` is set.
#[derive(Default)]
struct FailingStore {
    inner: MemoryStore,
    failing: AtomicBool,
}

impl SessionStore for FailingStore {
    fn load(&self) -> cognito_std::Result<Option<Session>> {
        self.inner.load()
    }
    fn save(&self, session: &Session) -> cognito_std::Result<()> {
        if self.failing.load(Ordering::SeqCst) {
            return Err(Error::Io(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "disk full",
            )));
        }
        self.inner.save(session)
    }
    fn clear(&self) -> cognito_std::Result<()> {
        self.inner.clear()
    }
    fn lock(&self) -> cognito_std::Result<cognito_std::StoreLock<'_>> {
        self.inner.lock()
    }
    fn try_lock(&self) -> cognito_std::Result<Option<cognito_std::StoreLock<'_>>> {
        self.inner.try_lock()
    }
}

const SECRET: &str = "filesecret00000000000000000000000000000000000000000";

/// An emulator whose app client (with a secret) rotates refresh tokens, without a grace period:
/// a rotated-out refresh token stops working at once.
fn rotating_emulator(seed: u64) -> EmulatorServer {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, Some(SECRET), DeviceTracking::Off);
    assert!(pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            rotation_grace_period_secs: 0,
            ..ClientSettings::default()
        },
    ));
    pool.add_user("alice", PASSWORD);
    EmulatorServer::start(pool, "127.0.0.1:0").unwrap()
}

fn rotating_config(url: &str) -> Config {
    config(url).with_client_secret(SECRET)
}

fn rotating_options() -> Options {
    Options {
        refresh_operation: RefreshOperation::GetTokensFromRefreshToken,
        ..Options::default()
    }
}

/// Signs alice in with `client` and stores her session, expired, in `store` (saves working).
async fn store_expired(client: &Client, store: &FailingStore) -> Session {
    let mut session = client
        .sign_in_password("alice", PASSWORD)
        .await
        .unwrap()
        .into_session()
        .unwrap();
    session.expires_at = unix_now().saturating_sub(1);
    store.save(&session).unwrap();
    session
}

/// The refreshed session and the save's error of an [`Error::RefreshedNotSaved`].
fn not_saved(result: cognito_std::Result<Session>) -> (Session, Error) {
    match result {
        Err(err @ Error::RefreshedNotSaved { .. }) => {
            let shown = err.to_string();
            assert!(shown.contains("disk full"), "{shown}");
            let by_ref = err.refreshed_session().cloned().unwrap();
            let Error::RefreshedNotSaved { session, cause } = err else {
                unreachable!()
            };
            assert_eq!(*session, by_ref);
            (*session, *cause)
        }
        other => panic!("expected RefreshedNotSaved, got {other:?}"),
    }
}

#[tokio::test]
async fn a_refresh_that_cannot_be_saved_hands_back_the_new_tokens() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let server = emulator(15);
        let client = Client::new(config(&server.url())).unwrap();
        let store = FailingStore::default();
        let old = store_expired(&client, &store).await;

        store.failing.store(true, Ordering::SeqCst);
        let (session, cause) = not_saved(client.load_valid_session(&store).await);
        assert!(
            matches!(&cause, Error::Io(e) if e.kind() == std::io::ErrorKind::StorageFull),
            "{cause:?}"
        );
        assert_eq!(refreshes(&server), 1);
        assert!(!session.is_expired(now(), 120));
        assert_ne!(session.access_token, old.access_token);
        assert_eq!(session.refresh_token, old.refresh_token, "not rotated");
        assert!(
            with_pool(&server, |pool| pool
                .verify_access_token(&session.access_token))
            .is_some()
        );
        // The store still holds the old session, and its lock is free again.
        assert_eq!(store.load().unwrap().unwrap(), old);
        assert!(store.try_lock().unwrap().is_some());

        // Saved again once the store works.
        store.failing.store(false, Ordering::SeqCst);
        store.save(&session).unwrap();
        assert_eq!(client.load_valid_session(&store).await.unwrap(), session);
        assert_eq!(refreshes(&server), 1);
    })
    .await
    .expect("test timed out");
}

#[tokio::test]
async fn a_rotated_refresh_token_that_cannot_be_saved_is_not_lost() {
    tokio::time::timeout(Duration::from_secs(60), async {
        let server = rotating_emulator(16);
        let client =
            Client::with_options(rotating_config(&server.url()), rotating_options()).unwrap();
        let store = FailingStore::default();
        let old = store_expired(&client, &store).await;

        store.failing.store(true, Ordering::SeqCst);
        let (session, _) = not_saved(client.load_valid_session(&store).await);
        assert_eq!(refreshes(&server), 1);
        assert_ne!(session.refresh_token, old.refresh_token, "rotated");
        assert!(session.refresh_token.is_some());

        // The stored refresh token was rotated out: only the handed-back one still works.
        let mut stale = store.load().unwrap().unwrap();
        let err = client.refresh(&mut stale).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
        let mut kept = session.clone();
        client.refresh(&mut kept).await.unwrap();
        assert_ne!(kept.refresh_token, session.refresh_token, "rotated again");
    })
    .await
    .expect("test timed out");
}

#[test]
fn blocking_load_valid_session_hands_back_a_rotated_session_it_could_not_save() {
    let server = rotating_emulator(17);
    let client =
        blocking::Client::with_options(rotating_config(&server.url()), rotating_options()).unwrap();
    let store = FailingStore::default();
    let old = runtime().block_on(store_expired(client.as_async(), &store));

    store.failing.store(true, Ordering::SeqCst);
    let (session, cause) = not_saved(client.load_valid_session(&store));
    assert!(matches!(cause, Error::Io(_)), "{cause:?}");
    assert_ne!(session.refresh_token, old.refresh_token, "rotated");
    let mut kept = session.clone();
    client.refresh(&mut kept).unwrap();
}
