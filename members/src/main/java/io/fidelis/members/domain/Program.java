package io.fidelis.members.domain;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import io.fidelis.members.ProgramId;

/**
 * A loyalty program: the currencies it earns in, the countries it runs in, and the time zone
 * its days (expiry, reports) are counted in.
 */
public record Program(ProgramId id, String name, Set<String> currencies, Set<String> regions, ZoneId timeZone,
		Instant definedAt) {

	private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

	public Program {
		Objects.requireNonNull(id, "id");
		name = InvalidInput.requireText("name", name, 120);
		currencies = validCurrencies(currencies);
		regions = validRegions(regions);
		Objects.requireNonNull(timeZone, "timeZone");
		Objects.requireNonNull(definedAt, "definedAt");
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
