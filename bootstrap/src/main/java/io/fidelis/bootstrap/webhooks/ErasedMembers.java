package io.fidelis.bootstrap.webhooks;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberErased;

/**
 * Erasure reaches webhooks too, whether or not anyone subscribed to {@code member.erased}: the
 * deliveries about the member keep their id and program, and lose the event's data.
 */
@Component
class ErasedMembers {

	private final Webhooks webhooks;

	ErasedMembers(Webhooks webhooks) {
		this.webhooks = webhooks;
	}

	@ApplicationModuleListener
	void on(MemberErased e) {
		webhooks.forget(e.memberId());
	}
}
