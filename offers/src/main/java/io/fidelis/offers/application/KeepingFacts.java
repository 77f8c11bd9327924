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

	/** What Fidelis learned of the member's behaviour, if anything (their data export). */
	public java.util.Optional<MemberFacts> factsOf(MemberId member) {
		return store.facts(member.value());
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
	 * {@link #change} for a batch of members (a settled batch's, an import's), each with its own
	 * change: their facts read in one read, new members' profiles and tiers in one read each, and
	 * all the changed facts saved in one write. Facts another change came first to go the
	 * one-by-one way.
	 *
	 * @param changes by member: the member's program and what to change
	 * @return each member's facts after, in the order of {@code changes}
	 */
	public java.util.Map<MemberId, MemberFacts> changeAll(java.util.Map<MemberId, Change> changes) {
		java.util.Map<String, MemberFacts> read = store.factsOf(changes.keySet().stream().map(MemberId::value).toList());
		java.util.List<MemberId> unknown = changes.keySet().stream().filter(m -> !read.containsKey(m.value())).toList();
		java.util.Map<MemberId, io.fidelis.members.MemberProfile> profiles = unknown.isEmpty() ? java.util.Map.of()
				: members.profilesOf(unknown);
		java.util.Map<MemberId, String> tiers = unknown.isEmpty() ? java.util.Map.of() : members.tiersOf(unknown);
		java.util.Map<MemberId, MemberFacts> after = new java.util.LinkedHashMap<>();
		java.util.List<MemberFacts> changed = new java.util.ArrayList<>();
		changes.forEach((member, c) -> {
			MemberFacts before = read.get(member.value());
			if (before == null) { // new facts: started from the member's profile, as one by one
				before = fresh(member, c.programId(), java.util.Optional.ofNullable(profiles.get(member)), tiers.get(member));
			}
			MemberFacts next = c.change().apply(before);
			if (next.equals(before) && before.revision() > 0) {
				after.put(member, before);
			}
			else {
				changed.add(next);
				after.put(member, next.stored(next.revision() + 1));
			}
		});
		store.saveAllFacts(changed).forEach(missed -> {
			MemberId member = new MemberId(missed);
			after.put(member, change(member, changes.get(member).programId(), changes.get(member).change()));
		});
		return after;
	}

	/** What one member's facts are to take. */
	public record Change(String programId, UnaryOperator<MemberFacts> change) {
	}

	public MemberFacts enrolled(MemberId member, String programId, Instant at) {
		return change(member, programId, f -> f.enrolled(at));
	}

	/** One member of an enrolled batch. */
	public record Enrolment(MemberId member, String programId, Instant at) {
	}

	/**
	 * {@link #enrolled} for a batch (an import's), by {@link #changeAll}.
	 *
	 * @return each member's facts after, in the batch's order (a member named twice once)
	 */
	public java.util.List<MemberFacts> enrolledAll(java.util.List<Enrolment> batch) {
		java.util.Map<MemberId, Change> changes = new java.util.LinkedHashMap<>();
		batch.forEach(e -> changes.putIfAbsent(e.member(), new Change(e.programId(), f -> f.enrolled(e.at()))));
		return java.util.List.copyOf(changeAll(changes).values());
	}

	/**
	 * A purchase, counted once per {@code order} (the client's and its order id) however often it
	 * is announced, with the balance it left (taken if newer than the one kept): the offers a
	 * purchase triggers are judged on the balance after it, and the settled movement then finds
	 * its balance kept already and writes nothing.
	 */
	public MemberFacts purchased(MemberId member, String programId, String order, Instant at, BigDecimal spend,
			Set<String> categories, String store, String region, long available, long balanceVersion) {
		return change(member, programId, f -> f.purchased(order, at, spend, categories, store, region)
				.withBalance(available, balanceVersion));
	}

	/** New members start from what members knows of them: consent, and the tier they hold. */
	private MemberFacts fresh(MemberId member, String programId) {
		return fresh(member, programId, members.profileOf(member), members.tierOf(member).orElse(null));
	}

	private static MemberFacts fresh(MemberId member, String programId,
			java.util.Optional<io.fidelis.members.MemberProfile> profile, String tier) {
		MemberFacts facts = MemberFacts.of(member.value(), programId);
		if (profile.isPresent()) {
			facts = facts.withConsent(profile.get().marketingOptIn()).enrolled(profile.get().enrolledAt())
					.withBirthMonth(profile.get().birthDate() == null ? null : profile.get().birthDate().getMonthValue());
		}
		return facts.withTier(tier);
	}
}
