package io.fidelis.points.domain;

/**
 * One of a program's own stores (or web shops), as purchases name them; where it stands, when
 * staff say, so that wallet cards come up on the phone near it.
 */
public record Store(String programId, String storeId, String name, String region, Double latitude, Double longitude) {

	public Store(String programId, String storeId, String name, String region) {
		this(programId, storeId, name, region, null, null);
	}

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
		if ((latitude == null) != (longitude == null)) {
			throw new InvalidPoints("latitude", "A store's place is a latitude and a longitude, both or neither");
		}
		if (latitude != null && (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180))) {
			throw new InvalidPoints("latitude", "latitude is -90 to 90 and longitude -180 to 180 degrees");
		}
	}

	public boolean located() {
		return latitude != null;
	}
}
