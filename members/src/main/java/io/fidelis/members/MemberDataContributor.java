package io.fidelis.members;

import java.util.Map;

/**
 * A module's part of a member's data export. Modules above implement it; the members module
 * gathers every part, so an export holds all that Fidelis keeps on a person.
 */
public interface MemberDataContributor {

	/** The section name in the export, e.g. {@code points}. */
	String section();

	/** Plain JSON-ready values (maps, lists, strings, numbers, booleans); empty when the module holds nothing. */
	Map<String, Object> export(MemberId member);
}
