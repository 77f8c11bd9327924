package io.fidelis.offers.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberDirectory;
import io.fidelis.members.MemberId;
import io.fidelis.offers.domain.MemberFacts;

/** Keeps each member's facts from events: changes saved under a revision guard, again on a fresh copy when raced. */
@Service
public class KeepingFacts {

	private final OfferStore store;
	private final MemberDirectory members;

	KeepingFacts(OfferStore store, MemberDirectory members) {
		this.store = store;
		this.members = members;
	}

	public MemberFacts change(MemberId member, String programId, UnaryOperator<MemberFacts> change) {
		while (true) {
			MemberFacts before = store.facts(member.value()).orElseGet(() -> fresh(member, programId));
			MemberFacts after = change.apply(before);
			if (after.equals(before) && before.revision() > 0) {
				return before;
			}
			if (store.saveFacts(after)) {
				return after.stored(after.revision() + 1);
			}
		}
	}

	/**
	 * {@link #change} for a batch of members (a settled batch's), each with its own change: their
	 * facts read in one read and the changed ones saved in one write. New members' facts, and those
	 * another change came first to, go the one-by-one way.
	 *
	 * @param changes by member: the member's program and what to change
	 */
	public void changeAll(java.util.Map<MemberId, Change> changes) {
		java.util.Map<String, MemberFacts> read = store.factsOf(changes.keySet().stream().map(MemberId::value).toList());
		java.util.List<MemberFacts> changed = new java.util.ArrayList<>();
		changes.forEach((member, c) -> {
			MemberFacts before = read.get(member.value());
			if (before == null) {
				change(member, c.programId(), c.change()); // new facts: started from the member's profile
				return;
			}
			MemberFacts after = c.change().apply(before);
			if (!after.equals(before)) {
				changed.add(after);
			}
		});
		store.saveAllFacts(changed).forEach(missed -> {
			MemberId member = new MemberId(missed);
			change(member, changes.get(member).programId(), changes.get(member).change());
		});
	}

	/** What one member's facts are to take. */
	public record Change(String programId, UnaryOperator<MemberFacts> change) {
	}

	public MemberFacts enrolled(MemberId member, String programId, Instant at) {
		return change(member, programId, f -> f.enrolled(at));
	}

	public MemberFacts purchased(MemberId member, String programId, Instant at, BigDecimal spend, Set<String> categories,
			String store, String region) {
		return change(member, programId, f -> f.purchased(at, spend, categories, store, region));
	}

	/** New members start from what members knows of them: consent, and the tier they hold. */
	private MemberFacts fresh(MemberId member, String programId) {
		MemberFacts facts = MemberFacts.of(member.value(), programId);
		var profile = members.profileOf(member);
		if (profile.isPresent()) {
			facts = facts.withConsent(profile.get().marketingOptIn()).enrolled(profile.get().enrolledAt())
					.withBirthMonth(profile.get().birthDate() == null ? null : profile.get().birthDate().getMonthValue());
		}
		return facts.withTier(members.tierOf(member).orElse(null));
	}
}
