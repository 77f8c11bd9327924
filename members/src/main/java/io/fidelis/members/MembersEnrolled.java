package io.fidelis.members;

import java.util.List;

/**
 * People enrolled together, by an import's batch: one event for the batch, so that each
 * listener takes them in one go (and the registry keeps one publication per listener, not one
 * per member). A member enrolled alone is announced by {@link MemberEnrolled}. Listeners must be
 * idempotent, as for {@link MemberEnrolled}.
 */
public record MembersEnrolled(List<MemberEnrolled> members) {

	public MembersEnrolled {
		members = List.copyOf(members);
	}
}
