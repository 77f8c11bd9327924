package io.fidelis.points.domain;

/** One of a program's own stores (or web shops), as purchases name them. */
public record Store(String programId, String storeId, String name, String region) {

	public Store {
		storeId = Purchase.name("storeId", storeId, 64);
		if (!storeId.matches("[A-Za-z0-9_-]+")) {
			throw new InvalidPoints("storeId", "A store id is letters, digits, _ and -");
		}
		name = Purchase.name("name", name, 120);
		region = region == null || region.isBlank() ? null : region.strip().toUpperCase(java.util.Locale.ROOT);
		if (region != null && !region.matches("[A-Z]{2}")) {
			throw new InvalidPoints("region", "region is an ISO 3166 country code such as FR");
		}
	}
}
