package io.fidelis.members.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;

class ReferralCodeTest {

	static final ProgramId ACME = new ProgramId("acme");

	@Test
	void a_members_code_is_the_same_every_time_and_ten_characters_of_crockfords_alphabet() {
		MemberId member = MemberId.random();
		ReferralCode code = ReferralCode.of(ACME, member, 0);
		assertThat(ReferralCode.of(ACME, member, 0)).isEqualTo(code);
		assertThat(code.value()).hasSize(10).matches("[0-9A-HJKMNP-TV-Z]{10}");
		assertThat(ReferralCode.of(ACME, member, 1)).as("a second draw after a clash").isNotEqualTo(code);
		assertThat(ReferralCode.of(new ProgramId("globex"), member, 0)).as("another program's code").isNotEqualTo(code);
		assertThat(code.display()).isEqualTo(code.value().substring(0, 5) + "-" + code.value().substring(5));
	}

	@Test
	void fifty_thousand_members_draw_fifty_thousand_codes() {
		Set<String> codes = new HashSet<>();
		for (int i = 0; i < 50_000; i++) {
			codes.add(ReferralCode.of(ACME, MemberId.random(), 0).value());
		}
		assertThat(codes).hasSize(50_000);
	}

	@Test
	void a_code_is_read_as_people_type_it() {
		ReferralCode code = ReferralCode.of(ACME, MemberId.random(), 0);
		assertThat(ReferralCode.typed(code.display().toLowerCase())).isEqualTo(code);
		assertThat(ReferralCode.typed(" " + code.value().substring(0, 3) + " " + code.value().substring(3) + " ")).isEqualTo(code);
		assertThat(ReferralCode.typed("0O1IL-ABCDE")).as("O reads as 0, I and L as 1").isEqualTo(new ReferralCode("00111ABCDE"));
	}

	@Test
	void anything_else_is_refused_with_the_field() {
		for (String bad : new String[] { "", "ABCDE", "ABCDE-ABCDEF", "ABCDE-ABCDU", "ABCDE_ABCDE", "ÄBCDE-ABCDE",
				"x".repeat(41) }) {
			assertThatThrownBy(() -> ReferralCode.typed(bad)).as(bad).isInstanceOf(InvalidInput.class)
					.hasMessageContaining("referral code");
		}
		assertThatThrownBy(() -> ReferralCode.typed(null)).isInstanceOf(InvalidInput.class);
	}
}
