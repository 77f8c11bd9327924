package io.fidelis.members.application;

/** The test double obeys the same contract as the real adapters. */
class InMemoryMemberStoreTest extends MemberStoreContract {

	private final InMemoryMemberStore store = new InMemoryMemberStore();

	@Override
	protected MemberStore store() {
		return store;
	}
}
