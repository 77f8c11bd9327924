package io.fidelis.members.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.fidelis.members.Caller;
import io.fidelis.members.EnrollmentChannel;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MemberId;
import io.fidelis.members.application.MemberStore.HeldClaim;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.Consent;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;

/**
 * Enrolls people into programs, from an app (the member themselves), a till or web shop
 * (an integration client) or a back office (staff).
 *
 * <p>Without multi-document transactions, uniqueness rests on claims: the request's idempotency
 * key first, then the person's email (and phone, and sign-in subject), each an exact-key insert
 * that only one member can win. A new person's claims (with a new card number) go in one insert,
 * so an enrollment writes the claims, the member, the name and its event before it answers; a
 * retry, a duplicate or a crashed attempt's leftovers go claim by claim, which replays or says
 * why. A request that crashed half-way leaves claims owned by a member
 * that does not exist; its retry resumes with the same member id, and after
 * {@link #ABANDONED_AFTER} another request may take such claims over.
 */
@Service
public class EnrollingMembers {

	static final Duration ABANDONED_AFTER = Duration.ofMinutes(2);

	private final ProgramStore programs;
	private final MemberStore members;
	private final NameIndex names;
	private final ApplicationEventPublisher events;
	private final Clock clock;
	private final ReferringMembers referrals;
	private final java.util.random.RandomGenerator random = new java.security.SecureRandom();

	EnrollingMembers(ProgramStore programs, MemberStore members, NameIndex names, ApplicationEventPublisher events,
			Clock clock, ReferringMembers referrals) {
		this.programs = programs;
		this.members = members;
		this.names = names;
		this.events = events;
		this.clock = clock;
		this.referrals = referrals;
	}

	public sealed interface Outcome {
		/** @param replayed true when this answers a retry of an earlier, identical request */
		record Enrolled(Member member, boolean replayed) implements Outcome {
		}

		record Refused(Refusal refusal) implements Outcome {
		}
	}

	@Transactional
	public Outcome enroll(Caller caller, EnrollMember request) {
		Optional<Refusal> outOfReach = Refusal.outOfReach(caller, request.programId());
		if (outOfReach.isPresent()) {
			return refused(outOfReach.get());
		}
		Optional<io.fidelis.members.domain.Program> program = programs.find(request.programId());
		if (program.isEmpty()) {
			return refused(Refusal.notFound("There is no program '" + request.programId() + "'"));
		}
		if (!program.get().enrollment().allows(channelOf(caller))) {
			return refused(Refusal.forbidden("Program '" + request.programId() + "' does not accept enrollment "
					+ switch (channelOf(caller)) {
						case SELF_SERVICE -> "by members themselves";
						case INTEGRATION -> "through integrations";
						case STAFF -> "by staff";
					}));
		}
		Instant now = clock.instant();
		String fingerprint = request.fingerprint();
		ReferringMembers.Referrer referrer = request.referralCode() == null ? new ReferringMembers.Referrer(null, null)
				: referrals.referrer(request.programId(), request.referralCode(), request.deviceId(), request.paymentCard());
		if (request.physicalCard() == null && referrer.refusal() == null) {
			Optional<Member> fresh = enrollAtOnce(caller, program.get(), request, fingerprint, now, referrer.id());
			if (fresh.isPresent()) {
				return stored(fresh.get(), request);
			}
		}

		IdentityClaim requestClaim = IdentityClaim.idempotencyKey(caller.key(), request.idempotencyKey());
		HeldClaim heldRequest = members.claim(requestClaim, MemberId.random(), fingerprint, now);
		if (!heldRequest.fingerprint().equals(fingerprint)) {
			return refused(new Refusal(Refusal.Reason.IDEMPOTENCY_KEY_REUSED, "The idempotency key '"
					+ request.idempotencyKey() + "' was already used for a different enrollment"));
		}
		MemberId id = heldRequest.owner();
		Optional<Member> existing = members.find(id);
		if (existing.isPresent()) {
			// A retry. Publishing again is harmless (listeners are idempotent) and heals a crash that
			// struck between the member's insert and the event's publication.
			events.publishEvent(enrolled(existing.get()));
			return new Outcome.Enrolled(existing.get(), true);
		}
		if (referrer.refusal() != null) {
			// after the retry's answer: a referrer closed since the first attempt does not undo it
			members.release(requestClaim, id);
			return refused(referrer.refusal());
		}

		List<IdentityClaim> won = new ArrayList<>();
		for (IdentityClaim claim : personClaims(caller, request)) {
			Optional<Refusal> refusal = take(claim, id, fingerprint, now);
			if (refusal.isPresent()) {
				won.forEach(w -> members.release(w, id));
				members.release(requestClaim, id);
				return refused(refusal.get());
			}
			won.add(claim);
		}

		CardNumber card;
		if (request.physicalCard() != null) {
			Optional<Refusal> refusal = activateStockCard(request.programId(), request.physicalCard(), id, fingerprint, now);
			if (refusal.isPresent()) {
				won.forEach(w -> members.release(w, id));
				members.release(requestClaim, id);
				return refused(refusal.get());
			}
			card = request.physicalCard();
		}
		else {
			card = issueCard(request.programId(), program.get().cardPrefix(), id, fingerprint, now);
		}
		if (card == null) {
			won.forEach(w -> members.release(w, id));
			members.release(requestClaim, id);
			return refused(Refusal.conflict("No free card number could be issued; retry"));
		}
		return stored(newMember(caller, request, id, card, now, referrer.id()), request);
	}

