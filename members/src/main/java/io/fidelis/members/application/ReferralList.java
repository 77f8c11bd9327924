package io.fidelis.members.application;

import java.time.Instant;
import java.util.List;

import io.fidelis.members.MemberId;

/** Each referrer's friends: who enrolled with their code, and when. */
public interface ReferralList {

	/** Adds the friend to the referrer's list; adding the same friend again changes nothing. */
	void add(MemberId referrer, MemberId friend, Instant enrolledAt);

	/** The referrer's friends, in the order they enrolled. */
	List<Friend> friends(MemberId referrer);

	/** Drops the referrer's list (their data was erased). */
	void forget(MemberId referrer);

	record Friend(MemberId id, Instant enrolledAt) {
	}
}
