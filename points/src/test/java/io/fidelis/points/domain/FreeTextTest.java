package io.fidelis.points.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FreeTextTest {

	@Test
	void printableTextInAnyScriptPassesUnchanged() {
		for (String text : new String[] { "free coffee", "café crème", "無料のコーヒー", "ok 😀 👩‍👩‍👧", "x".repeat(500), "" }) {
			assertThat(FreeText.check("reason", text, 500)).isEqualTo(text);
		}
		assertThat(FreeText.check("reason", null, 500)).isNull();
	}

	@Test
	void tooLongControlDirectionAndLoneSurrogatesAreRefusedNamingTheField() {
		assertThatThrownBy(() -> FreeText.check("reason", "x".repeat(501), 500)).isInstanceOf(InvalidPoints.class)
				.hasMessage("reason is at most 500 characters");
		for (String text : new String[] { "a\nb", "a\tb", "a\u0000", "\u0007", "a\u0085b", "\u202Eabc", "\u2066x\u2069",
				"half \ud83d", "\ude00 alone", "x\ud83d\ud83d" }) {
			assertThatThrownBy(() -> FreeText.check("reason", text, 500)).as(text).isInstanceOf(InvalidPoints.class)
					.satisfies(e -> assertThat(((InvalidPoints) e).field()).isEqualTo("reason"));
		}
	}
}