	/** A new member whose claims are all theirs: stored, named and announced. */
	private Outcome stored(Member member, EnrollMember request) {
		members.insert(member);
		// after the member: a crash before it leaves no device or card held by somebody who never came to be
		referrals.noteFingerprints(member.programId(), member.id(), request.deviceId(), request.paymentCard());
		names.add(member.programId(), member.id(), member.name());
		events.publishEvent(enrolled(member));
		return new Outcome.Enrolled(member, false);
	}

	/** One enrollment asked for, and by whom. */
	public record Request(Caller caller, EnrollMember details) {
	}

	/**
	 * Enrolls many people at once for one caller, as {@link #enroll} would one by one, answering
	 * in the order given (an import's batch).
	 */
	@Transactional
	public List<Outcome> enrollAll(Caller caller, List<EnrollMember> requests) {
		return enrollAll(requests.stream().map(r -> new Request(caller, r)).toList());
	}

	/**
	 * Enrolls many people at once, as {@link #enroll} would one by one, answering in the order
	 * given; the requests may come from different callers and name different programs. The claims
	 * of every request (its key, the person's email, phone and external id, a new card number) are
	 * written in one insert, the members in another, their names in a few per program, and the
	 * events with the transaction. A request whose claims are not all its own (a retry, a
	 * duplicate, a person already enrolled, a number drawn twice) gives back what it won and goes
	 * the one-by-one way after the others are stored, so it meets exactly the refusals and replays
	 * a single enrollment would.
	 */
	@Transactional
	public List<Outcome> enrollAll(List<Request> requests) {
		if (requests.isEmpty()) {
			return List.of();
		}
		Map<io.fidelis.members.ProgramId, Optional<io.fidelis.members.domain.Program>> programsOf = new java.util.HashMap<>();
		requests.forEach(r -> programsOf.computeIfAbsent(r.details().programId(), programs::find));
		Instant now = clock.instant();
		List<MemberStore.Claiming> claiming = new ArrayList<>();
		List<Candidate> candidates = new ArrayList<>();
		for (Request request : requests) {
			Optional<io.fidelis.members.domain.Program> program = programsOf.get(request.details().programId());
			if (program.isEmpty() || !request.caller().mayReach(request.details().programId())
					|| !program.get().enrollment().allows(channelOf(request.caller()))
					|| request.details().physicalCard() != null || request.details().referralCode() != null
					|| request.details().deviceId() != null || request.details().paymentCard() != null) {
				candidates.add(null); // the single way says why, activates the stock card, finds the referrer or notes the device
				continue;
			}
			MemberId id = MemberId.random();
			String fingerprint = request.details().fingerprint();
			CardNumber card = CardNumber.generate(program.get().cardPrefix(), random);
			List<IdentityClaim> claims = claimsOf(request.caller(), request.details(), card);
			claims.forEach(c -> claiming.add(new MemberStore.Claiming(c, id, fingerprint)));
			candidates.add(new Candidate(id, card, claims));
		}
		java.util.Iterator<MemberStore.HeldClaim> held = members.claimAll(claiming, now).iterator();
		List<Member> enrolled = new ArrayList<>();
		Outcome[] outcomes = new Outcome[requests.size()];
		List<Integer> oneByOne = new ArrayList<>();
		for (int i = 0; i < requests.size(); i++) {
			Candidate candidate = candidates.get(i);
			if (candidate == null || !wonAll(candidate, held)) {
				oneByOne.add(i);
				continue;
			}
			Request request = requests.get(i);
			Member member = newMember(request.caller(), request.details(), candidate.id(), candidate.card(), now, null);
			enrolled.add(member);
			outcomes[i] = new Outcome.Enrolled(member, false);
		}
		members.insertAll(enrolled);
		Map<io.fidelis.members.ProgramId, Map<MemberId, String>> named = new java.util.LinkedHashMap<>();
		enrolled.forEach(m -> named.computeIfAbsent(m.programId(), p -> new java.util.LinkedHashMap<>())
				.put(m.id(), m.name()));
		named.forEach(names::addAll);
		if (!enrolled.isEmpty()) {
			events.publishEvent(new io.fidelis.members.MembersEnrolled(enrolled.stream().map(EnrollingMembers::enrolled).toList()));
		}
		// after the others are stored, so that a duplicate within the batch is told the person is enrolled
		for (int i : oneByOne) {
			outcomes[i] = enroll(requests.get(i).caller(), requests.get(i).details());
		}
		return List.of(outcomes);
	}

