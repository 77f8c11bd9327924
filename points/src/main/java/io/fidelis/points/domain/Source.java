package io.fidelis.points.domain;

import java.util.Objects;

/**
 * Where a movement of points came from: channel, country, store or partner, and the caller's own
 * reference (receipt, order number).
 */
public record Source(Channel channel, String region, String store, String partner, String externalReference) {

	public Source {
		Objects.requireNonNull(channel, "channel");
		region = optional("region", region, 2);
		store = optional("store", store, 100);
		partner = optional("partner", partner, 100);
		externalReference = optional("externalReference", externalReference, 200);
		if (region != null && !region.matches("[A-Z]{2}")) {
			throw new InvalidPoints("region", "region must be an ISO 3166 country code such as FR");
		}
	}

	/** The same place without the caller's own reference, which may name a person (erasure). */
	public Source withoutReference() {
		return externalReference == null ? this : new Source(channel, region, store, partner, null);
	}

	private static String optional(String field, String value, int max) {
		if (value == null || value.isBlank()) {
			return null;
		}
		String stripped = value.strip();
		if (stripped.length() > max) {
			throw new InvalidPoints(field, field + " must be at most " + max + " characters");
		}
		return field.equals("region") ? stripped.toUpperCase(java.util.Locale.ROOT) : stripped;
	}
}
