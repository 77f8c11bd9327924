package io.fidelis.members.adapter.in.graphql;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import io.fidelis.members.Caller;
import io.fidelis.members.MemberId;
import io.fidelis.members.MemberProfile;
import io.fidelis.members.application.ManagingMembers;
import io.fidelis.members.application.ManagingMembers.Identifier;
import io.fidelis.members.application.NameIndex;
import io.fidelis.members.application.Refusal;
import io.fidelis.members.application.ReplacingCards;
import io.fidelis.members.domain.CardNumber;
import io.fidelis.members.domain.EmailAddress;
import io.fidelis.members.domain.InvalidInput;
import io.fidelis.members.domain.Member;
import io.fidelis.members.domain.MemberStatus;
import io.fidelis.members.domain.PhoneNumber;

/** Profile and consent changes, status changes, and look-up by identifier. */
@Controller
class MemberLifecycleController {

	private final ManagingMembers managing;
	private final ReplacingCards cards;

	MemberLifecycleController(ManagingMembers managing, ReplacingCards cards) {
		this.managing = managing;
		this.cards = cards;
	}

	record UpdateMemberProfileInput(String memberId, String name, String email, String phone, Boolean marketingOptIn,
			String termsVersion) {
	}

	record ChangeMemberStatusInput(String memberId, MemberStatus status, String reason) {
	}

	record MemberPayload(MemberProfile member) {
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('MEMBER', 'STAFF_ADMIN', 'STAFF_OPERATOR', 'STAFF_SUPPORT')")
	MemberPayload updateMemberProfile(@Argument UpdateMemberProfileInput input, @AuthenticationPrincipal Caller caller) {
		ManagingMembers.UpdateProfile change = new ManagingMembers.UpdateProfile(Ids.member(input.memberId()),
				input.name(), input.email() == null ? null : new EmailAddress(input.email()),
				input.phone() == null ? null : new PhoneNumber(input.phone()), input.marketingOptIn(), input.termsVersion());
		return payload(managing.updateProfile(caller, change));
	}

	@MutationMapping
	@PreAuthorize("hasAnyRole('STAFF_ADMIN', 'STAFF_OPERATOR')")
	MemberPayload changeMemberStatus(@Argument ChangeMemberStatusInput input, @AuthenticationPrincipal Caller caller) {
		return payload(managing.changeStatus(caller, Ids.member(input.memberId()), input.status(), input.reason()));
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF') or hasAuthority('SCOPE_members:read')")
	MemberProfile memberByIdentifier(@Argument String programId, @Argument String email, @Argument String phone,
			@Argument String externalId, @Argument String cardNumber, @AuthenticationPrincipal Caller caller) {
		int given = (email == null ? 0 : 1) + (phone == null ? 0 : 1) + (externalId == null ? 0 : 1)
				+ (cardNumber == null ? 0 : 1);
		if (given != 1) {
			throw new InvalidInput("identifier", "Give exactly one of email, phone, externalId or cardNumber");
		}
		Identifier identifier = email != null ? new Identifier.ByEmail(new EmailAddress(email))
				: phone != null ? new Identifier.ByPhone(new PhoneNumber(phone))
						: externalId != null ? new Identifier.ByExternalId(externalId)
								: new Identifier.ByCard(new CardNumber(cardNumber));
		Optional<Member> found = managing.lookUp(caller, Ids.program(programId), identifier);
		if (found.isEmpty() && identifier instanceof Identifier.ByCard byCard) {
			cards.blocked(Ids.program(programId), byCard.card()).ifPresent(blocked -> {
				throw new Refusal.Refused(new Refusal(Refusal.Reason.CARD_BLOCKED, blocked.blockedMessage(byCard.card().value())));
			});
		}
		return found.map(MemberController::profile).orElse(null);
	}

	record MemberEdge(String cursor, MemberProfile node) {
	}

	record MemberPageInfo(boolean hasPreviousPage, boolean hasNextPage, String startCursor, String endCursor) {
	}

	record MemberConnection(List<MemberEdge> edges, MemberPageInfo pageInfo) {
	}

	@QueryMapping
	@PreAuthorize("hasRole('STAFF')")
	MemberConnection searchMembers(@Argument String programId, @Argument String namePrefix, @Argument String email,
			@Argument String phone, @Argument String externalId, @Argument String cardNumber, @Argument Integer first,
			@Argument String after, @AuthenticationPrincipal Caller caller) {
		int given = (namePrefix == null ? 0 : 1) + (email == null ? 0 : 1) + (phone == null ? 0 : 1)
				+ (externalId == null ? 0 : 1) + (cardNumber == null ? 0 : 1);
		if (given != 1) {
			throw new InvalidInput("search", "Search by exactly one of namePrefix, email, phone, externalId or cardNumber");
		}
		if (namePrefix == null) {
			// an identifier names at most one member: a connection of zero or one edge
			MemberProfile found = memberByIdentifier(programId, email, phone, externalId, cardNumber, caller);
			List<MemberEdge> edges = found == null ? List.of()
					: List.of(new MemberEdge(encode("id:" + found.memberId().value()), found));
			return new MemberConnection(edges, new MemberPageInfo(false, false,
					edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(0).cursor()));
		}
		int size = first == null ? 20 : first;
		String afterKey = after == null ? null : decode(after);
		// one more than asked tells whether there is a next page
		List<NameIndex.Entry> found = managing
				.searchByName(caller, Ids.program(programId), namePrefix, afterKey, Math.min(size, 100) + 1);
		boolean more = found.size() > size;
		List<NameIndex.Entry> page = more ? found.subList(0, size) : found;
		Map<MemberId, Member> members = managing
				.members(page.stream().map(NameIndex.Entry::member).toList());
		List<MemberEdge> edges = page.stream().filter(e -> members.containsKey(e.member()))
				.map(e -> new MemberEdge(encode(e.key()), MemberController.profile(members.get(e.member())))).toList();
		return new MemberConnection(edges, new MemberPageInfo(after != null, more,
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
	}

	private static String encode(String key) {
		return Base64.getUrlEncoder().withoutPadding()
				.encodeToString(key.getBytes(StandardCharsets.UTF_8));
	}

	private static String decode(String cursor) {
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw new InvalidInput("after", "'" + cursor + "' is not a cursor of this connection");
		}
	}

	private static MemberPayload payload(ManagingMembers.Outcome outcome) {
		if (outcome instanceof ManagingMembers.Outcome.Refused refused) {
			throw new Refusal.Refused(refused.refusal());
		}
		return new MemberPayload(MemberController.profile(((ManagingMembers.Outcome.Changed) outcome).member()));
	}
}
