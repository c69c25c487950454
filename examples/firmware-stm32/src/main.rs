//! Board firmware for the NUCLEO-F429ZI: an Amazon Cognito user-pool client over Ethernet.
//!
//! At boot it brings up the clocks, the hardware random generator and Ethernet with DHCP
//! ([`net`]), opens verifying TLS to the pool's endpoint (`cognito_embassy::tls`), then runs
//! the session ([`session`]): what the device remembered in flash, a refresh or an SRP sign-in,
//! the offered device remembered, and a refresh before each access token expires. Settings
//! come from environment variables at build time ([`config`]); the README beside this crate
//! says how to build, flash and read the log.
//!
//! Memory: the large buffers are statics (see [`Buffers`]); the flows live in the main task,
//! which embassy's executor allocates statically too. The sizes are logged at boot.
#![no_std]
#![no_main]
// The one exception is the heap's initialisation in `heap`.
#![deny(unsafe_code)]

mod config;
mod net;
mod session;

use cognito_embassy::client::Client;
use cognito_embassy::core::auth::{DeviceRegistration, Refresh, SignIn};
use cognito_embassy::core::time::UnixTime;
use cognito_embassy::store::FlashStore;
use cognito_embassy::tls::{INCOMING_RECORD_LEN, OUTGOING_RECORD_LEN, TlsBuffers, TlsConnect};
use core::mem::{size_of, size_of_val};
use core::pin::pin;
use defmt::{Display2Format, error, info, warn};
use defmt_rtt as _;
use embassy_executor::Spawner;
use embassy_net::dns::DnsSocket;
use panic_probe as _;
use static_cell::ConstStaticCell;
use zeroize::Zeroize;

use crate::config::{FlowLimits, Kept};

/// The request buffer: every request fits in 4 KiB.
const REQUEST_LEN: usize = 4096;
/// The reply buffer: replies that carry tokens are 4–8 KB, more with custom attributes.
const REPLY_LEN: usize = 16384;

/// The buffers the TLS layer and the client are lent, as statics (never on the stack).
struct Buffers {
    /// Received TLS records: the largest record a server may send.
    incoming: &'static mut [u8; INCOMING_RECORD_LEN],
    /// TLS records to send.
    outgoing: &'static mut [u8; OUTGOING_RECORD_LEN],
    /// HTTP requests.
    request: &'static mut [u8; REQUEST_LEN],
    /// HTTP replies, read in place.
    reply: &'static mut [u8; REPLY_LEN],
}

impl Buffers {
    /// The buffers (once: a second call panics).
    fn take() -> Self {
        static INCOMING: ConstStaticCell<[u8; INCOMING_RECORD_LEN]> =
            ConstStaticCell::new([0; INCOMING_RECORD_LEN]);
        static OUTGOING: ConstStaticCell<[u8; OUTGOING_RECORD_LEN]> =
            ConstStaticCell::new([0; OUTGOING_RECORD_LEN]);
        static REQUEST: ConstStaticCell<[u8; REQUEST_LEN]> = ConstStaticCell::new([0; REQUEST_LEN]);
        static REPLY: ConstStaticCell<[u8; REPLY_LEN]> = ConstStaticCell::new([0; REPLY_LEN]);
        Self {
            incoming: INCOMING.take(),
            outgoing: OUTGOING.take(),
            request: REQUEST.take(),
            reply: REPLY.take(),
        }
    }
}

/// The heap rustls allocates from (its handshake state, the certificates it verifies).
mod heap {
    use embedded_alloc::LlffHeap as Heap;

    /// The heap arena's size: rustls peaks at 16–22 KB during a handshake and may hold a
    /// decrypted 16 KB record besides.
    pub(crate) const LEN: usize = 48 * 1024;

    #[global_allocator]
    static HEAP: Heap = Heap::empty();

    /// Gives the allocator its arena, a static of [`LEN`] bytes.
    #[allow(unsafe_code)]
    pub(crate) fn init() {
        // SAFETY: called once, first thing in `main`, before anything allocates; the macro
        // hands the allocator a static arena nothing else refers to.
        unsafe {
            embedded_alloc::init!(HEAP, LEN);
        }
    }

