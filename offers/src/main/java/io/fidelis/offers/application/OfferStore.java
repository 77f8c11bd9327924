package io.fidelis.offers.application;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.MemberFacts;
import io.fidelis.offers.domain.Offer;

/** The catalog, member facts, assignments, counters and coupons; reads by exact key. */
public interface OfferStore {

	void addOffer(Offer offer);

	Optional<Offer> offer(String id);

	/** A program's whole catalog (a few hundred or thousand offers at most). */
	List<Offer> offers(String programId);

	Optional<MemberFacts> facts(String memberId);

	/** Saves if still at {@code facts.revision()} (0: new); false when another change came first. */
	boolean saveFacts(MemberFacts facts);

	/** The facts of these members that exist, by member id, in one read. */
	default java.util.Map<String, MemberFacts> factsOf(java.util.Collection<String> memberIds) {
		java.util.Map<String, MemberFacts> found = new java.util.HashMap<>();
		memberIds.forEach(m -> facts(m).ifPresent(f -> found.put(m, f)));
		return found;
	}

	/**
	 * {@link #saveFacts} for many members' facts, new (revision 0) or stored, in as few writes as
	 * the store can; answers the members another change came first to (not saved).
	 */
	default java.util.Set<String> saveAllFacts(List<MemberFacts> facts) {
		java.util.Set<String> missed = new java.util.HashSet<>();
		facts.forEach(f -> {
			if (!saveFacts(f)) {
				missed.add(f.memberId());
			}
		});
		return missed;
	}

	/** Every member's facts in a program, for previews and schedules. */
	void eachFacts(String programId, Consumer<MemberFacts> visitor);

	/** False when the assignment exists (the same trigger judged again). */
	boolean addAssignment(Assignment assignment);

	void removeAssignment(String id);

	Optional<Assignment> assignment(String id);

	/** Saves if still at {@code assignment.revision()}. */
	boolean updateAssignment(Assignment assignment);

	/** A member's assignments, newest first. */
	List<Assignment> assignmentsOf(String memberId);

	/** Adds {@code amount} to a counter if it stays within {@code limit} (0: no limit); false otherwise. */
	boolean count(String counter, long amount, long limit);

	long counter(String counter);

	void addCoupon(String code, String assignmentId);

	Optional<String> couponAssignment(String code);

	/** Programs that have at least one offer. */
	java.util.Set<String> programsWithOffers();
}
