package io.fidelis.members;

import java.util.List;

/**
 * People enrolled together: an import's batch, or enrollments that arrived at the same moment.
 * One event for them all, so that each listener takes them in one go (and the registry keeps one
 * publication per listener, not one per member). They may belong to different programs. A member
 * enrolled alone is announced by {@link MemberEnrolled}. Listeners must be idempotent, as for
 * {@link MemberEnrolled}.
 */
public record MembersEnrolled(List<MemberEnrolled> members) {

	public MembersEnrolled {
		members = List.copyOf(members);
	}
}
