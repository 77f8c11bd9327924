package io.fidelis.members;

/**
 * What other modules may ask the members module synchronously, for reads that cannot wait for
 * an event: whether a member-caller is the member they ask about.
 */
public interface MemberDirectory {

	/** True when {@code caller} signed up as member {@code id}. */
	boolean isSelf(Caller.Member caller, MemberId id);

	/** True when the member exists and is active (neither suspended nor closed). */
	boolean isActive(MemberId id);

	/** {@link #isActive} for many members, in one read where the directory can: those of {@code ids} that are active. */
	default java.util.Set<MemberId> activeAmong(java.util.Collection<MemberId> ids) {
		return ids.stream().filter(this::isActive).collect(java.util.stream.Collectors.toSet());
	}

	/** The program a member belongs to, if the member exists. */
	java.util.Optional<ProgramId> programOf(MemberId id);

	/** The member's profile as the API shows it (name, card number, status), if the member exists. */
	java.util.Optional<MemberProfile> profileOf(MemberId id);

	/** The tier the member holds now (a manual tier first), if any. */
	java.util.Optional<String> tierOf(MemberId id);

	/**
	 * {@link #profileOf} for many members, in one read where the directory can: for a listener
	 * that takes a batch (an import's). Members that do not exist are left out.
	 */
	default java.util.Map<MemberId, MemberProfile> profilesOf(java.util.Collection<MemberId> ids) {
		java.util.Map<MemberId, MemberProfile> found = new java.util.HashMap<>();
		ids.forEach(id -> profileOf(id).ifPresent(p -> found.put(id, p)));
		return found;
	}

	/** {@link #tierOf} for many members, in one read where the directory can; members without a tier are left out. */
	default java.util.Map<MemberId, String> tiersOf(java.util.Collection<MemberId> ids) {
		java.util.Map<MemberId, String> found = new java.util.HashMap<>();
		ids.forEach(id -> tierOf(id).ifPresent(t -> found.put(id, t)));
		return found;
	}

	/** The member of {@code program} an identifier names; exactly one identifier must be given. */
	MemberIdentifier.Identified identify(ProgramId program, MemberIdentifier identifier);

	/**
	 * The program as its {@link ProgramDefined} event tells it, if it exists: for a module that
	 * needs the program before the event has reached it.
	 */
	java.util.Optional<ProgramDefined> programDefinition(ProgramId program);

	/** The time zone a program keeps its days in, if the program exists. */
	java.util.Optional<java.time.ZoneId> timeZoneOf(ProgramId program);
}
