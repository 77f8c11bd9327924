package io.fidelis.members.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Set;

import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import io.fidelis.members.ProgramId;

class ValueObjectsTest {

	@Test
	void emailsAreKeptInLowerCaseSoThatOnePersonHasOneSpelling() {
		assertThat(new EmailAddress("  Alice@Example.COM ").value()).isEqualTo("alice@example.com");
	}

	@Test
	void somethingThatIsNotAnEmailIsRefusedWithTheFieldNamed() {
		assertThatThrownBy(() -> new EmailAddress("alice")).isInstanceOf(InvalidInput.class)
				.hasMessageContaining("not an email address").extracting("field").isEqualTo("email");
		assertThatThrownBy(() -> new EmailAddress(" ")).isInstanceOf(InvalidInput.class);
		assertThatThrownBy(() -> new EmailAddress(null)).isInstanceOf(InvalidInput.class);
	}

	/** Property: for any address, normalising is idempotent and blind to case. Seeded, so a failure replays. */
	@RepeatedTest(200)
	void normalisingAnEmailTwiceChangesNothing(RepetitionInfo run) {
		Random random = new Random(run.getCurrentRepetition());
		String typed = letters(random) + (random.nextBoolean() ? "." + letters(random) : "") + "@" + letters(random) + "."
				+ letters(random);
		EmailAddress once = new EmailAddress(typed);
		assertThat(new EmailAddress(once.value())).isEqualTo(once);
		assertThat(new EmailAddress(once.value().toUpperCase(java.util.Locale.ROOT))).isEqualTo(once);
		assertThat(new EmailAddress("  " + typed + " ")).isEqualTo(once);
	}

	private static String letters(Random random) {
		String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_+";
		StringBuilder text = new StringBuilder();
		for (int i = 0, n = 1 + random.nextInt(20); i < n; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	@Test
	void phoneNumbersAreInternationalWithoutPunctuation() {
		assertThat(new PhoneNumber("+33 6 12-34.56 78").value()).isEqualTo("+33612345678");
		assertThatThrownBy(() -> new PhoneNumber("0612345678")).isInstanceOf(InvalidInput.class)
				.hasMessageContaining("international form");
	}

	@Test
	void aProgramNeedsRealCurrenciesCountriesAndATimeZone() {
		Program program = new Program(new ProgramId("acme"), "Acme", Set.of("eur", "USD"), Set.of("fr", "BE"),
				ZoneId.of("Europe/Paris"), Instant.EPOCH);
		assertThat(program.currencies()).containsExactlyInAnyOrder("EUR", "USD");
		assertThat(program.regions()).containsExactlyInAnyOrder("FR", "BE");

		assertThatThrownBy(() -> new Program(new ProgramId("acme"), "Acme", Set.of("EURO"), Set.of("FR"),
				ZoneId.of("UTC"), Instant.EPOCH)).isInstanceOf(InvalidInput.class).hasMessageContaining("ISO 4217");
		assertThatThrownBy(() -> new Program(new ProgramId("acme"), "Acme", Set.of("EUR"), Set.of("XX"),
				ZoneId.of("UTC"), Instant.EPOCH)).isInstanceOf(InvalidInput.class).hasMessageContaining("ISO 3166");
		assertThatThrownBy(() -> new Program(new ProgramId("acme"), "Acme", Set.of(), Set.of("FR"), ZoneId.of("UTC"),
				Instant.EPOCH)).isInstanceOf(InvalidInput.class).hasMessageContaining("at least one currency");
		assertThatThrownBy(() -> Program.timeZone("Mars/Olympus")).isInstanceOf(InvalidInput.class)
				.hasMessageContaining("time zone");
		assertThatThrownBy(() -> new Program(new ProgramId("acme"), "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("UTC"),
				Set.of("TELEPATHY"), io.fidelis.members.EnrollmentPolicy.open(), Instant.EPOCH))
				.isInstanceOf(InvalidInput.class).hasMessageContaining("not a channel");
		assertThatThrownBy(() -> new Program(new ProgramId("acme"), "Acme", Set.of("EUR"), Set.of("FR"), ZoneId.of("UTC"),
				Set.of("APP"), new io.fidelis.members.EnrollmentPolicy(false, false, false), Instant.EPOCH))
				.isInstanceOf(InvalidInput.class).hasMessageContaining("At least one way");
	}

	@Test
	void programIdsAreShortLowerCaseSlugs() {
		assertThatThrownBy(() -> new ProgramId("Acme Rewards")).isInstanceOf(IllegalArgumentException.class);
		assertThat(new ProgramId("acme-rewards-2").value()).isEqualTo("acme-rewards-2");
	}
}