	private record Candidate(MemberId id, CardNumber card, List<IdentityClaim> claims) {
	}

	/**
	 * Whether the candidate won every claim it asked for, taking their answers from {@code held};
	 * when it did not, what it won is given back.
	 */
	private boolean wonAll(Candidate candidate, java.util.Iterator<HeldClaim> held) {
		List<IdentityClaim> won = new ArrayList<>();
		for (IdentityClaim claim : candidate.claims()) {
			if (held.next().ownedBy(candidate.id())) {
				won.add(claim);
			}
		}
		if (won.size() < candidate.claims().size()) {
			won.forEach(w -> members.release(w, candidate.id()));
			return false;
		}
		return true;
	}

	/**
	 * The common case in one write: the request's key, the person's email, phone, external id and
	 * sign-in subject, and a new card number are claimed in one insert. Empty when any of them is
	 * held already (a retry, a person enrolled, a number drawn twice): what this call won is given
	 * back, and the caller goes the one-by-one way, which replays or says why.
	 */
	private Optional<Member> enrollAtOnce(Caller caller, io.fidelis.members.domain.Program program,
			EnrollMember request, String fingerprint, Instant now, MemberId referredBy) {
		CardNumber card = CardNumber.generate(program.cardPrefix(), random);
		Candidate candidate = new Candidate(MemberId.random(), card, claimsOf(caller, request, card));
		List<HeldClaim> held = members.claimAll(candidate.claims().stream()
				.map(c -> new MemberStore.Claiming(c, candidate.id(), fingerprint)).toList(), now);
		return wonAll(candidate, held.iterator()) ? Optional.of(newMember(caller, request, candidate.id(), card, now, referredBy))
				: Optional.empty();
	}

	/** What an enrollment claims: its key, the person, and the card number drawn for them. */
	private static List<IdentityClaim> claimsOf(Caller caller, EnrollMember request, CardNumber card) {
		List<IdentityClaim> claims = new ArrayList<>();
		claims.add(IdentityClaim.idempotencyKey(caller.key(), request.idempotencyKey()));
		claims.addAll(personClaims(caller, request));
		claims.add(IdentityClaim.card(request.programId(), card));
		// an erased member's number is held by its digest alone: drawing it again fails here
		claims.add(IdentityClaim.cardDigest(request.programId(), card));
		return claims;
	}

