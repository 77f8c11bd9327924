package io.fidelis.members.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class CardNumberAndStatusTest {

	/** Property: every issued number is valid, and any single mistyped digit is caught. Seeded. */
	@RepeatedTest(100)
	void issuedNumbersAreValidAndOneWrongDigitIsCaught(RepetitionInfo run) {
		Random random = new Random(run.getCurrentRepetition());
		CardNumber card = CardNumber.generate(random);
		assertThat(card.value()).hasSize(16).startsWith("7");
		assertThat(new CardNumber(card.value())).isEqualTo(card);

		int position = random.nextInt(16);
		char digit = card.value().charAt(position);
		char typo = (char) ('0' + (digit - '0' + 1 + random.nextInt(9)) % 10);
		String mistyped = card.value().substring(0, position) + typo + card.value().substring(position + 1);
		assertThatThrownBy(() -> new CardNumber(mistyped)).isInstanceOf(InvalidInput.class);
	}

	@Test
	void cardNumbersMayBeTypedWithSpacesOrDashes() {
		CardNumber card = CardNumber.generate(new Random(7));
		String v = card.value();
		assertThat(new CardNumber(v.substring(0, 4) + " " + v.substring(4, 8) + "-" + v.substring(8))).isEqualTo(card);
		assertThatThrownBy(() -> new CardNumber("1234")).isInstanceOf(InvalidInput.class);
	}

	@Test
	void theLifecycleGoesBetweenActiveAndSuspendedAndEndsAtClosed() {
		assertThat(MemberStatus.ACTIVE.mayBecome(MemberStatus.SUSPENDED)).isTrue();
		assertThat(MemberStatus.SUSPENDED.mayBecome(MemberStatus.ACTIVE)).isTrue();
		assertThat(MemberStatus.SUSPENDED.mayBecome(MemberStatus.CLOSED)).isTrue();
		assertThat(MemberStatus.CLOSED.mayBecome(MemberStatus.ACTIVE)).isFalse();
		assertThat(MemberStatus.CLOSED.mayBecome(MemberStatus.SUSPENDED)).isFalse();
		assertThat(MemberStatus.ACTIVE.mayBecome(MemberStatus.ACTIVE)).isFalse();
	}
}
