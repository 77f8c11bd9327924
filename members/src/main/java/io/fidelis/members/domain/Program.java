package io.fidelis.members.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.fidelis.members.EnrollmentPolicy;
import io.fidelis.members.ProgramId;

/**
 * A loyalty program: the currencies it earns in, the countries it runs in, and the time zone
 * its days (expiry, reports) are counted in.
 */
public record Program(ProgramId id, String name, Set<String> currencies, Set<String> regions, ZoneId timeZone,
		Set<String> channels, EnrollmentPolicy enrollment, Instant definedAt, String cardPrefix) {

	public Program(ProgramId id, String name, Set<String> currencies, Set<String> regions, ZoneId timeZone,
			Set<String> channels, EnrollmentPolicy enrollment, Instant definedAt) {
		this(id, name, currencies, regions, timeZone, channels, enrollment, definedAt, CardNumber.DEFAULT_PREFIX);
	}

	public static final Set<String> CHANNELS = Set.of("ONLINE", "IN_STORE", "APP", "PARTNER");

	public Program(ProgramId id, String name, Set<String> currencies, Set<String> regions, ZoneId timeZone,
			Instant definedAt) {
		this(id, name, currencies, regions, timeZone, CHANNELS, EnrollmentPolicy.open(), definedAt);
	}

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	public Program {
		Objects.requireNonNull(id, "id");
		name = InvalidInput.requireText("name", name, 120);
		currencies = validCurrencies(currencies);
		regions = validRegions(regions);
		Objects.requireNonNull(timeZone, "timeZone");
		Objects.requireNonNull(definedAt, "definedAt");
		channels = validChannels(channels);
		Objects.requireNonNull(enrollment, "enrollment");
		if (!enrollment.selfService() && !enrollment.integration() && !enrollment.staff()) {
			throw new InvalidInput("enrollment", "At least one way of enrolling must be open");
		}
		cardPrefix = CardNumber.validPrefix(cardPrefix == null ? CardNumber.DEFAULT_PREFIX : cardPrefix);
	}

	public static ZoneId timeZone(String zone) {
		try {
			return ZoneId.of(InvalidInput.requireText("timeZone", zone, 64));
		}
		catch (java.time.DateTimeException e) {
			throw new InvalidInput("timeZone", "'" + zone + "' is not a time zone such as Europe/Paris");
		}
	}

	private static Set<String> validCurrencies(Set<String> codes) {
		if (codes == null || codes.isEmpty()) {
			throw new InvalidInput("currencies", "A program needs at least one currency");
		}
		Set<String> valid = new TreeSet<>();
		for (String code : codes) {
			try {
				valid.add(Currency.getInstance(code.strip().toUpperCase(Locale.ROOT)).getCurrencyCode());
			}
			catch (IllegalArgumentException | NullPointerException e) {
				throw new InvalidInput("currencies", "'" + code + "' is not an ISO 4217 currency code");
			}
		}
		return Set.copyOf(valid);
	}

	private static Set<String> validChannels(Set<String> names) {
		if (names == null || names.isEmpty()) {
			throw new InvalidInput("channels", "A program runs on at least one channel");
		}
		Set<String> valid = new TreeSet<>();
		for (String name : names) {
			String upper = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
			if (!CHANNELS.contains(upper)) {
				throw new InvalidInput("channels", "'" + name + "' is not a channel: ONLINE, IN_STORE, APP or PARTNER");
			}
			valid.add(upper);
		}
		return Set.copyOf(valid);
	}

	private static Set<String> validRegions(Set<String> codes) {
		if (codes == null || codes.isEmpty()) {
			throw new InvalidInput("regions", "A program runs in at least one country");
		}
		Set<String> valid = new TreeSet<>();
		for (String code : codes) {
			String upper = code == null ? "" : code.strip().toUpperCase(Locale.ROOT);
			if (!COUNTRIES.contains(upper)) {
				throw new InvalidInput("regions", "'" + code + "' is not an ISO 3166 country code");
			}
			valid.add(upper);
		}
		return Set.copyOf(valid);
	}
}
