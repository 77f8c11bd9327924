package io.fidelis.bootstrap.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

/**
 * Where a webhook may post: only to public addresses. A URL whose host is, or resolves to, a
 * loopback, private, link-local (cloud metadata at 169.254.169.254 among them), carrier-grade NAT,
 * multicast, unspecified or unique-local address is refused when the webhook is created and again
 * before every delivery, since a name may resolve elsewhere later. The check resolves the name
 * and the delivery connects right after it: the JVM keeps a resolved name for 30 s
 * ({@code networkaddress.cache.ttl}), so the connection goes to the address that was checked.
 *
 * <p>{@code fidelis.webhooks.allowed-hosts} names hosts that may be private all the same: a
 * receiver on the developer's machine or inside the company's network.
 */
@Component
class WebhookDestinations {

	private final Set<String> allowedHosts;

	WebhookDestinations(WebhookProperties properties) {
		this.allowedHosts = properties.allowedHosts().stream().map(h -> h.strip().toLowerCase(Locale.ROOT))
				.filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
	}

	/** Why Fidelis will not post to {@code url}, said without internals; empty when it may. */
	Optional<String> refusal(URI url) {
		String host = url.getHost();
		if (host == null) {
			return Optional.of("the URL has no host");
		}
		String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
		if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
			return Optional.empty();
		}
		InetAddress[] addresses;
		try {
			addresses = InetAddress.getAllByName(bare);
		}
		catch (UnknownHostException e) {
			return Optional.of("the host " + host + " cannot be resolved");
		}
		for (InetAddress address : addresses) {
			if (!isPublic(address)) {
				return Optional.of("the host " + host + " is a loopback, private, link-local or multicast address;"
						+ " webhooks post to public addresses only");
			}
		}
		return Optional.empty();
	}

	static boolean isPublic(InetAddress address) {
		if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
				|| address.isSiteLocalAddress() || address.isMulticastAddress()) {
			return false;
		}
		byte[] b = address.getAddress();
		if (address instanceof Inet4Address) {
			int first = b[0] & 0xff;
			int second = b[1] & 0xff;
			return first != 0 // "this network"
					&& !(first == 100 && second >= 64 && second <= 127) // carrier-grade NAT, 100.64.0.0/10
					&& !(first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
					&& !(first == 198 && (second == 18 || second == 19)) // benchmarking
					&& first < 240; // reserved and broadcast
		}
		if (address instanceof Inet6Address) {
			if ((b[0] & 0xfe) == 0xfc) {
				return false; // unique local, fc00::/7 (AWS's metadata at fd00:ec2::254 among them)
			}
			if (isMappedOrCompatibleV4(b)) {
				try {
					return isPublic(InetAddress.getByAddress(new byte[] { b[12], b[13], b[14], b[15] }));
				}
				catch (UnknownHostException e) {
					return false;
				}
			}
		}
		return true;
	}

	/** ::ffff:a.b.c.d and ::a.b.c.d carry an IPv4 address, which is what they reach. */
	private static boolean isMappedOrCompatibleV4(byte[] b) {
		for (int i = 0; i < 10; i++) {
			if (b[i] != 0) {
				return false;
			}
		}
		return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
	}
}
