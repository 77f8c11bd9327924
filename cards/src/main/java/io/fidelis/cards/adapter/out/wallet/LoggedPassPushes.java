package io.fidelis.cards.adapter.out.wallet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fidelis.cards.application.PassPushes;

/** Where APNs is not configured (development): phones see updates the next time they ask. */
class LoggedPassPushes implements PassPushes {

	private static final Logger log = LoggerFactory.getLogger(LoggedPassPushes.class);

	@Override
	public Result push(String pushToken, String passTypeIdentifier) {
		log.debug("APNs is off (fidelis.cards.apple.apns.enabled=false): no push for a {} pass", passTypeIdentifier);
		return Result.SENT;
	}
}
