package io.fidelis.cards.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class WalletCardTest {

	static final Instant T0 = Instant.parse("2026-11-27T10:00:00.250Z");

	static WalletCard card() {
		return WalletCard.issue("c1", "m_1", "acme", "4242000000000006", "Alice Martin", null, "abcdefghijklmnop", T0);
	}

	/**
	 * Balances arrive in any order and any number of times (events redelivered, late); the card
	 * always ends on the newest account version, and its two clocks only ever move forward.
	 */
	@RepeatedTest(20)
	void newest_balance_wins_whatever_the_order_and_clocks_only_move_forward(RepetitionInfo repetition) {
		Random random = new Random(17L * repetition.getCurrentRepetition());
		List<long[]> versions = new ArrayList<>(); // {version, available, pending}
		for (int v = 1; v <= 30; v++) {
			versions.add(new long[] { v, random.nextInt(10_000), random.nextInt(500) });
		}
		List<long[]> deliveries = new ArrayList<>(versions);
		for (int i = 0; i < 20; i++) {
			deliveries.add(versions.get(random.nextInt(versions.size()))); // redeliveries
		}
		Collections.shuffle(deliveries, random);
		WalletCard card = card();
		Instant now = T0;
		long highest = 0;
		for (long[] d : deliveries) {
			// often several changes in one second: Last-Modified must still move
			now = now.plusMillis(random.nextInt(3) == 0 ? 1_500 : 7);
			WalletCard after = card.withBalance(d[1], d[2], d[0], 0, null, now);
			if (d[0] > highest) {
				assertThat(after.updateTag()).isGreaterThan(card.updateTag());
				assertThat(after.updatedAt()).isAfter(card.updatedAt());
				assertThat(after.updatedAt().getNano()).isZero();
				highest = d[0];
			}
			else {
				assertThat(after).isEqualTo(card);
			}
			card = after;
		}
		long[] newest = versions.get(versions.size() - 1);
		assertThat(card.balanceVersion()).isEqualTo(newest[0]);
		assertThat(card.available()).isEqualTo(newest[1]);
		assertThat(card.pending()).isEqualTo(newest[2]);
	}

	@Test
	void a_phone_holding_the_latest_version_is_not_sent_it_again() {
		WalletCard card = card().withBalance(10, 0, 1, 0, null, T0.plusSeconds(5));
		assertThat(card.notModifiedSince(card.updatedAt())).isTrue();
		assertThat(card.notModifiedSince(card.updatedAt().minusSeconds(1))).isFalse();
	}

	@Test
	void ended_cards_stay_ended_and_erasure_keeps_nothing_personal() {
		WalletCard revoked = card().ended(WalletCard.CardStatus.REVOKED, "fraud", T0.plusSeconds(1));
		assertThat(revoked.active()).isFalse();
		assertThat(revoked.ended(WalletCard.CardStatus.VOIDED, "CLOSED", T0.plusSeconds(2))).isEqualTo(revoked);
		assertThatThrownBy(() -> card().ended(WalletCard.CardStatus.ACTIVE, "x", T0))
				.isInstanceOf(IllegalArgumentException.class);

		WalletCard erased = card().withTier("Gold", T0.plusSeconds(1)).erased(T0.plusSeconds(2));
		assertThat(erased.status()).isEqualTo(WalletCard.CardStatus.VOIDED);
		assertThat(erased.memberName()).isNull();
		assertThat(erased.cardNumber()).isNull();
		assertThat(erased.tier()).isNull();
		assertThat(erased.updatedAt()).isAfter(card().updatedAt());
	}

	@Test
	void an_ended_card_shows_what_it_showed_when_it_ended() {
		WalletCard revoked = card().withBalance(25, 0, 1, 0, null, T0.plusSeconds(1))
				.ended(WalletCard.CardStatus.REVOKED, "fraud", T0.plusSeconds(2));
		assertThat(revoked.withBalance(30, 0, 2, 0, null, T0.plusSeconds(3))).isEqualTo(revoked);
		assertThat(revoked.withTier("Gold", T0.plusSeconds(3))).isEqualTo(revoked);
		assertThat(revoked.withHolder("Alice M.", "4242000000000014", T0.plusSeconds(3))).isEqualTo(revoked);
	}

	@Test
	void a_replaced_pass_is_voided_once_more_and_keeps_its_status_if_it_had_ended() {
		WalletCard stolen = card().retired(WalletCard.CardStatus.VOIDED, "REPLACED: STOLEN", T0.plusSeconds(1));
		assertThat(stolen.retired()).isTrue();
		assertThat(stolen.active()).isFalse();
		assertThat(stolen.status()).isEqualTo(WalletCard.CardStatus.VOIDED);
		assertThat(stolen.statusReason()).isEqualTo("REPLACED: STOLEN");
		assertThat(stolen.updateTag()).as("phones are told").isGreaterThan(card().updateTag());

		WalletCard revoked = card().ended(WalletCard.CardStatus.REVOKED, "REVOKED: fraud", T0.plusSeconds(1));
		WalletCard reinstated = revoked.retired(WalletCard.CardStatus.REVOKED, "REVOKED: fraud", T0.plusSeconds(2));
		assertThat(reinstated.status()).isEqualTo(WalletCard.CardStatus.REVOKED);
		assertThat(reinstated.retired()).isTrue();
		assertThat(reinstated.updateTag()).isGreaterThan(revoked.updateTag());
		assertThat(reinstated.erased(T0.plusSeconds(3))).satisfies(erased -> {
			assertThat(erased.retired()).isTrue();
			assertThat(erased.cardNumber()).isNull();
			assertThat(erased.memberName()).isNull();
		});
	}

	@Test
	void a_pass_token_is_at_least_sixteen_characters() {
		assertThatThrownBy(() -> WalletCard.issue("c1", "m", "p", "1", "n", null, "short", T0))
				.isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16");
	}

	/** Why cards need not hear of accounts being opened: an empty account at version 0 is what a new card shows. */
	@Test
	void a_newly_opened_account_changes_nothing_on_a_new_card() {
		WalletCard card = card();
		assertThat(card.withBalance(0, 0, 0, 0, null, T0.plusSeconds(5))).isSameAs(card);
		assertThat(card.withBalance(10, 0, 1, 0, null, T0.plusSeconds(5))).isNotEqualTo(card);
	}

	@Test
	void unchanged_holder_or_tier_is_no_change() {
		WalletCard card = card();
		assertThat(card.withHolder("Alice Martin", "4242000000000006", T0.plus(Duration.ofMinutes(1)))).isEqualTo(card);
		assertThat(card.withTier(null, T0.plusSeconds(3))).isEqualTo(card);
		assertThat(card.withHolder("Alice Dupont", "4242000000000006", T0.plusSeconds(3)).memberName())
				.isEqualTo("Alice Dupont");
	}

	/**
	 * A suspended member's card is on hold and comes back: its balance, tier and name still follow
	 * the member meanwhile, each change moves both clocks, and an ended card never comes back.
	 */
	@Test
	void a_suspended_card_still_follows_the_member_and_is_active_again_when_the_suspension_is_lifted() {
		WalletCard suspended = card().suspended(true, T0.plusSeconds(1));
		assertThat(suspended.status()).isEqualTo(WalletCard.CardStatus.SUSPENDED);
		assertThat(suspended.statusReason()).isEqualTo("SUSPENDED");
		assertThat(suspended.active()).isFalse();
		assertThat(suspended.ended()).isFalse();
		assertThat(suspended.updateTag()).isGreaterThan(card().updateTag());
		assertThat(suspended.updatedAt()).isAfter(card().updatedAt());
		assertThat(suspended.suspended(true, T0.plusSeconds(2))).as("told twice").isEqualTo(suspended);

		WalletCard moved = suspended.withBalance(120, 5, 3, 0, null, T0.plusSeconds(2)).withTier("Gold", T0.plusSeconds(3))
				.withHolder("Alice Dupont", "4242000000000006", T0.plusSeconds(4));
		assertThat(moved.available()).isEqualTo(120);
		assertThat(moved.tier()).isEqualTo("Gold");
		assertThat(moved.memberName()).isEqualTo("Alice Dupont");
		assertThat(moved.status()).isEqualTo(WalletCard.CardStatus.SUSPENDED);

		WalletCard lifted = moved.suspended(false, T0.plusSeconds(5));
		assertThat(lifted.status()).isEqualTo(WalletCard.CardStatus.ACTIVE);
		assertThat(lifted.statusReason()).isNull();
		assertThat(lifted.updatedAt()).isAfter(moved.updatedAt());
		assertThat(lifted.available()).isEqualTo(120);

		WalletCard closed = moved.ended(WalletCard.CardStatus.VOIDED, "CLOSED", T0.plusSeconds(6));
		assertThat(closed.status()).isEqualTo(WalletCard.CardStatus.VOIDED);
		assertThat(closed.suspended(false, T0.plusSeconds(7))).as("an ended card stays ended").isEqualTo(closed);
		assertThat(closed.suspended(true, T0.plusSeconds(7))).isEqualTo(closed);
		assertThatThrownBy(() -> card().ended(WalletCard.CardStatus.SUSPENDED, "x", T0))
				.isInstanceOf(IllegalArgumentException.class);
	}
}
