package io.fidelis.cards.domain;

import java.net.URI;
import java.util.List;

/**
 * What a program's cards say besides the member's own figures, and how its passes may be used:
 * its terms, website, phone and a text of its own (on the back of the Apple pass, in Google's
 * class), whether a pass may be shared (Apple lets a member pass it on by AirDrop or Messages
 * unless told not to), and the program's app, which the pass opens.
 *
 * @param appStoreIds the app's App Store ids (Apple's {@code associatedStoreIdentifiers}); an
 *        {@code appLaunchUrl} needs at least one, for Apple opens it only in an app named there
 */
public record CardBack(String terms, String website, String phone, String about, boolean sharingProhibited,
		String appLaunchUrl, List<Long> appStoreIds) {

	public static final CardBack NONE = new CardBack(null, null, null, null, false, null, List.of());

	public CardBack {
		terms = text("terms", terms, 2_000);
		about = text("about", about, 1_000);
		website = url("website", website, true);
		appLaunchUrl = url("appLaunchUrl", appLaunchUrl, false);
		phone = blank(phone) ? null : phone.strip();
		if (phone != null && !phone.matches("\\+?[0-9][0-9 ().-]{2,30}")) {
			throw new InvalidCard("phone", "phone must be a phone number such as +33 1 23 45 67 89, not '" + phone + "'");
		}
		appStoreIds = appStoreIds == null ? List.of() : List.copyOf(appStoreIds);
		if (appStoreIds.size() > 10 || appStoreIds.stream().anyMatch(id -> id == null || id < 1)) {
			throw new InvalidCard("appStoreIds", "appStoreIds are at most 10 App Store ids, each a positive number");
		}
		if (appLaunchUrl != null && appStoreIds.isEmpty()) {
			throw new InvalidCard("appLaunchUrl", "appLaunchUrl needs the app's App Store id in appStoreIds");
		}
	}

	private static boolean blank(String value) {
		return value == null || value.isBlank();
	}

	private static String text(String field, String value, int max) {
		if (blank(value)) {
			return null;
		}
		if (value.strip().length() > max) {
			throw new InvalidCard(field, field + " must be at most " + max + " characters");
		}
		return value.strip();
	}

	/** An absolute URL of at most 200 characters; a website is https, an app's link any scheme of its own. */
	private static String url(String field, String value, boolean https) {
		if (blank(value)) {
			return null;
		}
		String url = value.strip();
		try {
			URI uri = new URI(url);
			boolean ok = uri.getScheme() != null && url.length() <= 200
					&& (https ? "https".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null
							: !uri.getScheme().equalsIgnoreCase("javascript"));
			if (ok) {
				return url;
			}
		}
		catch (java.net.URISyntaxException e) {
			// told below
		}
		throw new InvalidCard(field, field + (https ? " must be an https:// address" : " must be an absolute URL")
				+ " of at most 200 characters, not '" + value + "'");
	}
}