    /// Bytes allocated now, and bytes free.
    pub(crate) fn usage() -> (usize, usize) {
        (HEAP.used(), HEAP.free())
    }
}

/// Boots the board and runs the session.
#[embassy_executor::main]
async fn main(spawner: Spawner) {
    heap::init();
    let peripherals = embassy_stm32::init(net::clocks());
    info!(
        "cognito-firmware-stm32 {=str}: pool {=str}, client {=str}",
        env!("CARGO_PKG_VERSION"),
        config::POOL_ID,
        config::CLIENT_ID
    );
    if config::uses_example_pool() {
        warn!("built with the example settings: set COGNITO_POOL_ID and the others, then rebuild");
    }
    info!("clocks: 168 MHz core, 48 MHz for the RNG");
    log_sizes();

    let mut board = net::start(spawner, peripherals).await;

    // 32 bytes from the hardware generator seed the TLS layer's ChaCha20 generator.
    let mut entropy = [0u8; 32];
    if let Err(e) = board.rng.async_fill_bytes(&mut entropy).await {
        error!("the random generator failed: {}", e);
        return;
    }

    let (config, endpoint) = match (session::client_config(), session::endpoint()) {
        (Ok(config), Ok(endpoint)) => (config, endpoint),
        (Err(e), _) | (_, Err(e)) => {
            error!("invalid settings: {}", Display2Format(&e));
            return;
        }
    };
    info!("endpoint {=str}", endpoint.host());

    let buffers = Buffers::take();
    let dns = DnsSocket::new(board.stack);
    let tls = TlsBuffers::new(buffers.incoming, buffers.outgoing);
    let connector = TlsConnect::new(&board.tcp, &dns, endpoint.host(), 443, tls, &entropy);
    entropy.zeroize();
    let connector = match connector {
        // No battery-backed clock: until the pool's first reply tells the time, certificates
        // are checked at the firmware's build time.
        Ok(connector) => connector.assume_time_if_unknown(UnixTime::from_secs(config::BUILD_TIME)),
        Err(e) => {
            error!("TLS: {}", Display2Format(&e));
            return;
        }
    };
    let mut client = Client::new(config, &connector, buffers.request, buffers.reply);
    info!(
        "client {} bytes, TLS connector {} bytes",
        size_of_val(&client),
        size_of_val(&connector)
    );

    let mut store = match FlashStore::new(board.flash, session::STORE_OFFSET, session::STORE_LEN) {
        Ok(store) => store,
        Err(e) => {
            error!("store: {}", Display2Format(&e));
            return;
        }
    };
    info!(
        "store: two slots of {} KiB at flash offset {=u32:#x}, {} bytes in RAM",
        session::STORE_LEN / 2 / 1024,
        session::STORE_OFFSET,
        size_of_val(&store)
    );

    // Pinned where it is, so the future is not moved into a second place in the main task's.
    let session = pin!(session::run(&mut client, &mut store, &mut board.rng));
    info!("session future {} bytes", size_of_val(&*session));
    session.await;
}

/// Logs the sizes of the buffers, the heap arena and the flows' state (the README's RAM
/// budget).
fn log_sizes() {
    info!(
        "RAM: TLS records {} + {} B, request {} B, reply {} B, heap {} B",
        INCOMING_RECORD_LEN,
        OUTGOING_RECORD_LEN,
        REQUEST_LEN,
        REPLY_LEN,
        heap::LEN
    );
    info!(
        "RAM: SignIn {} B, Refresh {} B, DeviceRegistration {} B, Remembered {} B",
        size_of::<SignIn<FlowLimits>>(),
        size_of::<Refresh<FlowLimits>>(),
        size_of::<DeviceRegistration<FlowLimits>>(),
        size_of::<Kept>()
    );
    info!(
        "RAM: Ethernet packets {} B, TCP buffers {} B, network stack resources {} B",
        size_of::<net::Packets>(),
        size_of::<net::TcpState>(),
        size_of::<embassy_net::StackResources<{ net::SOCKETS }>>()
    );
}
