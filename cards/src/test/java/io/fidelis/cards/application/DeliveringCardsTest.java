package io.fidelis.cards.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** When a failed wallet update is tried again. */
class DeliveringCardsTest {

	static CardStore.Due attempt(int attempts) {
		return new CardStore.Due("c1", CardStore.Wallet.GOOGLE, 1, attempts, 1);
	}

	@Test
	void a_failure_backs_off_and_google_s_retry_after_is_honoured_up_to_an_hour() {
		assertThat(DeliveringCards.pause(attempt(0), new IllegalStateException("down"))).isEqualTo(Duration.ofSeconds(1));
		assertThat(DeliveringCards.pause(attempt(3), new IllegalStateException("down"))).isEqualTo(Duration.ofSeconds(8));
		assertThat(DeliveringCards.pause(attempt(20), new IllegalStateException("down"))).isEqualTo(Duration.ofMinutes(10));
		assertThat(DeliveringCards.pause(attempt(0), new GoogleWallet.Busy("429", Duration.ofSeconds(30))))
				.isEqualTo(Duration.ofSeconds(30));
		assertThat(DeliveringCards.pause(attempt(8), new GoogleWallet.Busy("429", Duration.ofSeconds(30))))
				.as("the back-off when it is longer").isEqualTo(Duration.ofSeconds(256));
		assertThat(DeliveringCards.pause(attempt(0), new GoogleWallet.Busy("503", Duration.ZERO))).isEqualTo(Duration.ofSeconds(1));
		assertThat(DeliveringCards.pause(attempt(0), new GoogleWallet.Busy("429", Duration.ofHours(5))))
				.isEqualTo(Duration.ofHours(1));
	}
}
