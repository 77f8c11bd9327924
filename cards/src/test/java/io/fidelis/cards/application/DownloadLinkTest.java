package io.fidelis.cards.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class DownloadLinkTest {

	@Test
	void download_links_work_for_their_serial_until_they_expire() {
		DownloadLink links = new DownloadLink(new byte[32]);
		Instant now = Instant.parse("2026-11-27T10:00:00Z");
		Instant expires = now.plus(DownloadLink.LIFETIME);
		String signature = links.signature("c1", expires);
		assertThat(links.valid("c1", expires.getEpochSecond(), signature, now)).isTrue();
		assertThat(links.valid("c2", expires.getEpochSecond(), signature, now)).as("another card").isFalse();
		assertThat(links.valid("c1", expires.getEpochSecond() + 3600, signature, now)).as("expiry moved").isFalse();
		assertThat(links.valid("c1", expires.getEpochSecond(), signature, expires.plusSeconds(1))).as("expired").isFalse();
		assertThat(links.valid("c1", expires.getEpochSecond(), null, now)).isFalse();
		byte[] other = new byte[32];
		other[0] = 1;
		assertThat(new DownloadLink(other).valid("c1", expires.getEpochSecond(), signature, now))
				.as("another server's secret").isFalse();
		assertThatThrownBy(() -> new DownloadLink(new byte[8])).isInstanceOf(IllegalArgumentException.class);
	}
}
