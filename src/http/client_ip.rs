//! [ssr] The trader's address, for the per-IP limit (security: `per-ip-bucket`).
//!
//! The peer address is the client unless the peer is one of the configured
//! proxies (`PORTAL_TRUSTED_PROXIES`). Only then is `X-Forwarded-For` read,
//! from the right, skipping the trusted proxies: the first address that is
//! not one of ours is the client. A header from anyone else is ignored, so a
//! client can't pick its own bucket.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// Addresses and CIDR blocks whose `X-Forwarded-For` the portal believes
/// (matched by `ipnet`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Whether a block trusts every address (`0.0.0.0/0`, `::/0`): then
    /// any client could name its own address.
    pub fn trusts_everyone(&self) -> bool {
        self.0.iter().any(|net| net.prefix_len() == 0)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client behind `peer`, given the request's headers.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.contains(peer) {
            return peer;
        }
        let hops = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            match hop.parse::<IpAddr>() {
                Ok(ip) if self.contains(ip) => continue,
                Ok(ip) => return canonical(ip),
                // A malformed hop: nothing left of it can be trusted.
                Err(_) => break,
            }
        }
        peer
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// A comma-separated list: `10.0.0.5, 10.1.0.0/16, fd00::/8`.
    fn from_str(raw: &str) -> Result<Self, String> {
        let bad = |item: &str| {
            format!("PORTAL_TRUSTED_PROXIES: {item:?} is not an address or CIDR block")
        };
        raw.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                let net = match item.parse::<IpNet>() {
                    Ok(net) => net,
                    Err(_) => IpNet::from(item.parse::<IpAddr>().map_err(|_| bad(item))?),
                };
                Ok(canonical_net(net))
            })
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
    }
}

/// IPv4-mapped IPv6 addresses compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// An IPv4-mapped block (`::ffff:10.0.0.0/104`) as the IPv4 block it is.
fn canonical_net(net: IpNet) -> IpNet {
    match (canonical(net.addr()), net.prefix_len().checked_sub(96)) {
        (IpAddr::V4(v4), Some(prefix)) if net.addr().is_ipv6() => {
            ipnet::Ipv4Net::new(v4, prefix).map_or(net, |v4net| IpNet::V4(v4net.trunc()))
        }
        _ => net.trunc(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn forwarded(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        assert_eq!(
            none.client(ip("10.0.0.5"), &forwarded("1.2.3.4")),
            ip("10.0.0.5")
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxies: TrustedProxies = "10.0.0.5".parse().unwrap();
        let h = forwarded("1.2.3.4");
        assert_eq!(proxies.client(ip("10.0.0.5"), &h), ip("1.2.3.4"));
        // The same header from anyone else changes nothing.
        assert_eq!(proxies.client(ip("9.9.9.9"), &h), ip("9.9.9.9"));
    }

    #[test]
    fn a_client_cannot_spoof_hops_to_the_left() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.1".parse().unwrap();
        // The client wrote "6.6.6.6" itself; our proxies appended the rest.
        let h = forwarded("6.6.6.6, 1.2.3.4, 10.1.2.3");
        assert_eq!(proxies.client(ip("192.168.1.1"), &h), ip("1.2.3.4"));
        // Garbage stops the walk: fall back to the peer.
        let h = forwarded("1.2.3.4, not-an-ip");
        assert_eq!(proxies.client(ip("192.168.1.1"), &h), ip("192.168.1.1"));
    }

    #[test]
    fn blocks_and_mapped_addresses() {
        let proxies: TrustedProxies = "fd00::/8, 172.16.0.0/12".parse().unwrap();
        assert!(proxies.contains(ip("fd12::1")));
        assert!(proxies.contains(ip("172.31.255.255")));
        assert!(!proxies.contains(ip("172.32.0.0")));
        assert!(proxies.contains(ip("::ffff:172.16.0.9")));
        assert!("0.0.0.0/0"
            .parse::<TrustedProxies>()
            .unwrap()
            .contains(ip("8.8.8.8")));
        for bad in ["10.0.0.0/33", "proxy.local", "10.0.0.1/x"] {
            assert!(bad.parse::<TrustedProxies>().is_err(), "{bad}");
        }
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }
}