	private static Member newMember(Caller caller, EnrollMember request, MemberId id, CardNumber card, Instant now,
			MemberId referredBy) {
		return new Member(id, request.programId(), request.email(), request.name(), request.phone(),
				request.externalId(), card, MemberStatus.ACTIVE,
				new Consent(request.marketingOptIn(), request.termsVersion(), now), channelOf(caller), caller.key(),
				caller instanceof Caller.Member m ? m.subject() : null, now, 1, request.birthDate(), referredBy);
	}

	/**
	 * A card number no other member of the program holds. (A resumed enrollment draws a new one;
	 * the number its crashed first attempt claimed stays unused, which costs nothing: there are
	 * 10^14 of them.)
	 */
	private CardNumber issueCard(io.fidelis.members.ProgramId program, String prefix, MemberId id, String fingerprint,
			Instant now) {
		for (int attempt = 0; attempt < 5; attempt++) {
			CardNumber candidate = CardNumber.generate(prefix, random);
			if (members.claimCard(program, candidate, id, fingerprint, now)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * A physical card handed over at the till: it must come from the program's pre-printed stock and
	 * not be active yet. Its claim moves from the stock batch to the new member in one guarded write,
	 * so two enrollments with the same card cannot both win.
	 */
	private Optional<Refusal> activateStockCard(io.fidelis.members.ProgramId program, CardNumber card, MemberId id,
			String fingerprint, Instant now) {
		IdentityClaim claim = IdentityClaim.card(program, card);
		Optional<HeldClaim> held = members.held(claim);
		if (held.isPresent() && held.get().ownedBy(id)) {
			return Optional.empty(); // a retry that already activated it
		}
		if (held.isEmpty() || !CardStock.isStock(held.get().owner())) {
			return Optional.of(held.isEmpty()
					? Refusal.notFound("The card " + card.value() + " is not from program '" + program + "'s card stock")
					: Refusal.conflict("The card " + card.value() + " is already in use"));
		}
		if (!members.takeOver(claim, held.get().owner(), id, fingerprint, now)) {
			return Optional.of(Refusal.conflict("The card " + card.value() + " was activated by another enrollment"));
		}
		return Optional.empty();
	}

	private Optional<Refusal> take(IdentityClaim claim, MemberId id, String fingerprint, Instant now) {
		HeldClaim held = members.claim(claim, id, fingerprint, now);
		if (held.ownedBy(id)) {
			return Optional.empty();
		}
		if (members.find(held.owner()).isPresent()) {
			return Optional.of(Refusal.conflict("A member with " + claim.describe() + " is already enrolled in this program"));
		}
		// the holder never came into existence: an enrollment in flight, or one that crashed
		boolean abandoned = held.claimedAt().plus(ABANDONED_AFTER).isBefore(now);
		if (abandoned && members.takeOver(claim, held.owner(), id, fingerprint, now)) {
			return Optional.empty();
		}
		return Optional.of(Refusal.conflict("Another enrollment with " + claim.describe()
				+ " is in progress; retry in a few minutes"));
	}

	private static List<IdentityClaim> personClaims(Caller caller, EnrollMember request) {
		List<IdentityClaim> claims = new ArrayList<>();
		claims.add(IdentityClaim.email(request.programId(), request.email()));
		if (request.phone() != null) {
			claims.add(IdentityClaim.phone(request.programId(), request.phone()));
		}
		if (request.externalId() != null) {
			claims.add(IdentityClaim.externalId(request.programId(), request.externalId()));
		}
		if (caller instanceof Caller.Member self) {
			claims.add(IdentityClaim.subject(request.programId(), self.subject()));
		}
		return claims;
	}

	private static EnrollmentChannel channelOf(Caller caller) {
		if (caller instanceof Caller.Member) {
			return EnrollmentChannel.SELF_SERVICE;
		}
		return caller instanceof Caller.IntegrationClient ? EnrollmentChannel.INTEGRATION : EnrollmentChannel.STAFF;
	}

	private static MemberEnrolled enrolled(Member member) {
		return new MemberEnrolled(member.id(), member.programId(), member.channel(), member.enrolledAt(), member.referredBy());
	}

	private static Outcome refused(Refusal refusal) {
		return new Outcome.Refused(refusal);
	}
}
