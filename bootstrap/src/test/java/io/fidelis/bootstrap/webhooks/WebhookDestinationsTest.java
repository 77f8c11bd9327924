package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookDestinationsTest {

	final WebhookDestinations destinations = new WebhookDestinations(new WebhookProperties(Duration.ofSeconds(10),
			Duration.ofHours(1), 10, Duration.ofSeconds(10), List.of("receiver.internal", "10.9.8.7")));

	@ParameterizedTest
	@ValueSource(strings = { "127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
			"169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250",
			"255.255.255.255", "240.0.0.1", "192.0.0.170", "198.18.0.1", "::1", "::", "fe80::1", "fd00:ec2::254",
			"fc00::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "ff02::1" })
	void addressesThatAreNotPublicAreRefused(String literal) throws UnknownHostException {
		assertThat(WebhookDestinations.isPublic(InetAddress.getByName(literal))).as(literal).isFalse();
		String host = literal.contains(":") ? "[" + literal + "]" : literal;
		assertThat(destinations.refusal(URI.create("https://" + host + "/hook"))).as(literal).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "192.169.0.1",
			"2606:4700:4700::1111", "2001:4860:4860::8888" })
	void publicAddressesAreAccepted(String literal) throws UnknownHostException {
		assertThat(WebhookDestinations.isPublic(InetAddress.getByName(literal))).as(literal).isTrue();
		String host = literal.contains(":") ? "[" + literal + "]" : literal;
		assertThat(destinations.refusal(URI.create("https://" + host + "/hook"))).as(literal).isEmpty();
	}

	@Test
	void namesAreResolvedAndCheckedAndAllowedHostsPass() {
		assertThat(destinations.refusal(URI.create("http://localhost:8080/actuator/health")))
				.hasValueSatisfying(why -> assertThat(why).contains("localhost").contains("public addresses only")
						.doesNotContain("Exception"));
		assertThat(destinations.refusal(URI.create("https://nobody.invalid/hook")))
				.contains("the host nobody.invalid cannot be resolved");
		assertThat(destinations.refusal(URI.create("http://10.9.8.7:9000/hook"))).isEmpty();
		assertThat(destinations.refusal(URI.create("http://RECEIVER.internal/hook"))).as("named, so never resolved").isEmpty();
	}
}
