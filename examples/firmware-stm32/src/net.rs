//! The board: clocks, the random generator, the internal flash, and Ethernet (the LAN8742A PHY
//! on RMII) under embassy-net with DHCP.

use defmt::{info, unwrap};
use embassy_executor::Spawner;
use embassy_net::tcp::client::{TcpClient, TcpClientState};
use embassy_net::{DhcpConfig, Stack, StackResources};
use embassy_stm32::eth::{Ethernet, GenericPhy, PacketQueue, Sma};
use embassy_stm32::flash::Flash;
use embassy_stm32::peripherals::{ETH, ETH_SMA, RNG};
use embassy_stm32::rng::Rng;
use embassy_stm32::time::Hertz;
use embassy_stm32::{Config, Peripherals, bind_interrupts, eth, flash, peripherals, rng};
use static_cell::ConstStaticCell;

bind_interrupts!(struct Irqs {
    ETH => eth::InterruptHandler;
    HASH_RNG => rng::InterruptHandler<peripherals::RNG>;
    FLASH => flash::InterruptHandler;
});

/// Ethernet DMA descriptors and buffers: 4 frames each way.
pub(crate) type Packets = PacketQueue<4, 4>;
/// Sockets: DHCP, DNS and the one TCP connection to the pool.
pub(crate) const SOCKETS: usize = 3;
/// The one TCP connection the TLS layer holds at a time, with its send and receive windows.
pub(crate) type TcpState = TcpClientState<1, TCP_TX_LEN, TCP_RX_LEN>;
/// TCP send buffer.
pub(crate) const TCP_TX_LEN: usize = 4096;
/// TCP receive buffer (the window the pool may send ahead).
pub(crate) const TCP_RX_LEN: usize = 4096;
/// The TCP connector the TLS layer opens connections with.
pub(crate) type Tcp = TcpClient<'static, 1, TCP_TX_LEN, TCP_RX_LEN>;

/// The Ethernet driver the network stack runs.
type Device = Ethernet<'static, ETH, GenericPhy<Sma<'static, ETH_SMA>>>;

static PACKETS: ConstStaticCell<Packets> = ConstStaticCell::new(PacketQueue::new());
static RESOURCES: ConstStaticCell<StackResources<SOCKETS>> =
    ConstStaticCell::new(StackResources::new());
static TCP_STATE: ConstStaticCell<TcpState> = ConstStaticCell::new(TcpClientState::new());

/// What the session needs from the board.
pub(crate) struct Board {
    /// The network stack, configured by DHCP.
    pub(crate) stack: Stack<'static>,
    /// TCP connections over it.
    pub(crate) tcp: Tcp,
    /// The hardware random generator (`rand_core` 0.6 `RngCore + CryptoRng`).
    pub(crate) rng: Rng<'static, RNG>,
    /// The internal flash, with async erase and write.
    pub(crate) flash: Flash<'static>,
}

/// Clocks: the 8 MHz clock of the ST-LINK (HSE bypass) into the PLL, for a 168 MHz core and
/// the 48 MHz the random generator needs (168 rather than 180 MHz: at 180 the PLL's Q output
/// cannot make 48 MHz). APB1 at 42 MHz, APB2 at 84 MHz; Ethernet runs on the 168 MHz AHB.
pub(crate) fn clocks() -> Config {
    use embassy_stm32::rcc::{
        AHBPrescaler, APBPrescaler, Hse, HseMode, Pll, PllMul, PllPDiv, PllPreDiv, PllQDiv,
        PllSource, Sysclk,
    };
    let mut config = Config::default();
    config.rcc.hse = Some(Hse {
        freq: Hertz(8_000_000),
        mode: HseMode::Bypass,
    });
    config.rcc.pll_src = PllSource::HSE;
    config.rcc.pll = Some(Pll {
        prediv: PllPreDiv::DIV4,   // 2 MHz into the VCO
        mul: PllMul::MUL168,       // VCO at 336 MHz
        divp: Some(PllPDiv::DIV2), // SYSCLK 168 MHz
        divq: Some(PllQDiv::DIV7), // PLL48CLK 48 MHz (RNG)
        divr: None,
    });
    config.rcc.sys = Sysclk::PLL1_P;
    config.rcc.ahb_pre = AHBPrescaler::DIV1;
    config.rcc.apb1_pre = APBPrescaler::DIV4;
    config.rcc.apb2_pre = APBPrescaler::DIV2;
    config
}

/// Brings the board up from its peripherals (initialised with [`clocks`]): random generator,
/// flash, Ethernet, the network stack (its runner spawned as a task); waits for DHCP.
pub(crate) async fn start(spawner: Spawner, p: Peripherals) -> Board {
    let mut rng = Rng::new(p.RNG, Irqs);
    let flash = Flash::new(p.FLASH, Irqs);

    // A locally administered unicast address from the chip's unique id: stable across reboots,
    // distinct per board.
    let uid = embassy_stm32::uid::uid();
    let mac = [
        0x02,
        uid[0] ^ uid[6],
        uid[1] ^ uid[7],
        uid[2] ^ uid[8],
        uid[3] ^ uid[9],
        uid[4] ^ uid[10] ^ uid[11],
    ];
    info!("MAC address {=[u8]:02x}", mac);

    // NUCLEO-F429ZI RMII: REF_CLK PA1, CRS_DV PA7, RXD0 PC4, RXD1 PC5, TXD0 PG13, TXD1 PB13,
    // TX_EN PG11; MDIO PA2, MDC PC1. The PHY's address is probed.
    let device = Ethernet::new(
        PACKETS.take(),
        p.ETH,
        Irqs,
        p.PA1,
        p.PA7,
        p.PC4,
        p.PC5,
        p.PG13,
        p.PB13,
        p.PG11,
        mac,
        p.ETH_SMA,
        p.PA2,
        p.PC1,
    );

    let config = embassy_net::Config::dhcpv4(DhcpConfig::default());
    let seed = rng.next_u64();
    let (stack, runner) = embassy_net::new(device, config, RESOURCES.take(), seed);
    spawner.spawn(unwrap!(net_task(runner)));

    info!("waiting for the link and DHCP");
    stack.wait_config_up().await;
    if let Some(v4) = stack.config_v4() {
        info!(
            "IPv4 {} via {:?}, DNS {:?}",
            v4.address, v4.gateway, v4.dns_servers
        );
    }

    let tcp = TcpClient::new(stack, TCP_STATE.take());
    Board {
        stack,
        tcp,
        rng,
        flash,
    }
}

/// Runs the network stack.
#[embassy_executor::task]
async fn net_task(mut runner: embassy_net::Runner<'static, Device>) -> ! {
    runner.run().await
}
