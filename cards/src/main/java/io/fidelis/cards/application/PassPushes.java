package io.fidelis.cards.application;

/** Tells a phone that a pass it holds changed: Apple's empty push, topic = pass type id. */
public interface PassPushes {

	enum Result {
		SENT,
		/** APNs says the token is no longer valid: the phone removed the pass or the app. */
		GONE,
		/** Worth retrying later (APNs down, throttled, network). */
		FAILED
	}

	Result push(String pushToken, String passTypeIdentifier);
}
