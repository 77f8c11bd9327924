package io.fidelis.members.application;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import org.springframework.stereotype.Service;

import io.fidelis.members.MemberId;
import io.fidelis.members.ProgramId;
import io.fidelis.members.application.MemberStore.HeldClaim;
import io.fidelis.members.domain.IdentityClaim;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.ReferralCode;

/**
 * Members bring members: each active member has a referral code, and a person who gives it when
 * they enroll is linked to that member (points pays both sides by the program's referral rules).
 * A code is a claim like an email's: held by one member of the program, found by its exact key.
 */
@Service
public class ReferringMembers {

	/** Draws of a member's code before giving up; each clash has a chance of about 10^-15. */
	static final int DRAWS = 5;

	private final MemberStore members;
	private final Clock clock;

	ReferringMembers(MemberStore members, Clock clock) {
		this.members = members;
		this.clock = clock;
	}

	/**
	 * The member's referral code, claimed the first time it is asked for (members enrolled before
	 * referrals existed have one too). Empty for a member who may not refer: suspended or closed.
	 */
	public Optional<ReferralCode> codeOf(MemberId member, ProgramId program, String status) {
		if (!MemberStatus.ACTIVE.name().equals(status)) {
			return Optional.empty();
		}
		for (int draw = 0; draw < DRAWS; draw++) {
			ReferralCode code = ReferralCode.of(program, member, draw);
			IdentityClaim claim = IdentityClaim.referralCode(program, code);
			Optional<HeldClaim> held = members.held(claim);
			HeldClaim holder = held.isPresent() ? held.get() : members.claim(claim, member, "referral", clock.instant());
			if (holder.ownedBy(member)) {
				return Optional.of(code);
			}
		}
		return Optional.empty();
	}

	/** Who gave the code, or why an enrollment may not name them. */
	record Referrer(MemberId id, Refusal refusal) {
	}

	/**
	 * Who gave the code, or why this enrollment may not name them: an unknown code, a referrer who
	 * may not refer, or the referrer themselves (the device or payment card given is theirs).
	 */
	Referrer referrer(ProgramId program, ReferralCode code, String deviceId, String paymentCard) {
		Referrer referrer = referrer(program, code);
		if (referrer.id() == null) {
			return referrer;
		}
		for (IdentityClaim claim : fingerprints(program, deviceId, paymentCard)) {
			if (members.held(claim).filter(h -> h.ownedBy(referrer.id())).isPresent()) {
				return new Referrer(null, Refusal.conflict("A member cannot refer themselves: " + claim.describe()
						+ " is the referrer's own"));
			}
		}
		return referrer;
	}

	/** The device and payment card a new member gave, kept for the first member who gave each. */
	void noteFingerprints(ProgramId program, MemberId member, String deviceId, String paymentCard) {
		for (IdentityClaim claim : fingerprints(program, deviceId, paymentCard)) {
			if (members.held(claim).isEmpty()) {
				members.claim(claim, member, "fingerprint", clock.instant());
			}
		}
	}

	private static List<IdentityClaim> fingerprints(ProgramId program, String deviceId, String paymentCard) {
		List<IdentityClaim> claims = new java.util.ArrayList<>(2);
		if (deviceId != null) {
			claims.add(IdentityClaim.device(program, deviceId));
		}
		if (paymentCard != null) {
			claims.add(IdentityClaim.paymentCard(program, paymentCard));
		}
		return claims;
	}

	private Referrer referrer(ProgramId program, ReferralCode code) {
		Optional<Member> holder = members.held(IdentityClaim.referralCode(program, code)).map(HeldClaim::owner)
				.flatMap(members::find);
		if (holder.isEmpty()) {
			return new Referrer(null, Refusal.notFound("No member of program '" + program.value() + "' has the referral code "
					+ code.display()));
		}
		if (holder.get().status() != MemberStatus.ACTIVE) {
			return new Referrer(null, Refusal.conflict("The member with the referral code " + code.display()
					+ " is suspended or closed, so their code cannot be used"));
		}
		return new Referrer(holder.get().id(), null);
	}

	/** Every claim a member's code may sit on, for erasure to give back. */
	static List<IdentityClaim> claims(ProgramId program, MemberId member) {
		return IntStream.range(0, DRAWS).mapToObj(d -> IdentityClaim.referralCode(program, ReferralCode.of(program, member, d)))
				.toList();
	}
}
